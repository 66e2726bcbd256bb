-- source_health also counts the article URLs being retried after temporary failures and those given
-- up after the last allowed failure (raw.url_retries, 030). Same view, two columns appended.
CREATE OR REPLACE VIEW reporting.source_health AS
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
), retries AS (
    SELECT source, count(*) FILTER (WHERE gave_up_at IS NULL) AS pages_retrying,
           count(*) FILTER (WHERE gave_up_at IS NOT NULL) AS pages_given_up
    FROM raw.url_retries GROUP BY source
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
       coalesce(pf.pages_failing_now, 0) AS pages_failing_now,
       coalesce(rt.pages_retrying, 0) AS pages_retrying, coalesce(rt.pages_given_up, 0) AS pages_given_up
FROM known k
LEFT JOIN runs r USING (source) LEFT JOIN fetches f USING (source)
LEFT JOIN last_error e USING (source) LEFT JOIN loaded l USING (source)
LEFT JOIN failing pf USING (source) LEFT JOIN retries rt USING (source);
COMMENT ON COLUMN reporting.source_health.pages_retrying IS 'Article URLs whose last fetch was a temporary failure (5xx, 429, timeout, temporary redirect off the site, text/plain page): later runs ask them again with a growing delay.';
COMMENT ON COLUMN reporting.source_health.pages_given_up IS 'Article URLs settled after the last allowed failure: not asked again unless `run --refresh`; the errors table keeps their last reason.';
