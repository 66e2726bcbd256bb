-- Raw layer: what was discovered and fetched, exactly as served. The hand-off between pipeline tasks:
-- any later stage can be rerun from here without the network.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE raw.batches (
    batch_id     bigserial PRIMARY KEY,
    source       text        NOT NULL,
    refresh      boolean     NOT NULL DEFAULT false,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    stats        jsonb       NOT NULL DEFAULT '{}'::jsonb
);
COMMENT ON TABLE raw.batches IS 'One pipeline run of one source; tasks pass its batch_id, never page bodies.';

-- A page body is stored once per distinct content (url, sha256); refetching the same bytes only
-- moves last_fetched_at.
CREATE TABLE raw.pages (
    page_id          bigserial PRIMARY KEY,
    source           text        NOT NULL,
    url              text        NOT NULL,
    final_url        text,
    http_status      integer,
    content_type     text,
    charset          text,
    etag             text,
    last_modified    text,
    sha256           text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    body_gzip        bytea       NOT NULL,
    body_size        integer     NOT NULL CHECK (body_size >= 0),
    first_fetched_at timestamptz NOT NULL,
    last_fetched_at  timestamptz NOT NULL,
    UNIQUE (url, sha256)
);
CREATE INDEX pages_url_last_fetched_idx ON raw.pages (url, last_fetched_at DESC);
COMMENT ON TABLE raw.pages IS 'Fetched page bodies, gzip-compressed, keyed by URL and SHA-256 of the body.';

-- What each batch found and what fetching each URL gave (fetched, not_modified, skipped_*, failed).
CREATE TABLE raw.batch_urls (
    batch_id     bigint  NOT NULL REFERENCES raw.batches ON DELETE CASCADE,
    url          text    NOT NULL,
    position     integer NOT NULL,
    outcome      text,
    http_status  integer,
    error        text,
    attempts     integer,
    fetched_at   timestamptz,
    page_id      bigint REFERENCES raw.pages,
    PRIMARY KEY (batch_id, url)
);
CREATE INDEX batch_urls_page_idx ON raw.batch_urls (page_id);

-- The record extracted from a stored page by one extractor version (or why it could not be).
CREATE TABLE raw.extractions (
    page_id           bigint      NOT NULL REFERENCES raw.pages ON DELETE CASCADE,
    extractor_version text        NOT NULL,
    record            jsonb       NOT NULL,
    error             text,
    extracted_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (page_id, extractor_version)
);
