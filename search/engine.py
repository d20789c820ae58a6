"""The long-lived searcher: opens the current index generation once and answers requests."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.fields import Schema
from whoosh.searching import Searcher as WhooshSearcher

from index import generations
from index.generations import Generation, IndexUnavailable
from index.model import Article, Caption
from index.schema import SECTION_SEPARATOR
from search import highlight, suggest
from search.query import (
    MAIN_FIELDS,
    SCOPE_FIELDS,
    ParsedQuery,
    bound_expansions,
    parse_for_fields,
    parse_query,
)
from search.ranking import LOW_WEIGHT_FIELDS, weighting
from search.request import FacetValue, Hit, SearchRequest, SearchResponse, Sort

HIGHLIGHT_FIELDS = ("title", "body", "captions", "credits", "bio", "author")
HEADLINE, ALL_WORDS, SOME_WORDS, WEAK = "0-headline", "1-all-words", "2-some-words", "3-weak"
"""Relevance buckets, best first: the headline holds the query as a phrase; the article holds
every word; it holds some words in its headline, body, captions or byline; or it matched only
in the author bio or a photo credit. Within a bucket, hits are ordered by BM25F score."""
WHERE_MATCHED = {"title": ("title",), "body": ("body",), "captions": ("captions",)}
"""The "where matched" facet: its values and the fields each one covers."""


def _query_text(parsed: ParsedQuery) -> str:
    """The text to re-parse for other fields: content words for plain queries."""
    return " ".join(parsed.words) if parsed.plain else parsed.read_as


def _buckets(parsed: ParsedQuery, schema: Schema) -> dict[str, wq.Query]:
    """The relevance buckets that apply to this query (see ``HEADLINE``)."""
    scope_fields = SCOPE_FIELDS[parsed.scope]
    main = tuple(name for name in scope_fields if name in MAIN_FIELDS)
    buckets: dict[str, wq.Query] = {}
    if parsed.plain and len(parsed.words) >= 2:
        if "title" in scope_fields:
            phrase = '"' + parsed.read_as.replace('"', " ") + '"'
            buckets[HEADLINE] = parse_for_fields(phrase, schema, ("title",))
        buckets[ALL_WORDS] = wq.And([parse_for_fields(w, schema, main) for w in parsed.words])
    buckets[SOME_WORDS] = parse_for_fields(_query_text(parsed), schema, main)
    return buckets


def _order(sort: Sort, buckets: dict[str, wq.Query]) -> sorting.MultiFacet:
    """Sort keys: bucket then score for relevance; date then score otherwise (undated last)."""
    if sort is Sort.RELEVANCE:
        return sorting.MultiFacet([sorting.QueryFacet(buckets, other=WEAK), sorting.ScoreFacet()])
    return sorting.MultiFacet(
        [
            sorting.QueryFacet({"dated": wq.Every("published")}, other="undated"),
            sorting.FieldFacet("published", reverse=sort is Sort.NEWEST),
            sorting.ScoreFacet(),
        ]
    )


def _facets(
    request: SearchRequest, parsed: ParsedQuery, schema: Schema, buckets: dict[str, wq.Query]
) -> dict[str, sorting.FacetType]:
    """Facets counted over the whole result set (not just the page)."""
    facets: dict[str, sorting.FacetType] = {
        "author": sorting.FieldFacet("authors", allow_overlap=True, maptype=sorting.Count),
        "year": sorting.FieldFacet("year", maptype=sorting.Count),
    }
    if request.year is not None:
        facets["month"] = sorting.FieldFacet("month", maptype=sorting.Count)
    if parsed.query is not wq.NullQuery:
        text = _query_text(parsed)
        where = {
            value: parse_for_fields(text, schema, fields)
            for value, fields in WHERE_MATCHED.items()
            if set(fields) & set(SCOPE_FIELDS[parsed.scope])
        }
        facets["matched"] = sorting.QueryFacet(where, allow_overlap=True, maptype=sorting.Count)
        facets["bucket"] = sorting.QueryFacet(buckets, other=WEAK, maptype=sorting.Count)
    return facets


def _counts(results: Any, name: str) -> dict[str, int]:
    return {str(key): count for key, count in results.groups(name).items() if key is not None}


def _facet_values(name: str, results: Any) -> tuple[FacetValue, ...]:
    """Facet values with counts: authors by count, dates in time order, sections in page order."""
    counts = _counts(results, name)
    if name in ("year", "month"):
        ordered = sorted(counts.items())
    elif name == "matched":
        ordered = [(value, counts[value]) for value in WHERE_MATCHED if value in counts]
    else:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))
    return tuple(FacetValue(value, count) for value, count in ordered)


def _date(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


class Searcher:
    """Answers search requests against the current generation of an index root.

    Open one per process and reuse it: it keeps the Whoosh searcher open and
    moves to a new generation on the first request after a reindex switched.
    """

    def __init__(self, index_root: Path) -> None:
        self.index_root = Path(index_root)
        self._lock = threading.RLock()
        self._generation: Generation | None = None
        self._searcher: WhooshSearcher | None = None

    def _current(self) -> tuple[Generation, WhooshSearcher]:
        """The open searcher for the current generation, reopened if a reindex switched."""
        name = generations.current_name(self.index_root)
        if self._generation is None or self._searcher is None or name != self._generation.name:
            generation = generations.current_generation(self.index_root)
            try:
                ix = whoosh_index.open_dir(str(generation.path))
            except (OSError, whoosh_index.EmptyIndexError) as error:
                raise IndexUnavailable(
                    f"cannot open the index at {generation.path}: {error}"
                ) from None
            self.close()
            self._generation = generation
            self._searcher = ix.searcher(weighting=weighting())
        return self._generation, self._searcher

    @property
    def generation(self) -> Generation:
        """The generation now serving (raises ``IndexUnavailable`` when there is none)."""
        with self._lock:
            return self._current()[0]

    def close(self) -> None:
        """Release the open index files."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._generation = None

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run one search request: ranked, filtered, faceted, paged and highlighted."""
        started = time.perf_counter()
        with self._lock:
            generation, searcher = self._current()
            schema = searcher.schema
            parsed = parse_query(request.query, schema, request.scope)
            bounded, expansion_notices = bound_expansions(parsed.query, searcher.reader())
            parsed = dataclasses.replace(
                parsed, query=bounded, notices=parsed.notices + expansion_notices
            )
            filters = self._filter(request, parsed, schema)
            if parsed.query is wq.NullQuery:
                query: wq.Query = wq.Every()
                buckets: dict[str, wq.Query] = {}
            else:
                query = parsed.query
                buckets = _buckets(parsed, schema)
            groupedby = _facets(request, parsed, schema, buckets)
            browsing = parsed.query is wq.NullQuery and request.sort is Sort.RELEVANCE
            results = searcher.search(
                query,
                limit=request.page * request.per_page,
                sortedby=_order(Sort.NEWEST if browsing else request.sort, buckets),
                groupedby=groupedby,
                filter=filters,
                terms=True,
            )
            terms = highlight.match_terms(query, searcher.reader())
            weights = highlight.term_weights(searcher, terms)
            first = (request.page - 1) * request.per_page
            hits = tuple(
                self._hit(searcher, results[rank], terms, weights, request.sort)
                for rank in range(first, min(results.scored_length(), first + request.per_page))
            )
            total = len(results)
            bucket_counts = _counts(results, "bucket") if "bucket" in groupedby else {}
            suggestion = None
            if parsed.plain and parsed.words:
                suggestion = suggest.did_you_mean(
                    searcher,
                    parsed.read_as,
                    total,
                    lambda text: len(
                        searcher.search(
                            parse_query(text, schema, request.scope).query, limit=1, filter=filters
                        )
                    ),
                )
        notices = list(parsed.notices)
        all_words_total = None
        if ALL_WORDS in buckets:
            all_words_total = bucket_counts.get(HEADLINE, 0) + bucket_counts.get(ALL_WORDS, 0)
            if total and not all_words_total:
                notices.append(
                    "No article contains all of the words; showing articles with some of them."
                )
        elif parsed.plain and parsed.words:
            all_words_total = total
        return SearchResponse(
            request=request,
            query=parsed.read_as,
            total=total,
            hits=hits,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            generation=generation.name,
            facets={name: _facet_values(name, results) for name in groupedby if name != "bucket"},
            suggestion=suggestion,
            notices=tuple(notices),
            all_words_total=all_words_total,
        )

    @staticmethod
    def _filter(request: SearchRequest, parsed: ParsedQuery, schema: Schema) -> wq.Query | None:
        """Filters narrow the result set without changing scores."""
        parts: list[wq.Query] = []
        if request.authors:
            parts.append(wq.Or([wq.Term("authors", name) for name in request.authors]))
        if request.since or request.until:
            start = datetime.combine(request.since, dt_time.min) if request.since else None
            end = datetime.combine(request.until, dt_time.max) if request.until else None
            parts.append(wq.DateRange("published", start, end))
        if request.year is not None:
            parts.append(wq.Term("year", f"{request.year:04d}"))
        if request.month is not None and request.year is not None:
            parts.append(wq.Term("month", f"{request.year:04d}-{request.month:02d}"))
        if request.within:
            base = parse_query(request.within, schema, request.scope).query
            if base is not wq.NullQuery:
                parts.append(base)
        if request.caption_only and parsed.query is not wq.NullQuery:
            parts.append(parse_for_fields(_query_text(parsed), schema, ("captions",)))
        return wq.And(parts) if parts else None

    def _hit(
        self,
        searcher: WhooshSearcher,
        result: Any,
        terms: highlight.MatchTerms,
        weights: dict[str, float],
        sort: Sort,
    ) -> Hit:
        stored = result.fields()
        docnum = result.docnum
        reader = searcher.reader()
        spans = {
            name: highlight.match_spans(reader, docnum, name, terms) for name in HIGHLIGHT_FIELDS
        }
        phrases_only = highlight.MatchTerms(phrases=terms.phrases)
        phrase = any(
            highlight.match_spans(reader, docnum, name, phrases_only) for name in HIGHLIGHT_FIELDS
        )
        body, more_matches, more_paragraphs = highlight.body_fragments(
            stored.get("body", ""), spans["body"], weights
        )
        title = highlight.render(stored.get("title", ""), spans["title"])
        captions = highlight.caption_matches(
            stored.get("captions", ""),
            stored.get("credits", ""),
            spans["captions"],
            spans["credits"],
        )
        key = result.score
        bucket = key[0] if isinstance(key, tuple) and sort is Sort.RELEVANCE else None
        score = -key[-1] if isinstance(key, tuple) else key
        matched_in = tuple(name for name in HIGHLIGHT_FIELDS if spans[name])
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            title_html=title.html,
            authors=tuple(filter(None, stored.get("authors", "").split(","))),
            published=_date(stored.get("published")),
            updated=_date(stored.get("updated")),
            score=round(float(score or 0.0), 4),
            body=tuple(body),
            captions=tuple(captions),
            matched_in=matched_in,
            matched_paragraphs=highlight.matched_sections(stored.get("body", ""), spans["body"]),
            matched_captions=highlight.matched_sections(
                stored.get("captions", ""), spans["captions"]
            ),
            phrase=phrase or bucket == HEADLINE,
            weak=bucket == WEAK or (bool(matched_in) and set(matched_in) <= LOW_WEIGHT_FIELDS),
            more_matches=more_matches,
            more_paragraphs=more_paragraphs,
            url=stored.get("url"),
        )

    def complete(self, prefix: str, limit: int = suggest.MAX_COMPLETIONS) -> list[str]:
        """Up to ``limit`` completions of what the user has typed so far (autocomplete)."""
        with self._lock:
            _, searcher = self._current()
            return suggest.complete(searcher, prefix, limit)

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._lock:
            _, searcher = self._current()
            stored = searcher.document(id=article_id)
        if stored is None:
            return None
        credits = stored.get("credits", "").split(SECTION_SEPARATOR)
        captions = [
            Caption(text, credits[i] if i < len(credits) and credits[i] else None)
            for i, text in enumerate(
                filter(None, stored.get("captions", "").split(SECTION_SEPARATOR))
            )
        ]
        return Article(
            id=stored["id"],
            title=stored.get("title", ""),
            authors=tuple(filter(None, stored.get("authors", "").split(","))),
            published=_date(stored.get("published")),
            updated=_date(stored.get("updated")),
            paragraphs=tuple(filter(None, stored.get("body", "").split(SECTION_SEPARATOR))),
            captions=tuple(captions),
            bio=stored.get("bio", ""),
            source=stored.get("source", ""),
            url=stored.get("url"),
            content_hash=stored.get("content_hash", ""),
        )
