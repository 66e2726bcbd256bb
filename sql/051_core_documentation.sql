-- Every table and column of the core layer documented (analysts read core too).
COMMENT ON TABLE core.article_translations IS 'Language versions of one article (hreflang links), by URL: the other version may not be loaded yet.';
COMMENT ON COLUMN core.article_translations.article_url IS 'Canonical URL of an article.';
COMMENT ON COLUMN core.article_translations.translation_url IS 'URL of the same article in another language, as the page links it.';

COMMENT ON COLUMN core.articles.article_id IS 'Warehouse id of the article (stable across versions).';
COMMENT ON COLUMN core.articles.url IS 'Canonical URL of the article: the key of a load.';
COMMENT ON COLUMN core.articles.source IS 'Configured source (site) the article comes from.';
COMMENT ON COLUMN core.articles.language IS 'ISO 639-1 language of the body.';
COMMENT ON COLUMN core.articles.title IS 'Headline, cleaned.';
COMMENT ON COLUMN core.articles.alt_titles IS 'Other titles the page states, by kind (e.g. og:title), as a JSON object.';
COMMENT ON COLUMN core.articles.published_at IS 'Publication date stated by the page; NULL when the page does not state it.';
COMMENT ON COLUMN core.articles.translation_of_url IS 'URL of the same article in another language, when the page links one.';
COMMENT ON COLUMN core.articles.body_paragraphs IS 'Body text, one element per paragraph, in order.';
COMMENT ON COLUMN core.articles.countries_mentioned IS 'ISO 3166-1 alpha-2 codes of the countries the body mentions.';

COMMENT ON COLUMN core.article_versions.version_id IS 'Id of this previous version.';
COMMENT ON COLUMN core.article_versions.article_id IS 'The article (core.articles) this was a version of.';
COMMENT ON COLUMN core.article_versions.url IS 'Canonical URL of the article.';
COMMENT ON COLUMN core.article_versions.source IS 'Configured source the article comes from.';
COMMENT ON COLUMN core.article_versions.language IS 'ISO 639-1 language of the body in this version.';
COMMENT ON COLUMN core.article_versions.title IS 'Headline in this version.';
COMMENT ON COLUMN core.article_versions.alt_titles IS 'Other titles the page stated in this version.';
COMMENT ON COLUMN core.article_versions.published_at IS 'Publication date stated in this version.';
COMMENT ON COLUMN core.article_versions.translation_of_url IS 'URL of the other-language version linked in this version.';
COMMENT ON COLUMN core.article_versions.body_paragraphs IS 'Body paragraphs of this version.';
COMMENT ON COLUMN core.article_versions.countries_mentioned IS 'Countries the body of this version mentions (ISO alpha-2).';
COMMENT ON COLUMN core.article_versions.content_hash IS 'SHA-256 of the record of this version.';
COMMENT ON COLUMN core.article_versions.page_id IS 'The stored page (raw.pages) this version was extracted from.';

COMMENT ON COLUMN core.events.event_id IS 'Warehouse id of this event report (one event reported by two articles has two).';
COMMENT ON COLUMN core.events.article_id IS 'The article reporting the event.';
COMMENT ON COLUMN core.events.position IS 'Place of the event in the article (0: first); with article_id, the key of a reload.';
COMMENT ON COLUMN core.events.name IS 'Event name without surrounding quotes, as the article writes it.';
COMMENT ON COLUMN core.events.type IS 'conference, forum, round table, seminar, meeting, summit, ...';
COMMENT ON COLUMN core.events.start_date IS 'First day of the event.';
COMMENT ON COLUMN core.events.end_date IS 'Last day of the event.';
COMMENT ON COLUMN core.events.country IS 'Country the event took place in, ISO 3166-1 alpha-2.';
COMMENT ON COLUMN core.events.format IS 'offline, online or hybrid.';
COMMENT ON COLUMN core.events.occasion IS 'What the event marked (an anniversary, ...), when stated.';
COMMENT ON COLUMN core.events.participants_count IS 'Number of participants, when stated.';
COMMENT ON COLUMN core.events.countries_count IS 'Number of countries represented, when stated.';

COMMENT ON TABLE core.event_organizers IS 'Organizers of each event report, in article order.';
COMMENT ON COLUMN core.event_organizers.event_id IS 'The event report (core.events).';
COMMENT ON COLUMN core.event_organizers.position IS 'Place in the report''s list of organizers (0: first).';
COMMENT ON COLUMN core.event_organizers.organization_id IS 'The organization (core.organizations row of this spelling; core.organization_keys gives the organization across spellings).';
COMMENT ON COLUMN core.event_organizers.name_as_written IS 'The organizer as the article names it.';
COMMENT ON COLUMN core.event_organizers.acronym IS 'The acronym the article gives it, if any.';

COMMENT ON TABLE core.event_sessions IS 'Sessions (panels, round tables, ...) of each event report, in article order.';
COMMENT ON COLUMN core.event_sessions.event_id IS 'The event report (core.events).';
COMMENT ON COLUMN core.event_sessions.position IS 'Place of the session in the report (0: first).';
COMMENT ON COLUMN core.event_sessions.name IS 'Name of the session, as the article writes it.';
COMMENT ON COLUMN core.event_sessions.kind IS 'Kind of session (plenary, panel, ...), when stated.';
COMMENT ON COLUMN core.event_sessions.format IS 'offline, online or hybrid, when stated.';

COMMENT ON TABLE core.event_speakers IS 'Speakers of each event report, in article order, with role, organization and session.';
COMMENT ON COLUMN core.event_speakers.event_id IS 'The event report (core.events).';
COMMENT ON COLUMN core.event_speakers.position IS 'Place in the report''s list of speakers (0: first).';
COMMENT ON COLUMN core.event_speakers.person_id IS 'The person (core.people row of this spelling; core.person_keys gives the person across spellings).';
COMMENT ON COLUMN core.event_speakers.name_as_written IS 'The speaker as the article names them.';
COMMENT ON COLUMN core.event_speakers.role IS 'Role stated (Director, moderator, ...).';
COMMENT ON COLUMN core.event_speakers.organization_id IS 'The organization the speaker represented (core.organizations row), when stated.';
COMMENT ON COLUMN core.event_speakers.organization_as_written IS 'That organization as the article writes it.';

COMMENT ON TABLE core.organization_aliases IS 'Every spelling that names an organization (names in each language, acronyms): the loader''s lookup from a name to its row.';
COMMENT ON COLUMN core.organization_aliases.alias IS 'The spelling as first met.';
COMMENT ON COLUMN core.organization_aliases.organization_id IS 'The organization it names.';

COMMENT ON COLUMN core.organization_links.organization_id IS 'One organization row (the smaller id).';
COMMENT ON COLUMN core.organization_links.other_organization_id IS 'The other row, naming the same organization in another language (the larger id).';
COMMENT ON COLUMN core.organization_links.evidence IS 'Why: translation_pair = same organizer position of the same event in an article and its translation.';
COMMENT ON COLUMN core.organization_links.article_id IS 'The article whose translation pair gave the link.';

COMMENT ON COLUMN core.organizations.organization_id IS 'Warehouse id of this organization row.';
COMMENT ON COLUMN core.organizations.key IS 'Lookup key: a curated think tank''s short id (bisr), else ''name:'' and the folded name.';
COMMENT ON COLUMN core.organizations.name_en IS 'English name, when known.';
COMMENT ON COLUMN core.organizations.name_ru IS 'Russian name, when known.';
COMMENT ON COLUMN core.organizations.acronyms IS 'Acronyms of the organization (BISR, БИСИ, ...).';

COMMENT ON COLUMN core.people.person_id IS 'Warehouse id of this spelling of a person.';
COMMENT ON COLUMN core.people.name IS 'The name as first met.';
COMMENT ON COLUMN core.people.name_folded IS 'Case-folded name: with script, the lookup key.';
COMMENT ON COLUMN core.people.script IS 'Script of the spelling: Latn, Cyrl or other.';

COMMENT ON COLUMN core.person_links.person_id IS 'One spelling (the smaller id).';
COMMENT ON COLUMN core.person_links.other_person_id IS 'The other spelling of the same person (the larger id).';
COMMENT ON COLUMN core.person_links.article_id IS 'The article whose translation pair gave the link.';
