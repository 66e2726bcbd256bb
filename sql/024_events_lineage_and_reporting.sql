-- Events: the extractor version on every row, and the event reporting views.

-- Every event row carries the extractor version of its article's row: filled on insert, and kept in
-- step when the article is re-extracted by another version (its events may be left as they are).
ALTER TABLE core.events ADD COLUMN extractor_version text;
UPDATE core.events e SET extractor_version = a.extractor_version FROM core.articles a WHERE a.article_id = e.article_id;
ALTER TABLE core.events ALTER COLUMN extractor_version SET NOT NULL;
COMMENT ON COLUMN core.events.extractor_version IS 'Version of the extractor that produced this row (the article''s; kept in step by triggers).';

CREATE FUNCTION core.set_event_extractor_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.extractor_version INTO NEW.extractor_version FROM core.articles a WHERE a.article_id = NEW.article_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER events_extractor_version BEFORE INSERT OR UPDATE OF article_id, extractor_version ON core.events
    FOR EACH ROW EXECUTE FUNCTION core.set_event_extractor_version();

CREATE FUNCTION core.propagate_extractor_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core.events SET extractor_version = NEW.extractor_version
    WHERE article_id = NEW.article_id AND extractor_version IS DISTINCT FROM NEW.extractor_version;
    RETURN NULL;
END
$$;
CREATE TRIGGER articles_extractor_version_to_events AFTER UPDATE OF extractor_version ON core.articles
    FOR EACH ROW WHEN (OLD.extractor_version IS DISTINCT FROM NEW.extractor_version)
    EXECUTE FUNCTION core.propagate_extractor_version();

-- One event is often reported twice: by an article and by its translation. Reports at the same
-- position of an article and its (loaded) translation, with the same start date, are one event:
-- event_key is the smallest event_id among them. Aggregates count distinct event_key.
-- The twin report is found by index lookups (articles by URL and by the URL they translate),
-- not by scanning every translation pair.
CREATE INDEX articles_translation_of_url_idx ON core.articles (translation_of_url);
CREATE VIEW reporting.events AS
SELECT e.event_id,
       least(e.event_id, twin.event_id) AS event_key,
       e.article_id, a.url AS article_url, a.source, a.language, a.published_at,
       e.name, e.type, e.start_date, e.end_date, e.city, e.city_as_written, e.country, e.format, e.occasion,
       e.participants_count, e.countries_count,
       ARRAY(SELECT coalesce(o.name_en, o.name_ru) FROM core.event_organizers eo
             JOIN core.organizations o USING (organization_id)
             WHERE eo.event_id = e.event_id ORDER BY eo.position) AS organizers,
       (SELECT count(*) FROM core.event_sessions s WHERE s.event_id = e.event_id) AS sessions,
       (SELECT count(*) FROM core.event_speakers s WHERE s.event_id = e.event_id) AS speakers,
       e.extractor_version
FROM core.events e
JOIN core.articles a USING (article_id)
LEFT JOIN LATERAL (
    SELECT min(o.event_id) AS event_id
    FROM core.articles b JOIN core.events o ON o.article_id = b.article_id
    WHERE (b.url = a.translation_of_url OR b.translation_of_url = a.url) AND b.article_id <> a.article_id
      AND o.position = e.position AND o.start_date IS NOT DISTINCT FROM e.start_date
) twin ON true;
COMMENT ON VIEW reporting.events IS 'Every event report: one row per event per article (an event reported in two languages has two rows sharing event_key).';
COMMENT ON COLUMN reporting.events.event_id IS 'Warehouse id of this report of the event.';
COMMENT ON COLUMN reporting.events.event_key IS 'Identifies the event across its reports in an article and its translation: count DISTINCT event_key to count events.';
COMMENT ON COLUMN reporting.events.article_id IS 'The article reporting the event.';
COMMENT ON COLUMN reporting.events.article_url IS 'Canonical URL of the reporting article.';
COMMENT ON COLUMN reporting.events.source IS 'Source (site) of the reporting article.';
COMMENT ON COLUMN reporting.events.language IS 'Language of the reporting article.';
COMMENT ON COLUMN reporting.events.published_at IS 'Publication date of the reporting article, if stated.';
COMMENT ON COLUMN reporting.events.name IS 'Event name without surrounding quotes, as the article writes it.';
COMMENT ON COLUMN reporting.events.type IS 'conference, forum, round table, seminar, meeting, summit, ...';
COMMENT ON COLUMN reporting.events.start_date IS 'First day of the event.';
COMMENT ON COLUMN reporting.events.end_date IS 'Last day of the event.';
COMMENT ON COLUMN reporting.events.city IS 'City, today''s English name (Nur-Sultan -> Astana).';
COMMENT ON COLUMN reporting.events.city_as_written IS 'City as the article writes it.';
COMMENT ON COLUMN reporting.events.country IS 'Country, ISO 3166-1 alpha-2.';
COMMENT ON COLUMN reporting.events.format IS 'offline, online or hybrid.';
COMMENT ON COLUMN reporting.events.occasion IS 'What the event marked (an anniversary, ...), when stated.';
COMMENT ON COLUMN reporting.events.participants_count IS 'Number of participants, when stated.';
COMMENT ON COLUMN reporting.events.countries_count IS 'Number of countries represented, when stated.';
COMMENT ON COLUMN reporting.events.organizers IS 'Organizing organizations (normalized names), in article order.';
COMMENT ON COLUMN reporting.events.sessions IS 'Number of sessions named.';
COMMENT ON COLUMN reporting.events.speakers IS 'Number of speakers named.';
COMMENT ON COLUMN reporting.events.extractor_version IS 'Extractor version that produced the row.';

CREATE VIEW reporting.events_by_month AS
SELECT date_trunc('month', start_date)::date AS month,
       count(DISTINCT event_key) AS events, count(*) AS reports,
       sum(participants_count) FILTER (WHERE event_id = event_key) AS participants,
       array_agg(DISTINCT country ORDER BY country) FILTER (WHERE country IS NOT NULL) AS countries
FROM reporting.events WHERE start_date IS NOT NULL
GROUP BY 1;
COMMENT ON VIEW reporting.events_by_month IS 'Events per month of their start date (events without a known date are left out).';
COMMENT ON COLUMN reporting.events_by_month.month IS 'First day of the month the events started in.';
COMMENT ON COLUMN reporting.events_by_month.events IS 'Distinct events (an event reported in two languages counts once).';
COMMENT ON COLUMN reporting.events_by_month.reports IS 'Event reports (articles x events).';
COMMENT ON COLUMN reporting.events_by_month.participants IS 'Sum of the stated participant counts (once per event); NULL when none stated.';
COMMENT ON COLUMN reporting.events_by_month.countries IS 'Countries the events took place in (ISO alpha-2).';

CREATE VIEW reporting.events_by_place AS
SELECT country, city, count(DISTINCT event_key) AS events,
       min(start_date) AS first_event, max(start_date) AS last_event
FROM reporting.events
GROUP BY country, city;
COMMENT ON VIEW reporting.events_by_place IS 'Events per country and city (NULL: not stated).';
COMMENT ON COLUMN reporting.events_by_place.country IS 'Country, ISO 3166-1 alpha-2; NULL when not stated.';
COMMENT ON COLUMN reporting.events_by_place.city IS 'City, today''s English name; NULL when not stated.';
COMMENT ON COLUMN reporting.events_by_place.events IS 'Distinct events held there.';
COMMENT ON COLUMN reporting.events_by_place.first_event IS 'Start date of the earliest event there.';
COMMENT ON COLUMN reporting.events_by_place.last_event IS 'Start date of the latest event there.';

CREATE VIEW reporting.events_by_type AS
SELECT type, count(DISTINCT event_key) AS events, min(start_date) AS first_event, max(start_date) AS last_event,
       round(avg(participants_count) FILTER (WHERE event_id = event_key), 1) AS avg_participants
FROM reporting.events
GROUP BY type;
COMMENT ON VIEW reporting.events_by_type IS 'Events per type (conference, forum, round table, ...; NULL: not stated).';
COMMENT ON COLUMN reporting.events_by_type.type IS 'Event type; NULL when not stated.';
COMMENT ON COLUMN reporting.events_by_type.events IS 'Distinct events of this type.';
COMMENT ON COLUMN reporting.events_by_type.first_event IS 'Start date of the earliest event of this type.';
COMMENT ON COLUMN reporting.events_by_type.last_event IS 'Start date of the latest event of this type.';
COMMENT ON COLUMN reporting.events_by_type.avg_participants IS 'Average stated participant count (events stating one).';

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

CREATE VIEW reporting.events_by_organizer AS
WITH keys AS (
    SELECT organization_id, organization_key FROM core.organization_keys
), names AS (
    SELECT k.organization_key,
           (array_agg(coalesce(o.name_en, o.name_ru) ORDER BY o.name_en IS NULL, o.organization_id))[1] AS organization
    FROM keys k JOIN core.organizations o USING (organization_id)
    GROUP BY k.organization_key
)
SELECT k.organization_key AS organization_id, n.organization,
       date_trunc('month', e.start_date)::date AS month, count(DISTINCT e.event_key) AS events
FROM reporting.events e
JOIN core.event_organizers eo ON eo.event_id = e.event_id
JOIN keys k ON k.organization_id = eo.organization_id
JOIN names n ON n.organization_key = k.organization_key
GROUP BY k.organization_key, n.organization, 3;
COMMENT ON VIEW reporting.events_by_organizer IS 'Events per organizing organization and month of start (month NULL: date not known).';
COMMENT ON COLUMN reporting.events_by_organizer.organization_id IS 'Warehouse id of the organization (all its spellings and acronyms).';
COMMENT ON COLUMN reporting.events_by_organizer.organization IS 'Name of the organization (English when known, else Russian).';
COMMENT ON COLUMN reporting.events_by_organizer.month IS 'First day of the month the events started in; NULL when not known.';
COMMENT ON COLUMN reporting.events_by_organizer.events IS 'Distinct events the organization organized or co-organized.';

CREATE VIEW reporting.organizer_activity AS
WITH keys AS (
    SELECT organization_id, organization_key FROM core.organization_keys
)
SELECT k.organization_key AS organization_id,
       (array_agg(coalesce(o.name_en, o.name_ru) ORDER BY o.name_en IS NULL, o.organization_id))[1] AS organization,
       (SELECT coalesce(array_agg(DISTINCT acronym ORDER BY acronym), '{}')
        FROM keys k2 JOIN core.organizations o2 USING (organization_id) CROSS JOIN unnest(o2.acronyms) AS acronym
        WHERE k2.organization_key = k.organization_key) AS acronyms,
       count(DISTINCT e.event_key) AS events_organized,
       min(e.start_date) AS first_event, max(e.start_date) AS last_event,
       array_agg(DISTINCT e.country ORDER BY e.country) FILTER (WHERE e.country IS NOT NULL) AS countries,
       array_agg(DISTINCT e.city ORDER BY e.city) FILTER (WHERE e.city IS NOT NULL) AS cities,
       count(DISTINCT e.article_id) AS articles,
       array_agg(DISTINCT eo.name_as_written ORDER BY eo.name_as_written) AS spellings
FROM keys k
JOIN core.organizations o USING (organization_id)
JOIN core.event_organizers eo USING (organization_id)
JOIN reporting.events e ON e.event_id = eo.event_id
GROUP BY k.organization_key;
COMMENT ON VIEW reporting.organizer_activity IS 'Per organizing organization: events organized, first and last, where.';
COMMENT ON COLUMN reporting.organizer_activity.organization_id IS 'Warehouse id of the organization (all its spellings and acronyms).';
COMMENT ON COLUMN reporting.organizer_activity.organization IS 'Name of the organization (English when known, else Russian).';
COMMENT ON COLUMN reporting.organizer_activity.acronyms IS 'Known acronyms (BISR, БИСИ, ...).';
COMMENT ON COLUMN reporting.organizer_activity.events_organized IS 'Distinct events it organized or co-organized.';
COMMENT ON COLUMN reporting.organizer_activity.first_event IS 'Start date of its earliest event.';
COMMENT ON COLUMN reporting.organizer_activity.last_event IS 'Start date of its latest event.';
COMMENT ON COLUMN reporting.organizer_activity.countries IS 'Countries its events took place in (ISO alpha-2).';
COMMENT ON COLUMN reporting.organizer_activity.cities IS 'Cities its events took place in.';
COMMENT ON COLUMN reporting.organizer_activity.articles IS 'Articles reporting its events.';

-- A person is one spelling per script, linked across scripts (core.person_links): see core.person_keys.
CREATE VIEW reporting.speaker_appearances AS
WITH person_keys AS (
    SELECT person_id, person_key FROM core.person_keys
)
SELECT k.person_key,
       (array_agg(p.name ORDER BY (p.script = 'Latn') DESC, p.person_id))[1] AS name,
       array_agg(DISTINCT p.name ORDER BY p.name) AS spellings,
       count(DISTINCT e.event_key) AS events, count(*) AS appearances,
       min(e.start_date) AS first_appearance, max(e.start_date) AS last_appearance,
       array_agg(DISTINCT s.role ORDER BY s.role) FILTER (WHERE s.role IS NOT NULL) AS roles,
       array_agg(DISTINCT coalesce(o.name_en, o.name_ru) ORDER BY coalesce(o.name_en, o.name_ru))
           FILTER (WHERE o.organization_id IS NOT NULL) AS organizations,
       array_agg(DISTINCT s.session_name ORDER BY s.session_name) FILTER (WHERE s.session_name IS NOT NULL) AS sessions,
       array_agg(DISTINCT e.language ORDER BY e.language) FILTER (WHERE e.language IS NOT NULL) AS languages
FROM core.event_speakers s
JOIN person_keys k USING (person_id)
JOIN core.people p USING (person_id)
JOIN reporting.events e ON e.event_id = s.event_id
LEFT JOIN core.organizations o ON o.organization_id = s.organization_id
GROUP BY k.person_key;
COMMENT ON VIEW reporting.speaker_appearances IS 'Per person (spellings in different scripts merged when linked): events spoken at, roles, organizations, sessions, languages.';
COMMENT ON COLUMN reporting.speaker_appearances.person_key IS 'Identifies the person across spellings: the smallest core.people.person_id among them.';
COMMENT ON COLUMN reporting.speaker_appearances.name IS 'The person''s name (Latin spelling when known).';
COMMENT ON COLUMN reporting.speaker_appearances.spellings IS 'Every spelling met (Oleg Makarov, Олег Макаров).';
COMMENT ON COLUMN reporting.speaker_appearances.events IS 'Distinct events the person spoke at.';
COMMENT ON COLUMN reporting.speaker_appearances.appearances IS 'Speaker entries in event reports (an event reported in two languages gives two).';
COMMENT ON COLUMN reporting.speaker_appearances.first_appearance IS 'Start date of the earliest event spoken at.';
COMMENT ON COLUMN reporting.speaker_appearances.last_appearance IS 'Start date of the latest event spoken at.';
COMMENT ON COLUMN reporting.speaker_appearances.roles IS 'Roles stated (Director, moderator, ...).';
COMMENT ON COLUMN reporting.speaker_appearances.organizations IS 'Organizations the person represented (normalized names).';
COMMENT ON COLUMN reporting.speaker_appearances.sessions IS 'Sessions the person spoke at.';
COMMENT ON COLUMN reporting.speaker_appearances.languages IS 'Languages of the articles naming the person.';

-- Organizations linked across languages (core.organization_links, e.g. Nursultan Nazarbayev
-- Foundation = Фонд Нурсултана Назарбаева) count as one organizer in the reporting views: its
-- organization_id is the smallest id among the linked rows. Same columns as before, plus spellings.
COMMENT ON VIEW reporting.organizer_activity IS 'Per organizing organization (spellings in other languages merged when linked): events organized, first and last, where.';
COMMENT ON COLUMN reporting.organizer_activity.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages.';
COMMENT ON COLUMN reporting.organizer_activity.acronyms IS 'Known acronyms of it (BISR, БИСИ, ...).';
COMMENT ON COLUMN reporting.organizer_activity.spellings IS 'The names the articles give it as organizer.';
COMMENT ON COLUMN reporting.events_by_organizer.organization_id IS 'Identifies the organization: the smallest core.organizations id among the rows linked to it across languages.';
