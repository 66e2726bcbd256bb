-- Events the articles report, with their organizers, sessions and speakers; organizations and
-- people normalized across spellings and languages. Loaded by etl/load_events.py: an article's
-- events are keyed by (article_id, position), so reloading an article replaces its events.

-- One row per organization, whatever the spelling: the curated think tanks (key = their short
-- id, e.g. 'bisr') and every other organizer or speaker affiliation met (key = 'name:' + folded name).
CREATE TABLE core.organizations (
    organization_id bigserial PRIMARY KEY,
    key             text NOT NULL UNIQUE,
    name_en         text,
    name_ru         text,
    acronyms        text[] NOT NULL DEFAULT '{}',
    curated         boolean NOT NULL DEFAULT false,
    CHECK (name_en IS NOT NULL OR name_ru IS NOT NULL)
);
COMMENT ON TABLE core.organizations IS 'Organizations (organizers, speakers'' affiliations), one row per organization across spellings and languages.';
COMMENT ON COLUMN core.organizations.curated IS 'From the curated alias table of the think tanks followed (etl/events/organizations.py).';

-- Every spelling that names an organization: names in each language, acronyms (BISR = BISI = БИСИ).
CREATE TABLE core.organization_aliases (
    alias_folded    text PRIMARY KEY,
    alias           text NOT NULL,
    organization_id bigint NOT NULL REFERENCES core.organizations ON DELETE CASCADE
);
CREATE INDEX organization_aliases_org_idx ON core.organization_aliases (organization_id);
COMMENT ON COLUMN core.organization_aliases.alias_folded IS 'Case-folded spelling with quotes and extra spaces removed: the lookup key.';

-- One row per spelling of a person's name in one script; spellings of the same person in
-- other languages are linked in core.person_links.
CREATE TABLE core.people (
    person_id   bigserial PRIMARY KEY,
    name        text NOT NULL,
    name_folded text NOT NULL,
    script      text NOT NULL CHECK (script IN ('Latn', 'Cyrl', 'other')),
    UNIQUE (name_folded, script)
);
COMMENT ON TABLE core.people IS 'People named as event speakers, one row per spelling (script); see core.person_links.';

CREATE TABLE core.person_links (
    person_id       bigint NOT NULL REFERENCES core.people ON DELETE CASCADE,
    other_person_id bigint NOT NULL REFERENCES core.people ON DELETE CASCADE,
    evidence        text NOT NULL,
    article_id      bigint REFERENCES core.articles ON DELETE SET NULL,
    PRIMARY KEY (person_id, other_person_id),
    CHECK (person_id < other_person_id)
);
CREATE INDEX person_links_other_idx ON core.person_links (other_person_id);
COMMENT ON TABLE core.person_links IS 'Two spellings of one person, e.g. Oleg Makarov = Олег Макаров.';
COMMENT ON COLUMN core.person_links.evidence IS 'Why: translation_pair = same speaker position of the same event in an article and its translation.';

CREATE TABLE core.events (
    event_id           bigserial PRIMARY KEY,
    article_id         bigint  NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    position           integer NOT NULL CHECK (position >= 0),
    name               text,
    type               text,
    start_date         date,
    end_date           date,
    city               text,
    city_as_written    text,
    country            text CHECK (country ~ '^[A-Z]{2}$'),
    format             text CHECK (format IN ('offline', 'online', 'hybrid')),
    occasion           text,
    participants_count integer CHECK (participants_count >= 0),
    countries_count    integer CHECK (countries_count >= 0),
    UNIQUE (article_id, position),
    CHECK (end_date >= start_date)
);
CREATE INDEX events_start_date_idx ON core.events (start_date);
CREATE INDEX events_city_idx ON core.events (city);
COMMENT ON TABLE core.events IS 'Events an article reports, in article order (position); replaced when the article is reloaded.';
COMMENT ON COLUMN core.events.city IS 'Today''s English name of the city (Nur-Sultan -> Astana).';
COMMENT ON COLUMN core.events.city_as_written IS 'The city as the article writes it, case form included (Нур-Султане).';

CREATE TABLE core.event_organizers (
    event_id        bigint  NOT NULL REFERENCES core.events ON DELETE CASCADE,
    position        integer NOT NULL,
    organization_id bigint  NOT NULL REFERENCES core.organizations,
    name_as_written text    NOT NULL,
    acronym         text,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_organizers_org_idx ON core.event_organizers (organization_id);

CREATE TABLE core.event_sessions (
    event_id bigint  NOT NULL REFERENCES core.events ON DELETE CASCADE,
    position integer NOT NULL,
    name     text    NOT NULL,
    kind     text,
    format   text CHECK (format IN ('offline', 'online', 'hybrid')),
    PRIMARY KEY (event_id, position)
);

CREATE TABLE core.event_speakers (
    event_id                bigint  NOT NULL REFERENCES core.events ON DELETE CASCADE,
    position                integer NOT NULL,
    person_id               bigint  NOT NULL REFERENCES core.people,
    name_as_written         text    NOT NULL,
    role                    text,
    organization_id         bigint REFERENCES core.organizations,
    organization_as_written text,
    session_name            text,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_speakers_person_idx ON core.event_speakers (person_id);
CREATE INDEX event_speakers_org_idx ON core.event_speakers (organization_id);
COMMENT ON COLUMN core.event_speakers.session_name IS 'Name of the session (core.event_sessions.name of the same event) the speaker spoke at.';
