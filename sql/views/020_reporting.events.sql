-- Set-based (grouped subqueries joined by event_id, which the planner drops when a query uses none of
-- their columns) rather than one subquery per row; the reports of one event in an article and its
-- translation are stored (core.event_twins, kept by triggers), not paired on every query.
CREATE VIEW reporting.events AS
WITH organizers AS (
    SELECT event_id, array_agg(name ORDER BY position) AS organizers
    FROM (SELECT eo.event_id, k.name, min(eo.position) AS position
          FROM core.event_organizers eo JOIN core.organization_keys k USING (organization_id)
          GROUP BY eo.event_id, k.name) named
    GROUP BY event_id
), written AS (
    SELECT event_id, array_agg(name_as_written ORDER BY position) AS organizers_as_written
    FROM core.event_organizers GROUP BY event_id
), speakers AS (
    SELECT s.event_id, array_agg(k.name ORDER BY s.position) AS speaker_names, count(*) AS speakers
    FROM core.event_speakers s JOIN core.person_keys k USING (person_id)
    GROUP BY s.event_id
), sessions AS (
    SELECT event_id, count(*) AS sessions FROM core.event_sessions GROUP BY event_id
)
SELECT e.event_id,
       least(e.event_id, t.twin_id) AS event_key,
       (t.twin_id IS NULL OR t.twin_id > e.event_id) AS first_report,
       e.article_id, a.url AS article_url, a.source, a.language, a.published_at,
       e.name, CASE WHEN a.language = 'en' THEN e.name ELSE coalesce(t.name_en, e.name) END AS event_title,
       e.type, e.start_date, e.end_date, e.city, e.city_as_written, e.country, e.format, e.occasion,
       e.participants_count, e.countries_count,
       coalesce(o.organizers, '{}') AS organizers,
       coalesce(w.organizers_as_written, '{}') AS organizers_as_written,
       coalesce(sp.speaker_names, '{}') AS speaker_names,
       coalesce(se.sessions, 0) AS sessions,
       coalesce(sp.speakers, 0) AS speakers,
       e.extractor_version
FROM core.events e
JOIN core.articles a USING (article_id)
LEFT JOIN core.event_twins t ON t.event_id = e.event_id
LEFT JOIN organizers o ON o.event_id = e.event_id
LEFT JOIN written w ON w.event_id = e.event_id
LEFT JOIN speakers sp ON sp.event_id = e.event_id
LEFT JOIN sessions se ON se.event_id = e.event_id;
COMMENT ON VIEW reporting.events IS 'Every event report: one row per event per article (an event reported in two languages has two rows sharing event_key).';
COMMENT ON COLUMN reporting.events.event_id IS 'Warehouse id of this report of the event.';
COMMENT ON COLUMN reporting.events.event_key IS 'Identifies the event across its reports in an article and its translation: count DISTINCT event_key to count events.';
COMMENT ON COLUMN reporting.events.first_report IS 'True for one report of each event (the one whose event_id is its event_key): WHERE first_report lists every event once (and plans better than event_id = event_key).';
COMMENT ON COLUMN reporting.events.article_id IS 'The article reporting the event.';
COMMENT ON COLUMN reporting.events.article_url IS 'Canonical URL of the reporting article.';
COMMENT ON COLUMN reporting.events.source IS 'Source (site) of the reporting article.';
COMMENT ON COLUMN reporting.events.language IS 'Language of the reporting article.';
COMMENT ON COLUMN reporting.events.published_at IS 'Publication date of the reporting article, if stated.';
COMMENT ON COLUMN reporting.events.name IS 'Event name without surrounding quotes, as the article writes it.';
COMMENT ON COLUMN reporting.events.event_title IS 'One name for the event across its reports: the English report''s name when there is one, else this report''s.';
COMMENT ON COLUMN reporting.events.type IS 'conference, forum, round table, seminar, meeting, summit, ...';
COMMENT ON COLUMN reporting.events.start_date IS 'First day of the event.';
COMMENT ON COLUMN reporting.events.end_date IS 'Last day of the event.';
COMMENT ON COLUMN reporting.events.city IS 'City, today''s English name (Nur-Sultan -> Astana).';
COMMENT ON COLUMN reporting.events.city_as_written IS 'City as the article writes it.';
COMMENT ON COLUMN reporting.events.country IS 'Country, ISO 3166-1 alpha-2.';
COMMENT ON COLUMN reporting.events.format IS 'offline, online or hybrid.';
COMMENT ON COLUMN reporting.events.occasion IS 'What the event marked (an anniversary, ...), when stated.';
COMMENT ON COLUMN reporting.events.participants_count IS 'Number of participants, when stated.';
COMMENT ON COLUMN reporting.events.countries_count IS 'Number of countries represented, when stated.';
COMMENT ON COLUMN reporting.events.organizers IS 'Organizing organizations by canonical name (the same whatever the language of the report: English when known, see reporting.event_organizers), in article order.';
COMMENT ON COLUMN reporting.events.organizers_as_written IS 'The organizers as the article names them, in article order.';
COMMENT ON COLUMN reporting.events.speaker_names IS 'Speakers by canonical name (Latin spelling when known), in article order; reporting.event_speakers has their roles and organizations.';
COMMENT ON COLUMN reporting.events.sessions IS 'Number of sessions named.';
COMMENT ON COLUMN reporting.events.speakers IS 'Number of speakers named.';
COMMENT ON COLUMN reporting.events.extractor_version IS 'Extractor version that produced the row.';
