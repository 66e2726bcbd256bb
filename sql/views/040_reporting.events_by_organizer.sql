CREATE VIEW reporting.events_by_organizer AS
WITH keys AS (
    SELECT organization_id, organization_key FROM core.organization_keys
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
COMMENT ON VIEW reporting.events_by_organizer IS 'Events per organizing organization and month of start (month NULL: date not known).';
COMMENT ON COLUMN reporting.events_by_organizer.organization IS 'Name of the organization (English when known, else Russian).';
COMMENT ON COLUMN reporting.events_by_organizer.month IS 'First day of the month the events started in; NULL when not known.';
COMMENT ON COLUMN reporting.events_by_organizer.events IS 'Distinct events the organization organized or co-organized.';
COMMENT ON COLUMN reporting.events_by_organizer.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages.';
