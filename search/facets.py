"""Facet counts over the whole result set, as array operations over the generation's columns."""

from __future__ import annotations

import numpy as np

from search.columns import Columns
from search.matching import Evaluator
from search.query import SCOPE_FIELDS, ParsedQuery, only_fields
from search.request import FacetValue

Facets = dict[str, tuple[FacetValue, ...]]


def authors(columns: Columns, mask: np.ndarray) -> tuple[FacetValue, ...]:
    """Authors of the results, most results first, then by name (case-insensitively)."""
    matched = np.asarray(mask)[columns.author_docs]
    counts = np.bincount(columns.author_codes[matched], minlength=len(columns.author_names))
    codes = np.flatnonzero(counts)
    values = [(columns.author_names[code], int(counts[code])) for code in codes.tolist()]
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


def facets(columns: Columns, mask: np.ndarray, year: int | None, where: dict[str, int]) -> Facets:
    """Every facet of a response: authors, years (months within a chosen year) and the
    "where matched" counts (``where``, already counted; values with no match are left out)."""
    found: Facets = {"author": authors(columns, mask), "year": years(columns, mask)}
    if year is not None:
        found["month"] = months(columns, mask, year)
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
