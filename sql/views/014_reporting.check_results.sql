CREATE VIEW reporting.check_results AS
SELECT DISTINCT ON (check_name, source)
       check_name, source, status, severity, offending, threshold, checked_at, sample
FROM raw.check_results
ORDER BY check_name, source, checked_at DESC, result_id DESC;
COMMENT ON VIEW reporting.check_results IS 'The latest result of each data quality check, per source checked (NULL: a run over every source).';
COMMENT ON COLUMN reporting.check_results.check_name IS 'The check (README: Data quality checks).';
COMMENT ON COLUMN reporting.check_results.source IS 'The source that run checked; NULL: every source of its sources file.';
COMMENT ON COLUMN reporting.check_results.status IS 'ok, warning (offending rows within the threshold: recorded, the run goes on) or failed.';
COMMENT ON COLUMN reporting.check_results.severity IS 'error (any offending row fails) or warning (fails past the threshold).';
COMMENT ON COLUMN reporting.check_results.offending IS 'How many offending rows it found.';
COMMENT ON COLUMN reporting.check_results.threshold IS 'Offending rows a warning tolerates.';
COMMENT ON COLUMN reporting.check_results.checked_at IS 'When it ran.';
COMMENT ON COLUMN reporting.check_results.sample IS 'Up to five offending rows (JSON).';
