"""The article-extraction benchmark's main-text metric (shared/bench/README.md).

Tokens are `\\w+` runs; a text is the multiset of its overlapping 4-token shingles; per page,
true-positive, false-positive and false-negative counts are scaled to sum to 1; precision and
recall are averaged over pages (an empty prediction scores 0, both empty 1); F1 is the
harmonic mean of the two averages.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str | None) -> Counter:
    tokens = _TOKEN.findall(text or "")
    # A text shorter than one shingle is one (short) shingle, not nothing.
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))
                   ) if tokens else Counter()


class PageScore(NamedTuple):
    precision: float
    recall: float


def score_page(predicted: str | None, expected: str | None) -> PageScore:
    pred, gold = shingles(predicted), shingles(expected)
    if not pred and not gold:
        return PageScore(1.0, 1.0)
    if not pred or not gold:
        return PageScore(0.0, 0.0)
    true_positive = sum((pred & gold).values())
    false_positive = sum((pred - gold).values())
    false_negative = sum((gold - pred).values())
    total = true_positive + false_positive + false_negative
    tp, fp, fn = true_positive / total, false_positive / total, false_negative / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return PageScore(precision, recall)


def corpus_score(pages: list[PageScore]) -> dict:
    """Averaged precision and recall over pages, and their harmonic mean."""
    if not pages:
        return {"f1": 0.0, "precision": 0.0, "recall": 0.0, "pages": 0}
    precision = sum(p.precision for p in pages) / len(pages)
    recall = sum(p.recall for p in pages) / len(pages)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "pages": len(pages)}
