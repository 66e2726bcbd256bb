-- robots.txt as a run read it: discover and fetch run as separate tasks (maybe on separate workers),
-- and a run reads each host's robots.txt once and applies the same rules in both.
CREATE TABLE raw.batch_robots (
    batch_id   bigint      NOT NULL REFERENCES raw.batches ON DELETE CASCADE,
    site       text        NOT NULL,
    status     integer     NOT NULL,
    body       text        NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, site)
);
COMMENT ON TABLE raw.batch_robots IS 'robots.txt of each site (scheme://host:port) as a batch read it: the HTTP status and the file (2xx), or why there is none (4xx: everything allowed). An unreachable one is not kept: it is asked again.';
