"""Relevance buckets: headline phrase, every word, some words, weak (bio or credit only)."""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.fields import Schema

from search import feedback
from search.matching import Evaluator
from search.query import (
    MAIN_FIELDS,
    SCOPE_FIELDS,
    ParsedQuery,
    has_negation,
    headline_phrase,
    one_word,
    only_fields,
    parse_for_fields,
    query_text,
    text_phrase,
)
from search.ranking import LOW_WEIGHT_FIELDS, Bucket, Ranked


def rank(evaluator: Evaluator, parsed: ParsedQuery, allowed: np.ndarray | None) -> Ranked:
    """Score every match and put it in its relevance bucket (see ``Bucket``).

    The main query searches headline, body, captions and byline; articles that match only
    in the bio or a photo credit come from a second query over those fields. An excluded
    word excludes the article whatever section it is in. A long question's matches are
    re-scored with its feedback words (``search.feedback``).
    """
    schema = evaluator.searcher.schema
    fields = SCOPE_FIELDS[parsed.scope]
    text = query_text(parsed)
    if has_negation(parsed.query):
        allowed = _narrowed(allowed, evaluator.match(parsed.query).mask)
    main_fields = tuple(name for name in fields if name in MAIN_FIELDS)
    main = evaluator.match(parse_for_fields(text, schema, main_fields))
    main.mask = _narrowed(allowed, main.mask)
    buckets = np.full(evaluator.size, Bucket.SOME_WORDS, dtype=np.int8)
    if parsed.plain and len(parsed.words) >= 2:
        buckets[evaluator.match(every_word(parsed, schema)).mask] = Bucket.ALL_WORDS
        buckets[evaluator.match(text_phrase(parsed, schema)).mask] = Bucket.PHRASE
        if "title" in fields:
            headline = headline_phrase(parsed, schema)
            buckets[evaluator.match(headline).mask] = Bucket.HEADLINE
    elif one_word(parsed) and "title" in fields:
        in_title = evaluator.match(only_fields(parsed.query, ("title",))).mask
        buckets[in_title & main.mask] = Bucket.HEADLINE
    scores = np.where(main.mask, main.scores, 0.0)
    if feedback.applies(parsed):
        best = feedback.best_documents(scores, main.mask)
        extra = feedback.expansion(evaluator.searcher, parsed, fields, best, scores)
        scores += np.where(main.mask, evaluator.match(extra).scores, 0.0)
    mask = main.mask.copy()
    low_fields = tuple(name for name in fields if name in LOW_WEIGHT_FIELDS)
    if low_fields:
        weak = evaluator.match(parse_for_fields(text, schema, low_fields))
        weak_only = _narrowed(allowed, weak.mask) & ~main.mask
        buckets[weak_only] = Bucket.WEAK
        scores[weak_only] = weak.scores[weak_only]
        mask |= weak_only
    return Ranked(mask, scores, buckets)


def every_word(parsed: ParsedQuery, schema: Schema) -> wq.Query:
    """A plain query's articles holding every one of its words in the main sections."""
    fields = tuple(name for name in SCOPE_FIELDS[parsed.scope] if name in MAIN_FIELDS)
    return parse_for_fields(" ".join(parsed.words), schema, fields, every_word=True)


def _narrowed(allowed: np.ndarray | None, mask: np.ndarray) -> np.ndarray:
    return mask if allowed is None else mask & allowed
