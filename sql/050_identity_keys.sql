-- Identity keys stored, not recomputed: each organization (person) row with the key of the
-- organization (person) it spells and that one's canonical name. The recursive views this replaces
-- walked every link on every query (99 s for one group of 6,000 linked spellings).
--
-- The loader keeps these tables (etl/identity_keys.py, union-find over the links of the groups a load
-- touched); a new row starts as a group of its own (trigger below).
DROP VIEW IF EXISTS core.organization_keys CASCADE;
DROP VIEW IF EXISTS core.person_keys CASCADE;

CREATE TABLE core.organization_keys (
    organization_id  bigint PRIMARY KEY REFERENCES core.organizations ON DELETE CASCADE,
    organization_key bigint NOT NULL,
    name             text   NOT NULL
);
CREATE INDEX organization_keys_key_idx ON core.organization_keys (organization_key);

-- An organization's acronyms, all its rows' together: one row per acronym (a group of thousands of
-- spellings must not copy its acronyms onto each of them).
CREATE TABLE core.organization_acronyms (
    organization_key bigint NOT NULL,
    acronym          text   NOT NULL,
    PRIMARY KEY (organization_key, acronym)
);
COMMENT ON TABLE core.organization_keys IS 'Each organization row (one spelling) with the organization it belongs to across the links (core.organization_links, however they chain) and that organization''s canonical name; kept by the loader.';
COMMENT ON COLUMN core.organization_keys.organization_id IS 'A core.organizations row (one spelling).';
COMMENT ON COLUMN core.organization_keys.organization_key IS 'The organization it belongs to: the smallest organization_id of the rows linked to it, directly or through other links.';
COMMENT ON COLUMN core.organization_keys.name IS 'Canonical name of that organization: English when any of its rows has one (curated rows first), else Russian.';
COMMENT ON TABLE core.organization_acronyms IS 'Every acronym of an organization (of all its rows), by organization_key; kept by the loader with core.organization_keys.';
COMMENT ON COLUMN core.organization_acronyms.organization_key IS 'The organization (core.organization_keys.organization_key).';
COMMENT ON COLUMN core.organization_acronyms.acronym IS 'One of its acronyms (BISR, БИСИ, ...).';

CREATE TABLE core.person_keys (
    person_id  bigint PRIMARY KEY REFERENCES core.people ON DELETE CASCADE,
    person_key bigint NOT NULL,
    name       text   NOT NULL
);
CREATE INDEX person_keys_key_idx ON core.person_keys (person_key);
COMMENT ON TABLE core.person_keys IS 'Each person row (one spelling) with the person it belongs to across the links (core.person_links, however they chain) and that person''s canonical name; kept by the loader.';
COMMENT ON COLUMN core.person_keys.person_id IS 'A core.people row (one spelling).';
COMMENT ON COLUMN core.person_keys.person_key IS 'The person it belongs to: the smallest person_id of the spellings linked to it, directly or through other links.';
COMMENT ON COLUMN core.person_keys.name IS 'Canonical name of that person: the Latin spelling when one is known, else the first spelling met.';

CREATE FUNCTION core.add_organization_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core.organization_keys (organization_id, organization_key, name)
    VALUES (NEW.organization_id, NEW.organization_id, coalesce(NEW.name_en, NEW.name_ru))
    ON CONFLICT (organization_id) DO NOTHING;
    INSERT INTO core.organization_acronyms (organization_key, acronym)
    SELECT NEW.organization_id, a FROM unnest(NEW.acronyms) a ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER organizations_key AFTER INSERT ON core.organizations
    FOR EACH ROW EXECUTE FUNCTION core.add_organization_key();

CREATE FUNCTION core.add_person_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core.person_keys (person_id, person_key, name) VALUES (NEW.person_id, NEW.person_id, NEW.name)
    ON CONFLICT (person_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER people_key AFTER INSERT ON core.people FOR EACH ROW EXECUTE FUNCTION core.add_person_key();

-- The rows already there: one walk over the links, once.
WITH RECURSIVE edges AS (
    SELECT organization_id AS a, other_organization_id AS b FROM core.organization_links
    UNION ALL
    SELECT other_organization_id, organization_id FROM core.organization_links
), reach (organization_id, reached) AS (
    SELECT organization_id, organization_id FROM core.organizations
    UNION
    SELECT r.organization_id, e.b FROM reach r JOIN edges e ON e.a = r.reached
), keys AS (
    SELECT organization_id, min(reached) AS organization_key FROM reach GROUP BY organization_id
), groups AS (
    SELECT k.organization_key,
           (array_agg(coalesce(o.name_en, o.name_ru)
                      ORDER BY o.name_en IS NULL, NOT o.curated, o.organization_id))[1] AS name
    FROM keys k JOIN core.organizations o USING (organization_id)
    GROUP BY k.organization_key
), stored AS (
    INSERT INTO core.organization_keys (organization_id, organization_key, name)
    SELECT k.organization_id, k.organization_key, g.name FROM keys k JOIN groups g USING (organization_key)
)
INSERT INTO core.organization_acronyms (organization_key, acronym)
SELECT DISTINCT k.organization_key, a FROM keys k JOIN core.organizations o USING (organization_id)
CROSS JOIN unnest(o.acronyms) a;

WITH RECURSIVE edges AS (
    SELECT person_id AS a, other_person_id AS b FROM core.person_links
    UNION ALL
    SELECT other_person_id, person_id FROM core.person_links
), reach (person_id, reached) AS (
    SELECT person_id, person_id FROM core.people
    UNION
    SELECT r.person_id, e.b FROM reach r JOIN edges e ON e.a = r.reached
), keys AS (
    SELECT person_id, min(reached) AS person_key FROM reach GROUP BY person_id
), groups AS (
    SELECT k.person_key, (array_agg(p.name ORDER BY p.script <> 'Latn', p.person_id))[1] AS name
    FROM keys k JOIN core.people p USING (person_id) GROUP BY k.person_key
)
INSERT INTO core.person_keys (person_id, person_key, name)
SELECT k.person_id, k.person_key, g.name FROM keys k JOIN groups g USING (person_key);

-- Reporting queries are short and many: JIT compilation cost them more than it saved (446 ms of
-- which most compiling, for a 175 ms query, at 12,000 articles). Off for this warehouse, where the
-- migrating user may set it (the owner); elsewhere a DBA can.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit left as it is: only the database owner can turn it off for the warehouse';
END
$$;
