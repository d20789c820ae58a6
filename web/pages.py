"""HTML pages: the search page and the article page.

Views are thin: they read the query string into a ``SearchRequest``, call the search
core and hand plain view data (links, facet lists, timeline bars, pages) to the templates.
Every search page is a GET URL, so any result page can be shared and bookmarked.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from math import ceil
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import ServiceUnavailable

from index.generations import IndexUnavailable
from index.model import web_link
from search.columns import author_key
from search.request import (
    MAX_PAGE,
    ArticleHighlights,
    FacetValue,
    Fragment,
    Hit,
    InvalidRequest,
    Recency,
    Scope,
    SearchRequest,
    SearchResponse,
    Sort,
)
from web import index_unavailable, searcher
from web.connection import gone_check
from web.limits import limit, limiter
from web.params import ReversedDates, search_request

blueprint = Blueprint("pages", __name__)

SEARCH_PARAMS = (
    "q",
    "in",
    "author",
    "year",
    "month",
    "since",
    "until",
    "caption",
    "within",
    "sort",
    "recency",
    "versions",
    "per_page",
    "page",
)
"""The query-string parameters of a result page, in the order links spell them."""
FILTER_PARAMS = ("author", "year", "month", "since", "until", "caption", "within")
SCOPE_LABELS = {
    Scope.ALL: "Everything",
    Scope.TITLES: "Headlines",
    Scope.BODY: "Article text",
    Scope.CAPTIONS: "Photo captions",
}
SORT_LABELS = {Sort.RELEVANCE: "Relevance", Sort.NEWEST: "Newest", Sort.OLDEST: "Oldest"}
WHERE_LABELS = {"title": "Headline", "body": "Article text", "captions": "Photo captions"}
PAGE_WINDOW = 2
"""Numbered page links shown on each side of the current page (plus the first and last)."""
LISTED_NUMBERS = 6
"""At most this many paragraph numbers are listed in a hit's "matched in" line."""
HOME_LATEST = 5
MAX_BAR_WIDTH = 6.0
"""A timeline bar is at most this wide (percent of the chart), so a few bars stay bars."""
MONTH_NAMES = tuple(calendar.month_name)
FACET_SHOWN = 10
"""A facet shows its first values (and every chosen one) at once, the rest behind "more"."""
FACET_LISTED = 50
"""At most this many values of a facet are in the page, however many the results have."""


class Links:
    """Builds result-page URLs from the current parameters with some of them changed."""

    def __init__(self, args: MultiDict[str, str]) -> None:
        self.params: dict[str, list[str]] = {}
        for name in SEARCH_PARAMS:
            values = [value for value in args.getlist(name) if value.strip()]
            if values:
                self.params[name] = values

    def query(self, changes: Mapping[str, str | Sequence[str] | None] | None = None) -> str:
        """The query string with ``changes`` applied (None removes a parameter).

        Any change other than to ``page`` itself goes back to the first page.
        """
        params = dict(self.params)
        if changes:
            if "page" not in changes:
                params.pop("page", None)
            for name, value in changes.items():
                if value is None or value == "" or value == []:
                    params.pop(name, None)
                else:
                    params[name] = [value] if isinstance(value, str) else list(value)
        pairs = [(name, value) for name in SEARCH_PARAMS for value in params.get(name, ())]
        return urlencode(pairs)

    def search(self, changes: Mapping[str, str | Sequence[str] | None] | None = None) -> str:
        """A result page's URL: the current one with ``changes`` applied."""
        query = self.query(changes)
        return url_for("pages.search_page") + ("?" + query if query else "")

    def export(self) -> str:
        """The CSV of every result of the current search (no page or page size)."""
        return self._whole("api.search_csv")

    def feed(self) -> str:
        """The Atom feed of the current search's newest articles."""
        return self._whole("api.search_feed", {"sort": None, "recency": None})

    def _whole(self, endpoint: str, changes: Mapping[str, str | None] | None = None) -> str:
        query = self.query({"page": None, "per_page": None, **(changes or {})})
        return url_for(endpoint) + ("?" + query if query else "")

    def article(self, article_id: str, anchor: str = "") -> str:
        """An article's URL carrying the search, so it can mark matches and link back."""
        query = self.query()
        url = url_for("pages.article_page", article_id=article_id)
        return url + ("?" + query if query else "") + (f"#{anchor}" if anchor else "")

    def get(self, name: str) -> str:
        return self.params.get(name, [""])[0]


@dataclass(frozen=True)
class Chip:
    """An active filter, shown above the results with a link that removes it."""

    label: str
    remove: str


@dataclass(frozen=True)
class FacetItem:
    label: str
    count: int
    href: str
    selected: bool = False
    articles: int = 0
    """The articles among the ``count`` results (more when versions of a story count once)."""


@dataclass(frozen=True)
class FacetGroup:
    title: str
    items: tuple[FacetItem, ...]
    """Shown at once."""
    more: tuple[FacetItem, ...] = ()
    """Behind a "more" control."""
    total: int = 0
    """Values the facet has; those past FACET_LISTED are counted but not listed."""
    note: str = ""

    @property
    def unlisted(self) -> int:
        return self.total - len(self.items) - len(self.more)


def listed(values: Sequence[FacetValue], chosen: Collection[str] = ()) -> Sequence[FacetValue]:
    """The values a facet lists: the first FACET_LISTED, and any chosen one after them."""
    return [*values[:FACET_LISTED], *(v for v in values[FACET_LISTED:] if v.value in chosen)]


def facet_group(title: str, items: Sequence[FacetItem], total: int, note: str = "") -> FacetGroup:
    """The first FACET_SHOWN items and every chosen one at once, the others behind "more"."""
    shown = [item for n, item in enumerate(items) if n < FACET_SHOWN or item.selected]
    more = [item for n, item in enumerate(items) if n >= FACET_SHOWN and not item.selected]
    return FacetGroup(title, tuple(shown), tuple(more), total, note)


@dataclass(frozen=True)
class Bar:
    """One bar of the timeline; geometry in percent of the chart's width and height."""

    label: str
    short: str
    count: int
    href: str | None
    x: float
    width: float
    y: float
    height: float
    current: bool = False
    labelled: bool = True


@dataclass(frozen=True)
class Timeline:
    title: str
    bars: tuple[Bar, ...]
    reset: str | None = None
    reset_label: str = ""


@dataclass(frozen=True)
class PageLink:
    number: int | None
    """None stands for a gap (…) between numbered links."""
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pager:
    previous: str | None
    next: str | None
    links: tuple[PageLink, ...]
    last: int


@dataclass(frozen=True)
class Block:
    """A piece of the article page in reading order: a paragraph or a photo caption."""

    kind: str
    number: int
    html: Markup
    credit: Markup | None = None


def long_date(value: date | None) -> str:
    """``April 9, 2011``."""
    return f"{value:%B} {value.day}, {value.year}" if value else ""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 article``, ``3 articles``."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


blueprint.add_app_template_filter(long_date, "long_date")
blueprint.add_app_template_filter(plural, "plural")


def _month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month]} {year}"


def chips(search: SearchRequest, links: Links) -> list[Chip]:
    """The active filters, each with a link that removes just that one."""
    found = [
        Chip(f"By {name}", links.search({"author": [a for a in search.authors if a != name]}))
        for name in search.authors
    ]
    if search.year is not None and search.month is not None:
        found.append(Chip(_month_label(search.year, search.month), links.search({"month": None})))
    if search.year is not None:
        found.append(Chip(f"Year {search.year}", links.search({"year": None, "month": None})))
    if search.since:
        found.append(Chip(f"From {long_date(search.since)}", links.search({"since": None})))
    if search.until:
        found.append(Chip(f"Until {long_date(search.until)}", links.search({"until": None})))
    if search.scope is not Scope.ALL:
        found.append(Chip(f"In {SCOPE_LABELS[search.scope].lower()}", links.search({"in": None})))
    if search.caption_only:
        found.append(Chip("Matched in a photo caption", links.search({"caption": None})))
    return found


def facet_groups(response: SearchResponse, links: Links) -> list[FacetGroup]:
    """The sidebar: authors, years (months once a year is chosen) and where the query matched."""
    search = response.request
    groups: list[FacetGroup] = []
    authors = response.facets.get("author", ())
    if authors:
        items = []
        keys = {author_key(name) for name in search.authors}
        chosen = {value.value for value in authors if author_key(value.value) in keys}
        for value in listed(authors, chosen):
            selected = value.value in chosen
            names = [a for a in search.authors if author_key(a) != author_key(value.value)]
            if not selected:
                names.append(value.value)
            items.append(
                FacetItem(
                    value.value,
                    value.count,
                    links.search({"author": names}),
                    selected,
                    value.articles,
                )
            )
        note = "Any of the chosen authors" if len(search.authors) > 1 else ""
        groups.append(facet_group("Authors", items, len(authors), note))
    if search.year is not None:
        months = response.facets.get("month", ())
        items = []
        for value in months:
            month = int(value.value[-2:])
            selected = search.month == month
            href = links.search({"month": None if selected else str(month)})
            label = _month_label(search.year, month)
            items.append(FacetItem(label, value.count, href, selected, value.articles))
        groups.append(facet_group(f"Months of {search.year}", items, len(months)))
    else:
        years = response.facets.get("year", ())[::-1]
        items = [
            FacetItem(
                value.value, value.count, links.search({"year": value.value}), False, value.articles
            )
            for value in listed(years)
        ]
        if items:
            groups.append(facet_group("Years", items, len(years)))
    where = response.facets.get("matched", ())
    if len(where) > 1 or search.scope is not Scope.ALL or search.caption_only:
        items = []
        for value in where:
            if value.value == "captions":
                selected = search.caption_only or search.scope is Scope.CAPTIONS
                change: dict[str, str | None] = {"caption": None if selected else "1"}
                if search.scope is Scope.CAPTIONS:
                    change["in"] = None
            else:
                scope = Scope.TITLES if value.value == "title" else Scope.BODY
                selected = search.scope is scope
                change = {"in": None if selected else scope.value, "caption": None}
            items.append(
                FacetItem(
                    WHERE_LABELS[value.value],
                    value.count,
                    links.search(change),
                    selected,
                    value.articles,
                )
            )
        if items:
            groups.append(facet_group("Where it matched", items, len(items)))
    return groups


def _bars(
    entries: Sequence[tuple[str, str, int, str | None, bool]], label_every: int
) -> tuple[Bar, ...]:
    """Lay out (label, short label, count, link, current) entries as bars in percent."""
    peak = max((count for _, _, count, _, _ in entries), default=0) or 1
    slot = 100 / len(entries)
    width = min(slot * 0.7, MAX_BAR_WIDTH)
    bars = []
    for index, (label, short, count, href, current) in enumerate(entries):
        height = round(max(count / peak * 100, 2.0 if count else 0.8), 2)
        bars.append(
            Bar(
                label=label,
                short=short,
                count=count,
                href=href if count else None,
                x=round(index * slot + (slot - width) / 2, 3),
                width=round(width, 3),
                y=round(100 - height, 2),
                height=height,
                current=current,
                labelled=index % label_every == 0 or index == len(entries) - 1,
            )
        )
    return tuple(bars)


def timeline(
    response: SearchResponse, links: Links, months: SearchResponse | None = None
) -> Timeline | None:
    """Matching articles per year, or per month of the chosen year, as bars that filter.

    ``months`` is the same search without a chosen month (so every month keeps its count).
    """
    search = response.request
    if search.year is not None:
        counts = {
            int(value.value[-2:]): value.count
            for value in (months or response).facets.get("month", ())
        }
        entries = [
            (
                f"{_month_label(search.year, month)}: {plural(counts.get(month, 0), 'article')}",
                calendar.month_abbr[month],
                counts.get(month, 0),
                links.search({"month": str(month)}),
                search.month == month,
            )
            for month in range(1, 13)
        ]
        return Timeline(
            f"Matching articles per month, {search.year}",
            _bars(entries, 1),
            links.search({"year": None, "month": None}),
            "All years",
        )
    years = {int(value.value): value.count for value in response.facets.get("year", ())}
    if not years:
        return None
    first, last = min(years), max(years)
    entries = [
        (
            f"{year}: {plural(years.get(year, 0), 'article')}",
            str(year),
            years.get(year, 0),
            links.search({"year": str(year)}),
            False,
        )
        for year in range(first, last + 1)
    ]
    step = max(1, ceil(len(entries) / 12))
    return Timeline("Matching articles per year", _bars(entries, step))


def pager(response: SearchResponse, links: Links) -> Pager | None:
    """Previous/next and numbered page links around the current page, bounded by MAX_PAGE."""
    search = response.request
    last = min(ceil(response.total / search.per_page), MAX_PAGE)
    if last <= 1 and search.page == 1:
        return None
    current = search.page
    numbers = sorted(
        {1, last} | set(range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1))
    )
    page_links: list[PageLink] = []
    for number in numbers:
        if page_links and page_links[-1].number is not None and number - page_links[-1].number > 1:
            page_links.append(PageLink(None))
        page_links.append(PageLink(number, links.search({"page": str(number)}), number == current))
    previous = links.search({"page": str(current - 1)}) if 1 < current <= last + 1 else None
    following = links.search({"page": str(current + 1)}) if current < last else None
    return Pager(previous, following, tuple(page_links), last)


RECENCY_LABELS = {
    Recency.NONE: "Any date",
    Recency.GENTLE: "Newer a little",
    Recency.STRONG: "Newer a lot",
}


def recency_links(search: SearchRequest, links: Links) -> list[tuple[str, str, bool]]:
    """(label, href, current) for each recency choice; with relevance order only."""
    if search.sort is not Sort.RELEVANCE or not search.query.strip():
        return []
    default = Recency(current_app.config["RECENCY"])
    return [
        (
            label,
            links.search({"recency": None if choice is default else choice.value}),
            choice is search.recency,
        )
        for choice, label in RECENCY_LABELS.items()
    ]


def sort_links(search: SearchRequest, links: Links) -> list[tuple[str, str, bool]]:
    """(label, link, current) for the sort switch; browsing without a query has no relevance
    order (it lists the newest first)."""
    browsing = not search.query.strip()
    current = Sort.NEWEST if browsing and search.sort is Sort.RELEVANCE else search.sort
    return [
        (
            label,
            links.search({"sort": None if order is Sort.RELEVANCE else order.value}),
            order is current,
        )
        for order, label in SORT_LABELS.items()
        if not (browsing and order is Sort.RELEVANCE)
    ]


def why_matched(hit: Hit, links: Links) -> Markup:
    """Why a hit matched, with links into the article: "Matched in headline, paragraphs 2, 5
    and photo caption 1"."""

    def refs(numbers: Sequence[int], anchor: str) -> list[str]:
        shown: list[str] = [
            Markup('<a href="{}">{}</a>').format(links.article(hit.id, f"{anchor}{n}"), n)
            for n in numbers[:LISTED_NUMBERS]
        ]
        if len(numbers) > LISTED_NUMBERS:
            shown.append(f"{len(numbers) - LISTED_NUMBERS} more")
        return shown

    parts: list[str] = []
    for section in hit.matched_in:
        if section == "title":
            parts.append("headline")
        elif section == "body" and hit.matched_paragraphs:
            word = "paragraph" if len(hit.matched_paragraphs) == 1 else "paragraphs"
            parts.append(
                Markup("{} {}").format(word, _markup_and(refs(hit.matched_paragraphs, "p")))
            )
        elif section == "captions" and hit.matched_captions:
            word = "photo caption" if len(hit.matched_captions) == 1 else "photo captions"
            numbers = refs(hit.matched_captions, "photo")
            parts.append(Markup("{} {}").format(word, _markup_and(numbers)))
        elif section == "author":
            parts.append("byline")
        elif section == "bio":
            parts.append("author bio")
        elif section == "credits":
            parts.append("photo credit")
    if not parts:
        return Markup("")
    return Markup("Matched in {}").format(_markup_and(parts))


def _markup_and(items: Sequence[str]) -> Markup:
    """``a``, ``a and b``, ``a, b and c`` for HTML: plain strings are escaped, ``Markup`` kept."""
    escaped = [Markup.escape(item) for item in items]
    if len(escaped) <= 1:
        return Markup("").join(escaped)
    return Markup(", ").join(escaped[:-1]) + Markup(" and ") + escaped[-1]


def weak_reason(hit: Hit) -> str:
    """Why a weak hit ranks low: it matched only in the bio or a photo credit."""
    places = [
        label
        for section, label in (("bio", "the author bio"), ("credits", "a photo credit"))
        if section in hit.matched_in
    ]
    return f"Matched only in {' and '.join(places)}" if places else "Weak match"


def has_search(args: MultiDict[str, str]) -> bool:
    """Whether the URL asks for results (a query or any filter), not the front page."""
    return any(
        value.strip()
        for name in ("q", "page", "sort", *FILTER_PARAMS)
        for value in args.getlist(name)
    )


def has_empty(args: MultiDict[str, str]) -> bool:
    """Whether the URL carries empty parameters, as a plain form submits them (``since=``)."""
    return any(not value.strip() for _, value in args.items(multi=True))


@dataclass(frozen=True)
class Refusal:
    """Why the search page cannot run a request, and a link that mends it (if any)."""

    message: str
    mend: str | None = None
    mend_label: str = ""


def refusal(error: InvalidRequest, links: Links) -> Refusal:
    """The search page's own words for an ``InvalidRequest``."""
    if isinstance(error, ReversedDates):
        return Refusal(
            f"The start date {error.since} is after the end date {error.until}.",
            links.search({"since": str(error.until), "until": str(error.since)}),
            "Swap the dates",
        )
    return Refusal(str(error))


def within_chain(search: SearchRequest, query: str) -> str:
    """The ``within`` that "search within these results" carries: all queries so far."""
    if not search.within:
        return query
    return f"({search.within}) AND ({query})"


@blueprint.get("/search")
@limiter.limit(limit("RATELIMIT_SEARCH"))
def search_page() -> ResponseReturnValue:
    """The front page, or a page of results with facets, timeline and paging."""
    links = Links(request.args)
    if has_empty(request.args):
        query = links.query()
        return redirect(request.path + ("?" + query if query else ""))
    query = request.args.get("q", "")
    try:
        search = search_request(request.args)
    except InvalidRequest as error:
        context = {"query": query, "links": links, "search": None}
        return render_template("search.html", error=refusal(error, links), **context), 400
    core = searcher(current_app)
    try:
        if not has_search(request.args):
            latest = core.search(SearchRequest(per_page=HOME_LATEST, sort=Sort.NEWEST))
            return render_template(
                "home.html",
                query="",
                latest=latest,
                links=links,
                timeline=timeline(latest, links),
            )
        response = core.search(search, gone=gone_check())
        months = None
        if search.month is not None:
            months = core.search(dataclasses.replace(search, month=None, page=1, per_page=1))
    except IndexUnavailable as error:
        raise ServiceUnavailable(index_unavailable(current_app, error)) from None
    return render_template(
        "search.html",
        query=query,
        search=search,
        response=response,
        links=links,
        error=None,
        chips=chips(search, links),
        facets=facet_groups(response, links),
        timeline=timeline(response, links, months),
        pager=pager(response, links),
        within=within_chain(search, query) if query.strip() else "",
        why_matched=why_matched,
        weak_reason=weak_reason,
        scopes=SCOPE_LABELS,
        sorts=sort_links(search, links),
        recencies=recency_links(search, links),
    )


blueprint.add_url_rule("/", "home", search_page)


def lead_and_spread(paragraphs: int, captions: int) -> list[int]:
    """After which paragraph each caption goes: the first (lead) caption at the top (0),
    the others spread evenly between the paragraphs, in order."""
    if captions == 0:
        return []
    rest = captions - 1
    return [0] + [
        min(paragraphs, max(1, round(n * paragraphs / (rest + 1)))) for n in range(1, rest + 1)
    ]


PART_PARAGRAPHS = 300
"""Paragraphs on one page of an article: a longer one is read in parts (``?part=2``), so
a page's size is bounded whatever the article's."""


@dataclass(frozen=True)
class Part:
    """Which paragraphs of an article one page shows."""

    number: int
    count: int
    first: int
    last: int


def article_part(paragraphs: int, asked: str | None) -> Part:
    """The part ``?part=`` asks for (the first when absent); a bad one is a 400."""
    count = max(1, -(-paragraphs // PART_PARAGRAPHS))
    try:
        number = int(asked) if asked is not None else 1
    except ValueError:
        number = 0
    if not 1 <= number <= count:
        abort(400, f"part must be a whole number from 1 to {count}, got {asked!r}")
    first = (number - 1) * PART_PARAGRAPHS + 1
    return Part(number, count, first, min(paragraphs, number * PART_PARAGRAPHS))


def article_url(article_id: str, changes: Mapping[str, str | int | None]) -> str:
    """This article page's URL with ``changes`` to its query string (None removes one)."""
    kept: dict[str, list[str] | str | int] = {
        key: values for key, values in request.args.lists() if key not in changes
    }
    kept.update({key: value for key, value in changes.items() if value is not None})
    return url_for("pages.article_page", article_id=article_id, **kept)


def part_of(paragraph: int) -> int:
    return (paragraph - 1) // PART_PARAGRAPHS + 1


def article_blocks(
    highlights: ArticleHighlights, part: Part | None = None
) -> tuple[list[Block], list[Block]]:
    """The lead figure(s) and the body of one part in reading order, captions placed
    between paragraphs (the lead only on the first part)."""

    def figure(index: int, caption: Fragment) -> Block:
        credit = highlights.credits[index] if index < len(highlights.credits) else None
        return Block(
            "figure",
            index + 1,
            Markup(caption.html),
            Markup(credit.html) if credit and credit.text else None,
        )

    places = lead_and_spread(len(highlights.paragraphs), len(highlights.captions))
    after: dict[int, list[Block]] = {}
    for index, (caption, place) in enumerate(zip(highlights.captions, places, strict=True)):
        if caption.text:
            after.setdefault(place, []).append(figure(index, caption))
    part = part or article_part(len(highlights.paragraphs), None)
    body: list[Block] = []
    for number in range(part.first, part.last + 1):
        body.append(Block("paragraph", number, Markup(highlights.paragraphs[number - 1].html)))
        body.extend(after.get(number, ()))
    return (after.get(0, []) if part.number == 1 else []), body


@blueprint.get("/articles/<article_id>")
@limiter.limit(limit("RATELIMIT_ARTICLES"))
def article_page(article_id: str) -> ResponseReturnValue:
    """One whole article; arriving from a search (``?q=``) marks the query's matches
    (unless ``highlight=off``) and links back to the results."""
    links = Links(request.args)
    query = request.args.get("q", "")
    marking = request.args.get("highlight") != "off"
    try:
        search = search_request(request.args)
    except InvalidRequest:
        search = SearchRequest()
    core = searcher(current_app)
    try:
        article = core.article(article_id)
        highlights = core.article_highlights(
            article_id, search.query if marking else "", search.scope
        )
        related = core.related(article_id) or ()
        story = core.story(article_id)
    except IndexUnavailable as error:
        raise ServiceUnavailable(index_unavailable(current_app, error)) from None
    if article is None or highlights is None:
        abort(404, f"There is no article with the id {article_id!r} in the archive.")
    part = article_part(len(highlights.paragraphs), request.args.get("part"))
    lead, body = article_blocks(highlights, part)

    def part_url(number: int) -> str:
        return article_url(article_id, {"part": number})

    first = highlights.matched_paragraphs[:1]
    return render_template(
        "article.html",
        article=article,
        highlights=highlights,
        lead=lead,
        body=body,
        part=part,
        part_url=part_url,
        query=query,
        back=links.search() if has_search(request.args) else None,
        marking=marking,
        toggle=article_url(article_id, {"highlight": "off" if marking else None}),
        first_match=(
            f"{'' if part_of(first[0]) == part.number else part_url(part_of(first[0]))}#p{first[0]}"
            if first
            else None
        ),
        matched=frozenset(highlights.matched_paragraphs),
        related=related,
        story=story,
    )


def bylines(authors: Iterable[str]) -> Markup:
    """``Grace Liang and Amara Nwosu``, escaped, each name bidi-isolated (``<bdi>``)."""
    return _markup_and([Markup("<bdi>{}</bdi>").format(name) for name in authors])


blueprint.add_app_template_filter(bylines, "byline")
blueprint.add_app_template_filter(web_link, "web_link")
