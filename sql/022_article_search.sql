-- Full-text search over titles and bodies, stemmed with the text search configuration of the
-- article's language (title weighted above body). Stored as a generated column with a GIN index.

-- Wrapped in a function so the generated column can use it: array_to_string is only STABLE in
-- general, but for text[] it cannot change, so IMMUTABLE is truthful here.
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

ALTER TABLE core.articles
    ADD COLUMN document tsvector GENERATED ALWAYS AS (core.article_document(language, title, body_paragraphs)) STORED;
CREATE INDEX articles_document_idx ON core.articles USING gin (document);
COMMENT ON COLUMN core.articles.document IS 'Full-text document (title A, body B) in the article language''s configuration; GIN-indexed.';
