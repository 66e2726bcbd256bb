CREATE VIEW reporting.article_history AS
SELECT v.article_id, v.version_id, v.url, v.source, v.language, v.title, v.published_at,
       cardinality(v.body_paragraphs) AS paragraphs, v.content_hash, v.extractor_version,
       v.valid_from, v.valid_to, false AS is_current
FROM core.article_versions v
UNION ALL
SELECT a.article_id, NULL, a.url, a.source, a.language, a.title, a.published_at,
       cardinality(a.body_paragraphs), a.content_hash, a.extractor_version, a.valid_from, NULL, true
FROM core.articles a;
COMMENT ON VIEW reporting.article_history IS 'Every version of every article: the kept previous versions and the current one (is_current).';
COMMENT ON COLUMN reporting.article_history.article_id IS 'Warehouse id of the article.';
COMMENT ON COLUMN reporting.article_history.version_id IS 'Id of a previous version in core.article_versions; NULL for the current version.';
COMMENT ON COLUMN reporting.article_history.url IS 'Canonical URL of the article.';
COMMENT ON COLUMN reporting.article_history.source IS 'Configured source the article comes from.';
COMMENT ON COLUMN reporting.article_history.language IS 'ISO 639-1 language of the body in this version.';
COMMENT ON COLUMN reporting.article_history.title IS 'Headline in this version.';
COMMENT ON COLUMN reporting.article_history.published_at IS 'Publication date stated in this version.';
COMMENT ON COLUMN reporting.article_history.paragraphs IS 'Number of body paragraphs in this version.';
COMMENT ON COLUMN reporting.article_history.content_hash IS 'SHA-256 of the extracted record; equal hashes mean equal content.';
COMMENT ON COLUMN reporting.article_history.extractor_version IS 'Extractor version that produced this version.';
COMMENT ON COLUMN reporting.article_history.valid_from IS 'Since when this version was current.';
COMMENT ON COLUMN reporting.article_history.valid_to IS 'When the next version replaced it; NULL while current.';
COMMENT ON COLUMN reporting.article_history.is_current IS 'True for the version currently in core.articles.';
