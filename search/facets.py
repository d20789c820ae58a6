"""Facet counts over the whole result set, as array operations over the generation's columns.

Each value counts its results (``count``: stories when versions are grouped, see
``search.stories``) and the articles among them (``articles``).
"""

from __future__ import annotations

import numpy as np

from search.columns import Columns
from search.matching import Evaluator
from search.query import SCOPE_FIELDS, ParsedQuery, only_fields
from search.request import FacetValue, SearchRequest
from search.stories import Articles, Counting

Facets = dict[str, tuple[FacetValue, ...]]


Counts = dict[str, int]
"""A facet's values and their counts."""


def authors(
    columns: Columns,
    results: np.ndarray,
    unfiltered: np.ndarray,
    chosen: tuple[str, ...],
    counting: Counting,
) -> Counts:
    """Authors of the results and their counts.

    Choosing an author adds it to the ``chosen`` ones (results by any of them), so an
    author's count is what choosing it shows: over the results ``unfiltered`` by author,
    those by it or by a chosen one. A chosen author counts its own results.
    """
    groups = columns.authors
    docs = columns.author_docs
    in_unfiltered = np.asarray(unfiltered)[docs]
    size = len(groups.names)
    counts = counting.per_value(groups.pairs[in_unfiltered], docs[in_unfiltered], size)
    if chosen:
        outside = in_unfiltered & ~np.asarray(results)[docs]
        outside[outside] = counting.new_to(results, docs[outside])
        added = counting.per_value(groups.pairs[outside], docs[outside], size)
        picked = [group for name in chosen if (group := groups.find(name)) is not None]
        unpicked = np.ones(len(counts), dtype=bool)
        unpicked[picked] = False
        counts = np.where(unpicked & (counts > 0), counting.total(results) + added, counts)
    return {groups.names[group]: int(counts[group]) for group in np.flatnonzero(counts)}


def years(columns: Columns, mask: np.ndarray, counting: Counting) -> Counts:
    """Publication years of the results (undated results are not counted)."""
    docs = np.flatnonzero(mask)
    counts = counting.per_value(columns.year[docs], docs, 1)
    return {f"{year:04d}": int(counts[year]) for year in np.flatnonzero(counts[1:]) + 1}


def months(columns: Columns, mask: np.ndarray, year: int, counting: Counting) -> Counts:
    """Publication months of the results within ``year``."""
    docs = np.flatnonzero(np.asarray(mask) & (columns.year == year))
    counts = counting.per_value(columns.month[docs], docs, 13)
    return {
        f"{year:04d}-{month:02d}": int(counts[month]) for month in np.flatnonzero(counts[1:]) + 1
    }


def counts(
    columns: Columns,
    mask: np.ndarray,
    unfiltered: np.ndarray,
    request: SearchRequest,
    where: dict[str, np.ndarray],
    counting: Counting,
) -> dict[str, Counts]:
    """Every facet's values counted one way: authors (see :func:`authors`), years
    (months within a chosen year) and "where matched" (``where``: the results matching
    in each section; values with no match are left out)."""
    found = {
        "author": authors(columns, mask, unfiltered, request.authors, counting),
        "year": years(columns, mask, counting),
    }
    if request.year is not None:
        found["month"] = months(columns, mask, request.year, counting)
    if where:
        matched = {value: counting.total(in_section) for value, in_section in where.items()}
        found["matched"] = {value: n for value, n in matched.items() if n}
    return found


def facets(
    columns: Columns,
    mask: np.ndarray,
    unfiltered: np.ndarray,
    request: SearchRequest,
    where: dict[str, np.ndarray],
    counting: Counting,
) -> Facets:
    """Every facet of a response, each value with its ``counting`` count and its articles;
    authors most results first, then by name (case-insensitively), years oldest first,
    months in calendar order."""
    counted = counts(columns, mask, unfiltered, request, where, counting)
    articles = (
        counted
        if isinstance(counting, Articles)
        else counts(columns, mask, unfiltered, request, where, Articles())
    )
    found: Facets = {}
    for name, values in counted.items():
        order = sorted(values.items(), key=lambda item: (-item[1], item[0].lower()))
        items = order if name == "author" else list(values.items())
        found[name] = tuple(FacetValue(v, n, articles[name][v]) for v, n in items)
    return found


WHERE_MATCHED = {"title": ("title",), "body": ("body",), "captions": ("captions",)}
"""The "where matched" facet: its values and the fields each one covers."""


def where_matched(
    evaluator: Evaluator, parsed: ParsedQuery, results: np.ndarray
) -> dict[str, np.ndarray]:
    """The results that match the query in each section (within the search scope)."""
    found = {}
    for value, section in WHERE_MATCHED.items():
        if set(section) & set(SCOPE_FIELDS[parsed.scope]):
            found[value] = evaluator.match(only_fields(parsed.query, section)).mask & results
    return found
