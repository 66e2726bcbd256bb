"""English: the words event extraction and the gazetteer read in English pages."""

from __future__ import annotations

import re

from etl.lang import LanguagePack, Prefiltered

_I = re.IGNORECASE

PACK = LanguagePack(
    code="en",
    script=re.compile(r"[A-Za-z]"),
    # Pages that report no gathering: what nobody attends, or a text rather than a meeting.
    non_event=Prefiltered(re.compile(
        r"\b(?:telephone|phone)\s+(?:conversation|call|conference|talks?)s?\b|\bby (?:tele)?phone\b|\bspoke on the phone\b"
        r"|\bmessages?\s+of\s+(?:greetings?|congratulations?|condolences?|sympathy)\b"
        r"|\bsent\s+(?:a\s+|his\s+)?(?:message|greetings?|telegram|letter|congratulations|condolences)\b"
        r"|\b(?:greetings?|congratulations?|condolences?)\s+(?:to|on)\b|\bcongratulat\w+|\bexpressed\s+(?:his\s+)?condolences"
        r"|\binterviews?\b|\banswer(?:s|ed)?\s+(?:to\s+)?(?:journalists|media|reporters)|\b(?:press|news)\s+conference\b"
        r"|\bstatements?\b|\baddress(?:ed)?\s+(?:to\s+)?the\s+nation\b|\btelevised address\b"
        r"|\bexecutive\s+orders?\b|\bdecrees?\b|\bsigned\s+(?:a|the|into)\s+(?:federal\s+)?(?:law|decree|order)\b"
        r"|\b(?:federal\s+)?law\s+on\b|\bappoint(?:ed|s|ment)\b|\bsubmitted\b.{0,60}\b(?:Duma|parliament)\b"
        r"|\bbills?\s+(?:on|to)\b", _I),
        ("phone", "message", "sent", "greeting", "congratul", "condolenc", "interview", "answer", "conference",
         "statement", "nation", "address", "order", "decree", "signed", "law", "appoint", "submitted", "bill")),
    title_verbs=(
        (re.compile(r"\b(?:met|meets|meeting)\s+with\b", _I), "meeting"),
        (re.compile(r"\b(?:held|holds|hold)\s+(?:a\s+)?(?:talks|negotiations)\b", _I), "talks"),
        (re.compile(r"\b(?:presented|presents|awarded|awards)\b.{0,40}\b(?:awards?|decorations?|medals?|orders?|"
                    r"prizes?|titles?|honours?|honors?)\b|\blaid\s+(?:a\s+)?wreaths?\b|\bwreath-laying\b", _I), "ceremony"),
        (re.compile(r"\b(?:visited|visits|visit to|arrived in|arrives in|arrived at|working trip|trip to|toured|tours)\b",
                    _I), "visit"),
    ),
    summit_of=Prefiltered(re.compile(r"\bheads?\s+of\s+(?:state|the\s+state)s?\b|\bsummit\b", _I), ("head", "summit")),
    phase_ended=Prefiltered(re.compile(r"\b(?:came|has come|have come|comes)\s+to\s+an?\s+(?:end|close)\b"
                                       r"|\bcontinued\s+(?:the\s+)?(?:talks|negotiations|meeting|visit)\b"
                                       r"|\b(?:has|have)\s+(?:ended|concluded|closed)\b|\bended in\b", _I),
                            ("end", "close", "continued", "concluded")),
    phase_began=Prefiltered(re.compile(r"\b(?:has|have)\s+(?:begun|opened|started|got under way)\b"
                                       r"|\bbegan\s+(?:its|their)\s+work\b|\barrived\s+(?:at|for)\s+the\b"
                                       r"|\bclosing\s+the\s+first\s+day\b|\bfirst\s+day\s+of\b", _I),
                            ("begun", "opened", "started", "under way", "began", "arrived", "first day")),
    second_day=Prefiltered(re.compile(r"\bsecond\s+day\s+of\b", _I), ("second day",)),
    days_of=re.compile(r"\b(?:the|these|those|its)\s+(?P<n>two|three|four|five|six|seven|\d)\s+days\s+of\b", _I),
    number_words={
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "hundred": 100,
    },
    # "MINSK, 10 December (BelTA) -": where a story was filed.
    agency_dateline=re.compile(
        r"^(?P<city>[A-Z][A-Z.’'-]+(?:[ -][A-Z][A-Z.’'-]+){0,2})\s*,?\s*"
        r"(?:(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2})(?:,?\s+\d{4})?\s*)?"
        r"(?:[./]\s*)?(?:[(/][^()/]{1,25}[)/]\s*)?[.:–—-]+\s*"),
)
