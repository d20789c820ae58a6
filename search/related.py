""" "More like this": an article's significant terms as a query on the fast path.

The terms of an article's headline and body are weighed by how often the article uses
them and how rare they are in the archive (tf × idf, the headline's counting
:data:`TITLE_WEIGHT` times); glue words, numbers and terms no other article holds are
left out. The :data:`MAX_TERMS` heaviest, each boosted by its weight, are searched in
headlines and body text like any query, so finding related articles costs a search.
"""

from __future__ import annotations

import math
from collections import Counter

from whoosh import query as wq
from whoosh.reading import IndexReader

from index.analysis import news_analyzer
from search.query import GLUE_TERMS

MAX_TERMS = 12
"""Terms of the article searched for its related ones."""
TITLE_WEIGHT = 3
"""A headline word counts this many times as much as one in the body."""
FIELDS = ("title", "body")

_ANALYZER = news_analyzer()


def significant_terms(reader: IndexReader, title: str, body: str) -> list[tuple[str, float]]:
    """The article's :data:`MAX_TERMS` heaviest terms (uses × log(1 + N / articles holding
    it)) with their weights, heaviest first."""
    counts: Counter[str] = Counter()
    for weight, text in ((TITLE_WEIGHT, title), (1, body)):
        for token in _ANALYZER(text):
            counts[token.text] += weight
    articles = reader.doc_count() or 1
    weights = {}
    for term, count in counts.items():
        if term.encode("utf-8") in GLUE_TERMS or term.isdigit():
            continue
        held = max(reader.doc_frequency(name, term) for name in FIELDS)
        if held > 1:  # a term of this article alone finds nothing else
            weights[term] = count * math.log(1 + articles / held)
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:MAX_TERMS]


def related_query(terms: list[tuple[str, float]]) -> wq.Query:
    """The terms, boosted by their weights, in headlines and body text."""
    if not terms:
        return wq.NullQuery
    top = terms[0][1]
    return wq.Or(
        [wq.Term(name, term, boost=weight / top) for term, weight in terms for name in FIELDS]
    )
