"""Tests for search.highlight, through the real Searcher over small real indexes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from index import generations
from index.articles import article_id
from search import highlight
from search.engine import Searcher
from search.query import parse_query
from search.request import Fragment, Hit, SearchRequest, SearchResponse
from tests.conftest import index_records

LONG_PARAGRAPH = (
    "A zeppelin was seen over the northern breakwater early on Tuesday morning, according to "
    "two harbour pilots who were on duty at the time. The pilots said the craft moved slowly "
    "from east to west and made very little noise as it passed above the container terminal. "
    "Staff at the weather station recorded light winds and clear skies throughout the morning, "
    "which made the sighting easy to confirm. Several residents of the old town also reported "
    "the sighting to the board by telephone and by email later in the day. Officials have not "
    "yet identified the operator, and the board has asked the aviation authority for help with "
    "its inquiry. By evening the zeppelin had drifted out to sea and was no longer visible from "
    "the shore."
)
LONG_SENTENCE = (
    "The board also approved a plan that would repaint the cranes along the eastern quay, "
    "replace the rotting timber on the fishing pier, widen the road that leads to the ferry "
    "terminal so that lorries no longer block the junction at peak times, install new lamps in "
    "the car park behind the old customs house, restore the lighthouse that has stood at the end "
    "of the southern mole since the nineteenth century, rebuild the public toilets near the bus "
    "stop, plant trees along the promenade, add benches for visitors who come to watch the boats "
    "in the summer, and hire two more wardens to patrol the beach during the busy holiday weeks."
)

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "security",
        "title": "Officials Preparing Border Security Review",
        "authors": ["Maria Lopez"],
        "published": "2020-01-02",
        "body": [
            "The ministry is preparing a review of border security along the northern frontier. "
            "Officials said the work would take months.",
            "A border town mayor said residents felt safe. Nobody mentioned security at the "
            "meeting, where the weather was the main topic.",
            "Critics said the review ignores security at ports. They want a broader plan.",
            "The report will be published next year, when the harbour is secure again.",
        ],
        "captions": [
            {"text": "A border guard checks papers at the crossing.", "credit": "ANNA BERG/Press"},
            {"text": "The river at dawn.", "credit": "Staff photo"},
            {
                "text": "Security officers prepare for the visit.",
                "credit": "JOHN DOE/AFP/Getty Images",
            },
        ],
        "bio": "Maria Lopez covers defence for the paper.",
    },
    {
        "id": "long",
        "title": "Harbour Board Annual Report",
        "published": "2020-02-03",
        "body": [
            "The harbour board met on Monday.",
            LONG_PARAGRAPH,
            LONG_SENTENCE,
            "The harbour was quiet.",
        ],
    },
    {
        "id": "rarity",
        "title": "Quiet Week at the Docks",
        "published": "2020-03-04",
        "body": [
            "Cargo ships arrived at the harbour on Monday.",
            "Cargo volumes at the harbour rose.",
            "The harbour pilots worked overtime.",
            "Harbour fees were unchanged.",
            "An albatross landed on the old pier.",
        ],
    },
    {
        "id": "quays",
        "title": "Five Quays",
        "published": "2020-04-05",
        "body": [
            "The first quay is old.",
            "The second quay is new.",
            "The third quay is longer than any other quay in the port.",
            "The fourth quay is closed.",
            "The fifth quay is for ferries.",
        ],
    },
    {
        "id": "gulls",
        "title": "Gulls Return to the Harbour",
        "published": "2020-05-06",
        "body": [
            "A gull stole a chip. Then another gull took a second, and a third gull watched.",
            "Gulls were everywhere.",
        ],
    },
    {
        "id": "inject",
        "title": "<script>alert(1)</script> Harbour & Dock \"Review\" 'x'",
        "published": "2020-06-07",
        "body": [
            'The harbour site showed "><img src=x onerror=alert(1)> until staff removed it.',
            "Tom &amp; Jerry <b>harbour</b> café's menu.",
        ],
        "captions": [
            {"text": "<script>alert('x')</script> harbour at night", "credit": "A&B <Photo>"},
        ],
    },
    {
        "id": "zurich",
        "title": "Zürich Glacier Study",
        "published": "2020-08-09",
        "body": ["Researchers from Zürich measured the glacier."],
    },
    {
        "id": "filler",
        "title": "Harbour Fees Rise",
        "published": "2020-07-08",
        "body": ["The harbour raised its fees for the first time in a decade."],
    },
]


def hid(record_id: str) -> str:
    """The id an article of ARTICLES gets in the index."""
    return article_id(f"id:{record_id}")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    searcher = Searcher(index_records(ARTICLES, tmp_path_factory.mktemp("highlight")))
    yield searcher
    searcher.close()


@pytest.fixture(scope="module")
def sample_searcher(sample_index: Path) -> Iterator[Searcher]:
    searcher = Searcher(sample_index)
    yield searcher
    searcher.close()


def search(searcher: Searcher, query: str) -> SearchResponse:
    return searcher.search(SearchRequest(query=query))


def hit(searcher: Searcher, query: str, record_id: str) -> Hit:
    """The hit for one article of ARTICLES (it must be on the first page)."""
    hits = {h.id: h for h in search(searcher, query).hits}
    assert hid(record_id) in hits, f"{record_id!r} not found by {query!r}"
    return hits[hid(record_id)]


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def marked_text(fragment: Fragment) -> list[str]:
    """The marked words of a fragment, sliced from its plain text by its offsets."""
    return [fragment.text[start:end] for start, end in fragment.marks]


def all_marks(h: Hit) -> list[str]:
    return marked(h.title_html) + [m for f in (*h.body, *h.captions) for m in marked(f.html)]


class Tags(HTMLParser):
    """Collects start tags, end tags and text data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[str] = []
        self.ends: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ends.append(tag)

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


# --- what is marked ---------------------------------------------------------------------------


def test_stemmed_forms_are_marked(searcher: Searcher) -> None:
    h = hit(searcher, "prepare", "security")
    assert h.title_html == "Officials <mark>Preparing</mark> Border Security Review"
    assert [marked_text(f) for f in h.body] == [["preparing"]]
    assert h.body[0].paragraph == 1
    assert [(c.index, marked_text(c)) for c in h.captions] == [(3, ["prepare"])]


def test_a_phrase_marks_the_phrase_only(searcher: Searcher) -> None:
    h = hit(searcher, '"border security"', "security")
    assert h.title_html == "Officials Preparing <mark>Border Security</mark> Review"
    assert [(f.paragraph, marked_text(f)) for f in h.body] == [(1, ["border security"])]
    assert all_marks(h) == ["Border Security", "border security"]
    # "border" alone (paragraph 2, caption 1) and "security" alone are not marked.
    assert h.captions == ()
    assert h.more_matches == 0
    assert h.more_paragraphs == 0
    assert h.matched_paragraphs == (1,)


def test_a_phrase_with_slop_marks_the_words_between(searcher: Searcher) -> None:
    h = hit(searcher, '"review security"~2', "security")
    # "review ignores security" is within the slop; "review of border security" is not.
    assert [(f.paragraph, marked_text(f)) for f in h.body] == [(3, ["review ignores security"])]


def test_excluded_words_are_never_marked(searcher: Searcher) -> None:
    h = hit(searcher, "security -title:weather", "security")
    assert h.body, "security matched in the body"
    assert all("weather" not in m.lower() for m in all_marks(h))
    assert any("weather" in f.text for f in h.body)  # shown, but not marked
    schema = searcher._current().searcher.schema
    reader = searcher._current().searcher.reader()
    terms = highlight.match_terms(parse_query("border -security", schema).query, reader)
    assert all(b"secur" not in texts for texts in terms.terms.values())
    assert b"border" in terms.terms["body"]


def test_prefix_marks_the_expanded_words(searcher: Searcher) -> None:
    h = hit(searcher, "secur*", "security")
    assert marked(h.title_html) == ["Security"]
    assert [marked_text(f) for f in h.body] == [["security"], ["security"], ["security"]]
    assert h.matched_paragraphs == (1, 2, 3, 4)  # "secure" in paragraph 4 is left over
    assert (h.more_matches, h.more_paragraphs) == (1, 1)
    h = hit(searcher, "gul*", "gulls")
    assert {m for f in h.body for m in marked_text(f)} == {"gull", "Gulls"}


def test_fuzzy_marks_the_expanded_words(searcher: Searcher) -> None:
    h = hit(searcher, "bordr~", "security")
    assert {m.lower() for m in all_marks(h)} == {"border"}
    assert [c.index for c in h.captions] == [1]


def test_fuzzy_misspelling_marks_the_word(searcher: Searcher) -> None:
    h = hit(searcher, "secuirty~", "security")
    assert marked(h.title_html) == ["Security"]
    assert [marked_text(f) for f in h.body] == [["security"], ["security"], ["security"]]
    assert [(c.index, marked_text(c)) for c in h.captions] == [(3, ["Security"])]


def test_a_decomposed_accent_in_the_query_marks_the_word(searcher: Searcher) -> None:
    h = hit(searcher, "cafe\u0301 Tom", "inject")
    assert "café" in {m for f in h.body for m in marked_text(f)}
    h = hit(searcher, "Zu\u0308rich", "zurich")
    assert marked(h.title_html) == ["Zürich"]


def test_repeated_words_are_each_marked(searcher: Searcher) -> None:
    h = hit(searcher, "gull", "gulls")
    assert marked(h.title_html) == ["Gulls"]
    assert [(f.paragraph, marked_text(f)) for f in h.body] == [
        (1, ["gull", "gull", "gull"]),
        (2, ["Gulls"]),
    ]
    assert h.body[0].text == ARTICLES[4]["body"][0]  # both sentences, whole, no ellipsis
    assert (h.more_matches, h.more_paragraphs) == (0, 0)


def test_marks_slice_the_plain_text_to_the_matched_words(searcher: Searcher) -> None:
    for query in ("harbour", "prepare", "secur*", '"border security"', "gull", "zeppelin"):
        for h in search(searcher, query).hits:
            for fragment in (*h.body, *h.captions):
                assert marked_text(fragment) == [
                    parse(m).data[0] if m else "" for m in marked(fragment.html)
                ]
                assert all(
                    fragment.text[start:end].strip() == fragment.text[start:end]
                    for start, end in fragment.marks
                )


# --- captions, bio -----------------------------------------------------------------------------


def test_caption_matches_carry_index_and_credit_and_stay_out_of_the_body(
    searcher: Searcher,
) -> None:
    h = hit(searcher, "guard", "security")
    assert h.body == ()
    assert [(c.index, c.credit, c.text) for c in h.captions] == [
        (1, "ANNA BERG/Press", "A border guard checks papers at the crossing.")
    ]
    assert h.captions[0].html == "A border <mark>guard</mark> checks papers at the crossing."
    assert "captions" in h.matched_in
    assert "body" not in h.matched_in

    h = hit(searcher, "officers", "security")
    assert h.body == ()
    assert [(c.index, c.credit) for c in h.captions] == [(3, "JOHN DOE/AFP/Getty Images")]

    h = hit(searcher, "prepare", "security")
    captions = {c["text"] for c in ARTICLES[0]["captions"]}
    assert all(f.text.strip("…") not in captions for f in h.body)
    assert all("officers" not in f.text for f in h.body)


def test_caption_only_query(searcher: Searcher) -> None:
    h = hit(searcher, "caption:security", "security")
    assert h.body == ()
    assert [(c.index, marked_text(c)) for c in h.captions] == [(3, ["Security"])]


def test_bio_match_is_not_shown_as_body(searcher: Searcher) -> None:
    h = hit(searcher, "defence", "security")
    assert h.body == ()
    assert h.captions == ()
    assert "bio" in h.matched_in
    assert marked(h.title_html) == []


# --- fragments ---------------------------------------------------------------------------------


def test_fragments_carry_their_paragraph_numbers(searcher: Searcher) -> None:
    h = hit(searcher, "ports", "security")
    assert [(f.paragraph, f.text) for f in h.body] == [
        (3, "Critics said the review ignores security at ports.")
    ]
    h = hit(searcher, "security", "security")
    assert [f.paragraph for f in h.body] == [1, 2, 3]
    assert h.matched_paragraphs == (1, 2, 3, 4)  # "secure" is "secur" too
    assert (h.more_matches, h.more_paragraphs) == (1, 1)
    assert h.matched_captions == (3,)
    paragraphs = ARTICLES[0]["body"]
    for fragment in h.body:
        assert fragment.text.strip("…") in paragraphs[fragment.paragraph - 1]


def test_at_most_three_fragments_and_counts_by_hand(searcher: Searcher) -> None:
    h = hit(searcher, "quay", "quays")
    # Paragraph 3 holds two matches (one sentence); 1, 2, 4 and 5 one each. With equal
    # weights the fragment with two matches wins, then the earliest paragraphs.
    assert [(f.paragraph, len(f.marks)) for f in h.body] == [(1, 1), (2, 1), (3, 2)]
    assert (h.more_matches, h.more_paragraphs) == (2, 2)
    assert h.matched_paragraphs == (1, 2, 3, 4, 5)


def test_long_paragraph_shows_its_sentences(searcher: Searcher) -> None:
    h = hit(searcher, "zeppelin", "long")
    sentences = re.split(r"(?<=\.) ", LONG_PARAGRAPH)
    assert [(f.paragraph, f.text) for f in h.body] == [(2, f"{sentences[0]} … {sentences[-1]}")]
    assert (h.more_matches, h.more_paragraphs) == (0, 0)


def test_long_sentence_is_cut_to_a_window_at_word_boundaries(searcher: Searcher) -> None:
    assert len(LONG_SENTENCE) > highlight.MAX_SENTENCE_CHARS, "a sentence this long is cut"
    h = hit(searcher, "lighthouse", "long")
    [fragment] = h.body
    assert fragment.paragraph == 3
    assert fragment.text.startswith("…")
    assert fragment.text.endswith("…")
    inner = fragment.text[1:-1]
    assert 150 <= len(inner) <= highlight.FRAGMENT_CHARS
    start = LONG_SENTENCE.index(inner)
    end = start + len(inner)
    assert LONG_SENTENCE[start - 1] == " " and LONG_SENTENCE[end] == " "
    assert not inner.startswith(" ") and not inner.endswith(" ")
    assert marked_text(fragment) == ["lighthouse"]
    # the match is roughly in the middle
    middle = fragment.text.index("lighthouse") + len("lighthouse") // 2
    assert abs(middle - len(fragment.text) / 2) < 30


def test_the_fragment_with_the_rarer_term_is_preferred() -> None:
    text = "\n".join(ARTICLES[2]["body"])
    spans = [(m.start(), m.end()) for m in re.finditer(r"(?i)harbour|albatross", text)]
    weights = {"harbour": 1.2, "albatross": 2.9}
    fragments, more, paragraphs = highlight.body_fragments(text, spans, weights)
    assert [f.paragraph for f in fragments] == [1, 2, 5]
    assert (more, paragraphs) == (2, 2)
    # without weights, reading order decides
    fragments, _, _ = highlight.body_fragments(text, spans, {})
    assert [f.paragraph for f in fragments] == [1, 2, 3]


def test_the_fragment_with_the_rarer_term_is_preferred_through_the_engine(
    searcher: Searcher,
) -> None:
    h = hit(searcher, "harbour albatross", "rarity")
    assert [f.paragraph for f in h.body] == [1, 2, 5]
    assert (h.more_matches, h.more_paragraphs) == (2, 2)


def test_term_weights_use_the_body_idf(searcher: Searcher) -> None:
    whoosh_searcher = searcher._current().searcher
    query = parse_query('harbour albatross "border security"', whoosh_searcher.schema).query
    terms = highlight.match_terms(query, whoosh_searcher.reader())
    weights = highlight.term_weights(whoosh_searcher, terms)
    assert set(weights) == {"harbour", "albatross", "border", "secur"}
    assert weights["albatross"] == weights["secur"] == weights["border"] > weights["harbour"]


# --- HTML safety -------------------------------------------------------------------------------


def test_injected_html_is_escaped(searcher: Searcher) -> None:
    for query in ("harbour", "alert", "script", "img onerror", "amp", "jerry", "photo"):
        response = search(searcher, query)
        assert response.hits, query
        for h in response.hits:
            htmls = [h.title_html, *(f.html for f in (*h.body, *h.captions))]
            for html in htmls:
                assert "<script" not in html and "<img" not in html and "<b>" not in html
                tags = parse(html)
                assert set(tags.starts) <= {"mark"} and set(tags.ends) <= {"mark"}
    h = hit(searcher, "alert", "inject")
    assert h.title_html.startswith("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; Harbour")
    assert "&quot;Review&quot; &#x27;x&#x27;" in h.title_html
    assert h.body[0].html == (
        "The harbour site showed &quot;&gt;&lt;img src=x onerror=<mark>alert</mark>(1)&gt; "
        "until staff removed it."
    )
    assert h.captions[0].html == (
        "&lt;script&gt;<mark>alert</mark>(&#x27;x&#x27;)&lt;/script&gt; harbour at night"
    )
    assert h.captions[0].credit == "A&B <Photo>"  # plain text: the page escapes it
    h = hit(searcher, "amp", "inject")
    assert (
        h.body[0].html
        == "Tom &amp;<mark>amp</mark>; Jerry &lt;b&gt;harbour&lt;/b&gt; café&#x27;s menu."
    )
    assert h.body[0].text == "Tom &amp; Jerry <b>harbour</b> café's menu."
    assert marked_text(h.body[0]) == ["amp"]


def test_html_parses_back_to_the_plain_text(searcher: Searcher) -> None:
    for query in ("harbour", "alert", "security", "zeppelin", "lighthouse", "quay"):
        for h in search(searcher, query).hits:
            assert "".join(parse(h.title_html).data) == h.title
            for fragment in (*h.body, *h.captions):
                assert "".join(parse(fragment.html).data) == fragment.text


# --- the reference article ---------------------------------------------------------------------


def test_reference_interpreters(sample_searcher: Searcher) -> None:
    [h] = search(sample_searcher, "interpreters").hits
    assert h.title == "China May Be Preparing for North Korean Exodus"
    assert [(f.paragraph, marked_text(f)) for f in h.body] == [
        (2, ["interpreters"]),
        (9, ["interpreters"]),
    ]
    assert "Korean-Chinese <mark>interpreters</mark> near" in h.body[0].html


def test_reference_soldier_captions(sample_searcher: Searcher) -> None:
    [h] = search(sample_searcher, "soldier").hits
    assert h.body == ()
    assert [(c.index, c.credit, marked_text(c)) for c in h.captions] == [
        (1, "JOHANNES EISELE/AFP/Getty Images", ["soldier"]),
        (2, "GREG BAKER/AFP/Getty Images", ["soldier"]),
    ]
    assert h.captions[0].text.startswith("A North Korean soldier stands guard")


def test_reference_border_security_phrase(sample_searcher: Searcher) -> None:
    [h] = search(sample_searcher, '"border security"').hits
    assert [(f.paragraph, marked_text(f)) for f in h.body] == [
        (2, ["border security"]),
        (9, ["border security"]),
    ]
    assert "areas including <mark>border security</mark>, public security" in h.body[0].html
    assert h.captions == ()


# --- unit: matched_sections, render, windows ---------------------------------------------------


def test_matched_sections() -> None:
    text = "alpha beta\ngamma\n\ndelta epsilon"
    assert highlight.matched_sections(text, []) == ()
    assert highlight.matched_sections(text, [(0, 5)]) == (1,)
    assert highlight.matched_sections(text, [(6, 10), (24, 31)]) == (1, 4)
    assert highlight.matched_sections(text, [(11, 16), (18, 23)]) == (2, 4)
    assert highlight.matched_sections(text, [(6, 16)]) == (1, 2)  # across a break
    assert highlight.matched_sections("", []) == ()


def test_matched_sections_agree_with_the_fragments(searcher: Searcher) -> None:
    whoosh_searcher = searcher._current().searcher
    reader = whoosh_searcher.reader()
    query = parse_query("harbour", whoosh_searcher.schema).query
    terms = highlight.match_terms(query, reader)
    docnum = whoosh_searcher.document_number(id=hid("rarity"))
    spans = highlight.match_spans(reader, docnum, "body", terms)
    text = "\n".join(ARTICLES[2]["body"])
    assert highlight.matched_sections(text, spans) == (1, 2, 3, 4)


def test_section_fragments() -> None:
    text = "alpha <beta>\ngamma\n\ndelta epsilon"
    fragments = highlight.section_fragments(text, [(6, 12), (14, 16), (26, 33)])
    assert [f.html for f in fragments] == [
        "alpha <mark>&lt;beta&gt;</mark>",
        "g<mark>am</mark>ma",
        "",
        "delta <mark>epsilon</mark>",
    ]
    assert [marked_text(f) for f in fragments] == [["<beta>"], ["am"], [], ["epsilon"]]
    assert highlight.section_fragments("", []) == ()


def test_render_escapes_and_offsets() -> None:
    fragment = highlight.render("a <b> & c", [(2, 5), (8, 9)], "…", "…")
    assert fragment.html == "…a <mark>&lt;b&gt;</mark> &amp; <mark>c</mark>…"
    assert fragment.text == "…a <b> & c…"
    assert marked_text(fragment) == ["<b>", "c"]


def test_sentence_keeps_its_closing_quote() -> None:
    paragraph = 'He said "the ferry is late." Then he left. Nobody saw him again.'
    start = paragraph.index("ferry")
    fragments, _, _ = highlight.body_fragments(paragraph, [(start, start + 5)], {})
    assert fragments[0].text == 'He said "the ferry is late."'


def test_phrase_across_a_paragraph_break_is_marked_on_both_sides() -> None:
    text = "the first ends\nstarts the second"
    fragments, more, paragraphs = highlight.body_fragments(text, [(10, 21)], {})
    assert [(f.paragraph, marked_text(f)) for f in fragments] == [(1, ["ends"]), (2, ["starts"])]
    assert (more, paragraphs) == (0, 0)


def test_windows_never_overlap() -> None:
    words = " ".join(f"w{i}" for i in range(400))
    spans = [(m.start(), m.end()) for m in re.finditer(r"\bw\d*7\b", words)]
    windows = highlight._windows(words, spans)
    assert sum(len(inside) for _, _, inside in windows) == len(spans)
    for (_, end, _), (start, _, _) in pairwise(windows):
        assert end <= start


def test_index_is_built_with_character_offsets(searcher: Searcher) -> None:
    path = generations.current_generation(searcher.index_root).path
    schema = whoosh_index.open_dir(str(path)).schema
    for name in ("title", "body", "captions", "credits", "bio"):
        assert schema[name].format.supports("characters"), name


def _marked_words(hit: Hit) -> list[str]:
    fragments: list[Fragment] = [*hit.body, *hit.captions]
    return [piece.text[start:end].lower() for piece in fragments for start, end in piece.marks]


def test_a_question_marks_its_content_words_not_its_glue(sample_index: Path) -> None:
    """Glue words count for ranking but do not choose or mark fragments..."""
    searcher = Searcher(sample_index)
    try:
        question = "what happened to the halvorsen cannery after the flood?"
        response = searcher.search(SearchRequest(query=question))
        marked = [word for hit in response.hits for word in _marked_words(hit)]
        alone = searcher.search(SearchRequest(query="the"))
    finally:
        searcher.close()
    assert {"halvorsen", "cannery"} <= set(marked)
    assert not {"what", "to", "the"} & set(marked)
    # ...unless the query has nothing else to mark.
    assert "the" in _marked_words(alone.hits[0])


@pytest.mark.parametrize("query", ["flood levee", "harbour bridge", "what happened to the cannery"])
def test_a_paragraph_is_one_fragment_and_a_full_stop_needs_no_ellipsis(
    sample_index: Path, query: str
) -> None:
    searcher = Searcher(sample_index)
    try:
        hits = searcher.search(SearchRequest(query=query, per_page=20)).hits
    finally:
        searcher.close()
    numbers = [[fragment.paragraph for fragment in hit.body] for hit in hits]
    assert all(len(set(shown)) == len(shown) for shown in numbers)
    assert sum(map(len, numbers)) > len(hits)
    assert not [f.text for hit in hits for f in hit.body if re.search(r"[.!?][”’\"]?…$", f.text)]
