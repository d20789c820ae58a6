"""The filters of a request as one document mask: authors, dates, year and month, the
earlier query of "search within", photo captions. Filters never change scores."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search.matching import Evaluator
from search.query import ParsedQuery, parse_for_fields, query_text
from search.request import SearchRequest


def allowed(
    evaluator: Evaluator,
    request: SearchRequest,
    parsed: ParsedQuery,
    within: ParsedQuery | None,
) -> np.ndarray | None:
    """The documents the request's filters other than authors allow; None when it has
    none (the author filter narrows the ranked results afterwards: ``by_authors``)."""
    columns = evaluator.columns
    masks: list[np.ndarray] = []
    if request.since or request.until:
        masks.append(columns.dated_between("published", request.since, request.until))
    if request.year is not None:
        masks.append(columns.year == request.year)
        if request.month is not None:
            masks.append(columns.month == request.month)
    if within is not None and within.query is not wq.NullQuery:
        masks.append(evaluator.match(within.query).mask)
    if request.caption_only and parsed.query is not wq.NullQuery:
        schema = evaluator.searcher.schema
        in_captions = parse_for_fields(query_text(parsed), schema, ("captions",))
        masks.append(evaluator.match(in_captions).mask)
    if not masks:
        return None
    combined = masks[0].copy()
    for mask in masks[1:]:
        combined &= mask
    return combined
