CREATE VIEW reporting.events_by_organizer AS
SELECT k.organization_key AS organization_id, k.name AS organization,
       date_trunc('month', e.start_date)::date AS month, count(DISTINCT e.event_key) AS events
FROM reporting.events e
JOIN core.event_organizers eo ON eo.event_id = e.event_id
JOIN core.organization_keys k ON k.organization_id = eo.organization_id
GROUP BY k.organization_key, k.name, 3;
COMMENT ON VIEW reporting.events_by_organizer IS 'Events per organizing organization (all its spellings and languages) and month of start (month NULL: date not known).';
COMMENT ON COLUMN reporting.events_by_organizer.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages (core.organization_keys).';
COMMENT ON COLUMN reporting.events_by_organizer.organization IS 'Canonical name of the organization (English when known, else Russian).';
COMMENT ON COLUMN reporting.events_by_organizer.month IS 'First day of the month the events started in; NULL when not known.';
COMMENT ON COLUMN reporting.events_by_organizer.events IS 'Distinct events the organization organized or co-organized.';
