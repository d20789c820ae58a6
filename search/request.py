"""The one contract shared by the web page, the JSON endpoint and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

MAX_QUERY_CHARS = 1000
"""Long questions pasted from elsewhere fit; their cost is bounded by ``search.query.MAX_TERMS``."""
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
MAX_PAGE = 100
"""Deep paging is bounded: page * per_page never exceeds MAX_PAGE * MAX_PER_PAGE."""
MAX_AUTHORS = 20


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


class Recency(StrEnum):
    """How much newer articles are favoured within relevance: not at all, a little, a lot."""

    NONE = "none"
    GENTLE = "gentle"
    STRONG = "strong"


class Versions(StrEnum):
    """Whether the versions of a story (``search.stories``) are one result or each one."""

    GROUPED = "grouped"
    ALL = "all"


class Scope(StrEnum):
    """Which sections a query searches ("search in")."""

    ALL = "all"
    BODY = "body"
    CAPTIONS = "captions"
    TITLES = "titles"


class InvalidRequest(ValueError):
    """A request parameter is out of bounds; the message says which and why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class SearchRequest:
    """What a user asked for. Construct it through ``SearchRequest.create`` to get bounds checks."""

    query: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: Sort = Sort.RELEVANCE
    scope: Scope = Scope.ALL
    authors: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    year: int | None = None
    month: int | None = None
    caption_only: bool = False
    within: str = ""
    """A previous query whose results the new words narrow ("search within results")."""
    recency: Recency = Recency.NONE
    """Newer articles' relevance scores raised (``search.ranking.recency_factors``)."""
    versions: Versions = Versions.GROUPED
    """One result per story (its other versions listed with it), or every article."""

    def __post_init__(self) -> None:
        if len(self.query) > MAX_QUERY_CHARS:
            raise InvalidRequest(
                "q",
                f"the query is {len(self.query)} characters long; the limit is {MAX_QUERY_CHARS}",
            )
        if len(self.within) > MAX_QUERY_CHARS:
            raise InvalidRequest("within", f"the limit is {MAX_QUERY_CHARS} characters")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidRequest(
                "per_page", f"must be between 1 and {MAX_PER_PAGE}, got {self.per_page}"
            )
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidRequest("page", f"must be between 1 and {MAX_PAGE}, got {self.page}")
        if len(self.authors) > MAX_AUTHORS:
            raise InvalidRequest(
                "author", f"at most {MAX_AUTHORS} authors, got {len(self.authors)}"
            )
        if self.since and self.until and self.since > self.until:
            raise InvalidRequest("since", f"{self.since} is after until={self.until}")
        if self.month is not None and (self.year is None or not 1 <= self.month <= 12):
            raise InvalidRequest("month", "needs a year and a month number from 1 to 12")


@dataclass(frozen=True)
class Fragment:
    """A highlighted piece of an article's text.

    ``html`` is escaped text with only ``<mark>`` tags added; ``text`` is the same
    text plain, and ``marks`` are the (start, end) character offsets of the marked
    matches within ``text``.
    """

    html: str
    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class BodyFragment(Fragment):
    paragraph: int = 0
    """1-based number of the body paragraph the fragment comes from (``#p4``)."""


@dataclass(frozen=True)
class CaptionMatch(Fragment):
    index: int = 0
    """1-based position of the caption among the article's captions."""
    credit: str | None = None


@dataclass(frozen=True)
class Version:
    """Another version of a result's story (the same text, nearly)."""

    id: str
    title: str
    published: date | None = None
    matched: bool = False
    """Whether it matches the search too."""


@dataclass(frozen=True)
class DiffPiece:
    """A run of words of a word-level diff: ``same`` in both versions, ``removed`` from
    the first or ``added`` in the second. A long unchanged run is shortened: ``text``
    and ``after`` are its ends, with ``skipped`` words left out between them."""

    kind: str
    text: str
    skipped: int = 0
    after: str = ""


@dataclass(frozen=True)
class StoryVersions:
    """An article's story: its other versions, and what differs from the closest one."""

    versions: tuple[Version, ...]
    """The other versions, lead first (at most ``search.engine.MAX_VERSIONS``)."""
    count: int
    """How many versions the story has, this one included."""
    closest: Version
    similarity: float
    """The estimated share of word shingles the two have in common (0-1)."""
    diff: tuple[DiffPiece, ...]
    """From the closest version to this one."""


@dataclass(frozen=True)
class Hit:
    """One ranked result."""

    id: str
    title: str
    title_html: str
    authors: tuple[str, ...]
    published: date | None
    updated: date | None
    score: float
    body: tuple[BodyFragment, ...] = ()
    captions: tuple[CaptionMatch, ...] = ()
    matched_in: tuple[str, ...] = ()
    """Sections that matched: "title", "body", "captions", "author", "bio", "credits"."""
    matched_paragraphs: tuple[int, ...] = ()
    """1-based numbers of the body paragraphs that matched."""
    matched_captions: tuple[int, ...] = ()
    """1-based numbers of the captions that matched."""
    phrase: bool = False
    """True when a quoted phrase (or the whole query, in the headline) matched as a phrase."""
    weak: bool = False
    """True when the hit matched only in the author bio or a photo credit (ranked lower)."""
    more_matches: int = 0
    """Body matches beyond the fragments shown ..."""
    more_paragraphs: int = 0
    """... and in how many further paragraphs ("12 more matches in 5 paragraphs")."""
    url: str | None = None
    source: str = ""
    """Where the article was read from: a file, and a line for a feed."""
    versions: int = 1
    """How many versions its story has (1: no other)."""
    other_versions: tuple[Version, ...] = ()
    """The story's other versions, lead first (at most ``search.engine.MAX_VERSIONS``)."""


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    """The results choosing the value shows (stories when versions are grouped)."""
    articles: int
    """The articles among them."""


@dataclass(frozen=True)
class SearchResponse:
    """What came back: the page of hits, the total, facets, suggestions and notices."""

    request: SearchRequest
    query: str
    """The query as it was read (after any fallback to plain words)."""
    total: int
    hits: tuple[Hit, ...]
    took_ms: float
    generation: str
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    suggestion: str | None = None
    notices: tuple[str, ...] = ()
    all_words_total: int | None = None
    """For plain-word queries, how many articles contain every word (they rank first)."""
    total_exact: bool = True
    """False when a phrase had more candidates than one search checks, or the search
    stopped at its time budget: ``total`` is then a lower bound, and a notice says why."""
    articles: int = 0
    """The articles the results hold (``total`` counts stories when versions are grouped)."""


@dataclass(frozen=True)
class ArticleHighlights:
    """An article's text with a query's matches marked, section by section (the article page).

    ``paragraphs``, ``captions`` and ``credits`` hold one fragment per body paragraph,
    photo caption and photo credit, in order, whether or not it matched; numbering
    is 1-based, as in ``Hit.matched_paragraphs`` (``#p4``) and ``Hit.matched_captions``.
    """

    query: str
    """The query as it was read (after any fallback to plain words)."""
    title: Fragment
    paragraphs: tuple[Fragment, ...]
    captions: tuple[Fragment, ...]
    credits: tuple[Fragment, ...]
    bio: Fragment
    notices: tuple[str, ...] = ()

    @cached_property
    def matched_paragraphs(self) -> tuple[int, ...]:
        """1-based numbers of the paragraphs with at least one mark."""
        return tuple(n for n, fragment in enumerate(self.paragraphs, start=1) if fragment.marks)

    @property
    def match_count(self) -> int:
        """Marks in the whole article: headline, paragraphs, captions, credits and bio."""
        sections = (self.title, *self.paragraphs, *self.captions, *self.credits, self.bio)
        return sum(len(fragment.marks) for fragment in sections)


@dataclass(frozen=True)
class Headline:
    """An article offered by its headline while the user types."""

    id: str
    title: str


@dataclass(frozen=True)
class Suggestions:
    """Autocomplete for what has been typed so far, in three groups."""

    query: str
    completions: tuple[str, ...] = ()
    """Whole query texts, the last word completed."""
    authors: tuple[str, ...] = ()
    """Bylines a name of which starts with what was typed."""
    headlines: tuple[Headline, ...] = ()
    """Articles whose headline holds every typed word (the last as a beginning)."""


@dataclass(frozen=True)
class Related:
    """An article like another ("more like this")."""

    id: str
    title: str
    authors: tuple[str, ...] = ()
    published: date | None = None
