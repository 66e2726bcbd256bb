CREATE VIEW reporting.event_sessions AS
SELECT e.event_key, e.event_title AS event, e.start_date, e.city, e.country,
       s.position, s.name AS session, s.kind, s.format,
       ARRAY(SELECT k.name FROM core.event_speakers sp JOIN core.person_keys k USING (person_id)
             WHERE sp.event_id = s.event_id AND sp.session_name = s.name ORDER BY sp.position) AS speakers,
       e.event_id, e.source, e.language, e.article_url
FROM reporting.events e
JOIN core.event_sessions s ON s.event_id = e.event_id;
COMMENT ON VIEW reporting.event_sessions IS 'Every session of every event report (panels, round tables, ...), in report order, with its speakers.';
COMMENT ON COLUMN reporting.event_sessions.event_key IS 'The event (reporting.events.event_key; reports in two languages share it).';
COMMENT ON COLUMN reporting.event_sessions.event IS 'Name of the event (the English report''s when there is one).';
COMMENT ON COLUMN reporting.event_sessions.start_date IS 'First day of the event.';
COMMENT ON COLUMN reporting.event_sessions.city IS 'City, today''s English name.';
COMMENT ON COLUMN reporting.event_sessions.country IS 'Country, ISO 3166-1 alpha-2.';
COMMENT ON COLUMN reporting.event_sessions.position IS 'Place of the session in the report (0: first).';
COMMENT ON COLUMN reporting.event_sessions.session IS 'Name of the session, as the report writes it.';
COMMENT ON COLUMN reporting.event_sessions.kind IS 'Kind of session (plenary, panel, ...), when stated.';
COMMENT ON COLUMN reporting.event_sessions.format IS 'offline, online or hybrid, when stated.';
COMMENT ON COLUMN reporting.event_sessions.speakers IS 'Speakers of the session by canonical name, in report order.';
COMMENT ON COLUMN reporting.event_sessions.event_id IS 'The event report (reporting.events.event_id).';
COMMENT ON COLUMN reporting.event_sessions.source IS 'Source of the report.';
COMMENT ON COLUMN reporting.event_sessions.language IS 'Language of the report.';
COMMENT ON COLUMN reporting.event_sessions.article_url IS 'URL of the article of the report.';
