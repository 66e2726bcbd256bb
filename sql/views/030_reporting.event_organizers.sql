-- One row per event and organizing organization: the reports of an event in an article and its
-- translation give one row per organization, its spellings merged (core.organization_keys).
-- The acronyms are read for the rows kept only (after DISTINCT ON): read before it, an organization
-- with hundreds of acronyms made every candidate row wide and the sort spill to disk. Among two
-- spellings of one organization in the same report, the first in article order is kept.
CREATE VIEW reporting.event_organizers AS
SELECT d.event_key, d.event, d.type, d.start_date, d.end_date, d.city, d.country,
       d.organization_id, d.organization,
       ARRAY(SELECT a.acronym FROM core.organization_acronyms a WHERE a.organization_key = d.organization_id
             ORDER BY a.acronym) AS acronyms,
       d.speakers, d.all_organizers, d.name_as_written, d.acronym_as_written, d.position,
       d.event_id, d.source, d.language, d.article_url
FROM (SELECT DISTINCT ON (e.event_key, k.organization_key)
             e.event_key, e.event_title AS event, e.type, e.start_date, e.end_date, e.city, e.country,
             k.organization_key AS organization_id, k.name AS organization,
             e.speaker_names AS speakers, e.organizers AS all_organizers,
             eo.name_as_written, eo.acronym AS acronym_as_written, eo.position,
             e.event_id, e.source, e.language, e.article_url
      FROM reporting.events e
      JOIN core.event_organizers eo ON eo.event_id = e.event_id
      JOIN core.organization_keys k ON k.organization_id = eo.organization_id
      ORDER BY e.event_key, k.organization_key, (e.language = 'en') DESC, e.event_id, eo.position) d;
COMMENT ON VIEW reporting.event_organizers IS 'Event x organizing organization, once per event (its reports in two languages merged) and organization (its spellings merged), with the organization''s canonical name and acronyms.';
COMMENT ON COLUMN reporting.event_organizers.event_key IS 'The event (reporting.events.event_key).';
COMMENT ON COLUMN reporting.event_organizers.event IS 'Name of the event (the English report''s when there is one).';
COMMENT ON COLUMN reporting.event_organizers.type IS 'Event type (conference, forum, round table, ...).';
COMMENT ON COLUMN reporting.event_organizers.start_date IS 'First day of the event.';
COMMENT ON COLUMN reporting.event_organizers.end_date IS 'Last day of the event.';
COMMENT ON COLUMN reporting.event_organizers.city IS 'City, today''s English name.';
COMMENT ON COLUMN reporting.event_organizers.country IS 'Country, ISO 3166-1 alpha-2.';
COMMENT ON COLUMN reporting.event_organizers.organization_id IS 'Identifies the organization across spellings and languages (core.organization_keys.organization_key).';
COMMENT ON COLUMN reporting.event_organizers.organization IS 'Canonical name of the organization: English when known, else Russian.';
COMMENT ON COLUMN reporting.event_organizers.acronyms IS 'Every known acronym of the organization (BISR, БИСИ, ...).';
COMMENT ON COLUMN reporting.event_organizers.speakers IS 'The event''s speakers by canonical name, in report order (reporting.event_speakers has their roles and organizations).';
COMMENT ON COLUMN reporting.event_organizers.all_organizers IS 'Every organizer of the event by canonical name (co-organizers included).';
COMMENT ON COLUMN reporting.event_organizers.name_as_written IS 'The organizer as the report names it (the English report when there is one).';
COMMENT ON COLUMN reporting.event_organizers.acronym_as_written IS 'The acronym the report gives it, if any.';
COMMENT ON COLUMN reporting.event_organizers.position IS 'Its place in the report''s list of organizers (0: first).';
COMMENT ON COLUMN reporting.event_organizers.event_id IS 'The report this row is read from (reporting.events.event_id; English preferred).';
COMMENT ON COLUMN reporting.event_organizers.source IS 'Source of that report.';
COMMENT ON COLUMN reporting.event_organizers.language IS 'Language of that report.';
COMMENT ON COLUMN reporting.event_organizers.article_url IS 'URL of the article of that report.';
