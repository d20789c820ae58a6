"""The search core on a small hand-made corpus: query language, ranking, filters, facets, paging."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from search.engine import Searcher
from search.reference import ReferenceSearcher
from search.request import InvalidRequest, Recency, Scope, SearchRequest, SearchResponse, Sort
from tests.conftest import index_records

ARTICLES = {
    "A": {
        "title": "Harbour Bridge Closes for Repairs",
        "authors": ["Ana Silva"],
        "published": "2017-05-04",
        "body": ["The harbour bridge will close in May.", "Ferries will run instead."],
        "captions": [{"text": "The bridge at dusk.", "credit": "ANA SILVA/Scoop"}],
        "bio": "Ana Silva is a transport reporter.",
    },
    "B": {
        "title": "Ferry Service Expands",
        "authors": ["Tom Reed", "Ana Silva"],
        "published": "2017-06-10",
        "body": [
            "The ferry now runs every hour across the harbour.",
            "A new bridge is not planned.",
        ],
    },
    "C": {
        "title": "City Council Budget",
        "authors": ["Tom Reed"],
        "published": "2018-01-15",
        "body": ["The council approved the budget.", "The harbour master objected."],
    },
    "D": {
        "title": "Photographer Wins Award",
        "authors": ["Li Wei"],
        "published": "2016-03-02",
        "body": ["Li Wei won the national award."],
        "captions": [{"text": "Li Wei at the ceremony.", "credit": "HARBOUR PHOTOS"}],
        "bio": "Li Wei covers the harbour district.",
    },
    "E": {
        "title": "Bridge Inspection Report",
        "authors": ["Li Wei"],
        "published": "2018-02-01",
        "body": ["Engineers inspected the bridge."],
    },
    "F": {
        "title": "Undated Note on Bridges",
        "authors": ["Tom Reed"],
        "body": ["Old bridges of the city."],
    },
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    records = [{"id": key, **record} for key, record in ARTICLES.items()]
    opened = Searcher(index_records(records, tmp_path_factory.mktemp("corpus")))
    yield opened
    opened.close()


def run(searcher: Searcher, query: str, **options: object) -> SearchResponse:
    return searcher.search(SearchRequest(query=query, per_page=50, **options))  # type: ignore[arg-type]


def titles(response: SearchResponse) -> list[str]:
    by_title = {record["title"]: key for key, record in ARTICLES.items()}
    return [by_title[hit.title] for hit in response.hits]


def found(searcher: Searcher, query: str, **options: object) -> set[str]:
    return set(titles(run(searcher, query, **options)))


def test_articles_with_all_words_rank_above_partial_matches(searcher: Searcher) -> None:
    response = run(searcher, "harbour bridge")
    order = titles(response)
    assert order[0] == "A"  # the headline holds the query as a phrase
    assert order[1] == "B"  # holds both words
    assert set(order[2:5]) == {"C", "E", "F"}  # holds one of them
    assert order[-1] == "D"  # only in the bio and a photo credit
    assert response.all_words_total == 2
    assert response.notices == ()


def test_no_article_with_all_words_gets_a_notice(searcher: Searcher) -> None:
    response = run(searcher, "harbour xylophone")
    assert response.total == 4 and response.all_words_total == 0
    assert any("all of the words" in notice for notice in response.notices)


def test_a_long_question_finds_the_article(searcher: Searcher) -> None:
    assert titles(run(searcher, "which bridge will close for repairs in May?"))[0] == "A"


def test_weak_matches_are_labelled(searcher: Searcher) -> None:
    [hit] = [h for h in run(searcher, "harbour").hits if h.title.startswith("Photographer")]
    assert hit.weak
    assert set(hit.matched_in) == {"bio", "credits"}
    strong = [h for h in run(searcher, "harbour").hits if not h.title.startswith("Photographer")]
    assert not any(h.weak for h in strong)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"harbour bridge"', {"A"}),
        ("bridge -harbour", {"E", "F"}),
        ("ferry OR council", {"A", "B", "C"}),
        ("(ferry OR council) AND harbour", {"A", "B", "C"}),
        ("title:bridge", {"A", "E", "F"}),
        ("caption:dusk", {"A"}),
        ("author:reed", {"B", "C", "F"}),
        ("body:ferry", {"A", "B"}),
        ("insp*", {"E"}),
        ("bridgr~", {"A", "B", "E", "F"}),
        ("brigde~2", {"A", "B", "E", "F"}),
        ("published:2017", {"A", "B"}),
        ("published:2017-05", {"A"}),
        ("published:[2017-01-01 TO 2017-06-30]", {"A", "B"}),
        ("bridge published:2018", {"E"}),
        ("Ferries", {"A", "B"}),
    ],
)
def test_query_language(searcher: Searcher, query: str, expected: set[str]) -> None:
    response = run(searcher, query)
    assert found(searcher, query) == expected, response.query
    assert response.notices == ()


@pytest.mark.parametrize(
    ("query", "problem", "read_as"),
    [
        ('"harbour bridge', "unmatched quote", "harbour bridge"),
        ("(harbour OR bridge", "opening bracket", "harbour OR bridge"),
        ("harbour OR bridge)", "closing bracket", "harbour OR bridge"),
        ("harbour + bridge", "lone '+'", "harbour bridge"),
        ("title: bridge", "'title:' with nothing after it", "bridge"),
        ("* bridge", "lone '*'", "bridge"),
        ("published:[abc TO def] bridge", "could not make sense of", "abc TO def bridge"),
        ("h* bridge", "fewer than 2 letters before a wildcard", "h bridge"),
        ("t??* bridge", "fewer than 2 letters before a wildcard", "t bridge"),
        ("h?rbour", "fewer than 2 letters before a wildcard", "h rbour"),
        ("bridge~9", "fuzzy distance", "bridge 9"),
        ("published:[2017 TO", "unbalanced range", "2017 TO"),
    ],
)
def test_malformed_queries_are_read_as_plain_words_with_a_notice(
    searcher: Searcher, query: str, problem: str, read_as: str
) -> None:
    response = run(searcher, query)
    assert response.query == read_as
    notice = response.notices[0]
    assert problem in notice and notice.endswith(read_as)


@pytest.mark.parametrize("query", ["(harbour bridge", "harbour bridge)", "harbour - bridge"])
def test_prose_punctuation_is_no_malformed_syntax(searcher: Searcher, query: str) -> None:
    response = run(searcher, query)
    assert (response.query, response.notices) == ("harbour bridge", ())
    assert found(searcher, query) == found(searcher, "harbour bridge")


@pytest.mark.parametrize("query", ['"', "(", "-", "*", "title:", "~", "["])
def test_nothing_but_syntax_is_not_an_error_but_browsing(searcher: Searcher, query: str) -> None:
    """Syntax with no words in it reads as nothing: the archive is browsed, newest first,
    as for an empty query, with at most a notice that nothing was left to search."""
    response = run(searcher, query)
    assert response.query == ""
    assert titles(response) == ["E", "C", "B", "A", "D", "F"]
    assert all(notice.endswith("read as plain words: (nothing)") for notice in response.notices)


@pytest.mark.parametrize(
    ("query", "read_as", "expected"), [("AND", "and", set()), ("OR NOT", "or not", {"B"})]
)
def test_operators_with_nothing_to_join_are_words(
    searcher: Searcher, query: str, read_as: str, expected: set[str]
) -> None:
    """A lone operator is prose: ``OR NOT`` finds the one article with "not" in it."""
    response = run(searcher, query)
    assert (response.query, response.notices) == (read_as, ())
    assert set(titles(response)) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope.CAPTIONS, {"A"}),
        (Scope.TITLES, {"A", "E", "F"}),
        (Scope.BODY, {"A", "B", "E", "F"}),
        (Scope.ALL, {"A", "B", "E", "F"}),
    ],
)
def test_search_in(searcher: Searcher, scope: Scope, expected: set[str]) -> None:
    assert found(searcher, "bridge", scope=scope) == expected


def test_sort_by_date_puts_undated_last_both_ways(searcher: Searcher) -> None:
    assert titles(run(searcher, "bridge", sort=Sort.NEWEST)) == ["E", "B", "A", "F"]
    assert titles(run(searcher, "bridge", sort=Sort.OLDEST)) == ["A", "B", "E", "F"]


def test_empty_query_browses_newest_first(searcher: Searcher) -> None:
    assert titles(run(searcher, "")) == ["E", "C", "B", "A", "D", "F"]


def test_filters(searcher: Searcher) -> None:
    assert found(searcher, "harbour", authors=("Ana Silva",)) == {"A", "B"}
    assert found(searcher, "harbour", authors=("Ana Silva", "Li Wei")) == {"A", "B", "D"}
    assert found(searcher, "", since=date(2017, 6, 1), until=date(2018, 1, 31)) == {"B", "C"}
    assert found(searcher, "", until=date(2017, 5, 4)) == {"A", "D"}
    assert found(searcher, "bridge", caption_only=True) == {"A"}
    assert found(searcher, "", year=2017, month=6) == {"B"}


def test_search_within_results(searcher: Searcher) -> None:
    assert found(searcher, "bridge", within="harbour") == {"A", "B"}
    assert found(searcher, "bridge", within='"harbour bridge"') == {"A"}


def test_facets_count_the_whole_result_set(searcher: Searcher) -> None:
    response = searcher.search(SearchRequest(query="harbour", per_page=1))
    assert len(response.hits) == 1 and response.total == 4
    facets = {name: {v.value: v.count for v in values} for name, values in response.facets.items()}
    assert facets["author"] == {"Ana Silva": 2, "Tom Reed": 2, "Li Wei": 1}
    assert facets["year"] == {"2016": 1, "2017": 2, "2018": 1}
    assert facets["matched"] == {"title": 1, "body": 3}
    assert "month" not in facets
    by_year = searcher.search(SearchRequest(query="", year=2017))
    assert [(v.value, v.count) for v in by_year.facets["month"]] == [("2017-05", 1), ("2017-06", 1)]


def test_paging_is_stable_and_exact(searcher: Searcher) -> None:
    everything = [hit.id for hit in run(searcher, "bridge OR harbour").hits]
    pages = []
    for page in range(1, 5):
        response = searcher.search(SearchRequest(query="bridge OR harbour", page=page, per_page=2))
        assert response.total == len(everything)
        pages.extend(hit.id for hit in response.hits)
    assert pages == everything and len(set(pages)) == len(pages) == 7 - 1


def test_a_page_past_the_end_is_empty_not_an_error(searcher: Searcher) -> None:
    response = searcher.search(SearchRequest(query="bridge", page=9, per_page=10))
    assert response.hits == () and response.total == 4


def test_why_it_matched(searcher: Searcher) -> None:
    [hit] = [h for h in run(searcher, "ferries").hits if h.title.startswith("Harbour Bridge")]
    assert hit.matched_paragraphs == (2,)
    assert "body" in hit.matched_in and not hit.phrase
    [caption_hit] = run(searcher, "dusk").hits
    assert caption_hit.matched_captions == (1,) and caption_hit.body == ()
    phrase_hit = run(searcher, '"harbour bridge"').hits[0]
    assert phrase_hit.phrase


@pytest.mark.parametrize(
    ("options", "parameter"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 51}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": 101}, "page"),
        ({"query": "x" * 1001}, "q"),
        ({"since": date(2020, 1, 1), "until": date(2019, 1, 1)}, "since"),
        ({"month": 5}, "month"),
        ({"authors": tuple(str(n) for n in range(21))}, "author"),
    ],
)
def test_requests_are_bounded(options: dict[str, object], parameter: str) -> None:
    with pytest.raises(InvalidRequest) as raised:
        SearchRequest(**options)  # type: ignore[arg-type]
    assert raised.value.parameter == parameter


def test_wildcard_expansion_is_bounded(tmp_path: Path) -> None:
    words = " ".join(f"term{n:04d}" for n in range(450))
    root = index_records([{"id": "w", "title": "Words", "body": words}], tmp_path)
    response = Searcher(root).search(SearchRequest(query="term*"))
    assert response.total == 1
    assert any("more than 200 words" in notice for notice in response.notices)


def test_the_same_searcher_serves_many_requests(searcher: Searcher) -> None:
    first = searcher.generation
    for query in ["bridge", "harbour", "ferry"]:
        searcher.search(SearchRequest(query=query))
    assert searcher.generation is first


def test_autocomplete_through_the_searcher(searcher: Searcher) -> None:
    assert searcher.suggestions("brid").completions[0] == "bridge"
    assert searcher.suggestions("harbour fer").completions == ("harbour ferry", "harbour ferries")
    assert searcher.suggestions("").completions == ()


def test_where_matched_counts_only_the_sections_a_field_query_names(searcher: Searcher) -> None:
    response = run(searcher, "credit:harbour")
    assert response.total == 1
    assert "matched" not in response.facets or response.facets["matched"] == ()
    title_only = run(searcher, "title:bridge")
    assert {v.value: v.count for v in title_only.facets["matched"]} == {"title": 3}


def test_blank_captions_do_not_shift_credits(tmp_path: Path) -> None:
    captions = [{"text": "\u200b ", "credit": "FIRST"}, {"text": "a gull", "credit": "SECOND"}]
    searcher = Searcher(
        index_records([{"id": "g", "title": "Gulls", "captions": captions}], tmp_path)
    )
    [hit] = searcher.search(SearchRequest(query="gull")).hits
    [caption] = hit.captions
    assert (caption.index, caption.credit) == (1, "SECOND")
    article = searcher.article(hit.id)
    assert article is not None and [(c.text, c.credit) for c in article.captions] == [
        ("a gull", "SECOND")
    ]


def test_a_long_question_is_answered_and_its_cost_bounded_by_distinct_words(
    searcher: Searcher,
) -> None:
    """Up to 1,000 characters are accepted; past 64 distinct content words the rest are
    dropped, with a notice, however long the text."""
    words = [f"word{number}" for number in range(80)]
    question = ("Which harbour bridge closes " + " ".join(words))[:1000]
    response = run(searcher, question)
    assert "A" in titles(response)  # the early words still find the bridge article
    assert any("the first 64 were searched" in notice for notice in response.notices)
    from search.query import parse_query

    parsed = parse_query(question, searcher._current().searcher.schema)
    assert len({word.lower() for word in parsed.words}) == 64
    repeated = " ".join(["harbour bridge"] * 66)  # 989 characters, two distinct words
    assert not run(searcher, repeated).notices


def test_many_patterns_share_one_expansion_budget(tmp_path: Path) -> None:
    """Each pattern expands to at most 200 words and a query's patterns to 2,000 in all, so
    one short request cannot make the engine score thousands of terms; the notice says so."""
    from whoosh import query as wq

    from search.expansion import MAX_EXPANSIONS, MAX_QUERY_EXPANSIONS

    stems = [f"{c}{v}" for c in "bdk" for v in "aeiou"][:12]  # 12 prefixes x 250 words each
    body = " ".join(f"{stem}{n:03d}" for stem in stems for n in range(250))
    root = index_records([{"id": "w", "title": "Words", "body": body}], tmp_path)
    searcher = Searcher(root)
    query = " ".join(f"{stem}*" for stem in stems)
    parsed = searcher._current().read(query, Scope.BODY)
    terms = [leaf for leaf in parsed.query.leaves() if leaf is not wq.NullQuery]
    assert len(terms) == MAX_QUERY_EXPANSIONS < len(stems) * MAX_EXPANSIONS
    assert any("words in all" in notice for notice in parsed.notices)
    response = searcher.search(SearchRequest(query=query, scope=Scope.BODY))
    assert response.total == 1 and any("words in all" in n for n in response.notices)
    everywhere = searcher.search(SearchRequest(query=query))  # every pattern in seven fields
    assert everywhere.notices == (
        "ba*, be*, bi* and 9 more match more than 200 words each; "
        "only the first 200 of each were searched.",
        "The query's patterns match more than 2000 words in all; the first 2000 were "
        "searched, so ka* and ke* got fewer words or none.",
    )
    searcher.close()


def test_the_query_and_search_within_share_the_requests_expansion_budget(
    tmp_path: Path,
) -> None:
    """One budget for the whole request: the earlier query of "search within" gets what the
    query left, and every later pass (ranking, where-matched, suggestions) re-uses the words
    already granted instead of expanding again."""
    from search import buckets, facets
    from search.expansion import MAX_EXPANSIONS, MAX_QUERY_EXPANSIONS, Allowance

    stems = [f"{c}{v}" for c in "bdk" for v in "aeiou"][:12]
    body = " ".join(f"{stem}{n:03d}" for stem in stems for n in range(250))
    root = index_records([{"id": "w", "title": "Words", "body": body}], tmp_path)
    searcher = Searcher(root)
    query = " ".join(f"{stem}*" for stem in stems[:10])  # 10 x 200 = the whole budget
    within = " ".join(f"{stem}*" for stem in stems[10:])
    response = searcher.search(SearchRequest(query=query, within=within, scope=Scope.BODY))
    assert response.notices[-1] == (
        "The query's patterns match more than 2000 words in all; the first 2000 were "
        "searched, so ka* and ke* got fewer words or none."
    )
    opened = searcher._current()
    allowance = Allowance()
    parsed = opened.read(query, Scope.BODY, allowance)
    opened.read(within, Scope.BODY, allowance)
    evaluator = opened.evaluator(allowance=allowance)
    ranked = buckets.rank(evaluator, parsed, None)
    facets.where_matched(evaluator, parsed, ranked.mask)
    assert allowance.granted == MAX_QUERY_EXPANSIONS == 10 * MAX_EXPANSIONS
    assert allowance.left == 0
    searcher.close()


def test_what_search_within_cut_is_said_too(searcher: Searcher) -> None:
    response = searcher.search(SearchRequest(query="bridge", within="h* bridge"))
    assert response.notices == (
        "In the earlier search (h* bridge): Your query had fewer than 2 letters before a "
        "wildcard ('h*'), so it was read as plain words: h bridge",
    )


def _choosing(searcher: Searcher, query: str, chosen: tuple[str, ...]) -> None:
    """Every author's count is the total that choosing it (adding it to ``chosen``) shows."""
    response = searcher.search(SearchRequest(query=query, authors=chosen))
    listed = response.facets["author"]
    assert listed, query
    for value in listed:
        if value.value in chosen:
            shows = searcher.search(SearchRequest(query=query, authors=(value.value,))).total
        else:
            shows = searcher.search(
                SearchRequest(query=query, authors=(*chosen, value.value))
            ).total
        assert value.count == shows, (query, chosen, value)


@pytest.mark.parametrize("query", ["", "harbour", "bridge", "ferry OR council"])
@pytest.mark.parametrize("chosen", [(), ("Ana Silva",), ("Ana Silva", "Li Wei")])
def test_an_author_count_is_what_choosing_it_shows(
    searcher: Searcher, query: str, chosen: tuple[str, ...]
) -> None:
    _choosing(searcher, query, chosen)


def test_a_second_author_adds_to_the_first(searcher: Searcher) -> None:
    """With Ana Silva chosen, Tom Reed's count is hers plus his others (B is by both)."""
    listed = searcher.search(SearchRequest(query="", authors=("Ana Silva",))).facets["author"]
    assert {value.value: value.count for value in listed} == {
        "Ana Silva": 2,
        "Tom Reed": 4,
        "Li Wei": 4,
    }


@pytest.mark.parametrize("typed", ["tom reed", "TOM  REED", "Tom Reed"])
def test_author_names_match_in_any_case(searcher: Searcher, typed: str) -> None:
    response = searcher.search(SearchRequest(authors=(typed,)))
    assert sorted(titles(response)) == ["B", "C", "F"]


def test_spellings_of_one_name_are_one_author(tmp_path: Path) -> None:
    """Names alike but for case and accents are one facet value, shown as most spelt."""
    records = [
        {"title": "One", "authors": ["Zoë Park"], "body": ["Tide tables."]},
        {"title": "Two", "authors": ["Zoë Park"], "body": ["Tide gauges."]},
        {"title": "Three", "authors": ["ZOE PARK", "Li Wei"], "body": ["Tide surge."]},
    ]
    root = index_records(records, tmp_path)
    for engine in (Searcher, ReferenceSearcher):
        opened = engine(root)
        try:
            response = opened.search(SearchRequest(query="tide"))
            by_zoe = opened.search(SearchRequest(query="tide", authors=("zoe park",)))
        finally:
            opened.close()
        assert [(v.value, v.count) for v in response.facets["author"]] == [
            ("Zoë Park", 3),
            ("Li Wei", 1),
        ]
        assert by_zoe.total == 3


def test_a_date_range_typed_end_first_is_turned_round_with_a_notice(searcher: Searcher) -> None:
    backwards = searcher.search(SearchRequest(query="bridge published:[2018 TO 2016-06]"))
    forwards = searcher.search(SearchRequest(query="bridge published:[2016-06 TO 2018]"))
    assert titles(backwards) == titles(forwards) and backwards.total > 0
    assert any("ends before it starts" in notice for notice in backwards.notices)
    assert not any("ends before it starts" in notice for notice in forwards.notices)


def test_the_query_as_a_phrase_in_the_text_ranks_above_its_words_apart(
    sample_index: Path,
) -> None:
    """``$64 million``: the article saying "$64 million" before one with 64 and million
    apart; a one-word pattern's headline matches before body-only ones (``flood*``)."""
    engine = Searcher(sample_index)
    try:
        money = engine.search(SearchRequest(query="$64 million"))
        floods = engine.search(SearchRequest(query="flood*", per_page=20))
    finally:
        engine.close()
    assert "$64 million" in money.hits[0].body[0].text and money.hits[0].phrase
    assert not any(hit.phrase for hit in money.hits[1:] if "$64 million" not in hit.body[0].text)
    in_headline = ["flood" in hit.title.lower() for hit in floods.hits]
    assert in_headline.index(False) == sum(in_headline) >= 5, in_headline
    assert not any(hit.phrase for hit in floods.hits)


def test_recency_raises_newer_articles_within_their_bucket(sample_index: Path) -> None:
    """Blended with relevance, not a sort: newer results come up, buckets still lead."""
    engine = Searcher(sample_index)
    try:
        ranked = {
            recency: engine.search(SearchRequest(query="said", per_page=29, recency=recency))
            for recency in Recency
        }
    finally:
        engine.close()

    def mean_year(response: SearchResponse) -> float:
        years = [hit.published.year for hit in response.hits[:5] if hit.published]
        return sum(years) / len(years)

    none, gentle, strong = (ranked[r] for r in (Recency.NONE, Recency.GENTLE, Recency.STRONG))
    assert mean_year(none) < mean_year(strong) and mean_year(none) <= mean_year(gentle)
    assert {hit.id for hit in none.hits} == {hit.id for hit in strong.hits}
    assert none.total == strong.total and [h.id for h in none.hits] != [h.id for h in strong.hits]
    # Not a sort by date: a strong match published long ago still beats some newer ones.
    years = [hit.published.year for hit in strong.hits if hit.published]
    assert years != sorted(years, reverse=True)
