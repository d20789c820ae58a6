"""The reference path: the straightforward Whoosh implementation of the answer step.

It scores every match through Whoosh's matchers, sorts them in Python and counts
facets document by document: slow at archive size, but obviously right. The tests
and the benchmark hold the fast path (``search.engine.Searcher``) against it: same
totals, facets, buckets and pages. Everything else (parsing, highlights, the
response) is the engine's own code.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from datetime import time as dt_time

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index.columns import NO_DATE, NO_DAY, day_number
from search import feedback
from search.buckets import every_word
from search.budget import Deadline
from search.columns import author_key
from search.engine import Answer, Opened, PageItem, Searcher
from search.expansion import Allowance, Expander
from search.facets import WHERE_MATCHED
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
    read_query,
    text_phrase,
)
from search.ranking import LOW_WEIGHT_FIELDS, Bucket, recency_factors
from search.request import FacetValue, Recency, SearchRequest, Sort, Versions


class ReferenceSearcher(Searcher):
    """A ``Searcher`` whose ranking, filters and facets come from Whoosh alone."""

    def _answer(
        self,
        opened: Opened,
        request: SearchRequest,
        parsed: ParsedQuery,
        within: ParsedQuery | None,
        deadline: Deadline,
        allowance: Allowance,
    ) -> Answer:
        """Whoosh alone, without a time budget: ``request.within`` is read by Whoosh's own
        expansion here (not ``within``), and ``deadline`` is not consulted. Expansions come
        from Whoosh's term walk under an allowance of the reference's own, spent in the
        engine's order (query, then ``within``, then the other passes)."""
        searcher = opened.searcher
        own = Allowance()
        read_query(searcher, request.query, request.scope, allowance=own)
        allowed = _allowed(searcher, request, parsed, own)
        where: dict[str, set[int]] = {}
        sort = request.sort
        if parsed.query is wq.NullQuery:
            everything = allowed if allowed is not None else searcher.reader().all_doc_ids()
            ranked = [PageItem(docnum, 0.0, Bucket.SOME_WORDS) for docnum in everything]
            sort = Sort.NEWEST if sort is Sort.RELEVANCE else sort
        else:
            ranked = _rank(searcher, parsed, allowed, own)
        ranked = _recent_raised(searcher, ranked, request.recency)
        unfiltered = ranked
        if request.authors:
            ranked = [item for item in ranked if _by_any(searcher, item.docnum, request.authors)]
        if parsed.query is not wq.NullQuery:
            where = _where_matched(searcher, parsed, {item.docnum for item in ranked})
        story = _story_of(opened, request)
        shown = _sorted(_one_per_story(ranked, story, opened), sort, searcher)
        first = (request.page - 1) * request.per_page
        matched = np.zeros(searcher.reader().doc_count_all(), dtype=bool)
        matched[[item.docnum for item in ranked]] = True
        return Answer(
            total=len(shown),
            page=tuple(shown[first : first + request.per_page]),
            facets=_facets(searcher, ranked, unfiltered, request, where, story),
            bucket_counts=dict(Counter(item.bucket for item in shown)),
            articles=len(ranked),
            matched=matched,
        )

    def _best(self, opened: Opened, parsed: ParsedQuery, depth: int) -> tuple[PageItem, ...]:
        ranked = _rank(opened.searcher, parsed, None)
        return tuple(_sorted(ranked, Sort.RELEVANCE, opened.searcher)[:depth])

    def _count(
        self,
        opened: Opened,
        text: str,
        request: SearchRequest,
        within: ParsedQuery | None,
        allowance: Allowance,
    ) -> int:
        """Whoosh's count under the same filters (``request.within`` read by Whoosh), of
        the articles holding every word when the text is plain words."""
        searcher = opened.searcher
        parsed = read_query(searcher, text, request.scope, allowance=allowance)
        allowed = _allowed(searcher, request, parsed, allowance)
        if parsed.query is wq.NullQuery or (allowed is not None and not allowed):
            return 0
        every = parsed.plain and parsed.words
        query = every_word(parsed, searcher.schema) if every else parsed.query
        found = searcher.search(query, limit=None, filter=allowed)
        return sum(1 for docnum in found.docs() if _by_any(searcher, docnum, request.authors))


def _recent_raised(
    searcher: WhooshSearcher, ranked: list[PageItem], recency: Recency
) -> list[PageItem]:
    """``ranked`` with each score multiplied by its article's recency factor, the days
    read from the stored dates (live articles' newest is the reference)."""
    if recency is Recency.NONE:
        return ranked
    reader = searcher.reader()

    def day(docnum: int) -> int:
        published = reader.stored_fields(docnum).get("published")
        return day_number(published.date()) if published else NO_DAY

    newest = max((d for doc in reader.all_doc_ids() if (d := day(doc)) != NO_DAY), default=0)
    factors = recency_factors(np.array([day(item.docnum) for item in ranked]), newest, recency)
    return [
        dataclasses.replace(item, score=item.score * float(factor))
        for item, factor in zip(ranked, factors, strict=True)
    ]


Story = Callable[[int], object]
"""What a document counts as: its story (or itself when alone or versions are not grouped)."""


def _story_of(opened: Opened, request: SearchRequest) -> Story:
    groups = opened.stories.groups
    if request.versions is Versions.ALL:
        return lambda docnum: docnum
    return lambda docnum: ("story", int(groups[docnum])) if groups[docnum] >= 0 else docnum


def _one_per_story(ranked: list[PageItem], story: Story, opened: Opened) -> list[PageItem]:
    """Per story, its lead matching version (first in the story's order) with the best
    score and bucket of its matching versions."""
    versions: dict[object, list[PageItem]] = {}
    for item in ranked:
        versions.setdefault(story(item.docnum), []).append(item)
    order = opened.stories.stories.order
    return [
        PageItem(
            min(items, key=lambda item: int(order[item.docnum])).docnum,
            max(item.score for item in items),
            min(item.bucket for item in items),
        )
        for items in versions.values()
    ]


def _names(searcher: WhooshSearcher, docnum: int) -> list[str]:
    return [
        name
        for name in searcher.reader().stored_fields(docnum).get("authors", "").split(",")
        if name
    ]


def _by_any(searcher: WhooshSearcher, docnum: int, authors: tuple[str, ...]) -> bool:
    """Whether the article is by any of ``authors`` (all articles when there are none)."""
    keys = {author_key(name) for name in authors}
    return not keys or any(author_key(name) in keys for name in _names(searcher, docnum))


def _scores(
    searcher: WhooshSearcher,
    query: wq.Query,
    allowed: set[int] | None,
    exclude: set[int] | None = None,
) -> dict[int, float]:
    """BM25F score of every document matching ``query`` (within ``allowed``, minus ``exclude``)."""
    if query is wq.NullQuery or allowed == set():  # Whoosh reads an empty filter as none
        return {}
    results = searcher.search(query, limit=None, filter=allowed, mask=exclude or None)
    return {docnum: float(score) for score, docnum in results.top_n}


def _rank(
    searcher: WhooshSearcher,
    parsed: ParsedQuery,
    allowed: set[int] | None,
    allowance: Allowance | None = None,
) -> list[PageItem]:
    schema, reader = searcher.schema, searcher.reader()
    fields = SCOPE_FIELDS[parsed.scope]
    text = query_text(parsed)

    expander = Expander(reader)  # Whoosh's own term walk, fuzzy words by its automaton

    allowance = allowance if allowance is not None else Allowance()

    def prepared(query: wq.Query) -> wq.Query:
        return expander.bound(query, allowance)

    if has_negation(parsed.query):
        everything = set(reader.all_doc_ids()) if allowed is None else allowed
        allowed = _docs(searcher, parsed.query) & everything
    main = tuple(name for name in fields if name in MAIN_FIELDS)
    scores = _scores(searcher, prepared(parse_for_fields(text, schema, main)), allowed)
    if feedback.applies(parsed):
        _add_feedback(searcher, parsed, fields, scores)
    headline: set[int] = set()
    in_text: set[int] = set()
    all_words: set[int] = set()
    if parsed.plain and len(parsed.words) >= 2:
        if "title" in fields:
            phrase = headline_phrase(parsed, schema)
            headline = _docs(searcher, prepared(phrase))
        in_text = _docs(searcher, prepared(text_phrase(parsed, schema)))
        every = parse_for_fields(" ".join(parsed.words), schema, main, every_word=True)
        all_words = _docs(searcher, prepared(every))
    elif one_word(parsed) and "title" in fields:
        headline = _docs(searcher, prepared(only_fields(parsed.query, ("title",))))

    def bucket(docnum: int) -> Bucket:
        if docnum in headline:
            return Bucket.HEADLINE
        if docnum in in_text:
            return Bucket.PHRASE
        return Bucket.ALL_WORDS if docnum in all_words else Bucket.SOME_WORDS

    ranked = [PageItem(docnum, score, bucket(docnum)) for docnum, score in scores.items()]
    low = tuple(name for name in fields if name in LOW_WEIGHT_FIELDS)
    if low:
        weak_query = prepared(parse_for_fields(text, schema, low))
        weak = _scores(searcher, weak_query, allowed, set(scores))
        ranked.extend(PageItem(docnum, score, Bucket.WEAK) for docnum, score in weak.items())
    return ranked


def _add_feedback(
    searcher: WhooshSearcher, parsed: ParsedQuery, fields: tuple[str, ...], scores: dict[int, float]
) -> None:
    """Add a long question's feedback scores to its matches (``search.feedback``)."""
    dense = np.zeros(searcher.doc_count_all())
    mask = np.zeros(len(dense), dtype=bool)
    for docnum, score in scores.items():
        dense[docnum], mask[docnum] = score, True
    best = feedback.best_documents(dense, mask)
    extra = _scores(searcher, feedback.expansion(searcher, parsed, fields, best, dense), None)
    for docnum in scores:
        scores[docnum] += extra.get(docnum, 0.0)


def _sorted(ranked: list[PageItem], sort: Sort, searcher: WhooshSearcher) -> list[PageItem]:
    if sort is Sort.RELEVANCE:
        return sorted(ranked, key=lambda r: (r.bucket, -r.score, r.docnum))
    published = searcher.reader().column_reader("published", translate=False)
    sign = -1 if sort is Sort.NEWEST else 1

    def by_date(r: PageItem) -> tuple[int, int, float, int]:
        value = published[r.docnum]
        if value >= NO_DATE:
            return (1, 0, -r.score, r.docnum)
        return (0, sign * value, -r.score, r.docnum)

    return sorted(ranked, key=by_date)


def _where_matched(
    searcher: WhooshSearcher, parsed: ParsedQuery, matched: set[int]
) -> dict[str, set[int]]:
    found = {}
    for value, section in WHERE_MATCHED.items():
        if set(section) & set(SCOPE_FIELDS[parsed.scope]):
            found[value] = _docs(searcher, only_fields(parsed.query, section)) & matched
    return found


def _value(value: str, docs: list[int], story: Story) -> FacetValue:
    """A facet value counted as results (stories) and as articles."""
    return FacetValue(value, len({story(docnum) for docnum in docs}), len(docs))


def _facets(
    searcher: WhooshSearcher,
    ranked: list[PageItem],
    unfiltered: list[PageItem],
    request: SearchRequest,
    where: dict[str, set[int]],
    story: Story,
) -> dict[str, tuple[FacetValue, ...]]:
    reader = searcher.reader()
    year_column = reader.column_reader("year")
    month_column = reader.column_reader("month")
    years: dict[str, list[int]] = {}
    months: dict[str, list[int]] = {}
    for item in ranked:
        if year := year_column[item.docnum]:
            years.setdefault(year, []).append(item.docnum)
        if request.year is not None and (month := month_column[item.docnum]):
            months.setdefault(month, []).append(item.docnum)
    facets = {
        "author": _author_facet(searcher, unfiltered, request.authors, story),
        "year": tuple(_value(year, docs, story) for year, docs in sorted(years.items())),
    }
    if request.year is not None:
        facets["month"] = tuple(_value(m, docs, story) for m, docs in sorted(months.items()))
    if where:
        facets["matched"] = tuple(
            _value(value, sorted(docs), story) for value, docs in where.items() if docs
        )
    return facets


def _author_facet(
    searcher: WhooshSearcher, unfiltered: list[PageItem], chosen: tuple[str, ...], story: Story
) -> tuple[FacetValue, ...]:
    """Per author (names alike but for case and accents are one): the results choosing it
    shows, article by article; a chosen author counts its own."""
    shown = _shown_names(searcher)
    by = [{author_key(name) for name in _names(searcher, item.docnum)} for item in unfiltered]
    picked = {author_key(name) for name in chosen}
    values = []
    for key in set().union(*by):
        showing = {key} if key in picked else picked | {key}
        docs = [item.docnum for item, keys in zip(unfiltered, by, strict=True) if showing & keys]
        values.append(_value(shown[key], docs, story))
    return tuple(sorted(values, key=lambda value: (-value.count, value.value.lower())))


def _shown_names(searcher: WhooshSearcher) -> dict[str, str]:
    """Each author key's commonest spelling in the index (then the first by code point)."""
    reader = searcher.reader()
    column = reader.column_reader("authors")
    uses: Counter[str] = Counter()
    for docnum in range(reader.doc_count_all()):
        uses.update(name for name in (column[docnum] or "").split(",") if name)
    shown: dict[str, str] = {}
    for name, _ in sorted(uses.items(), key=lambda item: (-item[1], item[0])):
        shown.setdefault(author_key(name), name)
    return shown


def _allowed(
    searcher: WhooshSearcher, request: SearchRequest, parsed: ParsedQuery, allowance: Allowance
) -> set[int] | None:
    parts: list[wq.Query] = []
    if request.since or request.until:
        start = datetime.combine(request.since, dt_time.min) if request.since else None
        end = datetime.combine(request.until, dt_time.max) if request.until else None
        parts.append(wq.DateRange("published", start, end))
    if request.year is not None:
        parts.append(wq.Term("year", f"{request.year:04d}"))
    if request.month is not None and request.year is not None:
        parts.append(wq.Term("month", f"{request.year:04d}-{request.month:02d}"))
    if request.within:
        base = read_query(searcher, request.within, request.scope, allowance=allowance).query
        if base is not wq.NullQuery:
            parts.append(base)
    if request.caption_only and parsed.query is not wq.NullQuery:
        parts.append(parse_for_fields(query_text(parsed), searcher.schema, ("captions",)))
    if not parts:
        return None
    return _docs(searcher, wq.And(parts))


def _docs(searcher: WhooshSearcher, query: wq.Query) -> set[int]:
    """The documents ``query`` matches, combining the sets of its boolean parts.

    Whoosh's ``AndNotMatcher`` (whoosh3 3.54) lets the first positive document through
    when the excluded side's postings start before it, even if it holds the excluded
    word; set operations keep the reference obviously right.
    """
    if query is wq.NullQuery:
        return set()
    if isinstance(query, wq.AndNot):
        return _docs(searcher, query.a) - _docs(searcher, query.b)
    if isinstance(query, wq.Not):
        return set(searcher.reader().all_doc_ids()) - _docs(searcher, query.query)
    if isinstance(query, wq.And | wq.Or) and query.subqueries:
        parts = [_docs(searcher, child) for child in query.subqueries]
        return set.intersection(*parts) if isinstance(query, wq.And) else set.union(*parts)
    return set(query.docs(searcher))
