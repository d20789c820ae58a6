"""The long-lived searcher: opens the current index generation once and answers requests.

A request reads as its steps: parse (``search.query``) → filters as a mask
(``search.filters``) → match and bucket every result as arrays (``search.matching``,
``search.buckets``) → facets and totals (``search.facets``) → sort and page
(``search.ranking``) → highlights for the page only (``search.highlight``).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from index import generations
from index.generations import Generation, IndexUnavailable
from index.impacts import Bm25, impact_fields
from index.model import Article, Caption
from index.schema import SECTION_SEPARATOR
from search import buckets, facets, filters, highlight, spelling, suggest
from search.budget import SEARCH_SECONDS, TIME_NOTICE, Deadline, SearchBusy, unlimited
from search.columns import Columns
from search.diff import word_diff
from search.expansion import Allowance, Expander
from search.facets import Facets
from search.matching import Evaluator
from search.query import GLUE_TERMS, ParsedQuery, one_word, read_query
from search.ranking import (
    Bucket,
    Ranked,
    first_k,
    newest_day,
    recency_factors,
    sort_keys,
    weighting,
)
from search.related import related_query, significant_terms
from search.request import (
    MAX_QUERY_CHARS,
    ArticleHighlights,
    Headline,
    Hit,
    Recency,
    Related,
    Scope,
    SearchRequest,
    SearchResponse,
    Sort,
    StoryVersions,
    Suggestions,
    Version,
    Versions,
)
from search.scoring import Impacts
from search.stories import Articles, Counting, StoryGroups
from search.vocabulary import Vocabulary

MAX_RELATED = 5
"""Related articles an article page lists."""
MAX_VERSIONS = 10
"""Other versions of a story a result lists (its ``versions`` counts them all)."""
MAX_EXPORT_ROWS = 10_000
"""The most results an export streams (the CSV, JSON Lines and ``manage.py export``)."""
EXPORT_CHUNK = 100
"""Results highlighted and sent at a time by an export."""
HIGHLIGHT_FIELDS = ("title", "body", "captions", "credits", "bio", "author")


@dataclass(frozen=True)
class PageItem:
    """One hit of the page before highlighting: its document, score and bucket."""

    docnum: int
    score: float
    bucket: Bucket


@dataclass(frozen=True)
class Answer:
    """What the ranking step found: the total, the page, facets and bucket counts."""

    total: int
    page: tuple[PageItem, ...]
    facets: Facets
    bucket_counts: dict[Bucket, int]
    total_exact: bool = True
    """False when a phrase's candidates outran the phrase budget (``search.phrases``)."""
    articles: int = 0
    """The articles the results hold (``total`` counts stories when they are grouped)."""
    matched: np.ndarray | None = None
    """Every matching article (the page's other versions say whether they match)."""


@dataclass(frozen=True)
class Opened:
    """What is open for the generation that serves: Whoosh's searcher and the arrays.

    Opened once per worker per generation and shared by its requests; the arrays are
    memory-mapped, so the workers of one machine share their pages.
    """

    generation: Generation
    searcher: WhooshSearcher
    impacts: Impacts
    columns: Columns
    vocabulary: Vocabulary
    expander: Expander
    stories: StoryGroups

    @classmethod
    def of(cls, generation: Generation) -> Opened:
        try:
            ix = whoosh_index.open_dir(str(generation.path))
            bm25 = Bm25.from_manifest(generation.arrays["bm25"])
            searcher = ix.searcher(weighting=weighting(bm25))
            fields = list(impact_fields(searcher.reader()))
            vocabulary = Vocabulary.open(generation.path)
            columns = Columns.open(generation.path)
            return cls(
                generation,
                searcher,
                Impacts.open(generation.path, fields),
                columns,
                vocabulary,
                Expander(searcher.reader(), vocabulary),
                StoryGroups.open(generation.path, columns.doc_count),
            )
        except (OSError, ValueError, KeyError, TypeError, whoosh_index.EmptyIndexError) as error:
            raise IndexUnavailable(
                f"cannot open the index at {generation.path}: {error}; "
                "run `python manage.py reindex`"
            ) from None

    def evaluator(
        self, deadline: Deadline | None = None, allowance: Allowance | None = None
    ) -> Evaluator:
        return Evaluator(
            self.impacts, self.columns, self.searcher, self.expander, deadline, allowance
        )

    def read(self, text: str, scope: Scope, allowance: Allowance | None = None) -> ParsedQuery:
        """What the user typed, parsed, with its expansions bounded (by the request's
        ``allowance`` when given)."""
        return read_query(self.searcher, text, scope, self.expander, allowance)

    def counting(self, request: SearchRequest, matched: np.ndarray) -> Counting:
        """How the request's results are counted: stories, unless it asks for every version
        or none of the ``matched`` articles (before an author filter) has another version."""
        grouped = request.versions is Versions.GROUPED and self.stories.any_grouped(matched)
        return self.stories if grouped else Articles()

    def shown(self, request: SearchRequest, ranked: Ranked) -> Ranked:
        """The results a request shows: one per story unless it asks for every version."""
        return self.stories.collapse(ranked) if request.versions is Versions.GROUPED else ranked


def _date(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


def _sections(text: str) -> list[str]:
    """The stored lines of a field, by position (a field with no text has none)."""
    return text.split(SECTION_SEPARATOR) if text else []


def _all_words_total(parsed: ParsedQuery, counts: dict[Bucket, int]) -> int | None:
    """For plain queries: how many results hold every word (one word: are not weak)."""
    if not parsed.plain or not parsed.words:
        return None
    if len(parsed.words) == 1:
        return sum(n for bucket, n in counts.items() if bucket is not Bucket.WEAK)
    return sum(
        counts.get(bucket, 0) for bucket in (Bucket.HEADLINE, Bucket.PHRASE, Bucket.ALL_WORDS)
    )


UNMARKED_NOTICE = "The search reached its time limit before marking the matches on this page."


def _budget_notices(answer: Answer, cut_short: bool, deadline: Deadline) -> list[str]:
    """What the phrase and time budgets left out, in words."""
    if cut_short:
        return [TIME_NOTICE, UNMARKED_NOTICE]
    notices = [] if answer.total_exact else [UNCHECKED_NOTICE]
    return [*notices, UNMARKED_NOTICE] if deadline.ran_out else notices


def _within_notices(request: SearchRequest, within: ParsedQuery | None) -> list[str]:
    """What reading the earlier query of "search within" cut or reinterpreted."""
    if within is None:
        return []
    return [f"In the earlier search ({request.within[:60]}): {notice}" for notice in within.notices]


UNCHECKED_NOTICE = (
    "A phrase of the query is in more articles than one search checks word by word: "
    "these are its best-scoring matches, and the total counts only the articles checked."
)


class Searcher:
    """Answers search requests against the current generation of an index root.

    Open one per process and reuse it: it keeps the generation open and moves to a
    new generation on the first request after a reindex switched.
    """

    def __init__(self, index_root: Path, seconds: float = SEARCH_SECONDS) -> None:
        self.index_root = Path(index_root)
        self.seconds = seconds
        """The time budget of one search (``search.budget``)."""
        self._lock = threading.RLock()
        self._open: Opened | None = None
        self._exporting: list[Opened] = []
        """What the exports under way read (once per export), kept open past a switch."""

    def _current(self) -> Opened:
        """What is open for the current generation, reopened if a reindex switched, after
        its quick check (``IndexUnavailable`` when a file is damaged)."""
        name = generations.current_name(self.index_root)
        if self._open is not None and name == self._open.generation.name:
            # A few dozen stats per request: a truncated file is a clear 503, not a SIGBUS.
            generations.quick_check(self.index_root, self._open.generation)
            return self._open
        generation = generations.current_generation(self.index_root)
        generations.quick_check(self.index_root, generation)
        opened = Opened.of(generation)
        self.close()
        self._open = opened
        return opened

    @contextmanager
    def _turn(self, deadline: Deadline | None = None) -> Iterator[None]:
        """Hold the searcher for one request, waiting no longer than its time budget
        (``SearchBusy`` then: answering later than that helps no one)."""
        wait = (deadline or Deadline(self.seconds)).remaining()
        if not self._lock.acquire(timeout=wait if wait < float("inf") else -1):
            raise SearchBusy(retry_after=max(1, math.ceil(self.seconds)))
        try:
            yield
        finally:
            self._lock.release()

    @property
    def generation(self) -> Generation:
        """The generation now serving (raises ``IndexUnavailable`` when there is none)."""
        with self._turn():
            return self._current().generation

    def close(self) -> None:
        """Release the open index files (an export still reading them closes them)."""
        if self._open is not None and not self._reading(self._open):
            self._open.searcher.close()
        self._open = None

    def _reading(self, opened: Opened) -> bool:
        """Whether an export under way reads ``opened``."""
        return any(held is opened for held in self._exporting)

    def search(
        self, request: SearchRequest, gone: Callable[[], bool] | None = None
    ) -> SearchResponse:
        """Run one search request: ranked, filtered, faceted, paged and highlighted, within
        the time budget (counted from the call, waiting included), and only while ``gone``
        says its client is still there."""
        started = time.perf_counter()
        deadline = Deadline(self.seconds, gone=gone)
        allowance = Allowance()
        with self._turn(deadline):
            opened = self._current()
            parsed = opened.read(request.query, request.scope, allowance)
            within = (
                opened.read(request.within, request.scope, allowance) if request.within else None
            )
            answer = self._answer(opened, request, parsed, within, deadline, allowance)
            cut_short = deadline.ran_out
            hits = self._hits(opened, parsed, answer.page, deadline, answer.matched)
            suggestion = (
                None
                if deadline.ran_out
                else self._suggestion(opened, request, parsed, within, answer, allowance)
            )
        notices = [
            *parsed.notices,
            *_within_notices(request, within),
            *allowance.notices,
            *_budget_notices(answer, cut_short, deadline),
        ]
        all_words_total = _all_words_total(parsed, answer.bucket_counts)
        if len(parsed.words) > 1 and answer.total and not all_words_total:
            notices.append(
                "No article contains all of the words; showing articles with some of them."
            )
        return SearchResponse(
            request=request,
            query=parsed.read_as,
            total=answer.total,
            hits=hits,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            generation=opened.generation.name,
            facets=answer.facets,
            suggestion=suggestion,
            notices=tuple(notices),
            all_words_total=all_words_total,
            total_exact=answer.total_exact and not cut_short,
            articles=answer.articles,
        )

    def _answer(
        self,
        opened: Opened,
        request: SearchRequest,
        parsed: ParsedQuery,
        within: ParsedQuery | None,
        deadline: Deadline,
        allowance: Allowance,
    ) -> Answer:
        """Match, bucket, facet and page the request over the generation's arrays."""
        evaluator = opened.evaluator(deadline, allowance)
        ranked, unfiltered, sort = self._results(evaluator, request, parsed, within)
        shown = opened.shown(request, ranked)
        where: dict[str, np.ndarray] = {}
        if parsed.query is not wq.NullQuery:
            where = facets.where_matched(evaluator, parsed, ranked.mask)
        first = (request.page - 1) * request.per_page
        page = _page(opened, shown, sort, first, request.per_page)
        counts = np.bincount(shown.buckets[shown.mask], minlength=len(Bucket))
        counting = opened.counting(request, unfiltered.mask)
        return Answer(
            total=shown.total,
            page=page,
            facets=facets.facets(
                opened.columns, ranked.mask, unfiltered.mask, request, where, counting
            ),
            bucket_counts={bucket: int(counts[bucket]) for bucket in Bucket},
            total_exact=not evaluator.work.unchecked,
            articles=ranked.total,
            matched=ranked.mask,
        )

    def _results(
        self,
        evaluator: Evaluator,
        request: SearchRequest,
        parsed: ParsedQuery,
        within: ParsedQuery | None,
    ) -> tuple[Ranked, Ranked, Sort]:
        """The request's results ranked (newer ones raised as its ``recency`` asks), the
        same without its author filter (for the author facet), and the order to page them
        in (browsing: the newest first)."""
        unfiltered = self._ranked(
            evaluator, parsed, filters.allowed(evaluator, request, parsed, within)
        )
        ranked = unfiltered
        if request.authors:
            by_authors = evaluator.columns.with_authors(request.authors)
            ranked = dataclasses.replace(ranked, mask=ranked.mask & by_authors)
        if request.recency is not Recency.NONE:
            days, live = evaluator.columns.days["published"], evaluator.columns.live
            factors = recency_factors(days, newest_day(days, live), request.recency)
            ranked = dataclasses.replace(ranked, scores=ranked.scores * factors)
        sort = request.sort
        if parsed.query is wq.NullQuery and sort is Sort.RELEVANCE:
            sort = Sort.NEWEST
        return ranked, unfiltered, sort

    def export(self, request: SearchRequest, limit: int = MAX_EXPORT_ROWS) -> Iterator[Hit]:
        """Every result of ``request`` in its order, at most ``limit``, highlighted a chunk
        at a time as the iterator is read (each chunk a turn of its own, so searches go on
        between them). The results are found here, so a bad index raises before any is
        read; the generation they come from stays open until the export ends, even if a
        reindex switches meanwhile."""
        with self._turn():
            opened = self._current()
            allowance = Allowance()
            parsed = opened.read(request.query, request.scope, allowance)
            within = (
                opened.read(request.within, request.scope, allowance) if request.within else None
            )
            evaluator = opened.evaluator(unlimited(), allowance)
            ranked, _, sort = self._results(evaluator, request, parsed, within)
            items = _page(opened, opened.shown(request, ranked), sort, 0, limit)
            self._exporting.append(opened)
        return self._exported(opened, parsed, items, ranked.mask)

    def _exported(
        self,
        opened: Opened,
        parsed: ParsedQuery,
        items: tuple[PageItem, ...],
        matched: np.ndarray,
    ) -> Iterator[Hit]:
        """The hits of ``items``, a chunk at a time; lets ``opened`` go when done or dropped."""
        try:
            for start in range(0, len(items), EXPORT_CHUNK):
                with self._turn(unlimited()):
                    chunk = items[start : start + EXPORT_CHUNK]
                    hits = self._hits(opened, parsed, chunk, unlimited(), matched)
                yield from hits
        finally:
            with self._lock:
                mine = next(n for n, held in enumerate(self._exporting) if held is opened)
                del self._exporting[mine]
                if opened is not self._open and not self._reading(opened):
                    opened.searcher.close()

    @staticmethod
    def _ranked(evaluator: Evaluator, parsed: ParsedQuery, allowed: np.ndarray | None) -> Ranked:
        """Every match in ``allowed`` ranked; every allowed article when browsing (no query)."""
        if parsed.query is not wq.NullQuery:
            return buckets.rank(evaluator, parsed, allowed)
        mask = evaluator.everything().mask
        if allowed is not None:
            mask &= allowed
        return Ranked(mask, np.zeros(evaluator.size), np.full(evaluator.size, Bucket.SOME_WORDS))

    def _count(
        self,
        opened: Opened,
        text: str,
        request: SearchRequest,
        within: ParsedQuery | None,
        allowance: Allowance,
    ) -> int:
        """How many articles another query text finds under the same filters, holding all
        its words when it is plain words (for "did you mean")."""
        evaluator = opened.evaluator(allowance=allowance)
        parsed = opened.read(text, request.scope, allowance)
        if parsed.query is wq.NullQuery:
            return 0
        allowed = filters.allowed(evaluator, request, parsed, within)
        every = parsed.plain and parsed.words
        query = buckets.every_word(parsed, opened.searcher.schema) if every else parsed.query
        mask = evaluator.match(query).mask
        if request.authors:
            mask = mask & opened.columns.with_authors(request.authors)
        return int(np.count_nonzero(mask if allowed is None else mask & allowed))

    def _suggestion(
        self,
        opened: Opened,
        request: SearchRequest,
        parsed: ParsedQuery,
        within: ParsedQuery | None,
        answer: Answer,
        allowance: Allowance,
    ) -> str | None:
        found = _all_words_total(parsed, answer.bucket_counts)
        return spelling.did_you_mean(
            opened.vocabulary,
            opened.searcher.reader(),
            parsed.read_as,
            answer.total if found is None else found,
            lambda text: self._count(opened, text, request, within, allowance),
        )

    def _hits(
        self,
        opened: Opened,
        parsed: ParsedQuery,
        page: tuple[PageItem, ...],
        deadline: Deadline,
        matched: np.ndarray | None = None,
    ) -> tuple[Hit, ...]:
        """The page's hits with their highlights and their stories' other versions (which
        of them are in ``matched``): the only stored text a search reads (past the time
        budget, the hits are shown unmarked)."""
        searcher = opened.searcher
        reader = searcher.reader()
        terms = highlight.MatchTerms() if deadline.passed() else _marked(parsed, reader)
        weights = highlight.term_weights(searcher, terms)
        docnums = [item.docnum for item in page]
        occurrences = highlight.Occurrences(reader, docnums, opened.impacts)
        # A one-word query's headline matches rank first but are no phrase.
        phrased = not one_word(parsed)
        return tuple(
            dataclasses.replace(
                self._hit(searcher, item, terms, weights, occurrences, phrased),
                **_versions(opened, item.docnum, matched),
            )
            for item in page
        )

    def ranked_ids(self, query: str, depth: int = 1000) -> list[str]:
        """The ids of the best ``depth`` articles for ``query``, in the order a search pages
        through them, without highlighting (for relevance evaluation and exports). A query
        longer than the request limit is cut to it."""
        with self._lock:
            opened = self._current()
            parsed = opened.read(query[:MAX_QUERY_CHARS], Scope.ALL)
            if parsed.query is wq.NullQuery:
                return []
            reader = opened.searcher.reader()
            return [
                reader.stored_fields(item.docnum)["id"]
                for item in self._best(opened, parsed, depth)
            ]

    def _best(self, opened: Opened, parsed: ParsedQuery, depth: int) -> tuple[PageItem, ...]:
        """The ``depth`` best results of a query without filters, in relevance order."""
        return _page(
            opened, buckets.rank(opened.evaluator(), parsed, None), Sort.RELEVANCE, 0, depth
        )

    def _hit(
        self,
        searcher: WhooshSearcher,
        ranked: PageItem,
        terms: highlight.MatchTerms,
        weights: dict[str, float],
        occurrences: highlight.Occurrences,
        phrased: bool,
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
            phrase=phrase or (phrased and ranked.bucket in (Bucket.HEADLINE, Bucket.PHRASE)),
            weak=ranked.bucket is Bucket.WEAK,
            more_matches=more_matches,
            more_paragraphs=more_paragraphs,
            url=stored.get("url"),
            source=stored.get("source", ""),
        )

    def related(self, article_id: str, limit: int = MAX_RELATED) -> tuple[Related, ...] | None:
        """Up to ``limit`` articles most like this one (its significant terms searched on
        the fast path, itself left out); None for an unknown id."""
        with self._turn():
            opened = self._current()
            article = _stored(opened, article_id)
            if article is None:
                return None
            docnum, stored = article
            reader = opened.searcher.reader()
            terms = significant_terms(reader, stored.get("title", ""), stored.get("body", ""))
            found = opened.evaluator(Deadline(self.seconds)).match(related_query(terms))
            found.mask[opened.stories.members(docnum)] = False
            alike = Ranked(found.mask, found.scores, np.zeros(len(found.mask), dtype=np.int8))
            best = _page(opened, opened.stories.collapse(alike), Sort.RELEVANCE, 0, limit)
            return tuple(_related(reader.stored_fields(item.docnum)) for item in best)

    def story(self, article_id: str) -> StoryVersions | None:
        """The other versions of an article's story and a word-level diff from the closest
        one; None when the id is unknown or the article has no other version."""
        with self._turn():
            opened = self._current()
            article = _stored(opened, article_id)
            if article is None:
                return None
            docnum, stored = article
            closest = opened.stories.closest(docnum)
            if closest is None:
                return None
            other, alike = closest
            reader = opened.searcher.reader()
            listed = _versions(opened, docnum, None)
            nearest = reader.stored_fields(other)
            return StoryVersions(
                versions=listed["other_versions"],
                count=listed["versions"],
                closest=_version(nearest, False),
                similarity=round(alike, 2),
                diff=word_diff(nearest.get("body", ""), stored.get("body", "")),
            )

    def suggestions(self, prefix: str) -> Suggestions:
        """Autocomplete: completions of the last word, bylines and headlines for ``prefix``."""
        with self._turn():
            opened = self._current()
            completions = suggest.complete(opened.vocabulary, prefix)
            authors = opened.columns.authors.starting(prefix, suggest.MAX_AUTHORS)
            headlines = self._headlines(opened, suggest.headline_query(prefix))
        return Suggestions(prefix, tuple(completions), tuple(authors), headlines)

    def _headlines(self, opened: Opened, query: str) -> tuple[Headline, ...]:
        """The best headlines holding ``query``: ranked like a titles-only search, without
        its facets, highlights or suggestions (this runs for every keystroke)."""
        parsed = opened.read(query, Scope.TITLES)
        if parsed.query is wq.NullQuery:  # a prefix that expands to nothing
            return ()
        ranked = buckets.rank(opened.evaluator(Deadline(self.seconds)), parsed, None)
        best = _page(opened, ranked, Sort.RELEVANCE, 0, suggest.MAX_HEADLINES)
        reader = opened.searcher.reader()
        fields = [reader.stored_fields(item.docnum) for item in best]
        return tuple(Headline(stored["id"], stored.get("title", "")) for stored in fields)

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._turn():
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
        with self._turn():
            opened = self._current()
            article = _stored(opened, article_id)
            if article is None:
                return None
            docnum, stored = article
            reader = opened.searcher.reader()
            parsed = opened.read(query, scope)
            terms = _marked(parsed, reader)
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


def _stored(opened: Opened, article_id: str) -> tuple[int, dict[str, Any]] | None:
    """An article's document number and stored fields, None for an unknown id."""
    docnum = opened.searcher.document_number(id=article_id)
    if docnum is None:
        return None
    return docnum, opened.searcher.reader().stored_fields(docnum)


def _versions(opened: Opened, docnum: int, matched: np.ndarray | None) -> dict[str, Any]:
    """A hit's story: how many versions it has, and the others (at most ``MAX_VERSIONS``)."""
    members = opened.stories.members(docnum)
    others = members[members != docnum][:MAX_VERSIONS]
    reader = opened.searcher.reader()
    listed = tuple(
        _version(reader.stored_fields(other), matched is not None and bool(matched[other]))
        for other in others.tolist()
    )
    return {"versions": len(members), "other_versions": listed}


def _version(stored: dict[str, Any], matched: bool) -> Version:
    return Version(stored["id"], stored.get("title", ""), _date(stored.get("published")), matched)


def _related(stored: dict[str, Any]) -> Related:
    authors = tuple(filter(None, stored.get("authors", "").split(",")))
    return Related(stored["id"], stored.get("title", ""), authors, _date(stored.get("published")))


def _marked(parsed: ParsedQuery, reader: IndexReader) -> highlight.MatchTerms:
    """What a query's highlights mark: a plain query's glue words only when it has no other."""
    terms = highlight.match_terms(parsed.query, reader)
    return terms.without(GLUE_TERMS) if parsed.plain else terms


def _page(
    opened: Opened, ranked: Ranked, sort: Sort, first: int, size: int
) -> tuple[PageItem, ...]:
    """The results ``first`` to ``first + size`` in ``sort`` order, without sorting the rest."""
    docs = np.flatnonzero(ranked.mask)
    keys = sort_keys(ranked, sort, opened.columns.days["published"], docs)
    chosen = docs[first_k(keys, first + size)[first:]]
    return tuple(
        PageItem(int(docnum), float(ranked.scores[docnum]), Bucket(int(ranked.buckets[docnum])))
        for docnum in chosen
    )
