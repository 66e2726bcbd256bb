CREATE VIEW core.person_keys AS
WITH RECURSIVE edges AS (
    SELECT person_id AS a, other_person_id AS b FROM core.person_links
    UNION ALL
    SELECT other_person_id, person_id FROM core.person_links
), reach (person_id, reached) AS (
    SELECT person_id, person_id FROM core.people
    UNION
    SELECT r.person_id, e.b FROM reach r JOIN edges e ON e.a = r.reached
)
SELECT person_id, min(reached) AS person_key FROM reach GROUP BY person_id;
COMMENT ON VIEW core.person_keys IS 'Each person row (one spelling) with the key of the person: the smallest person_id among the rows linked to it, directly or through other links.';
COMMENT ON COLUMN core.person_keys.person_id IS 'A core.people row (one spelling).';
COMMENT ON COLUMN core.person_keys.person_key IS 'The person it belongs to: the smallest person_id of its linked rows.';
