-- Two rows of core.organizations that name one organization in different languages, found
-- when an article and its translation are both loaded (organizers at the same position of the
-- same event). Curated think tanks need no link: their aliases already join the spellings.
CREATE TABLE core.organization_links (
    organization_id       bigint NOT NULL REFERENCES core.organizations ON DELETE CASCADE,
    other_organization_id bigint NOT NULL REFERENCES core.organizations ON DELETE CASCADE,
    evidence              text   NOT NULL,
    article_id            bigint REFERENCES core.articles ON DELETE SET NULL,
    PRIMARY KEY (organization_id, other_organization_id),
    CHECK (organization_id < other_organization_id)
);
CREATE INDEX organization_links_other_idx ON core.organization_links (other_organization_id);
COMMENT ON TABLE core.organization_links IS 'Spellings of one organization in other languages, e.g. Ministry of Foreign Affairs of the Republic of Belarus = Министерство иностранных дел Республики Беларусь.';
