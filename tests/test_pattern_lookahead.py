"""The first-character look-ahead put before pack patterns must not change what they match."""

import re

import pytest

from etl.lang import first_chars, pack, with_first_chars

TEXTS = [
    "The forum was held in Sochi; Director Anna Petrova said it opened on 3 May.",
    "SAID the SPEAKER: speakers were Ivan Petrov and Anna Smirnova, opened by the chair.",
    "Форум состоялся в Москве, выступил директор Олег Макаров.",
    "ſaid and K (Kelvin) and İstanbul: odd case folds", "", "x",
]


def test_first_chars_of_simple_shapes():
    assert first_chars(r"\b(?:said|told)\b") == {"s", "t"}
    assert first_chars(r"(?<!\w)(?:video)?conf") == {"v", "c"}
    assert first_chars(r"[ab]c|d") == {"a", "b", "d"}
    assert first_chars(r"(?:x)?") is None          # may match nothing
    assert first_chars(r"\w+") is None             # a category: unknown
    assert first_chars(r"(?i:said)") is None       # case-insensitive: only `with_first_chars` reads it
    assert first_chars(r"[A-C]x") == {"A", "B", "C"}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_lookahead_keeps_every_match(language):
    language_pack = pack(language)
    patterns = [v.pattern for v in vars(language_pack).values() if hasattr(v, "stems")]
    patterns += [v for v in vars(language_pack).values() if isinstance(v, re.Pattern)]
    assert patterns
    for pattern in patterns:
        fast = with_first_chars(pattern)
        for text in TEXTS + [t.upper() for t in TEXTS]:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_lookahead_is_added_and_case_insensitive_patterns_keep_their_flags():
    pattern = re.compile(r"\b(?:said|told)\b", re.IGNORECASE)
    fast = with_first_chars(pattern)
    assert fast.pattern != pattern.pattern and fast.flags == pattern.flags
    assert fast.search("He SAID so").span() == (3, 7)
    assert fast.search("nothing here") is None


def test_case_insensitive_part_and_speaker_patterns_keep_their_matches():
    from etl.events.people import _role_patterns

    pattern = re.compile(r"(?:(?P<org>[A-Z]{2,5})\s+)?\b(?P<role>(?i:director|head))\s+(?P<name>[A-Z][a-z]+)")
    fast = with_first_chars(pattern)
    assert fast.pattern != pattern.pattern
    for text in ["BISR DIRECTOR Oleg", "the head Anna", "BISR Director Oleg Makarov", "director x"]:
        assert [m.groupdict() for m in fast.finditer(text)] == [m.groupdict() for m in pattern.finditer(text)]
    for speaker_pattern in _role_patterns("en"):
        assert speaker_pattern.pattern.pattern.startswith("(?=")


def test_word_boundary_goes_before_the_lookahead_only_when_every_alternative_opens_with_it():
    texts = TEXTS + ["he took part; participants attended", "a|b [x] (y) \\b", "Took PART in it"]
    for source, flags in [(r"\b(?:said|told)\b", re.IGNORECASE), (r"\btook\s+part\b|\bparticipa\w*|\battend\w*", 0),
                          (r"\b(?P<verb>said|says)\s+(?P<rest>[^.|]+)|\b[|\]]x", 0)]:
        pattern = re.compile(source, flags)
        fast = with_first_chars(pattern)
        assert fast.pattern.startswith(r"\b(?=") and fast.groupindex == pattern.groupindex
        for text in texts + [t.upper() for t in texts]:
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
                [(m.span(), m.groups()) for m in pattern.finditer(text)]
    mixed = with_first_chars(re.compile(r"\bsaid|told"))  # one alternative without the boundary
    assert mixed.pattern.startswith("(?=") and mixed.search("he told") is not None


@pytest.mark.parametrize("source, flags", [
    (r"\b(?P<verb>said|says|noted|Spoke|(?:made|gave) (?:a|his) talk|speaking|s?aid|stated)\b", re.IGNORECASE),
    (r"\b(?P<verb>said|says|noted|Spoke|(?:made|gave) (?:a|his) talk|speaking|s?aid|stated)\b", 0),
    (r"(?:held|hosted|host|(held)|hold|[h]x|h{2}|took place)\s+(?P<x>\w+)", 0),
    (r"in (?:Moscow|Minsk|Madrid)|at (?:the )?(?:Kremlin|Kiev)|(?<=ab|ac)q", 0),
])
def test_alternatives_grouped_by_first_letter_keep_every_match(source, flags):
    texts = TEXTS + ["He said, she SAYS; Spoke up, speaking aid; stated. made a talk, GAVE HIS TALK",
                     "held hosted host hold hx hhh took place here in Minsk at the Kremlin abq acq"]
    pattern = re.compile(source, flags)
    fast = with_first_chars(pattern)
    assert fast.groupindex == pattern.groupindex and fast.groups == pattern.groups
    for text in texts + [t.upper() for t in texts] + [t.lower() for t in texts]:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in pattern.finditer(text)]
