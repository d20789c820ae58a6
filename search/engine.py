"""The long-lived searcher: opens the current index generation once and answers requests."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import index as whoosh_index
from whoosh import query as wq
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
from search.request import (
    MAX_QUERY_CHARS,
    ArticleHighlights,
    FacetValue,
    Hit,
    Scope,
    SearchRequest,
    SearchResponse,
    Sort,
)

HIGHLIGHT_FIELDS = ("title", "body", "captions", "credits", "bio", "author")
HEADLINE, ALL_WORDS, SOME_WORDS, WEAK = "0-headline", "1-all-words", "2-some-words", "3-weak"
"""Relevance buckets, best first: the headline holds the query as a phrase; the article holds
every word; it holds some words in its headline, body, captions or byline; or it matched only
in the author bio or a photo credit. Within a bucket, hits are ordered by BM25F score."""
NO_DATE = 2**64 - 1
"""What Whoosh's raw ``published`` column holds for an undated article."""
WHERE_MATCHED = {"title": ("title",), "body": ("body",), "captions": ("captions",)}
"""The "where matched" facet: its values and the fields each one covers."""


def _query_text(parsed: ParsedQuery) -> str:
    """The text to re-parse for other fields: content words for plain queries."""
    return " ".join(parsed.words) if parsed.plain else parsed.read_as


@dataclass(frozen=True)
class _Ranked:
    docnum: int
    score: float
    bucket: str


@dataclass(frozen=True)
class _Columns:
    """Column readers of one generation: sort keys and facet values without stored fields."""

    authors: Any
    year: Any
    month: Any
    published: Any

    @classmethod
    def of(cls, searcher: WhooshSearcher) -> _Columns:
        reader = searcher.reader()
        return cls(
            authors=reader.column_reader("authors"),
            year=reader.column_reader("year"),
            month=reader.column_reader("month"),
            published=reader.column_reader("published", translate=False),
        )


class _Open(NamedTuple):
    """What is open for the generation that serves: its searcher and its column readers."""

    generation: Generation
    searcher: WhooshSearcher
    columns: _Columns


def _has_negation(query: wq.Query) -> bool:
    if isinstance(query, wq.Not | wq.AndNot):
        return True
    return any(_has_negation(child) for child in query.children())


def _sorted(ranked: list[_Ranked], sort: Sort, columns: _Columns) -> list[_Ranked]:
    """Relevance: bucket, then score. Dates: newest or oldest first, undated last, then score.
    The document number breaks ties, so pages never overlap or skip."""
    if sort is Sort.RELEVANCE:
        return sorted(ranked, key=lambda r: (r.bucket, -r.score, r.docnum))
    sign = -1 if sort is Sort.NEWEST else 1

    def by_date(r: _Ranked) -> tuple[int, int, float, int]:
        published = columns.published[r.docnum]
        if published >= NO_DATE:
            return (1, 0, -r.score, r.docnum)
        return (0, sign * published, -r.score, r.docnum)

    return sorted(ranked, key=by_date)


def _facets(
    columns: _Columns, ranked: list[_Ranked], request: SearchRequest, where: dict[str, int]
) -> dict[str, tuple[FacetValue, ...]]:
    """Facet counts over the whole result set (not just the page), from column values."""
    authors: Counter[str] = Counter()
    years: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for item in ranked:
        authors.update(name for name in columns.authors[item.docnum].split(",") if name)
        if year := columns.year[item.docnum]:
            years[year] += 1
        if request.year is not None and (month := columns.month[item.docnum]):
            months[month] += 1
    facets = {
        "author": tuple(
            FacetValue(name, count)
            for name, count in sorted(authors.items(), key=lambda i: (-i[1], i[0].lower()))
        ),
        "year": tuple(FacetValue(year, count) for year, count in sorted(years.items())),
    }
    if request.year is not None:
        facets["month"] = tuple(FacetValue(m, count) for m, count in sorted(months.items()))
    if where:
        facets["matched"] = tuple(
            FacetValue(value, count) for value, count in where.items() if count
        )
    return facets


def _read_query(searcher: WhooshSearcher, text: str, scope: Scope) -> ParsedQuery:
    """Parse what the user typed and cap its prefix, wildcard and fuzzy expansions."""
    parsed = parse_query(text, searcher.schema, scope)
    bounded, notices = bound_expansions(parsed.query, searcher.reader())
    return dataclasses.replace(parsed, query=bounded, notices=parsed.notices + notices)


def _scores(
    searcher: WhooshSearcher,
    query: wq.Query,
    allowed: set[int] | None,
    exclude: set[int] | None = None,
) -> dict[int, float]:
    """BM25F score of every document matching ``query`` (within ``allowed``, minus ``exclude``)."""
    if query is wq.NullQuery:
        return {}
    results = searcher.search(query, limit=None, filter=allowed, mask=exclude or None)
    return {docnum: float(score) for score, docnum in results.top_n}


def _sections(text: str) -> list[str]:
    """The stored lines of a field, by position (a field with no text has none)."""
    return text.split(SECTION_SEPARATOR) if text else []


def _only_fields(query: wq.Query, fields: tuple[str, ...]) -> wq.Query:
    """The query with every term outside ``fields`` removed (``credit:lena`` has no title part)."""
    if query.is_leaf():
        return query if query.field() in fields else wq.NullQuery
    return query.apply(lambda child: _only_fields(child, fields)).normalize()


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
        self._open: _Open | None = None

    def _current(self) -> _Open:
        """The open searcher for the current generation, reopened if a reindex switched."""
        name = generations.current_name(self.index_root)
        if self._open is None or name != self._open.generation.name:
            generation = generations.current_generation(self.index_root)
            try:
                ix = whoosh_index.open_dir(str(generation.path))
            except (OSError, whoosh_index.EmptyIndexError) as error:
                raise IndexUnavailable(
                    f"cannot open the index at {generation.path}: {error}"
                ) from None
            self.close()
            searcher = ix.searcher(weighting=weighting())
            self._open = _Open(generation, searcher, _Columns.of(searcher))
        return self._open

    @property
    def generation(self) -> Generation:
        """The generation now serving (raises ``IndexUnavailable`` when there is none)."""
        with self._lock:
            return self._current().generation

    def close(self) -> None:
        """Release the open index files."""
        if self._open is not None:
            self._open.searcher.close()
        self._open = None

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run one search request: ranked, filtered, faceted, paged and highlighted."""
        started = time.perf_counter()
        with self._lock:
            generation, searcher, columns = self._current()
            reader = searcher.reader()
            parsed = _read_query(searcher, request.query, request.scope)
            allowed = self._allowed(searcher, request, parsed)
            where: dict[str, int] = {}
            if parsed.query is wq.NullQuery:
                everything = allowed if allowed is not None else reader.all_doc_ids()
                ranked = [_Ranked(docnum, 0.0, SOME_WORDS) for docnum in everything]
            elif allowed is not None and not allowed:
                ranked = []
            else:
                ranked = self._rank(searcher, parsed, allowed)
                where = self._where_matched(searcher, parsed, {r.docnum for r in ranked})
            browsing = parsed.query is wq.NullQuery and request.sort is Sort.RELEVANCE
            ranked = _sorted(ranked, Sort.NEWEST if browsing else request.sort, columns)
            first = (request.page - 1) * request.per_page
            terms = highlight.match_terms(parsed.query, reader)
            weights = highlight.term_weights(searcher, terms)
            page = ranked[first : first + request.per_page]
            occurrences = highlight.Occurrences(reader, [item.docnum for item in page])
            hits = tuple(self._hit(searcher, item, terms, weights, occurrences) for item in page)
            facets = _facets(columns, ranked, request, where)
            total = len(ranked)
            suggestion = None
            if parsed.plain and parsed.words:
                suggestion = suggest.did_you_mean(
                    searcher,
                    parsed.read_as,
                    total,
                    lambda text: self._count(searcher, text, request),
                )
        notices = list(parsed.notices)
        all_words_total = None
        if parsed.plain and len(parsed.words) == 1:
            all_words_total = sum(1 for r in ranked if r.bucket != WEAK)
        elif parsed.plain and parsed.words:
            all_words_total = sum(1 for r in ranked if r.bucket in (HEADLINE, ALL_WORDS))
            if total and not all_words_total:
                notices.append(
                    "No article contains all of the words; showing articles with some of them."
                )
        return SearchResponse(
            request=request,
            query=parsed.read_as,
            total=total,
            hits=hits,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            generation=generation.name,
            facets=facets,
            suggestion=suggestion,
            notices=tuple(notices),
            all_words_total=all_words_total,
        )

    def ranked_ids(self, query: str, depth: int = 1000) -> list[str]:
        """The ids of the best ``depth`` articles for ``query``, in the order a search pages
        through them, without highlighting (for relevance evaluation and exports). A query
        longer than the request limit is cut to it."""
        with self._lock:
            _, searcher, columns = self._current()
            request = SearchRequest(query=query[:MAX_QUERY_CHARS])
            parsed = _read_query(searcher, request.query, request.scope)
            if parsed.query is wq.NullQuery:
                return []
            ranked = _sorted(self._rank(searcher, parsed, None), Sort.RELEVANCE, columns)
            return [searcher.reader().stored_fields(r.docnum)["id"] for r in ranked[:depth]]

    def _count(self, searcher: WhooshSearcher, text: str, request: SearchRequest) -> int:
        """How many articles another query text finds under the same filters (for suggestions)."""
        parsed = _read_query(searcher, text, request.scope)
        allowed = self._allowed(searcher, request, parsed)
        if parsed.query is wq.NullQuery or (allowed is not None and not allowed):
            return 0
        return len(searcher.search(parsed.query, limit=1, filter=allowed))

    def _rank(
        self, searcher: WhooshSearcher, parsed: ParsedQuery, allowed: set[int] | None
    ) -> list[_Ranked]:
        """Score every match once and put it in its relevance bucket (see ``HEADLINE``).

        The main pass searches headline, body, captions and byline; a second, small pass
        finds the articles that match only in the bio or a photo credit.
        """
        schema, reader = searcher.schema, searcher.reader()
        fields = SCOPE_FIELDS[parsed.scope]
        text = _query_text(parsed)

        def prepared(query: wq.Query) -> wq.Query:
            return bound_expansions(query, reader)[0]

        if _has_negation(parsed.query):  # an excluded word excludes it from every section
            allowed = set(parsed.query.docs(searcher)) & (allowed or set(reader.all_doc_ids()))
        main = tuple(name for name in fields if name in MAIN_FIELDS)
        scores = _scores(searcher, prepared(parse_for_fields(text, schema, main)), allowed)
        headline: set[int] = set()
        all_words: set[int] = set()
        if parsed.plain and len(parsed.words) >= 2:
            if "title" in fields:
                phrase = '"' + parsed.read_as.replace('"', " ") + '"'
                headline = set(
                    prepared(parse_for_fields(phrase, schema, ("title",))).docs(searcher)
                )
            every = parse_for_fields(" ".join(parsed.words), schema, main, every_word=True)
            all_words = set(prepared(every).docs(searcher))
        ranked = [
            _Ranked(
                docnum,
                score,
                HEADLINE
                if docnum in headline
                else ALL_WORDS
                if docnum in all_words
                else SOME_WORDS,
            )
            for docnum, score in scores.items()
        ]
        low = tuple(name for name in fields if name in LOW_WEIGHT_FIELDS)
        if low:
            weak = _scores(
                searcher, prepared(parse_for_fields(text, schema, low)), allowed, set(scores)
            )
            ranked.extend(_Ranked(docnum, score, WEAK) for docnum, score in weak.items())
        return ranked

    def _where_matched(
        self, searcher: WhooshSearcher, parsed: ParsedQuery, matched: set[int]
    ) -> dict[str, int]:
        """The "where matched" facet: how many of the results match in each section."""
        counts = {}
        for value, section in WHERE_MATCHED.items():
            if set(section) & set(SCOPE_FIELDS[parsed.scope]):
                query = _only_fields(parsed.query, section)
                found = query.docs(searcher) if query is not wq.NullQuery else ()
                counts[value] = sum(1 for docnum in found if docnum in matched)
        return counts

    @staticmethod
    def _allowed(
        searcher: WhooshSearcher, request: SearchRequest, parsed: ParsedQuery
    ) -> set[int] | None:
        """The documents the filters allow (None: no filter). Filters never change scores."""
        schema = searcher.schema
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
            base = _read_query(searcher, request.within, request.scope).query
            if base is not wq.NullQuery:
                parts.append(base)
        if request.caption_only and parsed.query is not wq.NullQuery:
            parts.append(parse_for_fields(_query_text(parsed), schema, ("captions",)))
        if not parts:
            return None
        return set(wq.And(parts).docs(searcher))

    def _hit(
        self,
        searcher: WhooshSearcher,
        ranked: _Ranked,
        terms: highlight.MatchTerms,
        weights: dict[str, float],
        occurrences: highlight.Occurrences,
    ) -> Hit:
        docnum = ranked.docnum
        reader = searcher.reader()
        stored = reader.stored_fields(docnum)
        spans = {
            name: highlight.match_spans(reader, docnum, name, terms, occurrences)
            for name in HIGHLIGHT_FIELDS
        }
        phrases_only = terms.only_phrases()
        phrase = any(
            highlight.match_spans(reader, docnum, name, phrases_only, occurrences)
            for name in HIGHLIGHT_FIELDS
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
        matched_in = tuple(name for name in HIGHLIGHT_FIELDS if spans[name])
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            title_html=title.html,
            authors=tuple(filter(None, stored.get("authors", "").split(","))),
            published=_date(stored.get("published")),
            updated=_date(stored.get("updated")),
            score=round(ranked.score, 4),
            body=tuple(body),
            captions=tuple(captions),
            matched_in=matched_in,
            matched_paragraphs=highlight.matched_sections(stored.get("body", ""), spans["body"]),
            matched_captions=highlight.matched_sections(
                stored.get("captions", ""), spans["captions"]
            ),
            phrase=phrase or ranked.bucket == HEADLINE,
            weak=ranked.bucket == WEAK,
            more_matches=more_matches,
            more_paragraphs=more_paragraphs,
            url=stored.get("url"),
        )

    def complete(self, prefix: str, limit: int = suggest.MAX_COMPLETIONS) -> list[str]:
        """Up to ``limit`` completions of what the user has typed so far (autocomplete)."""
        with self._lock:
            searcher = self._current().searcher
            return suggest.complete(searcher, prefix, limit)

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._lock:
            searcher = self._current().searcher
            stored = searcher.document(id=article_id)
        if stored is None:
            return None
        texts = _sections(stored.get("captions", ""))
        credits = _sections(stored.get("credits", ""))
        captions = [
            Caption(text, credits[i] if i < len(credits) and credits[i] else None)
            for i, text in enumerate(texts)
        ]
        return Article(
            id=stored["id"],
            title=stored.get("title", ""),
            dek=stored.get("dek", ""),
            authors=tuple(filter(None, stored.get("authors", "").split(","))),
            published=_date(stored.get("published")),
            updated=_date(stored.get("updated")),
            paragraphs=tuple(_sections(stored.get("body", ""))),
            captions=tuple(captions),
            bio=stored.get("bio", ""),
            source=stored.get("source", ""),
            url=stored.get("url"),
            content_hash=stored.get("content_hash", ""),
        )

    def article_highlights(
        self, article_id: str, query: str, scope: Scope = Scope.ALL
    ) -> ArticleHighlights | None:
        """Every section of one article with the matches of ``query`` marked, by the same
        highlighter as the search hits (the article page); None for an unknown id."""
        with self._lock:
            searcher = self._current().searcher
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                return None
            reader = searcher.reader()
            stored = reader.stored_fields(docnum)
            parsed = _read_query(searcher, query, scope)
            terms = highlight.match_terms(parsed.query, reader)
            spans = {
                name: highlight.match_spans(reader, docnum, name, terms)
                for name in HIGHLIGHT_FIELDS
            }

        return ArticleHighlights(
            query=parsed.read_as,
            title=highlight.render(stored.get("title", ""), spans["title"]),
            paragraphs=highlight.section_fragments(stored.get("body", ""), spans["body"]),
            captions=highlight.section_fragments(stored.get("captions", ""), spans["captions"]),
            credits=highlight.section_fragments(stored.get("credits", ""), spans["credits"]),
            bio=highlight.render(stored.get("bio", ""), spans["bio"]),
            notices=parsed.notices,
        )
