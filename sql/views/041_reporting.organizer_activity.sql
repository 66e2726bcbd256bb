CREATE VIEW reporting.organizer_activity AS
SELECT k.organization_key AS organization_id, k.name AS organization,
       ARRAY(SELECT a.acronym FROM core.organization_acronyms a WHERE a.organization_key = k.organization_key
             ORDER BY a.acronym) AS acronyms,
       count(DISTINCT e.event_key) AS events_organized,
       min(e.start_date) AS first_event, max(e.start_date) AS last_event,
       array_agg(DISTINCT e.country ORDER BY e.country) FILTER (WHERE e.country IS NOT NULL) AS countries,
       array_agg(DISTINCT e.city ORDER BY e.city) FILTER (WHERE e.city IS NOT NULL) AS cities,
       count(DISTINCT e.article_id) AS articles,
       array_agg(DISTINCT eo.name_as_written ORDER BY eo.name_as_written) AS spellings,
       array_agg(DISTINCT e.event_key ORDER BY e.event_key) AS event_keys,
       array_agg(DISTINCT coalesce(e.start_date::text || ' ', '') || coalesce(e.event_title, '(unnamed)')
                 ORDER BY coalesce(e.start_date::text || ' ', '') || coalesce(e.event_title, '(unnamed)')) AS event_names
FROM core.organization_keys k
JOIN core.event_organizers eo USING (organization_id)
JOIN reporting.events e ON e.event_id = eo.event_id
GROUP BY k.organization_key, k.name;
COMMENT ON VIEW reporting.organizer_activity IS 'Per organizing organization (spellings in other languages merged when linked): events organized, first and last, where, and which.';
COMMENT ON COLUMN reporting.organizer_activity.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages (core.organization_keys).';
COMMENT ON COLUMN reporting.organizer_activity.organization IS 'Canonical name of the organization (English when known, else Russian).';
COMMENT ON COLUMN reporting.organizer_activity.acronyms IS 'Known acronyms of it (BISR, БИСИ, ...).';
COMMENT ON COLUMN reporting.organizer_activity.events_organized IS 'Distinct events it organized or co-organized.';
COMMENT ON COLUMN reporting.organizer_activity.first_event IS 'Start date of its earliest event.';
COMMENT ON COLUMN reporting.organizer_activity.last_event IS 'Start date of its latest event.';
COMMENT ON COLUMN reporting.organizer_activity.countries IS 'Countries its events took place in (ISO alpha-2).';
COMMENT ON COLUMN reporting.organizer_activity.cities IS 'Cities its events took place in.';
COMMENT ON COLUMN reporting.organizer_activity.articles IS 'Articles reporting its events.';
COMMENT ON COLUMN reporting.organizer_activity.spellings IS 'The names the articles give it as organizer.';
COMMENT ON COLUMN reporting.organizer_activity.event_keys IS 'Its events (reporting.events.event_key), once each.';
COMMENT ON COLUMN reporting.organizer_activity.event_names IS 'Its events as "start date name", sorted (English name when reported in English).';
