-- Retry state of article URLs whose last fetch gave no lasting answer (a 5xx, 429, a connection
-- error or timeout, a temporary redirect off the site, a text/plain firewall page, an unreachable
-- robots.txt). The next batches of the source take them over, with a growing delay, until a definite
-- answer comes or `failures` reaches the limit (then `gave_up_at` is set and the URL is settled).
-- A success deletes the row. So no discovered URL is dropped because of one bad moment.
CREATE TABLE raw.url_retries (
    source           text        NOT NULL,
    url              text        NOT NULL,
    failures         integer     NOT NULL CHECK (failures >= 1),
    last_outcome     text        NOT NULL,
    last_error       text,
    last_attempt_at  timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    gave_up_at       timestamptz
);
-- Keyed by a hash of the URL: a hostile page can link a URL too long for a btree entry.
CREATE UNIQUE INDEX url_retries_source_url_key ON raw.url_retries (source, md5(url));
CREATE INDEX url_retries_due_idx ON raw.url_retries (source, next_attempt_at) WHERE gave_up_at IS NULL;
COMMENT ON TABLE raw.url_retries IS 'Article URLs whose last fetch was a temporary failure: asked again by later runs with a growing delay, settled after a definite answer or too many failures.';
COMMENT ON COLUMN raw.url_retries.failures IS 'Fetches of this URL in a row that gave no lasting answer.';
COMMENT ON COLUMN raw.url_retries.last_outcome IS 'Crawler outcome of the last attempt (failed, skipped_redirect, skipped_type, skipped_robots).';
COMMENT ON COLUMN raw.url_retries.next_attempt_at IS 'From when a batch of the source takes the URL over again.';
COMMENT ON COLUMN raw.url_retries.gave_up_at IS 'When the URL was settled after the last allowed failure (NULL: still retried); `--refresh` asks it again.';


-- Finding a URL's outcomes in every batch (carrying over what unfinished batches left).
CREATE INDEX batch_urls_url_md5_idx ON raw.batch_urls (md5(url));
