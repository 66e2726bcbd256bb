-- The analysts' entry points: a `reporting` schema of documented views over `core`, and a read-only
-- role `etl_analyst` that can read `reporting` and `core` and nothing else.
--
-- The role has no password and cannot log in: an administrator grants it to people's own login roles
-- (`GRANT etl_analyst TO alice;`), so no secret lives in this repository.
CREATE SCHEMA IF NOT EXISTS reporting;
COMMENT ON SCHEMA reporting IS 'Documented views for analysts over the core layer; read them with the etl_analyst role.';

-- Roles are cluster-wide: another database on the same server (another warehouse, a test database)
-- may have created it already, possibly at this very moment, hence both the check and the handler.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'etl_analyst') THEN
        CREATE ROLE etl_analyst NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- created concurrently by a migration of another database
END
$$;

-- Privileges are per database: grant them here, in this warehouse.
REVOKE ALL ON SCHEMA raw FROM etl_analyst;
GRANT USAGE ON SCHEMA core, reporting TO etl_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA core, reporting TO etl_analyst;
-- Tables and views that later migrations create (run by the same migrating user) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA core, reporting GRANT SELECT ON TABLES TO etl_analyst;
