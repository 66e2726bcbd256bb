-- A person is one spelling per script, linked across scripts (core.person_links): core.person_keys
-- holds each spelling's person and that person's canonical name.
CREATE VIEW reporting.speaker_appearances AS
SELECT k.person_key, k.name,
       array_agg(DISTINCT p.name ORDER BY p.name) AS spellings,
       count(DISTINCT e.event_key) AS events, count(*) AS appearances,
       min(e.start_date) AS first_appearance, max(e.start_date) AS last_appearance,
       array_agg(DISTINCT s.role ORDER BY s.role) FILTER (WHERE s.role IS NOT NULL) AS roles,
       array_agg(DISTINCT ok.name ORDER BY ok.name) FILTER (WHERE ok.organization_id IS NOT NULL) AS organizations,
       array_agg(DISTINCT s.session_name ORDER BY s.session_name) FILTER (WHERE s.session_name IS NOT NULL) AS sessions,
       array_agg(DISTINCT e.language ORDER BY e.language) FILTER (WHERE e.language IS NOT NULL) AS languages,
       array_agg(DISTINCT e.event_key ORDER BY e.event_key) AS event_keys,
       array_agg(DISTINCT coalesce(e.start_date::text || ' ', '') || coalesce(e.event_title, '(unnamed)')
                 ORDER BY coalesce(e.start_date::text || ' ', '') || coalesce(e.event_title, '(unnamed)')) AS event_names
FROM core.event_speakers s
JOIN core.person_keys k USING (person_id)
JOIN core.people p USING (person_id)
JOIN reporting.events e ON e.event_id = s.event_id
LEFT JOIN core.organization_keys ok ON ok.organization_id = s.organization_id
GROUP BY k.person_key, k.name;
COMMENT ON VIEW reporting.speaker_appearances IS 'Per person (spellings in different scripts merged when linked): events spoken at (which), roles, organizations, sessions, languages.';
COMMENT ON COLUMN reporting.speaker_appearances.person_key IS 'Identifies the person across spellings: the smallest core.people.person_id among them (core.person_keys).';
COMMENT ON COLUMN reporting.speaker_appearances.name IS 'The person''s canonical name (Latin spelling when known).';
COMMENT ON COLUMN reporting.speaker_appearances.spellings IS 'Every spelling met (Oleg Makarov, Олег Макаров).';
COMMENT ON COLUMN reporting.speaker_appearances.events IS 'Distinct events the person spoke at.';
COMMENT ON COLUMN reporting.speaker_appearances.appearances IS 'Speaker entries in event reports (an event reported in two languages gives two).';
COMMENT ON COLUMN reporting.speaker_appearances.first_appearance IS 'Start date of the earliest event spoken at.';
COMMENT ON COLUMN reporting.speaker_appearances.last_appearance IS 'Start date of the latest event spoken at.';
COMMENT ON COLUMN reporting.speaker_appearances.roles IS 'Roles stated (Director, moderator, ...).';
COMMENT ON COLUMN reporting.speaker_appearances.organizations IS 'Organizations the person represented, by canonical name.';
COMMENT ON COLUMN reporting.speaker_appearances.sessions IS 'Sessions the person spoke at.';
COMMENT ON COLUMN reporting.speaker_appearances.languages IS 'Languages of the articles naming the person.';
COMMENT ON COLUMN reporting.speaker_appearances.event_keys IS 'The events spoken at (reporting.events.event_key), once each.';
COMMENT ON COLUMN reporting.speaker_appearances.event_names IS 'The events spoken at as "start date name", sorted (English name when reported in English).';
