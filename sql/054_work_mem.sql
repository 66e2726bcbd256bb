-- The event views (reporting.event_speakers, event_organizers, speaker_appearances) sort tens of
-- thousands of wide rows per read; with PostgreSQL's default 4 MB of work_mem those sorts spill to
-- disk (2,755 blocks for event_speakers at 12,000 articles, a third of its time). 64 MB keeps them in
-- memory; it is a per-sort ceiling, taken only by the queries that need it. Set for this warehouse
-- where the migrating user may (the owner); elsewhere a DBA can.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET work_mem = %L', current_database(), '64MB');
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'work_mem left as it is: only the database owner can set it for the warehouse';
END
$$;
