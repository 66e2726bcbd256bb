-- Core layer: one row per article (keyed by canonical URL), cleaned and typed for analysts.
CREATE SCHEMA IF NOT EXISTS core;

CREATE TABLE core.articles (
    article_id          bigserial PRIMARY KEY,
    url                 text        NOT NULL UNIQUE,
    source              text        NOT NULL,
    language            text,
    title               text,
    alt_titles          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    published_at        date,
    translation_of_url  text,
    body_paragraphs     text[]      NOT NULL DEFAULT '{}',
    countries_mentioned text[]      NOT NULL DEFAULT '{}',
    extractor_version   text        NOT NULL,
    content_hash        text        NOT NULL,
    page_id             bigint REFERENCES raw.pages,
    first_seen          timestamptz NOT NULL,
    last_seen           timestamptz NOT NULL
);
CREATE INDEX articles_source_idx ON core.articles (source);
COMMENT ON TABLE core.articles IS 'One row per article, keyed by canonical URL; loaded by upsert.';
COMMENT ON COLUMN core.articles.content_hash IS 'SHA-256 of the extracted record: changes only when the article content does.';
COMMENT ON COLUMN core.articles.first_seen IS 'When the page was first fetched.';
COMMENT ON COLUMN core.articles.last_seen IS 'When the page was last fetched.';

-- Language versions of one article link to each other (hreflang). Keyed by URL: the other
-- version may not be loaded yet.
CREATE TABLE core.article_translations (
    article_url     text NOT NULL,
    translation_url text NOT NULL,
    PRIMARY KEY (article_url, translation_url),
    CHECK (article_url <> translation_url)
);
CREATE INDEX article_translations_translation_idx ON core.article_translations (translation_url);
