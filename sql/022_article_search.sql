-- Full-text search over titles and bodies, stemmed with the text search configuration of the
-- article's language (title weighted above body). Stored as a generated column with a GIN index.

-- array_to_string is only STABLE in general (so a generated column cannot use it), but for text[] it
-- cannot change, so IMMUTABLE is truthful here.
CREATE FUNCTION core.search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'ru' THEN 'russian'::regconfig
                         ELSE 'simple'::regconfig END;
COMMENT ON FUNCTION core.search_config(text) IS 'Text search configuration for an ISO 639-1 language code: en -> english, ru -> russian, else simple.';

CREATE FUNCTION core.article_document(language text, title text, body_paragraphs text[]) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(to_tsvector(core.search_config(language), coalesce(title, '')), 'A')
        || setweight(to_tsvector(core.search_config(language), array_to_string(body_paragraphs, E'\n')), 'B');
COMMENT ON FUNCTION core.article_document(text, text, text[]) IS 'The searchable document of an article: title (weight A) and body (weight B) in its language''s configuration.';

-- Kept by a trigger rather than a generated column: a generated column calls the SQL function
-- without inlining it, which made loading ~60% slower (tests/bench/bench_load.py).
ALTER TABLE core.articles ADD COLUMN document tsvector;
CREATE FUNCTION core.set_article_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.document := core.article_document(NEW.language, NEW.title, NEW.body_paragraphs);
    RETURN NEW;
END
$$;
CREATE TRIGGER articles_document BEFORE INSERT OR UPDATE OF language, title, body_paragraphs, document
    ON core.articles FOR EACH ROW EXECUTE FUNCTION core.set_article_document();
UPDATE core.articles SET document = core.article_document(language, title, body_paragraphs);
ALTER TABLE core.articles ALTER COLUMN document SET NOT NULL;
CREATE INDEX articles_document_idx ON core.articles USING gin (document);
COMMENT ON COLUMN core.articles.document IS 'Full-text document (title A, body B) in the article language''s configuration, kept by a trigger; GIN-indexed.';
