-- Article-level reporting views and source health.

CREATE VIEW reporting.articles AS
SELECT a.article_id, a.url, a.source, a.language, a.title, a.published_at, a.translation_of_url,
       a.countries_mentioned, cardinality(a.body_paragraphs) AS paragraphs,
       a.extractor_version, a.valid_from, a.first_seen, a.last_seen,
       (SELECT count(*) FROM core.article_versions v WHERE v.article_id = a.article_id) AS previous_versions
FROM core.articles a;
COMMENT ON VIEW reporting.articles IS 'Every article as currently published (latest version), one row per canonical URL.';
COMMENT ON COLUMN reporting.articles.article_id IS 'Warehouse id of the article (stable across versions).';
COMMENT ON COLUMN reporting.articles.url IS 'Canonical URL of the article.';
COMMENT ON COLUMN reporting.articles.source IS 'Configured source (site) the article comes from.';
COMMENT ON COLUMN reporting.articles.language IS 'ISO 639-1 language of the article body.';
COMMENT ON COLUMN reporting.articles.title IS 'Headline, cleaned.';
COMMENT ON COLUMN reporting.articles.published_at IS 'Publication date stated by the page; NULL when the page does not state it.';
COMMENT ON COLUMN reporting.articles.translation_of_url IS 'URL of the same article in another language, when linked.';
COMMENT ON COLUMN reporting.articles.countries_mentioned IS 'ISO 3166-1 alpha-2 codes of the countries the body mentions.';
COMMENT ON COLUMN reporting.articles.paragraphs IS 'Number of body paragraphs.';
COMMENT ON COLUMN reporting.articles.extractor_version IS 'Extractor version that produced the current row.';
COMMENT ON COLUMN reporting.articles.valid_from IS 'Since when this version is current (its page content first fetched).';
COMMENT ON COLUMN reporting.articles.first_seen IS 'When the page was first fetched.';
COMMENT ON COLUMN reporting.articles.last_seen IS 'When the page was last fetched.';
COMMENT ON COLUMN reporting.articles.previous_versions IS 'How many earlier versions are kept (see reporting.article_history).';
