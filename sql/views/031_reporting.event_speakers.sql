-- One row per event and speaker: the reports of an event in an article and its translation give one
-- row per person, their spellings merged (core.person_keys); role, organization and session come from
-- the English report when there is one (of two spellings of one person in a report, the first in article
-- order).
CREATE VIEW reporting.event_speakers AS
SELECT DISTINCT ON (e.event_key, pk.person_key)
       e.event_key, e.event_title AS event, e.type, e.start_date, e.city, e.country, e.organizers,
       pk.person_key, pk.name AS speaker, s.name_as_written, s.role,
       ok.organization_key AS organization_id, ok.name AS organization, s.organization_as_written,
       s.session_name AS session, s.position,
       e.event_id, e.source, e.language, e.article_url
FROM reporting.events e
JOIN core.event_speakers s ON s.event_id = e.event_id
JOIN core.person_keys pk ON pk.person_id = s.person_id
LEFT JOIN core.organization_keys ok ON ok.organization_id = s.organization_id
ORDER BY e.event_key, pk.person_key, (e.language = 'en') DESC, e.event_id, s.position;
COMMENT ON VIEW reporting.event_speakers IS 'Event x speaker, once per event (its reports in two languages merged) and person (spellings merged): role, organization, session.';
COMMENT ON COLUMN reporting.event_speakers.event_key IS 'The event (reporting.events.event_key).';
COMMENT ON COLUMN reporting.event_speakers.event IS 'Name of the event (the English report''s when there is one).';
COMMENT ON COLUMN reporting.event_speakers.type IS 'Event type (conference, forum, round table, ...).';
COMMENT ON COLUMN reporting.event_speakers.start_date IS 'First day of the event.';
COMMENT ON COLUMN reporting.event_speakers.city IS 'City, today''s English name.';
COMMENT ON COLUMN reporting.event_speakers.country IS 'Country, ISO 3166-1 alpha-2.';
COMMENT ON COLUMN reporting.event_speakers.organizers IS 'The event''s organizers by canonical name (filter with = ANY).';
COMMENT ON COLUMN reporting.event_speakers.person_key IS 'Identifies the person across spellings (core.person_keys.person_key).';
COMMENT ON COLUMN reporting.event_speakers.speaker IS 'Canonical name of the speaker (Latin spelling when known).';
COMMENT ON COLUMN reporting.event_speakers.name_as_written IS 'The speaker as the report names them.';
COMMENT ON COLUMN reporting.event_speakers.role IS 'Role stated (Director, moderator, ...).';
COMMENT ON COLUMN reporting.event_speakers.organization_id IS 'The organization the speaker represented, across spellings (core.organization_keys.organization_key); NULL when not stated.';
COMMENT ON COLUMN reporting.event_speakers.organization IS 'Canonical name of that organization.';
COMMENT ON COLUMN reporting.event_speakers.organization_as_written IS 'The organization as the report writes it.';
COMMENT ON COLUMN reporting.event_speakers.session IS 'Session the speaker spoke at (reporting.event_sessions.session), if stated.';
COMMENT ON COLUMN reporting.event_speakers.position IS 'Place in the report''s list of speakers (0: first).';
COMMENT ON COLUMN reporting.event_speakers.event_id IS 'The report this row is read from (reporting.events.event_id; English preferred).';
COMMENT ON COLUMN reporting.event_speakers.source IS 'Source of that report.';
COMMENT ON COLUMN reporting.event_speakers.language IS 'Language of that report.';
COMMENT ON COLUMN reporting.event_speakers.article_url IS 'URL of the article of that report.';
