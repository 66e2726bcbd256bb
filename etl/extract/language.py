"""Cheap language identification: declared language checked against the script of the text.

A page's `lang` attribute is often the site default (an English page on a Russian site says
lang="ru"). The script of the body text is hard evidence, so a declaration whose script
disagrees with the body loses to a guess from the script itself.
"""

from __future__ import annotations

import re
import unicodedata

# Script of the languages we are likely to meet; anything unlisted is treated as Latin.
_SCRIPT_OF_LANGUAGE = {
    "ru": "cyrillic", "uk": "cyrillic", "be": "cyrillic", "bg": "cyrillic", "sr": "cyrillic",
    "mk": "cyrillic", "kk": "cyrillic", "ky": "cyrillic", "tg": "cyrillic", "mn": "cyrillic",
    "el": "greek", "ar": "arabic", "fa": "arabic", "ur": "arabic", "he": "hebrew",
    "yi": "hebrew", "zh": "han", "ja": "han", "ko": "hangul", "hi": "devanagari",
    "mr": "devanagari", "ne": "devanagari", "ka": "georgian", "hy": "armenian", "th": "thai",
    "bn": "bengali", "ta": "tamil",
}
# The language a script most likely means when nothing else tells us.
_DEFAULT_LANGUAGE_OF_SCRIPT = {
    "latin": "en", "cyrillic": "ru", "greek": "el", "arabic": "ar", "hebrew": "he",
    "han": "zh", "hangul": "ko", "devanagari": "hi", "georgian": "ka", "armenian": "hy",
    "thai": "th", "bengali": "bn", "tamil": "ta", "kana": "ja",
}
_UNICODE_NAME_PREFIX = (
    ("LATIN", "latin"), ("CYRILLIC", "cyrillic"), ("GREEK", "greek"), ("ARABIC", "arabic"),
    ("HEBREW", "hebrew"), ("CJK", "han"), ("HANGUL", "hangul"), ("HIRAGANA", "kana"),
    ("KATAKANA", "kana"), ("DEVANAGARI", "devanagari"), ("GEORGIAN", "georgian"),
    ("ARMENIAN", "armenian"), ("THAI", "thai"), ("BENGALI", "bengali"), ("TAMIL", "tamil"),
)
_SAMPLE_CHARS = 3000


def normalize_language_code(code: str | None) -> str | None:
    """'en-US' / 'ru_RU' / 'EN' -> 'en'; None for empty or nonsense."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if len(primary) in (2, 3) and primary.isalpha() else None


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LETTER = re.compile(r"[^\W\d_]")


def dominant_script(text: str) -> str | None:
    """The script most letters of the text are written in (on a sample), or None."""
    sample = text[:_SAMPLE_CHARS * 2]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    # Fast path: Latin or Cyrillic text (nearly all of ours) is settled with two regexes.
    for pattern, script in ((_LATIN, "latin"), (_CYRILLIC, "cyrillic")):
        if len(pattern.findall(sample)) > letters * 0.6:
            return script
    counts: dict[str, int] = {}
    seen = 0
    for char in text:
        if not char.isalpha():
            continue
        seen += 1
        if seen > _SAMPLE_CHARS:
            break
        script = _script_of_char(char)
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script = max(counts, key=counts.get)
    # Japanese mixes kanji and kana: any real amount of kana means Japanese.
    if script == "han" and counts.get("kana", 0) > counts["han"] * 0.1:
        return "kana"
    return script


def _script_of_char(char: str) -> str:
    if char < "\u0250":
        return "latin"
    if "\u0400" <= char <= "\u052f":
        return "cyrillic"
    name = unicodedata.name(char, "")
    for prefix, script in _UNICODE_NAME_PREFIX:
        if name.startswith(prefix):
            return script
    return "other"


# Function words frequent in running text and rare elsewhere, for Latin-script languages.
_STOPWORDS = {
    "en": "the of and to in is that for with was on are as by this from have be it".split(),
    "de": "der die und das ist nicht mit den ein eine sich auf dem des auch wird".split(),
    "fr": "le la les des et est une dans pour que qui sur pas au du avec sont".split(),
    "es": "el la los las del que en por con una para es se como más pero".split(),
    "it": "il di che della per una sono non con del gli nel alla più anche".split(),
    "pt": "o os da do das dos que em para com uma não se por mais foi".split(),
    "nl": "de het een van en is dat op te zijn met voor niet ook".split(),
    "pl": "i w na z się że do nie jest to jak po od przez oraz".split(),
    "tr": "ve bir bu da de için ile olarak daha çok gibi olan".split(),
    "ro": "și în de la cu pe din care este pentru că sau mai".split(),
    "cs": "a v se na je že z do to jako by pro jsou které".split(),
    "sv": "och att det som en på är av för med till den har".split(),
}
_STOPWORD_LANGUAGES = {word: [] for words in _STOPWORDS.values() for word in words}
for _code, _words in _STOPWORDS.items():
    for _word in _words:
        _STOPWORD_LANGUAGES[_word].append(_code)
_WORD = re.compile(r"[^\W\d_]+")
_MIN_STOPWORD_HITS = 5


def latin_language_scores(text: str) -> dict[str, int]:
    """How many function words of each Latin-script language the text uses (on a sample)."""
    scores: dict[str, int] = {}
    for word in _WORD.findall(text[:_SAMPLE_CHARS * 2].lower()):
        for code in _STOPWORD_LANGUAGES.get(word, ()):
            scores[code] = scores.get(code, 0) + 1
    return scores


def guess_from_script(text: str) -> str | None:
    """A language for the text from its script, refined by letters (Cyrillic) or function
    words (Latin)."""
    script = dominant_script(text)
    if script is None or script == "other":
        return None
    if script == "cyrillic":
        return _cyrillic_language(text[:_SAMPLE_CHARS * 2].lower())
    if script == "latin":
        scores = latin_language_scores(text)
        if scores:
            best = max(scores, key=scores.get)
            if scores[best] >= _MIN_STOPWORD_HITS:
                return best
    return _DEFAULT_LANGUAGE_OF_SCRIPT.get(script)


def _cyrillic_language(sample: str) -> str:
    if any(letter in sample for letter in "әғқңөұүһ"):
        return "kk"
    if any(letter in sample for letter in "ђћџљњј"):
        return "sr"
    if "ў" in sample:
        return "be"
    if any(letter in sample for letter in "їєґ") or sample.count("і") > sample.count("ы"):
        return "uk"
    if "ы" not in sample and "э" not in sample and sample.count("ъ") > len(sample) / 400:
        return "bg"
    return "ru"


def script_of_language(code: str) -> str:
    return "kana" if code == "ja" else _SCRIPT_OF_LANGUAGE.get(code, "latin")


def detect_language(body_text: str, declared: list[str | None]) -> str | None:
    """The body's language: a declared code whose script matches the body (unless the body's
    function words clearly say another Latin-script language), else a guess from the text."""
    script = dominant_script(body_text)
    codes = [c for c in (normalize_language_code(d) for d in declared) if c]
    if script is None:
        return codes[0] if codes else None
    for code in codes:
        expected = script_of_language(code)
        if expected == script or (script == "kana" and code == "ja") \
                or (script == "han" and code in ("zh", "ja")):
            if script == "latin":
                return _checked_latin_declaration(code, body_text)
            if script == "cyrillic":
                return _checked_cyrillic_declaration(code, body_text)
            return code
    return guess_from_script(body_text)


def _checked_latin_declaration(code: str, text: str) -> str:
    """A site-wide lang="en" on a German article: the function words decide when clear."""
    if code not in _STOPWORDS:
        return code
    scores = latin_language_scores(text)
    if not scores:
        return code
    best = max(scores, key=scores.get)
    if best != code and scores[best] >= 3 * max(scores.get(code, 0), 1) \
            and scores[best] >= _MIN_STOPWORD_HITS * 2:
        return best
    return code


def _checked_cyrillic_declaration(code: str, text: str) -> str:
    """lang="ru" on a Ukrainian article: letters only some Cyrillic alphabets have decide."""
    sample = text[:_SAMPLE_CHARS * 2].lower()
    guess = _cyrillic_language(sample)
    if guess == code or guess in ("ru", "bg"):
        return code
    distinctive = sum(sample.count(letter) for letter in _DISTINCTIVE_LETTERS[guess])
    return guess if distinctive >= 3 else code


_DISTINCTIVE_LETTERS = {"kk": "әғқңөұүһ", "sr": "ђћџљњј", "be": "ў", "uk": "їєґі"}


def language_of_text(text: str) -> str | None:
    """Language of a short text (a headline) from its script."""
    return guess_from_script(text)
