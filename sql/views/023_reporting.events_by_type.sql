CREATE VIEW reporting.events_by_type AS
SELECT type, count(DISTINCT event_key) AS events, min(start_date) AS first_event, max(start_date) AS last_event,
       round(avg(participants_count) FILTER (WHERE event_id = event_key), 1) AS avg_participants
FROM reporting.events
GROUP BY type;
COMMENT ON VIEW reporting.events_by_type IS 'Events per type (conference, forum, round table, ...; NULL: not stated).';
COMMENT ON COLUMN reporting.events_by_type.type IS 'Event type; NULL when not stated.';
COMMENT ON COLUMN reporting.events_by_type.events IS 'Distinct events of this type.';
COMMENT ON COLUMN reporting.events_by_type.first_event IS 'Start date of the earliest event of this type.';
COMMENT ON COLUMN reporting.events_by_type.last_event IS 'Start date of the latest event of this type.';
COMMENT ON COLUMN reporting.events_by_type.avg_participants IS 'Average stated participant count (events stating one).';
