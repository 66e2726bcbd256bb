-- Pages that failed at some stage of the pipeline, one row per (stage, URL): what went wrong the
-- last time, how often, since when. A later success of that URL at that stage deletes the row, so
-- the table is the list of what is failing now (`python -m etl errors`).
CREATE TABLE raw.page_errors (
    stage            text        NOT NULL CHECK (stage IN ('discover', 'fetch', 'extract', 'load')),
    url              text        NOT NULL,
    source           text,
    error_class      text        NOT NULL,
    message          text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    first_failed_at  timestamptz NOT NULL DEFAULT now(),
    last_failed_at   timestamptz NOT NULL DEFAULT now(),
    batch_id         bigint
);
-- Keyed by a hash of the URL: a hostile page can link a URL too long for a btree entry.
CREATE UNIQUE INDEX page_errors_stage_url_key ON raw.page_errors (stage, md5(url));
CREATE INDEX page_errors_source_idx ON raw.page_errors (source, last_failed_at DESC);
COMMENT ON TABLE raw.page_errors IS 'Pages failing now, by stage (discover, fetch, extract, load); cleared when the URL later succeeds at that stage.';
COMMENT ON COLUMN raw.page_errors.url IS 'The page URL (for discover: the listing page, feed or sitemap URL).';
COMMENT ON COLUMN raw.page_errors.error_class IS 'Kind of failure: exception class, HTTP status or crawler outcome.';
COMMENT ON COLUMN raw.page_errors.attempts IS 'How many runs failed on this URL at this stage since it last succeeded.';
COMMENT ON COLUMN raw.page_errors.batch_id IS 'The batch of the last failure.';
