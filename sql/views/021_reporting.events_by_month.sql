CREATE VIEW reporting.events_by_month AS
SELECT date_trunc('month', start_date)::date AS month,
       count(DISTINCT event_key) AS events, count(*) AS reports,
       sum(participants_count) FILTER (WHERE event_id = event_key) AS participants,
       array_agg(DISTINCT country ORDER BY country) FILTER (WHERE country IS NOT NULL) AS countries
FROM reporting.events WHERE start_date IS NOT NULL
GROUP BY 1;
COMMENT ON VIEW reporting.events_by_month IS 'Events per month of their start date (events without a known date are left out).';
COMMENT ON COLUMN reporting.events_by_month.month IS 'First day of the month the events started in.';
COMMENT ON COLUMN reporting.events_by_month.events IS 'Distinct events (an event reported in two languages counts once).';
COMMENT ON COLUMN reporting.events_by_month.reports IS 'Event reports (articles x events).';
COMMENT ON COLUMN reporting.events_by_month.participants IS 'Sum of the stated participant counts (once per event); NULL when none stated.';
COMMENT ON COLUMN reporting.events_by_month.countries IS 'Countries the events took place in (ISO alpha-2).';
