CREATE VIEW reporting.article_search AS
SELECT a.article_id, a.url, a.source, a.language, a.title, a.published_at,
       array_to_string(a.body_paragraphs, E'\n') AS body, a.document
FROM core.articles a;
COMMENT ON VIEW reporting.article_search IS $$Full-text search over current articles (GIN-indexed). Query with the configuration of the language searched, e.g. SELECT url, title, ts_rank(document, q) AS rank FROM reporting.article_search, websearch_to_tsquery('russian', 'конференция лидерство') q WHERE document @@ q ORDER BY rank DESC LIMIT 20;$$;
COMMENT ON COLUMN reporting.article_search.article_id IS 'Warehouse id of the article.';
COMMENT ON COLUMN reporting.article_search.url IS 'Canonical URL of the article.';
COMMENT ON COLUMN reporting.article_search.source IS 'Configured source the article comes from.';
COMMENT ON COLUMN reporting.article_search.language IS 'ISO 639-1 language; decides the text search configuration (en: english, ru: russian, else simple).';
COMMENT ON COLUMN reporting.article_search.title IS 'Headline, cleaned.';
COMMENT ON COLUMN reporting.article_search.published_at IS 'Publication date stated by the page, or NULL.';
COMMENT ON COLUMN reporting.article_search.body IS 'Body text, paragraphs separated by newlines (for ts_headline).';
COMMENT ON COLUMN reporting.article_search.document IS 'tsvector of title (weight A) and body (weight B); match with @@ and a tsquery of the same language.';
