"""Ranking: per-field weights, relevance buckets and the order results are paged in.

BM25 itself (k1, b) is computed at index time into the impact arrays (``index.impacts``);
this module holds what is applied at query time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
from whoosh import scoring

from index.columns import NO_DAY
from index.impacts import Bm25, idf
from search.request import Recency, Sort

FIELD_WEIGHTS = {
    "title": 0.7,
    "dek": 0.7,
    "body": 1.0,
    "captions": 1.0,
    "author": 0.4,
    "bio": 0.2,
    "credits": 0.2,
}
"""How much a match in each section counts; byline, bio and credit matches count little.
The dek counts as the headline does (measured with each abstract's lead as a dek, see
docs/decisions.md). A headline holding the whole query still ranks first through the
headline bucket, so the title weight only tunes partial matches (measured on the four
shared IR collections, docs/decisions.md)."""

REPEAT_K3 = 1000.0
"""Saturation of a word's weight by how often the query repeats it (BM25's k3): a word
said n times counts (k3 + 1)·n / (k3 + n) times, so about n times for any n a question
has (chosen by leave-one-collection-out over 8 and 1000, docs/decisions.md)."""


def repeat_weight(count: int) -> float:
    """How much a query word repeated ``count`` times counts (``REPEAT_K3``)."""
    return (REPEAT_K3 + 1) * count / (REPEAT_K3 + count)


LOW_WEIGHT_FIELDS = frozenset({"bio", "credits"})
"""Sections whose matches alone mark a hit as a weak, labelled match (ranked below others)."""


class Bucket(IntEnum):
    """Relevance buckets, best first: the headline holds the query as a phrase; the text
    (body, captions, dek or byline) does; the article holds every word; it holds some
    words in its headline, body, captions or byline; or it matched only in the author bio
    or a photo credit. Within a bucket, hits are ordered by BM25F score."""

    HEADLINE = 0
    PHRASE = 1
    ALL_WORDS = 2
    SOME_WORDS = 3
    WEAK = 4


class Bm25Rsj(scoring.BM25F):
    """Whoosh's BM25F with the impacts' idf (``index.impacts.idf``) instead of its own."""

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_frequency(fieldname, text), parent.doc_count_all())


def weighting(bm25: Bm25) -> scoring.BM25F:
    """The BM25F Whoosh scores with, with the parameters a generation's impacts were
    computed with (the reference path and the highlights' term weights use it)."""
    per_field = {f"{name}_B": value for name, value in bm25.field_b}
    return Bm25Rsj(B=bm25.b, K1=bm25.k1, **per_field)


@dataclass(frozen=True)
class Ranked:
    """Every result of a search: which documents, their scores and buckets (arrays of N)."""

    mask: np.ndarray
    scores: np.ndarray
    buckets: np.ndarray

    @property
    def total(self) -> int:
        return int(np.count_nonzero(self.mask))


RECENCY = {Recency.GENTLE: (0.25, 730.0), Recency.STRONG: (1.0, 180.0)}
"""Per setting, (weight, half-life in days): an article's score is multiplied by
``1 + weight × 2^(-age / half-life)``, its age counted back from the archive's newest
article (so an archive of old news is not all "old"); undated articles get no boost."""


def recency_factors(days: np.ndarray, newest: int, recency: Recency) -> np.ndarray:
    """The factor each article's relevance score is multiplied by (1 for ``none``)."""
    if recency is Recency.NONE or recency not in RECENCY:
        return np.ones(len(days))
    weight, half_life = RECENCY[recency]
    day = np.asarray(days, dtype=np.float64)
    boost = weight * np.exp2(-np.maximum(newest - day, 0.0) / half_life)
    return np.where(np.asarray(days) == NO_DAY, 1.0, 1.0 + boost)


def newest_day(days: np.ndarray, live: np.ndarray) -> int:
    """The publication day of the archive's newest live article (0 when none is dated)."""
    dated = np.asarray(days)[np.asarray(live, dtype=bool)]
    dated = dated[dated != NO_DAY]
    return int(dated.max()) if len(dated) else 0


def sort_keys(ranked: Ranked, sort: Sort, days: np.ndarray, docs: np.ndarray) -> list[np.ndarray]:
    """The keys results are ordered by, most significant first, for the documents ``docs``.

    Relevance: bucket, then score. Dates: newest or oldest first, undated last, then
    score. The document number (``docs`` ascending) breaks the remaining ties, so pages
    never overlap or skip.
    """
    scores = -ranked.scores[docs]
    if sort is Sort.RELEVANCE:
        return [ranked.buckets[docs], scores]
    day = np.asarray(days[docs], dtype=np.int64)
    undated = day == NO_DAY
    return [undated, -day if sort is Sort.NEWEST else day, scores]


def first_k(keys: list[np.ndarray], k: int) -> np.ndarray:
    """Positions of the ``k`` smallest rows by ``keys`` (lexicographic, then position).

    ``np.partition`` finds the k-th value of the leading key in linear time; only the
    rows tied with it are ordered by the next key, recursively, so the work beyond
    linear passes is the sort of about k rows.
    """
    count = len(keys[0]) if keys else 0
    return _first_k(keys, np.arange(count), k)


def _first_k(keys: list[np.ndarray], rows: np.ndarray, k: int) -> np.ndarray:
    if k <= 0 or not len(rows):
        return rows[:0]
    if len(rows) > k and keys:
        lead = keys[0][rows]
        threshold = np.partition(lead, k - 1)[k - 1]
        before = rows[lead < threshold]
        tied = _first_k(keys[1:], rows[lead == threshold], k - len(before))
        rows = np.concatenate([before, tied])
    order = np.lexsort([rows, *(key[rows] for key in reversed(keys))])
    return rows[order][:k]
