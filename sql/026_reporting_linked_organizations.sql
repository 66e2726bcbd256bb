-- Organizations linked across languages (core.organization_links, e.g. Nursultan Nazarbayev
-- Foundation = Фонд Нурсултана Назарбаева) count as one organizer in the reporting views: its
-- organization_id is the smallest id among the linked rows. Same columns as before, plus spellings.

CREATE OR REPLACE VIEW reporting.organizer_activity AS
WITH keys AS (
    SELECT o.organization_id,
           least(o.organization_id,
                 (SELECT min(CASE WHEN l.organization_id = o.organization_id THEN l.other_organization_id
                                  ELSE l.organization_id END)
                  FROM core.organization_links l
                  WHERE o.organization_id IN (l.organization_id, l.other_organization_id))) AS organization_key
    FROM core.organizations o
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
COMMENT ON VIEW reporting.organizer_activity IS 'Per organizing organization (spellings in other languages merged when linked): events organized, first and last, where.';
COMMENT ON COLUMN reporting.organizer_activity.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages.';
COMMENT ON COLUMN reporting.organizer_activity.acronyms IS 'Known acronyms of it (BISR, БИСИ, ...).';
COMMENT ON COLUMN reporting.organizer_activity.spellings IS 'The names the articles give it as organizer.';

CREATE OR REPLACE VIEW reporting.events_by_organizer AS
WITH keys AS (
    SELECT o.organization_id,
           least(o.organization_id,
                 (SELECT min(CASE WHEN l.organization_id = o.organization_id THEN l.other_organization_id
                                  ELSE l.organization_id END)
                  FROM core.organization_links l
                  WHERE o.organization_id IN (l.organization_id, l.other_organization_id))) AS organization_key
    FROM core.organizations o
), names AS (
    SELECT k.organization_key,
           (array_agg(coalesce(o.name_en, o.name_ru) ORDER BY o.name_en IS NULL, o.organization_id))[1] AS organization
    FROM keys k JOIN core.organizations o USING (organization_id)
    GROUP BY k.organization_key
)
SELECT k.organization_key AS organization_id, n.organization,
       date_trunc('month', e.start_date)::date AS month, count(DISTINCT e.event_key) AS events
FROM reporting.events e
JOIN core.event_organizers eo ON eo.event_id = e.event_id
JOIN keys k ON k.organization_id = eo.organization_id
JOIN names n ON n.organization_key = k.organization_key
GROUP BY k.organization_key, n.organization, 3;
COMMENT ON COLUMN reporting.events_by_organizer.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages.';
