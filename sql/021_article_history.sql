-- History: when a page's content changes, the article's previous version is kept here and
-- core.articles holds the current one. A re-extraction of the same page (reprocess, new extractor)
-- corrects the current version in place instead: history follows the pages, not the extractor.
ALTER TABLE core.articles ADD COLUMN valid_from timestamptz;
UPDATE core.articles SET valid_from = first_seen WHERE valid_from IS NULL;
ALTER TABLE core.articles ALTER COLUMN valid_from SET NOT NULL;
COMMENT ON COLUMN core.articles.valid_from IS 'Since when this version of the article is current: when its page content was first fetched.';
COMMENT ON COLUMN core.articles.extractor_version IS 'Version of the extractor that produced this row (etl.extract.EXTRACTOR_VERSION).';
COMMENT ON COLUMN core.articles.page_id IS 'The stored page (raw.pages) this version was extracted from.';

CREATE TABLE core.article_versions (
    version_id          bigserial PRIMARY KEY,
    article_id          bigint      NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    url                 text        NOT NULL,
    source              text        NOT NULL,
    language            text,
    title               text,
    alt_titles          jsonb       NOT NULL,
    published_at        date,
    translation_of_url  text,
    body_paragraphs     text[]      NOT NULL,
    countries_mentioned text[]      NOT NULL,
    events              jsonb       NOT NULL DEFAULT '[]'::jsonb,
    extractor_version   text        NOT NULL,
    content_hash        text        NOT NULL,
    page_id             bigint REFERENCES raw.pages,
    valid_from          timestamptz NOT NULL,
    valid_to            timestamptz NOT NULL,
    CHECK (valid_to >= valid_from)
);
CREATE INDEX article_versions_article_idx ON core.article_versions (article_id, valid_from);
COMMENT ON TABLE core.article_versions IS 'Previous versions of articles whose page content changed; the current version is in core.articles.';
COMMENT ON COLUMN core.article_versions.events IS 'The events the article reported in this version, in the record''s event shape.';
COMMENT ON COLUMN core.article_versions.valid_from IS 'Since when this version was current.';
COMMENT ON COLUMN core.article_versions.valid_to IS 'When the next version replaced it.';
COMMENT ON COLUMN core.article_versions.extractor_version IS 'Version of the extractor that produced this version.';
