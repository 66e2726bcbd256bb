-- A batch is extracted and loaded in chunks (ranges of positions, one mapped task each): each chunk
-- reads its own rows by position instead of scanning the whole batch.
CREATE INDEX batch_urls_position_idx ON raw.batch_urls (batch_id, position);
COMMENT ON COLUMN raw.batch_urls.position IS 'Order of the URL in its batch (discovery order, then carried-over pages); chunks of the batch are ranges of it.';
