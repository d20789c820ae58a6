"""Facet counts over the whole result set, as array operations over the generation's columns."""

from __future__ import annotations

import numpy as np

from search.columns import Columns
from search.matching import Evaluator
from search.query import SCOPE_FIELDS, ParsedQuery, only_fields
from search.request import FacetValue, SearchRequest

Facets = dict[str, tuple[FacetValue, ...]]


def authors(
    columns: Columns, results: np.ndarray, unfiltered: np.ndarray, chosen: tuple[str, ...]
) -> tuple[FacetValue, ...]:
    """Authors of the results, most results first, then by name (case-insensitively).

    Choosing an author adds it to the ``chosen`` ones (results by any of them), so an
    author's count is what choosing it shows: over the results ``unfiltered`` by author,
    the articles by it or by a chosen one. A chosen author counts its own articles.
    """
    groups = columns.authors
    in_unfiltered = np.asarray(unfiltered)[columns.author_docs]
    counts = np.bincount(groups.pairs[in_unfiltered], minlength=len(groups.names))
    if chosen:
        outside = in_unfiltered & ~np.asarray(results)[columns.author_docs]
        added = np.bincount(groups.pairs[outside], minlength=len(groups.names))
        picked = [group for name in chosen if (group := groups.find(name)) is not None]
        unpicked = np.ones(len(counts), dtype=bool)
        unpicked[picked] = False
        counts = np.where(unpicked & (counts > 0), int(np.count_nonzero(results)) + added, counts)
    values = [(groups.names[group], int(counts[group])) for group in np.flatnonzero(counts)]
    values.sort(key=lambda item: (-item[1], item[0].lower()))
    return tuple(FacetValue(name, count) for name, count in values)


def years(columns: Columns, mask: np.ndarray) -> tuple[FacetValue, ...]:
    """Publication years of the results, oldest first (undated results are not counted)."""
    counts = np.bincount(columns.year[np.asarray(mask)])
    return tuple(
        FacetValue(f"{year:04d}", int(counts[year])) for year in np.flatnonzero(counts[1:]) + 1
    )


def months(columns: Columns, mask: np.ndarray, year: int) -> tuple[FacetValue, ...]:
    """Publication months of the results within ``year``, in calendar order."""
    counts = np.bincount(columns.month[np.asarray(mask) & (columns.year == year)], minlength=13)
    return tuple(
        FacetValue(f"{year:04d}-{month:02d}", int(counts[month]))
        for month in np.flatnonzero(counts[1:]) + 1
    )


def facets(
    columns: Columns,
    mask: np.ndarray,
    unfiltered: np.ndarray,
    request: SearchRequest,
    where: dict[str, int],
) -> Facets:
    """Every facet of a response: authors (see :func:`authors`), years (months within a
    chosen year) and the "where matched" counts (``where``, already counted; values with
    no match are left out)."""
    found: Facets = {
        "author": authors(columns, mask, unfiltered, request.authors),
        "year": years(columns, mask),
    }
    if request.year is not None:
        found["month"] = months(columns, mask, request.year)
    if where:
        found["matched"] = tuple(FacetValue(value, n) for value, n in where.items() if n)
    return found


WHERE_MATCHED = {"title": ("title",), "body": ("body",), "captions": ("captions",)}
"""The "where matched" facet: its values and the fields each one covers."""


def where_matched(evaluator: Evaluator, parsed: ParsedQuery, results: np.ndarray) -> dict[str, int]:
    """How many of the results match the query in each section (within the search scope)."""
    counts = {}
    for value, section in WHERE_MATCHED.items():
        if set(section) & set(SCOPE_FIELDS[parsed.scope]):
            in_section = evaluator.match(only_fields(parsed.query, section)).mask
            counts[value] = int(np.count_nonzero(in_section & results))
    return counts
