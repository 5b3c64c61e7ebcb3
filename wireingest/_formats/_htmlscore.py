"""Token-shingle precision/recall of an extracted body against a reference body.

This is the measure of the Zyte (Scrapinghub) article-extraction benchmark, written from its
description (``evaluate.py`` at scrapinghub/article-extraction-benchmark):

* tokens are the ``\\w+`` runs of the text (Unicode word characters);
* a text is the multiset of its 4-token shingles (a text shorter than four tokens is one shorter
  shingle; an empty text has none);
* per page, ``tp`` counts shingles common to both multisets (minimum of the counts), ``fp`` the
  extra predicted ones and ``fn`` the missing ones; the three are then divided by their sum so
  that every page weighs the same;
* per page precision is ``tp / (tp + fp)`` and recall ``tp / (tp + fn)``, both 1.0 when there is
  neither a false positive nor a false negative (two empty texts) and 0.0 when there is no true
  positive;
* the corpus precision is the mean of the page precisions over the pages with ``tp + fp > 0``,
  the corpus recall the mean of the page recalls over the pages with ``tp + fn > 0``, and F1 the
  harmonic mean of those two means (not the mean of page F1s).

It is kept in the package (private) so the benchmark and the golden tests share one definition.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PageScore", "aggregate", "score_page"]

_TOKEN = re.compile(r"\w+")
_N = 4


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < _N:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + _N]) for i in range(len(tokens) - _N + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Normalised true positive, false positive and false negative shares of one page."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(true: str, pred: str) -> PageScore:
    """Compare one extracted body (``pred``) with its reference (``true``)."""
    ts, ps = _shingles(true), _shingles(pred)
    tp = float(sum((ts & ps).values()))
    fp = float(sum((ps - ts).values()))
    fn = float(sum((ts - ps).values()))
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(tp, fp, fn)


def aggregate(pages: Iterable[PageScore]) -> tuple[float, float, float]:
    """Corpus ``(precision, recall, f1)`` as the benchmark defines them."""
    pages = list(pages)
    precisions = [p.precision for p in pages if p.tp + p.fp > 0]
    recalls = [p.recall for p in pages if p.tp + p.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
