-- The next free request slot per host, shared by every process crawling from this warehouse (two
-- runs of one source, the CLI beside the DAG, two sources on one host): the per-host rate holds
-- across processes and workers. A crawler reserves a slot with one atomic upsert and sleeps until it.
CREATE TABLE raw.host_slots (
    host       text        PRIMARY KEY,
    next_slot  timestamptz NOT NULL
);
COMMENT ON TABLE raw.host_slots IS 'Per host, the earliest time the next request may start, across all crawling processes (politeness).';
COMMENT ON COLUMN raw.host_slots.next_slot IS 'Reserved by the last request: its start plus the host''s interval (requests_per_second, robots.txt Crawl-delay).';
