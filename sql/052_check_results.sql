-- What each run of the data quality checks found (etl/checks.py): an error fails the run; a warning is
-- kept here, shown by `report` and reporting.source_health, and fails only past its check's threshold.
CREATE TABLE raw.check_results (
    result_id   bigserial   PRIMARY KEY,
    checked_at  timestamptz NOT NULL DEFAULT now(),
    check_name  text        NOT NULL,
    severity    text        NOT NULL CHECK (severity IN ('error', 'warning')),
    threshold   integer     NOT NULL CHECK (threshold >= 0),
    status      text        NOT NULL CHECK (status IN ('ok', 'warning', 'failed')),
    offending   integer     NOT NULL CHECK (offending >= 0),
    source      text,
    sample      jsonb       NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX check_results_latest_idx ON raw.check_results (check_name, source, checked_at DESC);
COMMENT ON TABLE raw.check_results IS 'One row per check per run of the checks: its severity, threshold, what it found and a few offending rows.';
COMMENT ON COLUMN raw.check_results.checked_at IS 'When the checks ran.';
COMMENT ON COLUMN raw.check_results.check_name IS 'The check (etl/checks.py).';
COMMENT ON COLUMN raw.check_results.severity IS 'error: any offending row fails the run; warning: fails only past the threshold.';
COMMENT ON COLUMN raw.check_results.threshold IS 'For a warning: how many offending rows are tolerated (recorded, not failed).';
COMMENT ON COLUMN raw.check_results.status IS 'ok (nothing found), warning (found, within the threshold) or failed.';
COMMENT ON COLUMN raw.check_results.offending IS 'How many offending rows the check found.';
COMMENT ON COLUMN raw.check_results.source IS 'The source the run checked; NULL: every source of its sources file.';
COMMENT ON COLUMN raw.check_results.sample IS 'Up to five offending rows, as JSON objects.';
