-- reporting.events found each event's report in the other language with a correlated scan of all
-- translation pairs (quadratic: ~40 s for `report` over 10,000 events). Same columns and meaning,
-- now by index lookups: articles by URL and by the URL they translate.
CREATE INDEX IF NOT EXISTS articles_translation_of_url_idx ON core.articles (translation_of_url);

CREATE OR REPLACE VIEW reporting.events AS
SELECT e.event_id,
       least(e.event_id, twin.event_id) AS event_key,
       e.article_id, a.url AS article_url, a.source, a.language, a.published_at,
       e.name, e.type, e.start_date, e.end_date, e.city, e.city_as_written, e.country, e.format, e.occasion,
       e.participants_count, e.countries_count,
       ARRAY(SELECT coalesce(o.name_en, o.name_ru) FROM core.event_organizers eo
             JOIN core.organizations o USING (organization_id)
             WHERE eo.event_id = e.event_id ORDER BY eo.position) AS organizers,
       (SELECT count(*) FROM core.event_sessions s WHERE s.event_id = e.event_id) AS sessions,
       (SELECT count(*) FROM core.event_speakers s WHERE s.event_id = e.event_id) AS speakers,
       e.extractor_version
FROM core.events e
JOIN core.articles a USING (article_id)
LEFT JOIN LATERAL (
    SELECT min(o.event_id) AS event_id
    FROM core.articles b JOIN core.events o ON o.article_id = b.article_id
    WHERE (b.url = a.translation_of_url OR b.translation_of_url = a.url) AND b.article_id <> a.article_id
      AND o.position = e.position AND o.start_date IS NOT DISTINCT FROM e.start_date
) twin ON true;
