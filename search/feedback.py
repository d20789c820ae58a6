"""Pseudo-relevance feedback for long questions (RM3-style), re-ranking only.

A question of several content words is searched once; the words its best few articles
share (weighted by how often each article uses them, the article's score and the word's
idf) are added as a second, lighter query. The second query only re-scores articles the
question already matched: totals, facets and the words rule are those of the question
as typed, and short keyword queries are left alone (docs/decisions.md).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index.impacts import idf
from search.query import ParsedQuery
from search.ranking import FIELD_WEIGHTS

MIN_WORDS = 5
"""Content words a plain query needs before feedback applies (a question, not keywords)."""
DOCS = 5
"""First-pass articles read for feedback words (0 turns feedback off)."""
TERMS = 10
"""Feedback words added to the question."""
WEIGHT = 0.35
"""The weight of the strongest feedback word, against 1 for a word of the question."""
READ_CHARS = 3000
"""How much of each feedback article (headline, then body) is read."""
FIELDS = ("title", "body")
"""The sections feedback words are searched in."""


def applies(parsed: ParsedQuery) -> bool:
    """Whether ``parsed`` is a question that gets feedback."""
    return DOCS > 0 and parsed.plain and len(set(parsed.words)) >= MIN_WORDS


def best_documents(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The document numbers of the ``DOCS`` best scores among ``mask``, best first."""
    candidates = np.flatnonzero(mask)
    if len(candidates) > DOCS:
        candidates = candidates[np.argpartition(-scores[candidates], DOCS - 1)[:DOCS]]
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _word_shares(searcher: WhooshSearcher, docnum: int) -> dict[str, float]:
    """Each indexed word's share of the start of one article's headline and body."""
    stored = searcher.reader().stored_fields(docnum)
    text = f"{stored.get('title', '')}\n{stored.get('body', '')}"[:READ_CHARS]
    words = Counter(token.text for token in searcher.schema["body"].analyzer(text, mode="query"))
    length = sum(words.values()) or 1
    return {word: count / length for word, count in words.items()}


def _question_words(query: wq.Query) -> set[str]:
    return {str(text) for _field, text in query.iter_all_terms()}


def expansion(
    searcher: WhooshSearcher,
    parsed: ParsedQuery,
    fields: tuple[str, ...],
    docnums: np.ndarray,
    scores: np.ndarray,
) -> wq.Query:
    """The feedback query for ``parsed`` in those of ``FIELDS`` among ``fields``, from its
    first-pass best ``docnums``."""
    searched = [name for name in FIELDS if name in fields]
    total = float(scores[docnums].sum()) if len(docnums) else 0.0
    if total <= 0:
        return wq.NullQuery
    weights: dict[str, float] = {}
    for docnum in docnums:
        for word, share in _word_shares(searcher, int(docnum)).items():
            weights[word] = weights.get(word, 0.0) + share * float(scores[docnum]) / total
    reader, count = searcher.reader(), searcher.doc_count_all()
    asked = _question_words(parsed.query)
    weighted = {
        word: weight * idf(reader.doc_frequency("body", word), count)
        for word, weight in weights.items()
        if word not in asked
    }
    ranked = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[:TERMS]
    if not searched or not ranked or ranked[0][1] <= 0:
        return wq.NullQuery
    strongest = ranked[0][1]
    terms = [
        wq.Term(field, word, boost=WEIGHT * weight / strongest * FIELD_WEIGHTS[field])
        for word, weight in ranked
        if weight > 0
        for field in searched
    ]
    return wq.Or(terms)
