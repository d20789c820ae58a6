"""Property tests: query parsing never fails, and highlighting is always safe, well-formed HTML.

Highlight HTML must parse (with ``html.parser``) to ``<mark>`` tags only, balanced, around
data that unescapes to exactly the fragment's plain ``text``; ``marks`` slice that text. A
mark covers a word of the query, and a searched word that stands in an article is marked.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from html import escape, unescape
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from index.analysis import news_analyzer
from index.build import build_index
from index.schema import build_schema
from search import highlight
from search.engine import Searcher
from search.query import parse_query
from search.request import MAX_PER_PAGE, Fragment, SearchRequest, SearchResponse
from tests.conftest import index_records

SETTINGS = settings(max_examples=150, deadline=None)
ANALYZER = news_analyzer()
SCHEMA = build_schema()

# --- strategies --------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "harbour",
        "border",
        "security",
        "secur",
        "gull",
        "prep",
        "the",
        "a",
        "x",
        "2017",
        "20",
        "korean-chinese",
        "China's",
        "café",
        "東京",
        "alert",
        "script",
        "amp",
    ]
)
SYNTAX = st.sampled_from(
    [*'"()[]{}:*?~^-+', "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "~2", "~3", "^2", "*"]
)
FIELDS = st.sampled_from(
    [
        "title:",
        "body:",
        "caption:",
        "captions:",
        "author:",
        "by:",
        "bio:",
        "credit:",
        "published:",
        "updated:",
        "headline:",
        "id:",
        "year:",
        "url:",
        "source:",
        "authors:",
        "content_hash:",
    ]
)
RANGES = st.sampled_from(
    ["[2017 TO 2018]", "{2019 TO}", "[TO 2020-01]", ">2020", "<=2019-05", "2020-13-45", "[a TO b]"]
)
TOKEN = st.one_of(WORDS, SYNTAX, FIELDS, RANGES, st.text(max_size=6))
QUERIES = st.lists(st.tuples(TOKEN, st.sampled_from(["", " ", " ", "  "])), max_size=14).map(
    lambda parts: "".join(token + gap for token, gap in parts)
)
ANY_QUERY = st.one_of(st.text(max_size=300), QUERIES)

# Article text: letters, punctuation, HTML specials, curly quotes, odd spaces, accents, CJK.
TEXT_CHARS = st.one_of(
    st.sampled_from(list("abcdefgh ABC   .,;:!?-'\"<>&/“”‘’…\u00a0\u2009éüñçÅøß漢字東京")),
    st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs", "Mn"]),
)
ARTICLE_TEXT = st.text(TEXT_CHARS, max_size=400)


# --- html checking -----------------------------------------------------------------------------


class Tags(HTMLParser):
    """Collects start tags, end tags and text data (character references converted)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("startend", tag))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def unknown_decl(self, data: str) -> None:
        self.events.append(("decl", data))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self.events.append(("pi", data))


def check_html(html: str, text: str, marks: tuple[tuple[int, int], ...] | None = None) -> None:
    """``html`` is ``text`` escaped plus balanced ``<mark>`` tags (one per entry of ``marks``)."""
    parser = Tags()
    parser.feed(html)
    parser.close()
    depth = 0
    for kind, tag in parser.events:
        assert (kind, tag) in {("start", "mark"), ("end", "mark")}, (kind, tag, html)
        depth += 1 if kind == "start" else -1
        assert depth in (0, 1), html
    assert depth == 0, html
    assert "".join(parser.data) == text
    if marks is None:
        return
    assert html.count("<mark>") == len(marks)
    assert all(0 <= start < end <= len(text) for start, end in marks)
    assert all(a[1] <= b[0] for a, b in pairwise(marks))


def check_fragment(fragment: Fragment) -> None:
    check_html(fragment.html, fragment.text, fragment.marks)
    for start, end in fragment.marks:
        assert f"<mark>{escape(fragment.text[start:end])}</mark>" in fragment.html


# --- (a) parsing never raises ------------------------------------------------------------------

CRASHED_ONCE = [
    "<0",
    ">x",
    "a <b",
    ">2017 election",
    "=>x",
    "<>",
    '"NOT"NOT"0',
    '0"ANDNOT"ANDNOT"0',
]
"""Queries that made parse_query raise inside Whoosh's parser (found by the properties below)."""


@pytest.mark.parametrize("text", CRASHED_ONCE)
def test_queries_that_once_crashed_the_parser(text: str) -> None:
    parse_query(text, SCHEMA)


@SETTINGS
@given(ANY_QUERY)
def test_parse_query_never_raises(text: str) -> None:
    parsed = parse_query(text, SCHEMA)
    assert isinstance(parsed.read_as, str)


# --- (b) searching never raises and its html is well formed ------------------------------------

CORPUS = [
    {
        "id": "one",
        "title": "<script>alert(1)</script> Border Security & \"Harbour\" 'Review'",
        "authors": ["Maria Lopez", "Li Wei"],
        "published": "2017-05-04",
        "body": [
            'The harbour site showed "><img src=x onerror=alert(1)> until it was removed.',
            "Tom &amp; Jerry said border security at the harbour is China's concern. " * 6,
            "Korean-Chinese interpreters were hired. Gulls, gull and GULL nested on the quay.",
        ],
        "captions": [
            {"text": "A <b>border</b> guard at the harbour.", "credit": "A&B <Photo>"},
            {"text": "Security officers prepare.", "credit": "JOHN DOE/AFP/Getty Images"},
        ],
        "bio": "Maria Lopez covers security for the paper.",
    },
    {
        "id": "two",
        "title": "Café in 東京 reopens",
        "authors": ["Ana Silva"],
        "published": "2018-01-02",
        "body": ["The café near the harbour reopened on Monday. " * 12, "Prices rose 3.5 percent."],
        "captions": [{"text": "The café at night.", "credit": None}],
    },
    {
        "id": "three",
        "title": "Undated note on the border",
        "body": "Nothing else happened.\n\nThe end.",
    },
]


@pytest.fixture(scope="module")
def corpus_searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    searcher = Searcher(index_records(CORPUS, tmp_path_factory.mktemp("property")))
    yield searcher
    searcher.close()


def check_response(searcher: Searcher, query: str) -> SearchResponse:
    response = searcher.search(SearchRequest(query=query, per_page=MAX_PER_PAGE))
    for hit in response.hits:
        check_html(hit.title_html, hit.title)
        article = searcher.article(hit.id)
        assert article is not None
        for fragment in hit.body:
            check_fragment(fragment)
            paragraph = article.paragraphs[fragment.paragraph - 1]
            text = fragment.text
            assert any(piece in paragraph for piece in (text, text[1:], text[:-1], text[1:-1])), (
                text,
                paragraph,
            )
        for caption in hit.captions:
            check_fragment(caption)
            assert article.captions[caption.index - 1].text == caption.text
            assert article.captions[caption.index - 1].credit == caption.credit
    return response


@settings(SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=ANY_QUERY)
def test_search_never_raises_and_html_is_well_formed(corpus_searcher: Searcher, query: str) -> None:
    response = check_response(corpus_searcher, query)
    marked = any("<mark>" in f.html for h in response.hits for f in (*h.body, *h.captions))
    event("marked" if marked else "hits, none marked" if response.hits else "no hits")


@pytest.mark.parametrize(
    "query",
    [
        "harbour",
        "alert",
        "amp",
        "secur*",
        '"border security"',
        "gull",
        "café",
        "bordr~",
        "東京",
        *CRASHED_ONCE,
    ],
)
def test_known_queries_give_well_formed_html(corpus_searcher: Searcher, query: str) -> None:
    check_response(corpus_searcher, query)


# --- (c) arbitrary article text ----------------------------------------------------------------


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(st.text(TEXT_CHARS | st.just("\n"), max_size=600))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    return text, spans


@SETTINGS
@given(text_and_spans(), st.text(TEXT_CHARS, max_size=2), st.text(TEXT_CHARS, max_size=2))
def test_render_is_escaped_text_plus_marks(
    case: tuple[str, list[tuple[int, int]]], prefix: str, suffix: str
) -> None:
    text, spans = case
    fragment = highlight.render(text, spans, prefix, suffix)
    assert fragment.text == prefix + text + suffix
    check_fragment(fragment)
    assert [fragment.text[a:b] for a, b in fragment.marks] == [text[a:b] for a, b in spans]


@SETTINGS
@given(text_and_spans())
def test_body_fragments_are_pieces_of_their_paragraphs(
    case: tuple[str, list[tuple[int, int]]],
) -> None:
    text, spans = case
    paragraphs = text.split("\n")
    fragments, more_matches, more_paragraphs = highlight.body_fragments(text, spans, {})
    assert len(fragments) <= highlight.MAX_FRAGMENTS
    clipped = sum(len(local) for local in highlight._by_section(text, spans).values())
    assert sum(len(f.marks) for f in fragments) + more_matches == clipped
    matched = highlight.matched_sections(text, spans)
    assert {f.paragraph for f in fragments} <= set(matched)
    assert more_paragraphs <= len(matched)
    assert bool(more_matches) == bool(more_paragraphs)
    assert bool(fragments) == bool(clipped)
    for fragment in fragments:
        check_fragment(fragment)
        paragraph = paragraphs[fragment.paragraph - 1]
        core = fragment.text
        if core.startswith(highlight.ELLIPSIS) and not paragraph.startswith(core):
            core = core[1:]
        if core.endswith(highlight.ELLIPSIS) and not paragraph.endswith(core):
            core = core[:-1]
        assert core in paragraph
    ordered = [(f.paragraph, f.text) for f in fragments]
    assert [p for p, _ in ordered] == sorted(p for p, _ in ordered)


WORD = st.text("abcdefghijklmnopqrstuvwxyzéü漢", min_size=1, max_size=15)


@st.composite
def prose_and_matches(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A paragraph of words and sentences, and some of its words as matches."""
    words = draw(
        st.lists(
            st.tuples(WORD, st.sampled_from([" "] * 12 + [". ", ', "', '." '])),
            min_size=30,
            max_size=250,
        )
    )
    paragraph = "".join(word + gap for word, gap in words).strip()
    spans = []
    offset = 0
    for word, gap in words:
        if draw(st.integers(0, 5)) == 0:
            spans.append((offset, offset + len(word)))
        offset += len(word) + len(gap)
    return paragraph, spans


@SETTINGS
@given(prose_and_matches())
def test_windows_are_sentences_or_short_cuts_at_word_boundaries(
    case: tuple[str, list[tuple[int, int]]],
) -> None:
    paragraph, spans = case
    assume(spans)
    longest = max(len(sentence) for sentence in paragraph.split("."))
    event("long sentence" if longest > highlight.MAX_SENTENCE_CHARS else "short sentences")
    windows = highlight._windows(paragraph, spans)
    assert [span for _, _, inside in windows for span in inside] == spans
    for (_, end, _), (start, _, _) in pairwise(windows):
        assert end <= start
    for start, end, inside in windows:
        assert start <= inside[0][0] and inside[-1][1] <= end
        assert start == 0 or paragraph[start - 1].isspace()
        assert end == len(paragraph) or paragraph[end].isspace()
        assert not paragraph[start:end].startswith(" ") and not paragraph[start:end].endswith(" ")
        assert end - start <= max(highlight.MAX_SENTENCE_CHARS, highlight.FRAGMENT_CHARS + 16)


def _words(text: str) -> list[str]:
    """The words of ``text`` as written (the analyzer's token boundaries)."""
    return [text[t.startchar : t.endchar] for t in ANALYZER(text, chars=True)]


NEW_WORD = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFéüßø漢字東京0123456789", min_size=1, max_size=12
)
"""Words that are one token each (letters and digits) and need not occur in the article."""


@st.composite
def articles(draw: st.DrawFn) -> tuple[dict[str, object], str]:
    """An article record and a word to search for that stands in it as a word of its own.

    The word is one of the article's words or a new one; it is put, with a space each side,
    at a random place in the title, one of the paragraphs or the caption.
    """
    title = draw(ARTICLE_TEXT.filter(lambda t: any(c.isalpha() for c in t)))
    texts = [title, *draw(st.lists(ARTICLE_TEXT, min_size=1, max_size=4)), draw(ARTICLE_TEXT)]
    words = _words(" ".join(texts))
    word = draw(st.sampled_from(words) | NEW_WORD if words else NEW_WORD)
    place = draw(st.integers(0, len(texts) - 1))
    cut = draw(st.integers(0, len(texts[place])))
    texts[place] = f"{texts[place][:cut]} {word} {texts[place][cut:]}"
    title, *paragraphs, caption = texts
    record: dict[str, object] = {
        "id": "random",
        "title": title,
        "body": paragraphs,
        "captions": [{"text": caption, "credit": "X/Y"}] if caption.strip() else [],
    }
    return record, word


def _marked_spans(html: str) -> tuple[str, list[tuple[int, int]]]:
    """The plain text of highlight ``html`` and the spans of it inside ``<mark>`` tags."""
    text, spans, start = "", [], 0
    for piece in re.split(r"(</?mark>)", html):
        if piece == "<mark>":
            start = len(text)
        elif piece == "</mark>":
            spans.append((start, len(text)))
        else:
            text += unescape(piece)
    return text, spans


def _covers_term(text: str, spans: list[tuple[int, int]], terms: set[str]) -> bool:
    """Whether one of ``spans`` covers a token of ``text`` that analyses to one of ``terms``."""
    return any(
        start <= token.startchar and token.endchar <= end and token.text in terms
        for token in ANALYZER(text, chars=True, mode="index")
        for start, end in spans
    )


@settings(max_examples=30, deadline=None)
@given(articles())
def test_highlighting_arbitrary_articles(case: tuple[dict[str, object], str]) -> None:
    record, word = case
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source"
        source.mkdir()
        (source / "a.jsonl").write_text(json.dumps(record), encoding="utf-8")
        report = build_index([source], Path(folder) / "index")
        assume(report.indexed == 1)
        searcher = Searcher(Path(folder) / "index")
        try:
            check_response(searcher, word)
            check_response(searcher, f'"{word}"')
            response = searcher.search(SearchRequest(query=word))
            # Marks are checked against the terms of the query as parsed (how query.py
            # splits the text into words is not the highlighter's business).
            query_terms = {
                text.decode() if isinstance(text, bytes) else str(text)
                for _, text in parse_query(word, SCHEMA).query.iter_all_terms()
            }
            for hit in response.hits:
                for fragment in (*hit.body, *hit.captions):
                    for start, end in fragment.marks:
                        marked = {t.text for t in ANALYZER(fragment.text[start:end], mode="index")}
                        assert marked & query_terms, (word, fragment.text[start:end])
            # The word stands in the article as a word of its own, so the article is found
            # and a mark covers one of the word's occurrences (a token analysed as the word).
            [hit] = response.hits
            terms = {token.text for token in ANALYZER(word)}
            sections = [_marked_spans(hit.title_html)]
            sections += [(f.text, list(f.marks)) for f in (*hit.body, *hit.captions)]
            assert any(_covers_term(text, spans, terms) for text, spans in sections), (
                word,
                terms,
                sections,
            )
        finally:
            searcher.close()


def test_a_plain_query_finds_words_with_indic_vowel_signs(tmp_path: Path) -> None:
    record = {"id": "hindi", "title": "हिंदी समाचार", "body": ["यह हिंदी में है।"]}
    searcher = Searcher(index_records([record], tmp_path))
    try:
        for query in ("हिंदी", "समाचार"):
            [hit] = searcher.search(SearchRequest(query=query)).hits
            assert "<mark>" in hit.title_html, query
    finally:
        searcher.close()
