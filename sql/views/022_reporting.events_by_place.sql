CREATE VIEW reporting.events_by_place AS
SELECT country, city, count(DISTINCT event_key) AS events,
       min(start_date) AS first_event, max(start_date) AS last_event
FROM reporting.events
GROUP BY country, city;
COMMENT ON VIEW reporting.events_by_place IS 'Events per country and city (NULL: not stated).';
COMMENT ON COLUMN reporting.events_by_place.country IS 'Country, ISO 3166-1 alpha-2; NULL when not stated.';
COMMENT ON COLUMN reporting.events_by_place.city IS 'City, today''s English name; NULL when not stated.';
COMMENT ON COLUMN reporting.events_by_place.events IS 'Distinct events held there.';
COMMENT ON COLUMN reporting.events_by_place.first_event IS 'Start date of the earliest event there.';
COMMENT ON COLUMN reporting.events_by_place.last_event IS 'Start date of the latest event there.';
