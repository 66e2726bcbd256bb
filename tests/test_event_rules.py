"""Event rules one module at a time, on short sentences in English and Russian (and the Kazakh
proof pack): dates, places, counts, speakers, organizers, what a page reports, and the language
pack boundary. The failures named in issue 11 each have a case here."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from etl.events import counts, extract_events, organizations, people
from etl.events.dates import find_dates
from etl.events.kinds import event_type_mentions
from etl.events.places import capital_in, city_in, country_in, place_from_dateline
from etl.events.text import sentences
from etl.geo import resolve_city
from etl.lang import guess_language, pack
from etl.record import Article

ROOT = Path(__file__).resolve().parents[1]


def _events(title, paragraphs, language="en", published_at="2024-05-16", place=None, date_line=None, lead=None):
    return extract_events(Article(url=None, language=language, title=title, published_at=published_at,
                                  body_paragraphs=paragraphs, place=place, date_line=date_line, lead=lead))


def _speakers(sentence: str, language: str) -> list[str]:
    """Who a sentence that reports speaking names as its speakers (role-anchored or by the verb)."""
    language_pack = pack(language)
    if not (language_pack.speech.search(sentence) or language_pack.speaker_list.search(sentence)):
        return []
    found = [s.name for s in people.speakers_in(sentence, language)
             if s.subject and not people.only_taking_part(sentence, s.name, language_pack)
             and not people.before_passive_speaker(sentence, s.name, language_pack)]
    if language_pack.morphology is None:
        spoken = people.speech_speakers(sentence, people.page_names([sentence], language_pack), language_pack)
    else:
        spoken = people.inflected_speech_speakers(sentence, language_pack)
    spoken = [n for n in spoken if not people.only_taking_part(sentence, n, language_pack)]
    return found + [n for n in spoken if n not in found]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("text, language, year, expected", [
    ("held on 14-15 March 2022 in Minsk", "en", None, ("2022-03-14", "2022-03-15")),
    ("VDNKh is hosting the forum on March 13–16", "en", 2018, ("2018-03-13", "2018-03-16")),
    ("с 30 ноября по 2 декабря 2021 года", "ru", None, ("2021-11-30", "2021-12-02")),
    ("2024 жылғы 15-16 мамырда Астанада", "kk", None, ("2024-05-15", "2024-05-16")),
    ("10 желтоқсанда өтті", "kk", 2021, ("2021-12-10", "2021-12-10")),
])
def test_dates_in_each_language(text, language, year, expected):
    spans = find_dates(text, language, year)
    assert (spans[0].start.isoformat(), spans[0].end.isoformat()) == expected


def test_the_date_line_dates_a_report_unless_the_text_states_other_dates():
    page = dict(title="Meeting with Minister of Agriculture Dmitry Patrushev", date_line="2020-01-24",
                published_at="2020-01-24", place="The Kremlin, Moscow")
    event = _events(paragraphs=["The discussion focused on the results of the year."], **page)[0]
    assert (event["start_date"], event["end_date"]) == ("2020-01-24", "2020-01-24")
    # An earlier ceremony the text mentions in passing does not re-date the meeting.
    event = _events(paragraphs=["The minister recalled the award ceremony of 3 March 2019."], **page)[0]
    assert event["start_date"] == "2020-01-24"
    # "came to an end": the date line is the last day, the first is not stated.
    event = _events(title="The G8 summit came to an end in Gleneagles", paragraphs=["The leaders met."],
                    date_line="2005-07-08", published_at="2005-07-08")[0]
    assert (event["start_date"], event["end_date"]) == (None, "2005-07-08")
    # "the second day of the summit ... has come to an end": it began the day before.
    event = _events(title="The APEC summit has come to an end",
                    paragraphs=["The second day of the APEC summit was devoted to security."],
                    date_line="2005-11-19", published_at="2005-11-19")[0]
    assert (event["start_date"], event["end_date"]) == ("2005-11-18", "2005-11-19")


def test_a_publication_date_alone_is_no_event_date():
    events = _events("Круглый стол о цифровой трансформации",
                     ["МОСКВА, 3 декабря. /ТАСС/. Институт провел круглый стол «Цифровая экономика»."], language="ru",
                     published_at="2020-12-03")
    assert (events[0]["start_date"], events[0]["city"]) == (None, None)


@pytest.mark.parametrize("paragraphs, language", [
    # Without a publication date no year is borrowed from another date; a date beside another
    # event's noun is that event's.
    (["Today, on 6 September, a forum on information security opened in the capital.",
      "The idea of this conference was put forward at the SCO summit on 17 September 2021."], "en"),
    (["Сегодня, 6 сентября, в столице начал работу форум по информационной безопасности.",
      "Инициатива проведения данной конференции была выдвинута на саммите ШОС 17 сентября 2021 года."], "ru"),
    (["Международный круглый стол прошёл 31 января в столице Казахстана — Астане.",
      "29 марта 1994 г. президент впервые представил идею евразийской интеграции."], "ru"),
])
def test_no_date_from_another_year_or_another_event(paragraphs, language):
    event = _events(None, paragraphs, language=language, published_at=None)[0]
    assert (event["start_date"], event["end_date"]) == (None, None)


# ---------------------------------------------------------------- places


def test_india_is_a_country_not_the_serbian_town_indija():
    assert resolve_city("India", "en") is None
    assert city_in("The forum took place in India.", "en") is None
    assert resolve_city("Dubai", "en").country == "AE"


def test_place_line_and_text():
    assert place_from_dateline("Novo-Ogaryovo, Moscow Region", "en").city == "Novo-Ogaryovo"
    assert place_from_dateline("The Netherlands", "en").country == "NL"
    # A place line naming only a country gives way to the city the headline names.
    event = _events("The President of Russia visited Amsterdam", ["The Queen met the guests at the airport."],
                    place="The Netherlands", date_line="2005-11-01")[0]
    assert (event["city"], event["country"]) == ("Amsterdam", "NL")
    # Without a place line, the city the text puts the event in.
    event = _events("A summit meeting between Russia and the European Union has taken place in London",
                    ["The talks were held at Lancaster House."], date_line="2005-10-04")[0]
    assert (event["city"], event["country"]) == ("London", "GB")
    # A news agency's dateline is where the story was filed.
    event = _events(None, ["МИНСК, 12 мая. – БИСИ провел круглый стол «Цифровая трансформация»."], language="ru")[0]
    assert event["city"] is None


def test_places_in_russian_and_kazakh_case_forms():
    assert city_in("Форум прошел в Нур-Султане.", "ru").city == "Astana"
    assert city_in("Конференция Астанада өтті.", "kk").city == "Astana"
    karaganda = city_in("Қарағандыда семинар өтті.", "kk")
    assert (karaganda.city, karaganda.country) == (resolve_city("Karagandy", "en").name, "KZ")


@pytest.mark.parametrize("sentence, language, city, written", [
    # The city the words put the event in, not one people come from or one side of a pair.
    ("More than 80 scholars from Moscow took part in the conference.", "en", None, None),
    ("В конференции приняли участие более 80 ученых из Москвы.", "ru", None, None),
    ("The talks concern cooperation between Minsk and Nur-Sultan.", "en", None, None),
    # An institution's seat in brackets is not the event's place.
    ("The Institute of Europe and the Egmont Institute (Brussels) held a seminar.", "en", None, None),
    ("Институт Европы и Королевский институт (Брюссель) провели семинар.", "ru", None, None),
    # Markers of a locality, the capital after a dash, the case of a hyphenated name.
    ("Семинар проходил в мастерской «Сенеж», г. о. Солнечногорск.", "ru", "Solnechnogorsk", "Солнечногорск"),
    ("Сегодня в городе Ургенче стартовала конференция.", "ru", "Urgench", "Ургенче"),
    ("Круглый стол прошёл 31 января в столице Казахстана — Астане.", "ru", "Astana", "Астане"),
    ("В Ростове-на-Дону проходил семинар-совещание.", "ru", "Rostov-on-Don", "Ростове-на-Дону"),
    ("The ceremony took place at the power plant in the city of Gusev.", "en", "Gusev", "Gusev"),
    ("Astana hosts an international conference.", "en", "Astana", "Astana"),
    # A city's own anniversary is celebrated there.
    ("The President attended the celebrations of the 750th anniversary of Kaliningrad.", "en", "Kaliningrad",
     "Kaliningrad"),
    # A nationality is no town ("Kazakh" is also a name of Petropavl in GeoNames), nor is the
    # head of an acronym ("МосГУ").
    ("The meeting kicks off in Kazakh capital.", "en", None, None),
    ("В МосГУ прошла конференция.", "ru", None, None),
    ("Делегация посетила Ташкент.", "ru", "Tashkent", "Ташкент"),
    # An adjective between the preposition and the city.
    ("Форум прошел в казахстанском Алматы.", "ru", "Almaty", "Алматы"),
    ("The forum took place in the Kazakh city of Almaty.", "en", "Almaty", "Almaty"),
])
def test_the_city_the_text_puts_the_event_in(sentence, language, city, written):
    place = city_in(sentence, language)
    assert ((place.city, place.city_as_written) if place else (None, None)) == (city, written)


@pytest.mark.parametrize("sentence, language, city, written", [
    ("The sixth meeting kicks off in Kazakh capital.", "en", "Astana", "Kazakh capital"),
    ("The forum opened in the capital of Uzbekistan.", "en", "Tashkent", "capital of Uzbekistan"),
    ("Сегодня в казахстанской столице собрались эксперты.", "ru", "Astana", "казахстанской столице"),
    ("Форум открылся в столице Узбекистана.", "ru", "Tashkent", "столице Узбекистана"),
])
def test_a_capital_named_by_its_country(sentence, language, city, written):
    place = capital_in(sentence, language)
    assert (place.city, place.city_as_written) == (city, written)


def test_a_country_in_a_quoted_title_is_its_topic():
    assert country_in("Круглый стол на тему «Протесты в Сербии» прошел в пресс-центре.", "ru") is None
    assert country_in("The round table was held in Serbia.", "en") == "RS"
    # "in the Republic of ...", "в Республике ...": the state's full name.
    assert country_in("The meeting was held in the Republic of Uzbekistan.", "en") == "UZ"
    assert country_in("Встреча прошла в Республике Узбекистан.", "ru") == "UZ"


def test_the_state_a_venue_is_named_after():
    from etl.events.places import state_body_country

    assert state_body_country("The head of the institute visited the centre at the Academy of Sciences of the "
                              "Republic of Uzbekistan.", pack("en")) == "UZ"
    assert state_body_country("Встреча прошла в Академии наук Республики Узбекистан.", pack("ru")) == "UZ"
    assert state_body_country("Посол Польши выступил в Ташкенте.", pack("ru")) is None


def test_initials_end_no_sentence():
    assert sentences("The round table chaired by I.I. Borovkov took place on 14 April. Experts spoke.") == [
        "The round table chaired by I.I. Borovkov took place on 14 April.", "Experts spoke."]
    assert sentences("Круглый стол под председательством И.И. Боровкова состоялся 14 апреля. Далее") == [
        "Круглый стол под председательством И.И. Боровкова состоялся 14 апреля.", "Далее"]


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize("sentence, language, participants, countries", [
    ("The region is home to two billion people.", "en", None, None),
    # What is going on as the story is written, and those who joined the forum.
    ("В форуме участвуют более 30 ведущих экспертов из стран ШОС.", "ru", 30, None),
    ("К работе форума присоединились свыше 400 представителей из 20 стран.", "ru", 400, 20),
    ("Invitations were sent to 50 countries.", "en", None, None),
    ("Over 600 soldiers and officers have been invited.", "en", None, None),
    ("Nearly 2,500 people are taking part in the forum.", "en", 2500, None),
    ("Heads of state and government from almost 180 countries gathered in New York.", "en", None, 180),
    ("В форуме приняли участие более 300 человек из 25 стран.", "ru", 300, 25),
    ("Приглашения направлены в 40 стран.", "ru", None, None),
])
def test_counts(sentence, language, participants, countries):
    assert counts.participants_count(sentence, language) == participants
    assert counts.countries_count(sentence, language) == countries


def test_counts_only_from_sentences_about_attending():
    event = _events("Meeting with the Governor", ["The region is home to two billion people.",
                                                 "The Governor reported on 37 new plants."],
                    date_line="2024-05-16")[0]
    assert (event["participants_count"], event["countries_count"]) == (None, None)


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize("sentence, language, expected", [
    ("Deputy Director of the Eurasian Policy Institute Anna Petrova said that the forum was timely.", "en",
     ["Anna Petrova"]),
    ("Xi Jinping’s words were echoed when President Xi Jinping said that trade grew.", "en", ["Xi Jinping"]),
    ("Governor Ivan Petrov and Mayor Oleg Sidorov also took part in the meeting.", "en", []),
    ("Конференцию открыл директор КИСИ Еркин Тукумов.", "ru", ["Еркин Тукумов"]),
    ("В форуме примут участие министр иностранных дел Сергей Лавров и посол Иван Иванов.", "ru", []),
    ("С приветственным словом обратились научный руководитель РСМД Андрей Кортунов и член РСМД Ольга Буторина.",
     "ru", ["Андрей Кортунов", "Ольга Буторина"]),
    # names written with initials, glued or spaced
    ("The guests were greeted by Professor V.G.Shadursky, Dean of the Faculty of International Relations, "
     "and A.A.Beisenbaev, Ambassador of Kazakhstan.", "en", ["V.G.Shadursky", "A.A.Beisenbaev"]),
    ("A. M. Vasiliev, Director of the Institute of Africa, announced greetings to colleagues.", "en", ["A. M. Vasiliev"]),
    # the sender of a greeting another person read out is no speaker
    ("The congress received a greeting from the Head of the Republic A. M. Orlov, which was read out by the "
     "director N. G. Ochirova.", "en", ["N. G. Ochirova"]),
    # a list of "Name, role" items before the verb: every item's person
    ("A.E.Matsevilo, Head of the Main Department; N.I.Skirko, Associate Professor of the Customs Department; "
     "and Anna Petrova, Associate Professor, were given the floor as well.", "en",
     ["A.E.Matsevilo", "N.I.Skirko", "Anna Petrova"]),
    # Russian names pymorphy reads as other words, initials, names after "по словам" in any case
    ("Первым выступил Президент Казахстана Касым-Жомарт Токаев.", "ru", ["Касым-Жомарт Токаев"]),
    ("Своими мыслями поделился модератор круглого стола С.С. Исмаилов.", "ru", ["С.С. Исмаилов"]),
    ("С докладом выступил А.Лукашенко.", "ru", ["А.Лукашенко"]),
    ("По словам директора КИСИ Еркина Тукумова, форум стал площадкой для диалога.", "ru", ["Еркин Тукумов"]),
    ("Круглый стол прошёл под председательством заместителя директора института И.И. Боровкова.", "ru",
     ["И.И. Боровков"]),
    # a Latin-script name in Russian text does not inflect
    ("Встречу открыли посол Hugues Chantry, генеральный директор института, и А.А. Токовинин, посол России.", "ru",
     ["Hugues Chantry", "А.А. Токовинин"]),
    # a name in the genitive is not the subject of the speech noun
    ("Форум посвящён 25-летию выступления президента Республики Казахстан Нурсултана Назарбаева в МГУ.", "ru", []),
    ("Among the distinguished speakers were: Fukazawa Yoichi, Parliamentary Vice-Minister of Japan; "
     "Judy Kuo, Acting Head of Mission; and Maciej Madalinski, Head of Political Section.", "en",
     ["Judy Kuo", "Maciej Madalinski", "Fukazawa Yoichi"]),
])
def test_speakers(sentence, language, expected):
    assert _speakers(sentence, language) == expected


def test_initials_end_no_sentence_before_the_surname():
    assert sentences("Встречу открыли посол Иван Петров и А.А. Токовинин, посол России. Далее.") == [
        "Встречу открыли посол Иван Петров и А.А. Токовинин, посол России.", "Далее."]
    assert sentences("Выступил Иванов И.И. Затем выступил Петров.") == ["Выступил Иванов И.И.", "Затем выступил Петров."]
    assert sentences("It was opened by J.R. Smith of the BISR. Then Anna spoke.") == [
        "It was opened by J.R. Smith of the BISR.", "Then Anna spoke."]


def test_a_moderator_keeps_the_moderator_role_and_mr_x_is_the_full_name():
    found = people.speakers_in("Moderator Sergei Brilyov, a TV journalist, opened the plenary session.", "en")
    assert [(s.name, s.role) for s in found] == [("Sergei Brilyov", "Moderator")]
    en = pack("en")
    assert people.page_names(["Xi Jinping’s speech was warmly received."], en) == ["Xi Jinping"]
    known = people.page_names(["President Vladimir Putin met the rectors."], en)
    assert people.speech_speakers("Mr Putin said that education mattered.", known, en) == ["Vladimir Putin"]
    assert people.speech_speakers("President Putin praised the gathering.", known, en) == ["Vladimir Putin"]
    # a passive verb: the speaker follows "by", not the sender named before it
    assert people.speech_speakers("The congress received a greeting from the head of Kalmykia A. M. Orlov, which was "
                                  "read out by the director of the Institute of Information Technology N. G. Ochirova.",
                                  known, en) == ["N. G. Ochirova"]
    assert people.speech_speakers("N. N. Dyakov (East Faculty of St. Petersburg.GU) read out a greeting.", known, en) == [
        "N. N. Dyakov"]
    assert people.transcript_speaker("President of Russia Vladimir Putin: Good afternoon, friends.", en).name == \
        "Vladimir Putin"
    assert people.transcript_speaker("Remark: Thank you.", en) is None
    # a name at the end of a long role phrase, or first with the role after it
    for head, name in (("Minister of Economic Development Maxim Oreshkin: Thank you.", "Maxim Oreshkin"),
                       ("Prime Minister Dmitry Medvedev: Thank you, Mr President.", "Dmitry Medvedev"),
                       ("General Director of the Federal Corporation for Developing Small and Medium Business "
                        "Alexander Braverman: I have a small comment.", "Alexander Braverman"),
                       ("Alexandra Kalashnikova, Senior Researcher at the Ioffe Institute: Mr President, colleagues.",
                        "Alexandra Kalashnikova"),
                       ("Anna K. Petrova: Good afternoon.", "Anna K. Petrova"),
                       # a translator's note after the name; three names after a country
                       ("President of Turkey Recep Tayyip Erdogan (retranslated): I would like to say that.",
                        "Recep Tayyip Erdogan"),
                       ("Federal Chancellor of Austria Sebastian Kurz (retranslated):Mr President Putin,",
                        "Sebastian Kurz")):
        assert people.transcript_speaker(head, en).name == name
    # an audience member's region in brackets: no speaker's head
    assert people.transcript_speaker("Ivan Anokhin (Moscow): I think we all gasped yesterday.", en) is None
    assert people.same_person("D. Valeyev", "Dinar Valeyev") and people.same_person("Иванов И.И.", "И.И. Иванов")
    assert not people.same_person("I. Petrov", "Oleg Petrov") and not people.same_person("Ivan Petrov", "Oleg Petrov")
    # the last word of the role phrase is no part of the name
    assert people.transcript_speaker("Minister of the Interior Vladimir Kolokoltsev: I agree.", en).name == \
        "Vladimir Kolokoltsev"
    assert people.transcript_speaker("Producer of the film Frontier Dzhanik Fayziyev: A few words.", en).name == \
        "Dzhanik Fayziyev"
    found = people.speakers_in("Head of the Republic of Udmurtia Alexander Brechalov presented the main report.", "en")
    assert [(s.name, s.organization) for s in found] == [("Alexander Brechalov", "Republic of Udmurtia")]
    ru = pack("ru")
    head = people.inflected_transcript_speaker("Эдуард Полетаев, политолог, руководитель ОФ «Мир Евразии»:", ru)
    assert (head.name, head.role) == ("Эдуард Полетаев", "политолог, руководитель ОФ «Мир Евразии»")
    assert people.inflected_transcript_speaker("Ботагоз Базарбаева, корреспондент: Сейчас идёт заседание.", ru) is None
    assert people.inflected_transcript_speaker("Тема заседания: «Идея стала реальностью».", ru) is None


def test_people_named_after_taking_part_are_no_speakers_unless_they_then_speak():
    assert _speakers("Модератором выступил Эдуард Полетаев. В заседании приняли участие эксперты Марат Шибутов "
                     "и Андрей Чеботарев.".replace(". В", " в"), "ru") == ["Эдуард Полетаев"]
    assert _speakers("В заседании приняли участие эксперты Марат Шибутов и Андрей Чеботарев, выступившие с "
                     "докладами.", "ru") == ["Марат Шибутов", "Андрей Чеботарев"]
    assert _speakers("Ivan Petrov opened the meeting, and also taking part were Anna Smirnova and Oleg Popov.",
                     "en") == ["Ivan Petrov"]


@pytest.mark.parametrize("language, paragraph, expected", [
    ("ru", "В 2024 году в университете прошёл круглый стол. В работе круглого стола приняли участие профессора "
           "университета С.А. Колдыбаев, С.М. Жиентаев, Д.М. Легкий. В своих выступлениях они затронули вопросы "
           "качества жизни.", ["С.А. Колдыбаев", "С.М. Жиентаев", "Д.М. Легкий"]),
    ("en", "On May 5, 2024 a round table was held in Minsk. Ivan Petrov and Anna Smirnova took part in the round "
           "table. They presented their reports on regional trade.", ["Ivan Petrov", "Anna Smirnova"]),
    # "they" with no list of participants before it refers to nobody we know
    ("en", "On May 5, 2024 a round table was held in Minsk. Ivan Petrov and Anna Smirnova wrote the report. "
           "They presented their reports on regional trade.", []),
])
def test_they_after_a_list_of_participants_are_those_participants(language, paragraph, expected):
    event = _events(None, [paragraph], language=language)[0]
    assert [s["name"] for s in event["speakers"]] == expected


def test_the_head_of_state_is_the_president_named_before():
    event = _events("Конференция в Астане",
                    ["30 сентября 2024 года в Астане состоялась конференция.",
                     "В конференции принял участие Президент Касым-Жомарт Токаев.",
                     "В своем выступлении Глава государства отметил роль дипломатии."], language="ru")[0]
    assert [s["name"] for s in event["speakers"]] == ["Касым-Жомарт Токаев"]
    event = _events("Конференция в Астане",
                    ["30 сентября 2024 года в Астане состоялась конференция.",
                     "В конференции принял участие Президент Касым-Жомарт Токаев."], language="ru")[0]
    assert event["speakers"] == []


def test_words_dated_to_an_earlier_year_were_not_said_at_the_event():
    event = _events("Round table in Minsk",
                    ["On May 5, 2024 a round table was held in Minsk.",
                     "Ivan Petrov noted that trade had grown.",
                     "On March 12, 2015 Anna Smirnova presented the idea of the round table."])[0]
    assert [s["name"] for s in event["speakers"]] == ["Ivan Petrov"]
    event = _events("Круглый стол в Минске",
                    ["5 мая 2024 года в Минске состоялся круглый стол.",
                     "Доклад представил Иван Петров.",
                     "29 марта 1994 г. Анна Смирнова впервые представила идею."], language="ru")[0]
    assert [s["name"] for s in event["speakers"]] == ["Иван Петров"]


def test_only_people_who_speak_are_an_events_speakers():
    event = _events("BISR experts took part in a round table",
                    ["On April 5, 2023, the Russian International Affairs Council held a round table in Moscow.",
                     "BISR experts Ivan Petrov and Maria Sokolova took part in the discussion.",
                     "Ivan Petrov noted that trade had grown."])[0]
    assert [(s["name"], s["role"], s["organization"]) for s in event["speakers"]] == [("Ivan Petrov", "Expert", "BISR")]


# ---------------------------------------------------------------- organizers


def test_two_co_organizers_are_two():
    sentence = "The Belarusian Institute of Strategic Research and the Eurasian Policy Institute held a round table."
    assert organizations.subject_organizers(sentence, "en") == [
        {"name": "Belarusian Institute of Strategic Research"}, {"name": "Eurasian Policy Institute"}]
    sentence = "Белорусский институт стратегических исследований и Институт евразийской политики провели круглый стол."
    assert organizations.subject_organizers(sentence, "ru") == [
        {"name": "Белорусский институт стратегических исследований"}, {"name": "Институт евразийской политики"}]


@pytest.mark.parametrize("sentence, language, expected", [
    # an unknown acronym is an organisation; "and" splits only where a name starts again
    ("The event was organized by the Belarusian-Russian University, RSUH and the Institute of Europe.", "en",
     ["Belarusian-Russian University", "RSUH", "Institute of Europe"]),
    ("It was prepared by the Department of Historical and Philological Sciences of the Russian Academy of Sciences "
     "and the Society of Orientalists.", "en",
     ["Department of Historical and Philological Sciences of the Russian Academy of Sciences", "Society of Orientalists"]),
    # co-organizers after "together with" / "совместно с"
    ("The event was organized by the University of World Economy and Diplomacy together with the International "
     "Institute for Central Asia.", "en", ["University of World Economy and Diplomacy",
                                           "International Institute for Central Asia"]),
    ("Семинар организован продюсерским центром «Интеграция» совместно с Донецкой региональной общественной "
     "организацией «Русский центр».", "ru",
     ["продюсерский центр «Интеграция»", "Донецкая региональная общественная организация «Русский центр»"]),
    ("The seminar became the first joint event of the Russian International Affairs Council (RIAC) and the CITIC "
     "Foundation for Reform and Development Studies (China).", "en",
     ["Russian International Affairs Council", "CITIC Foundation for Reform and Development Studies"]),
    # where the text says "organisers were", names in capitals or quotes; brackets holding a place dropped
    ("Соорганизаторами встречи экспертов выступили ЦГИ «Берлек-Единство» и AlmaU.", "ru",
     ["ЦГИ «Берлек-Единство»", "AlmaU"]),
    ("Одним из организаторов события выступил Донской государственный технический университет.", "ru",
     ["Донской государственный технический университет"]),
    ("Мероприятие организовано в рамках сотрудничества Института приграничного сотрудничества и интеграции "
     "(г. Белгород) и Институтом региональных исследований (г. Ереван, Республика Армения).", "ru",
     ["Институт приграничного сотрудничества и интеграции", "Институт региональных исследований"]),
    ("Мероприятие было организовано кафедрой восточных языков Института лингвистики.", "ru",
     ["кафедра восточных языков Института лингвистики"]),
    # "organised by" after a noun organises that noun: an event, or something else
    ("The congress is held during the 11th Russian Business Week organised by the Russian Union of Industrialists.",
     "en", []),
    ("It is the Fifth Forum of Regional and Local Media organised by the Russian Popular Front.", "en",
     ["Russian Popular Front"]),
    ("The fourth annual virtual conference organized by Nazarbayev University will be held online.", "en",
     ["Nazarbayev University"]),
    # an initiative is not organising
    ("По инициативе Исламского банка развития в Алматы состоялось заседание Рабочей группы.", "ru", []),
])
def test_organizers_named_with_an_organising_verb(sentence, language, expected):
    assert [o["name"] for o in organizations.organizers_in(sentence, language)] == expected


def test_subject_organizers_in_brackets_and_a_bodys_own_meeting():
    assert organizations.subject_organizers(
        "25 мая Институт Европы РАН и Королевский институт международных отношений ((Egmont), Брюссель) провели "
        "семинар.", "ru") == [{"name": "Институт Европы РАН"}, {"name": "Королевский институт международных отношений"}]
    # the body whose own meeting it is does not organise it
    assert organizations.subject_organizers(
        "On December 22, the Institute for Strategic Studies held a meeting of the Advisory board.", "en") == []


def test_an_organizer_list_ends_where_the_clause_does():
    assert organizations.organizers_in(
        "The forum is organised by the Russian Popular Front and focuses on topical issues in regional life.", "en") == [
        {"name": "Russian Popular Front"}]
    assert organizations.organizers_in(
        "It was organized by the Faculty of International Relations with the assistance of the Embassy.", "en") == [
        {"name": "Faculty of International Relations"}]


# ---------------------------------------------------------------- what a page reports


@pytest.mark.parametrize("title, language", [
    ("Telephone conversation with President of France Emmanuel Macron", "en"),
    ("Vladimir Putin sent a message of greetings to the participants of the forum", "en"),
    ("Interview to the French television channel France 3", "en"),
    ("Executive Order on awarding state decorations", "en"),
    ("Телефонный разговор с Президентом Казахстана", "ru"),
    ("Приветствие участникам конференции «Примаковские чтения»", "ru"),
    ("Интервью директора института газете «Известия»", "ru"),
])
def test_pages_that_report_no_gathering(title, language):
    assert _events(title, ["The sides discussed the forum held last week in Minsk."
                           if language == "en" else "Стороны обсудили форум, который прошел в Минске."],
                   language=language, date_line="2024-05-16") == []


@pytest.mark.parametrize("title, paragraphs, language", [
    # A message addressed to the participants of a gathering, however it describes the gathering.
    (None, ["To the participants of the applied research conference «Belarus in the Global World»",
            "I am delighted to welcome you in Minsk for the conference hosted by the institute."], "en"),
    ("Путин призвал к диалогу", ["Президент призвал к диалогу.",
                                 "Послание президента участникам «Примаковских чтений» зачитал помощник."], "ru"),
    # Words said to the press about a gathering the page never reports held.
    (None, ["Форум «Примаковские чтения» вошел в топ-10 конференций мира.",
            "Об этом «Известиям» рассказал директор института."], "ru"),
    ("The number of participants shows the interest in the Minsk Forum",
     ["The Minsk Forum shows the lasting interest of Belarus and the EU.", "The ambassador told journalists so today."],
     "en"),
])
def test_messages_and_words_to_the_press_report_no_gathering(title, paragraphs, language):
    assert _events(title, paragraphs, language=language, published_at=None) == []


def test_words_to_the_press_on_a_gathering_held_keep_it():
    events = _events(None, ["Форум прошел в Минске.", "Об этом журналистам сообщил директор."], language="ru",
                     published_at=None)
    assert [(e["type"], e["city"]) for e in events] == [("forum", "Minsk")]


@pytest.mark.parametrize("title, paragraphs, language, event_type, city", [
    # Without a headline's event, the lead's verb says what gathering the page reports.
    ("Scientific partnership with research institutes",
     ["On February 24, 2020, the head of the Institute for Integrated Transitions visited the centre.",
      "During the meeting, the sides exchanged views."], "en", "visit", None),
    # A noun further on is a passing mention; the agency dateline with the day first is cut off.
    (None, ["2 ноября, Минск /Корр. БЕЛТА/. Заместитель министра Николай Борисевич встретился с ректором университета.",
            "Стороны обсудили перспективы сотрудничества в области образования.",
            "Ректор находится в Минске в развитие договоренностей, достигнутых во время консультаций в июне."],
     "ru", "meeting", "Minsk"),
    # A group of people the lead says discussed something met.
    (None, ["Ведущие специалисты отрасли, журналисты и активисты обсудили будущее Экспертного клуба.",
            "О его целях рассказал директор департамента."], "ru", "meeting", None),
    (None, ["Leading experts, journalists and activists discussed the future of the expert club.",
            "The director of the department spoke about its aims."], "en", "meeting", None),
])
def test_the_leads_verb_reports_the_gathering(title, paragraphs, language, event_type, city):
    events = _events(title, paragraphs, language=language, published_at=None)
    assert [(e["type"], e["city"]) for e in events] == [(event_type, city)]


def test_one_gathering_per_page_not_the_passing_mentions():
    events = _events("The Russia-EU Summit has been held",
                     ["The previous summit was held in Brussels in 2004.", "The leaders discussed visas."],
                     place="Great Kremlin Palace, Moscow", date_line="2005-05-10")
    assert [(e["type"], e["city"], e["start_date"]) for e in events] == [("summit", "Moscow", "2005-05-10")]


@pytest.mark.parametrize("paragraphs, language, event_type, city", [
    # The session of a discussion club is a meeting; a forum it is called later is the same one.
    (["President Putin is taking part in the session of the Valdai International Discussion Club.",
      "The forum runs in Sochi until 2 October."], "en", "meeting", "Sochi"),
    (["Президент России принимает участие в пленарной сессии дискуссионного клуба «Валдай».",
      "Форум проходит в Сочи с 29 сентября по 2 октября."], "ru", "meeting", "Sochi"),
    # A convention is a congress.
    (["The university took part in the 55th Convention of the International Studies Association in Toronto."],
     "en", "congress", "Toronto"),
    (["МГИМО принял участие в работе 55-го Конвента Ассоциации международных исследований в Торонто."],
     "ru", "congress", "Toronto"),
    # A tour across a country is a visit.
    (["1 октября в рамках ознакомительного тура по Беларуси представители городов прибыли в Гродно."],
     "ru", "visit", "Grodno"),
    (["The delegation arrived in Minsk on a study tour of Belarus."], "en", "visit", "Minsk"),
])
def test_what_the_text_reports_as_going_on(paragraphs, language, event_type, city):
    event = _events(None, paragraphs, language=language, published_at=None)[0]
    assert (event["type"], event["city"]) == (event_type, city)


@pytest.mark.parametrize("paragraphs, language, name", [
    # A title marker may follow the noun's own complements; the edition's ordinal is dropped.
    (["В пресс-центре состоялся круглый стол Российского совета по международным делам (РСМД) на тему: "
      "«Политическая турбулентность в Сербии»."], "ru", "Политическая турбулентность в Сербии"),
    (['On October 20th an International Conference for students and young scientists, titled "XVII Masherov '
      'Readings," took place at the university.'], "en", "Masherov Readings"),
])
def test_a_quoted_title_after_its_marker_names_the_event(paragraphs, language, name):
    assert _events(None, paragraphs, language=language, published_at=None)[0]["name"] == name


def test_a_short_quote_ending_in_an_event_noun_names_the_event():
    event = _events("Москва перечитала Примакова", ["В Москве завершились первые «Примаковские чтения»."],
                    language="ru", published_at=None)[0]
    assert (event["name"], event["city"]) == ("Примаковские чтения", "Moscow")
    # A noun inside a longer quoted title is part of the title, not an event.
    assert _events(None, ["Институт выпустил доклад «Почему конференции по безопасности больше не работают»."],
                   language="ru", published_at=None) == []


@pytest.mark.parametrize("title, language, event_type", [
    ("Meeting with Governor of Tula Region Alexei Dyumin", "en", "meeting"),
    ("Vladimir Putin visited the testing centre for railway transport", "en", "visit"),
    ("A ceremonial reception was held in the Kremlin", "en", "reception"),
    ("Plenary meeting of the Russian Rectors’ Union Congress", "en", "congress"),
    ("Инаугурация Президента Казахстана", "ru", "ceremony"),
    ("Совещание с членами Правительства", "ru", "meeting"),
])
def test_the_headline_decides_the_type(title, language, event_type):
    assert _events(title, ["…"], language=language, date_line="2024-05-16")[0]["type"] == event_type


# ---------------------------------------------------------------- language packs


def test_a_language_without_a_pack_gets_no_events():
    assert pack("de") is None
    assert _events("Konferenz in Berlin", ["Die Konferenz fand am 15. Mai 2024 in Berlin statt."], language="de") == []
    assert guess_language("Қазақстан Республикасының Президенті") == "kk"
    assert guess_language("Президент Республики Казахстан") == "ru"


def test_kazakh_pack_reads_its_own_nouns_months_and_places():
    assert [m.type for m in event_type_mentions("Дөңгелек үстел және конференцияға қатысты", "kk")] == \
        ["round table", "conference"]
    event = _events("Астанада халықаралық конференция өтті",
                    ["2024 жылғы 15-16 мамырда Астанада «Қазақстан және әлем» атты халықаралық конференция өтті."],
                    language="kk")[0]
    assert (event["type"], event["name"], event["start_date"], event["end_date"], event["city"], event["country"]) == \
        ("conference", "Қазақстан және әлем", "2024-05-15", "2024-05-16", "Astana", "KZ")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_geo_and_the_packs_import_nothing_from_events():
    for path in [ROOT / "etl" / "geo.py", *(ROOT / "etl" / "lang").glob("*.py")]:
        assert not any(m.startswith("etl.events") for m in _imports(path)), path


def test_events_modules_hold_no_cyrillic_word_lists():
    """The events code holds no language's words: Russian and Kazakh live in their packs."""
    import re

    for path in (ROOT / "etl" / "events").glob("*.py"):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("#"))
        literals = [node.value for node in ast.walk(ast.parse(code))
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        words = [w for text in literals if not text.startswith(("\"", "'")) for w in
                 re.findall(r"[а-яёәғқңөұүһі]{3,}", text, re.IGNORECASE)]
        docstring_words = set()
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node):
                docstring_words.update(re.findall(r"[а-яёәғқңөұүһі]{3,}", ast.get_docstring(node), re.IGNORECASE))
        assert not [w for w in words if w not in docstring_words], path


def test_every_pack_has_the_same_interface():
    for code in ("en", "ru", "kk"):
        language_pack = pack(code)
        assert language_pack.code == code and language_pack.months and language_pack.event_types
        assert len(language_pack.months) >= 12
        assert language_pack.city_names
    assert pack("ru-RU") is pack("ru")
    assert dt.date(2024, 1, 1)  # the packs need no network, no model download
