-- One organization (person) may have several rows, one per spelling, linked across languages by
-- core.organization_links (core.person_links). Links chain (A-B and B-C: one organization), so a
-- row's key is the smallest id of everything reachable from it through the links.
CREATE VIEW core.organization_keys AS
WITH RECURSIVE edges AS (
    SELECT organization_id AS a, other_organization_id AS b FROM core.organization_links
    UNION ALL
    SELECT other_organization_id, organization_id FROM core.organization_links
), reach (organization_id, reached) AS (
    SELECT organization_id, organization_id FROM core.organizations
    UNION  -- not ALL: a cycle of links ends once nothing new is reached
    SELECT r.organization_id, e.b FROM reach r JOIN edges e ON e.a = r.reached
)
SELECT organization_id, min(reached) AS organization_key FROM reach GROUP BY organization_id;
COMMENT ON VIEW core.organization_keys IS 'Each organization row with the key of the organization it spells: the smallest organization_id among the rows linked to it, directly or through other links.';
COMMENT ON COLUMN core.organization_keys.organization_id IS 'A core.organizations row (one spelling).';
COMMENT ON COLUMN core.organization_keys.organization_key IS 'The organization it belongs to: the smallest organization_id of its linked rows.';
