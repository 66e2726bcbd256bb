CREATE VIEW reporting.organizer_activity AS
WITH keys AS (
    SELECT organization_id, organization_key FROM core.organization_keys
)
SELECT k.organization_key AS organization_id,
       (array_agg(coalesce(o.name_en, o.name_ru) ORDER BY o.name_en IS NULL, o.organization_id))[1] AS organization,
       (SELECT coalesce(array_agg(DISTINCT acronym ORDER BY acronym), '{}')
        FROM keys k2 JOIN core.organizations o2 USING (organization_id) CROSS JOIN unnest(o2.acronyms) AS acronym
        WHERE k2.organization_key = k.organization_key) AS acronyms,
       count(DISTINCT e.event_key) AS events_organized,
       min(e.start_date) AS first_event, max(e.start_date) AS last_event,
       array_agg(DISTINCT e.country ORDER BY e.country) FILTER (WHERE e.country IS NOT NULL) AS countries,
       array_agg(DISTINCT e.city ORDER BY e.city) FILTER (WHERE e.city IS NOT NULL) AS cities,
       count(DISTINCT e.article_id) AS articles,
       array_agg(DISTINCT eo.name_as_written ORDER BY eo.name_as_written) AS spellings
FROM keys k
JOIN core.organizations o USING (organization_id)
JOIN core.event_organizers eo USING (organization_id)
JOIN reporting.events e ON e.event_id = eo.event_id
GROUP BY k.organization_key;
COMMENT ON COLUMN reporting.organizer_activity.organization IS 'Name of the organization (English when known, else Russian).';
COMMENT ON COLUMN reporting.organizer_activity.events_organized IS 'Distinct events it organized or co-organized.';
COMMENT ON COLUMN reporting.organizer_activity.first_event IS 'Start date of its earliest event.';
COMMENT ON COLUMN reporting.organizer_activity.last_event IS 'Start date of its latest event.';
COMMENT ON COLUMN reporting.organizer_activity.countries IS 'Countries its events took place in (ISO alpha-2).';
COMMENT ON COLUMN reporting.organizer_activity.cities IS 'Cities its events took place in.';
COMMENT ON COLUMN reporting.organizer_activity.articles IS 'Articles reporting its events.';
COMMENT ON VIEW reporting.organizer_activity IS 'Per organizing organization (spellings in other languages merged when linked): events organized, first and last, where.';
COMMENT ON COLUMN reporting.organizer_activity.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages.';
COMMENT ON COLUMN reporting.organizer_activity.acronyms IS 'Known acronyms of it (BISR, БИСИ, ...).';
COMMENT ON COLUMN reporting.organizer_activity.spellings IS 'The names the articles give it as organizer.';
