"""The gold records of the reference case, and comparisons against them."""

from __future__ import annotations

import json

from conftest import REFERENCE

ARTICLE_FIELDS = ("url", "source", "language", "title", "alt_titles", "published_at", "translation_of_url",
                  "body_paragraphs", "countries_mentioned")


def gold_record(language: str) -> dict:
    return json.loads((REFERENCE / f"expected.{language}.json").read_text(encoding="utf-8"))


def assert_gold_article_fields(record: dict, gold: dict) -> None:
    """Every article field equals the gold one; a body the gold leaves null is checked for noise only."""
    for field in ARTICLE_FIELDS:
        if field == "body_paragraphs" and gold[field] is None:
            continue
        assert record[field] == gold[field], f"{field} differs from the gold record"
    body = "\n".join(record["body_paragraphs"])
    for noise in gold["body_must_not_contain"]:
        assert noise not in body, f"body contains {noise!r}"
