CREATE VIEW reporting.events AS
SELECT e.event_id,
       least(e.event_id, twin.event_id) AS event_key,
       e.article_id, a.url AS article_url, a.source, a.language, a.published_at,
       e.name, CASE WHEN a.language = 'en' THEN e.name ELSE coalesce(twin.name_en, e.name) END AS event_title,
       e.type, e.start_date, e.end_date, e.city, e.city_as_written, e.country, e.format, e.occasion,
       e.participants_count, e.countries_count,
       ARRAY(SELECT k.name FROM core.event_organizers eo JOIN core.organization_keys k USING (organization_id)
             WHERE eo.event_id = e.event_id GROUP BY k.name ORDER BY min(eo.position)) AS organizers,
       ARRAY(SELECT eo.name_as_written FROM core.event_organizers eo
             WHERE eo.event_id = e.event_id ORDER BY eo.position) AS organizers_as_written,
       ARRAY(SELECT k.name FROM core.event_speakers s JOIN core.person_keys k USING (person_id)
             WHERE s.event_id = e.event_id ORDER BY s.position) AS speaker_names,
       (SELECT count(*) FROM core.event_sessions s WHERE s.event_id = e.event_id) AS sessions,
       (SELECT count(*) FROM core.event_speakers s WHERE s.event_id = e.event_id) AS speakers,
       e.extractor_version
FROM core.events e
JOIN core.articles a USING (article_id)
LEFT JOIN LATERAL (
    SELECT min(o.event_id) AS event_id,
           (array_agg(o.name ORDER BY o.event_id) FILTER (WHERE b.language = 'en' AND o.name IS NOT NULL))[1] AS name_en
    FROM core.articles b JOIN core.events o ON o.article_id = b.article_id
    WHERE (b.url = a.translation_of_url OR b.translation_of_url = a.url) AND b.article_id <> a.article_id
      AND o.position = e.position AND o.start_date IS NOT DISTINCT FROM e.start_date
) twin ON true;
COMMENT ON VIEW reporting.events IS 'Every event report: one row per event per article (an event reported in two languages has two rows sharing event_key).';
COMMENT ON COLUMN reporting.events.event_id IS 'Warehouse id of this report of the event.';
COMMENT ON COLUMN reporting.events.event_key IS 'Identifies the event across its reports in an article and its translation: count DISTINCT event_key to count events.';
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
