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
), retries AS (
    -- Article URLs retried after temporary failures, and those given up after the last allowed one.
    SELECT source, count(*) FILTER (WHERE gave_up_at IS NULL) AS pages_retrying,
           count(*) FILTER (WHERE gave_up_at IS NOT NULL) AS pages_given_up
    FROM raw.url_retries GROUP BY source
), checks AS (
    -- The latest result of each check run for this source (the DAG checks each source after its load).
    SELECT source,
           array_agg(check_name ORDER BY check_name) FILTER (WHERE status = 'warning') AS check_warnings,
           array_agg(check_name ORDER BY check_name) FILTER (WHERE status = 'failed') AS check_failures
    FROM (SELECT DISTINCT ON (check_name, source) check_name, source, status FROM raw.check_results
          WHERE source IS NOT NULL ORDER BY check_name, source, checked_at DESC, result_id DESC) latest
    GROUP BY source
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
       coalesce(rt.pages_retrying, 0) AS pages_retrying, coalesce(rt.pages_given_up, 0) AS pages_given_up,
       coalesce(c.check_warnings, '{}') AS check_warnings, coalesce(c.check_failures, '{}') AS check_failures
FROM known k
LEFT JOIN runs r USING (source) LEFT JOIN fetches f USING (source)
LEFT JOIN last_error e USING (source) LEFT JOIN loaded l USING (source)
LEFT JOIN failing pf USING (source) LEFT JOIN retries rt USING (source) LEFT JOIN checks c USING (source);
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
COMMENT ON COLUMN reporting.source_health.pages_retrying IS 'Article URLs whose last fetch was a temporary failure (5xx, 429, timeout, temporary redirect off the site, text/plain page): later runs ask them again with a growing delay.';
COMMENT ON COLUMN reporting.source_health.pages_given_up IS 'Article URLs settled after the last allowed failure: not asked again unless `run --refresh`; the errors table keeps their last reason.';
COMMENT ON COLUMN reporting.source_health.check_warnings IS 'Checks whose latest run on this source found offending rows within their threshold (reporting.check_results has them).';
COMMENT ON COLUMN reporting.source_health.check_failures IS 'Checks whose latest run on this source failed.';
