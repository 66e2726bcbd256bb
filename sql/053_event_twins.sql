-- Event twins stored, not recomputed: the same event reported by an article and its translation
-- (same position, same start date) was found by every query on reporting.events by joining all
-- articles with all articles and all events with all events (a fifth of each event view's cost at
-- 12,000 articles). Kept by statement triggers on core.events and core.articles, so every writer
-- (loader, reprocess, a DBA's fix) keeps it: after a statement, the events of the articles it touched
-- and of their translations (before and after the change) are paired again.

CREATE TABLE core.event_twins (
    event_id bigint PRIMARY KEY REFERENCES core.events ON DELETE CASCADE,
    twin_id  bigint NOT NULL,
    name_en  text
);
COMMENT ON TABLE core.event_twins IS 'Each event reported in a translation too (the other article at the same position, the same start date), with that report; kept by triggers on core.events and core.articles. Events without one have no row.';
COMMENT ON COLUMN core.event_twins.event_id IS 'An event (core.events) of an article with a translation.';
COMMENT ON COLUMN core.event_twins.twin_id IS 'The smallest event_id among its reports in the article''s translations (articles linked by translation_of_url either way).';
COMMENT ON COLUMN core.event_twins.name_en IS 'The name of its report in an English translation, when there is one (the smallest event_id''s).';

-- The twins of the events of these articles, as reporting.events defined them before they were stored.
CREATE FUNCTION core.event_twins_of(article_ids bigint[])
RETURNS TABLE (event_id bigint, twin_id bigint, name_en text) LANGUAGE sql STABLE AS $$
    WITH pairs AS (
        -- An article and its translation, linked either way (hreflang on one side may be missing).
        SELECT a.article_id, b.article_id AS other_id, b.language AS other_language
        FROM core.articles a JOIN core.articles b ON b.url = a.translation_of_url AND b.article_id <> a.article_id
        WHERE a.article_id = ANY (article_ids)
        UNION
        SELECT a.article_id, b.article_id, b.language
        FROM core.articles a JOIN core.articles b ON b.translation_of_url = a.url AND b.article_id <> a.article_id
        WHERE a.article_id = ANY (article_ids)
    ), twins AS (
        SELECT e.event_id,
               min(o.event_id) FILTER (WHERE o.start_date IS NOT DISTINCT FROM e.start_date) AS twin_id,
               (array_agg(o.name ORDER BY o.event_id)
                    FILTER (WHERE o.start_date IS NOT DISTINCT FROM e.start_date AND p.other_language = 'en'
                            AND o.name IS NOT NULL))[1] AS name_en
        FROM core.events e
        JOIN pairs p ON p.article_id = e.article_id
        JOIN core.events o ON o.article_id = p.other_id AND o.position = e.position
        GROUP BY e.event_id
    )
    SELECT event_id, twin_id, name_en FROM twins WHERE twin_id IS NOT NULL
$$;

-- Pair the events of these articles again, and of the articles linked to them or to these URLs
-- (the old URLs of a changed or deleted article: its former translations).
CREATE FUNCTION core.refresh_event_twins(article_ids bigint[], urls text[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    touched bigint[];
BEGIN
    SELECT array_agg(DISTINCT t.article_id) INTO touched FROM (
        SELECT unnest(article_ids) AS article_id
        UNION ALL
        SELECT b.article_id FROM core.articles a JOIN core.articles b ON b.url = a.translation_of_url
        WHERE a.article_id = ANY (article_ids)
        UNION ALL
        SELECT b.article_id FROM core.articles a JOIN core.articles b ON b.translation_of_url = a.url
        WHERE a.article_id = ANY (article_ids)
        UNION ALL
        SELECT article_id FROM core.articles WHERE url = ANY (urls) OR translation_of_url = ANY (urls)
    ) t;
    IF touched IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM core.event_twins t USING core.events e WHERE e.event_id = t.event_id AND e.article_id = ANY (touched);
    INSERT INTO core.event_twins (event_id, twin_id, name_en) SELECT * FROM core.event_twins_of(touched);
END
$$;

CREATE FUNCTION core.event_twins_after_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM core.refresh_event_twins(ARRAY(SELECT DISTINCT article_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM core.refresh_event_twins(ARRAY(SELECT DISTINCT article_id FROM old_rows));
    ELSE
        PERFORM core.refresh_event_twins(ARRAY(SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

-- Only what pairs events counts: an article's URL, its translation's URL, its language.
CREATE FUNCTION core.event_twins_after_articles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM core.refresh_event_twins(ARRAY(SELECT article_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM core.refresh_event_twins('{}', ARRAY(SELECT url FROM old_rows UNION SELECT translation_of_url FROM old_rows
                                                     WHERE translation_of_url IS NOT NULL));
    ELSE
        PERFORM core.refresh_event_twins(
            ARRAY(SELECT n.article_id FROM new_rows n JOIN old_rows o USING (article_id)
                  WHERE (n.url, n.translation_of_url, n.language) IS DISTINCT FROM (o.url, o.translation_of_url, o.language)),
            ARRAY(SELECT x FROM new_rows n JOIN old_rows o USING (article_id)
                  CROSS JOIN LATERAL (VALUES (o.url), (o.translation_of_url)) AS v(x)
                  WHERE (n.url, n.translation_of_url, n.language) IS DISTINCT FROM (o.url, o.translation_of_url, o.language)
                    AND x IS NOT NULL));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_twins_events_insert AFTER INSERT ON core.events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.event_twins_after_events();
CREATE TRIGGER event_twins_events_update AFTER UPDATE ON core.events
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.event_twins_after_events();
CREATE TRIGGER event_twins_events_delete AFTER DELETE ON core.events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.event_twins_after_events();
CREATE TRIGGER event_twins_articles_insert AFTER INSERT ON core.articles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.event_twins_after_articles();
CREATE TRIGGER event_twins_articles_update AFTER UPDATE ON core.articles
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.event_twins_after_articles();
CREATE TRIGGER event_twins_articles_delete AFTER DELETE ON core.articles
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.event_twins_after_articles();

INSERT INTO core.event_twins (event_id, twin_id, name_en)
SELECT * FROM core.event_twins_of(ARRAY(SELECT article_id FROM core.articles));

GRANT SELECT ON core.event_twins TO etl_analyst;
