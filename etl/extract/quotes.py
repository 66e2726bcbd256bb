"""Repair unbalanced quotation marks in short texts (headlines copied into alt text lose the
opening « when the CMS trims a leading character, and the like)."""

from __future__ import annotations

def repair_quotes(text: str) -> str:
    """Add the missing half of a quotation that is opened or closed only once."""
    text = _balance(text, "«", "»")
    # “ closes „ in German/Russian typography but opens in English: „ tells which is in use.
    if "„" in text:
        text = _balance(text, "„", "“")
    else:
        text = _balance(text, "“", "”")
    return _balance_straight(text)


def _balance(text: str, opening: str, closing: str) -> str:
    depth = 0
    missing_openings = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == closing:
            if depth == 0:
                missing_openings += 1
            else:
                depth -= 1
    # A closing mark with no opening one: the quotation started the text.
    text = opening * missing_openings + text
    if depth:
        text = _append_before_final_punctuation(text, closing * depth)
    return text


def _balance_straight(text: str) -> str:
    if text.count('"') % 2 == 0:
        return text
    position = text.index('"')
    before = text[position - 1] if position else " "
    # A mark right after a word closes a quotation whose opening mark was lost.
    if before.isalnum() or before in ".,!?":
        return '"' + text
    return _append_before_final_punctuation(text, '"')


def _append_before_final_punctuation(text: str, marks: str) -> str:
    stripped = text.rstrip()
    if stripped and stripped[-1] in ".!?…" and not stripped.endswith("..."):
        return stripped[:-1] + marks + stripped[-1]
    return stripped + marks
