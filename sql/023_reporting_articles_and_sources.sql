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

CREATE VIEW reporting.source_health AS
WITH known AS (
    SELECT source FROM raw.batches UNION SELECT source FROM core.articles
), runs AS (
    SELECT source, max(started_at) AS last_run_started_at, max(finished_at) AS last_successful_run_at,
           count(*) FILTER (WHERE started_at > now() - interval '30 days') AS runs_last_30_days,
           count(*) FILTER (WHERE finished_at IS NULL AND started_at > now() - interval '30 days')
               AS unfinished_runs_last_30_days
    FROM raw.batches GROUP BY source
), fetches AS (
    SELECT b.source,
           count(*) FILTER (WHERE u.outcome IN ('fetched', 'not_modified', 'failed')) AS fetch_attempts,
           count(*) FILTER (WHERE u.outcome = 'failed') AS fetch_errors
    FROM raw.batch_urls u JOIN raw.batches b USING (batch_id)
    WHERE b.started_at > now() - interval '30 days'
    GROUP BY b.source
), last_error AS (
    SELECT DISTINCT ON (b.source) b.source, u.url, u.error, coalesce(u.fetched_at, b.started_at) AS at
    FROM raw.batch_urls u JOIN raw.batches b USING (batch_id)
    WHERE u.outcome = 'failed'
    ORDER BY b.source, coalesce(u.fetched_at, b.started_at) DESC
), failing AS (
    SELECT source, count(*) AS pages_failing_now FROM raw.page_errors GROUP BY source
), loaded AS (
    SELECT source, count(*) AS articles, max(first_seen) AS last_new_article_at,
           count(*) FILTER (WHERE first_seen > now() - interval '30 days') AS articles_last_30_days
    FROM core.articles GROUP BY source
)
SELECT k.source, r.last_successful_run_at, r.last_run_started_at,
       coalesce(r.runs_last_30_days, 0) AS runs_last_30_days,
       coalesce(r.unfinished_runs_last_30_days, 0) AS unfinished_runs_last_30_days,
       coalesce(l.articles, 0) AS articles, l.last_new_article_at,
       round(coalesce(l.articles_last_30_days, 0) / 30.0, 2) AS articles_per_day,
       coalesce(f.fetch_attempts, 0) AS fetch_attempts, coalesce(f.fetch_errors, 0) AS fetch_errors,
       round(f.fetch_errors::numeric / nullif(f.fetch_attempts, 0), 3) AS fetch_error_rate,
       e.error AS last_error, e.url AS last_error_url, e.at AS last_error_at,
       coalesce(pf.pages_failing_now, 0) AS pages_failing_now
FROM known k
LEFT JOIN runs r USING (source) LEFT JOIN fetches f USING (source)
LEFT JOIN last_error e USING (source) LEFT JOIN loaded l USING (source)
LEFT JOIN failing pf USING (source);
COMMENT ON VIEW reporting.source_health IS 'Per source: last successful run, new articles per day and fetch error rate over the last 30 days, and the last fetch error.';
COMMENT ON COLUMN reporting.source_health.source IS 'Configured source name.';
COMMENT ON COLUMN reporting.source_health.last_successful_run_at IS 'When the last run of the source finished (all stages done).';
COMMENT ON COLUMN reporting.source_health.last_run_started_at IS 'When the last run started, finished or not.';
COMMENT ON COLUMN reporting.source_health.runs_last_30_days IS 'Runs started in the last 30 days.';
COMMENT ON COLUMN reporting.source_health.unfinished_runs_last_30_days IS 'Runs of the last 30 days that never finished (failed or still running).';
COMMENT ON COLUMN reporting.source_health.articles IS 'Articles of the source in the warehouse.';
COMMENT ON COLUMN reporting.source_health.last_new_article_at IS 'When the newest article of the source was first fetched.';
COMMENT ON COLUMN reporting.source_health.articles_per_day IS 'New articles per day over the last 30 days (first fetched in that window / 30).';
COMMENT ON COLUMN reporting.source_health.fetch_attempts IS 'Article fetches in the last 30 days that reached the server (fetched, not modified or failed).';
COMMENT ON COLUMN reporting.source_health.fetch_errors IS 'Of those, the failed ones.';
COMMENT ON COLUMN reporting.source_health.fetch_error_rate IS 'fetch_errors / fetch_attempts over the last 30 days; NULL without attempts.';
COMMENT ON COLUMN reporting.source_health.last_error IS 'Reason of the most recent failed fetch.';
COMMENT ON COLUMN reporting.source_health.last_error_url IS 'URL of the most recent failed fetch.';
COMMENT ON COLUMN reporting.source_health.last_error_at IS 'When the most recent failed fetch happened.';
COMMENT ON COLUMN reporting.source_health.pages_failing_now IS 'URLs of the source failing now at some stage (discover, fetch, extract, load); `python -m etl errors --source NAME` lists them.';
