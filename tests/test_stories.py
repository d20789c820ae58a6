"""Story groups end to end: the corpus of ``tests/fixtures/stories`` (a wire story in three
versions, a school story in print and online, a different strike story, six singles)
indexed for real, searched through the engine, the reference path, the app, the CLI and
an update."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from index import stories
from index.build import BuildFailed, build_index
from index.generations import current_generation
from index.update import delete_articles, update_index
from manage import cli
from search.engine import Searcher
from search.reference import ReferenceSearcher
from search.request import SearchRequest, Versions
from tests.conftest import FIXTURES
from web import create_app

CORPUS = FIXTURES / "stories" / "articles.jsonl"
WIRE = "Dock Strike Enters Second Day; Talks to Resume Wednesday"
"""The update: the most complete of the strike story's three versions, so its lead."""
OUTLET = "Ships Stack Up Offshore as Harbour Workers Walk Out"
ORIGINAL = "Port Carrow Dockworkers Strike, Halting Container Traffic"
OTHER_STRIKE = "Ashford Terminal Workers to Vote on Joining Port Walkout"
ONLINE = "Maren Valley High Schools to Start 45 Minutes Later, Board Decides"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stories") / "index"
    report = build_index([CORPUS], root)
    assert report.indexed == 12 and not report.problems
    return root


@pytest.fixture
def engine(root: Path) -> Iterator[Searcher]:
    searcher = Searcher(root)
    yield searcher
    searcher.close()


def _ids_by_title(engine: Searcher) -> dict[str, str]:
    response = engine.search(SearchRequest(per_page=50, versions=Versions.ALL))
    return {hit.title: hit.id for hit in response.hits}


def _expected_groups(engine: Searcher) -> set[frozenset[str]]:
    """groups.json's groups as titles (its ids are the records' own, before hashing)."""
    titles = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        titles[record["id"]] = record["title"]
    groups = json.loads((FIXTURES / "stories" / "groups.json").read_text(encoding="utf-8"))
    return {frozenset(titles[member] for member in group) for group in groups}


def test_the_index_groups_exactly_the_known_versions(root: Path, engine: Searcher) -> None:
    generation = current_generation(root)
    found = stories.read(generation.path / "arrays")
    assert found is not None
    reader = engine._current().searcher.reader()
    groups = {
        frozenset(reader.stored_fields(int(doc))["title"] for doc in found.members[start:end])
        for start, end in zip(found.starts[:-1], found.starts[1:], strict=True)
    }
    assert groups == _expected_groups(engine)
    assert generation.arrays["stories"] == {"threshold": 0.4, "groups": 2, "grouped": 5}


def test_a_search_shows_one_entry_per_story_led_by_its_most_complete_version(
    engine: Searcher,
) -> None:
    response = engine.search(SearchRequest(query="strike dockworkers"))
    titles = [hit.title for hit in response.hits]
    assert titles.count(WIRE) == 1 and OUTLET not in titles and ORIGINAL not in titles
    assert OTHER_STRIKE in titles  # the same topic, another story
    assert (response.total, response.articles) == (len(titles), len(titles) + 2)
    lead = response.hits[titles.index(WIRE)]
    assert lead.versions == 3
    assert [version.title for version in lead.other_versions] == [OUTLET, ORIGINAL]
    assert all(version.matched for version in lead.other_versions)


def test_the_story_ranks_where_its_best_version_ranks(engine: Searcher) -> None:
    every = engine.search(SearchRequest(query="strike dockworkers", versions=Versions.ALL))
    grouped = engine.search(SearchRequest(query="strike dockworkers"))
    versions = {WIRE, OUTLET, ORIGINAL}
    best = next(hit for hit in every.hits if hit.title in versions)
    assert grouped.hits[0].title == WIRE
    assert grouped.hits[0].score == best.score
    assert every.total == every.articles == grouped.articles


def test_versions_all_shows_every_article(engine: Searcher) -> None:
    response = engine.search(SearchRequest(query="strike", versions=Versions.ALL))
    titles = {hit.title for hit in response.hits}
    assert {WIRE, OUTLET, ORIGINAL} <= titles
    assert response.total == response.articles
    assert next(hit for hit in response.hits if hit.title == OUTLET).versions == 3


def test_a_version_that_alone_matches_leads_its_story(engine: Searcher) -> None:
    """Only the update says the talks resume "Wednesday morning under the state mediator"."""
    response = engine.search(SearchRequest(query='"state mediator"'))
    assert [hit.title for hit in response.hits] == [WIRE]
    assert [v.matched for v in response.hits[0].other_versions] == [False, False]


def test_facets_count_stories_and_articles(engine: Searcher) -> None:
    response = engine.search(SearchRequest(query="strike"))
    year = {value.value: (value.count, value.articles) for value in response.facets["year"]}
    authors = {v.value: (v.count, v.articles) for v in response.facets["author"]}
    assert year["2024"] == (response.total, response.articles)
    assert authors["Daniel Reyes"] == (1, 3)
    every = engine.search(SearchRequest(query="strike", versions=Versions.ALL))
    assert {v.value: (v.count, v.articles) for v in every.facets["author"]}["Daniel Reyes"] == (
        3,
        3,
    )


QUERIES = ["strike", "strike dockworkers", '"state mediator"', "school start", "", "port -drones"]
OPTIONS: list[dict[str, object]] = [
    {},
    {"versions": Versions.ALL},
    {"authors": ("Daniel Reyes",)},
    {"authors": ("Henrik Solberg",), "versions": Versions.GROUPED},
    {"year": 2024},
    {"year": 2024, "month": 5},
    {"sort": "newest"},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(map(str, o)) or "default")
@pytest.mark.parametrize("query", QUERIES)
def test_the_fast_path_groups_like_the_reference(
    root: Path, query: str, options: dict[str, object]
) -> None:
    request = SearchRequest(query=query, per_page=50, **options)  # type: ignore[arg-type]
    fast, reference = Searcher(root), ReferenceSearcher(root)
    try:
        mine, theirs = fast.search(request), reference.search(request)
    finally:
        fast.close()
        reference.close()
    assert (mine.total, mine.articles) == (theirs.total, theirs.articles)
    assert [hit.id for hit in mine.hits] == [hit.id for hit in theirs.hits]
    assert [hit.other_versions for hit in mine.hits] == [hit.other_versions for hit in theirs.hits]
    assert mine.facets == theirs.facets


def test_grouping_touches_only_the_grouped_matches(engine: Searcher) -> None:
    """The collapse is array work over the grouped matches: a corpus without groups is
    answered by the same arrays untouched."""
    opened = engine._current()
    ranked = opened.evaluator().everything()
    from search.ranking import Ranked

    full = Ranked(ranked.mask, ranked.scores, np.zeros(len(ranked.mask), dtype=np.int8))
    collapsed = opened.stories.collapse(full)
    assert int(np.count_nonzero(collapsed.mask)) == 12 - 3
    alone = opened.stories.groups < 0
    assert np.array_equal(collapsed.mask[alone], full.mask[alone])


def test_related_articles_leave_out_the_articles_own_story(engine: Searcher) -> None:
    ids = _ids_by_title(engine)
    related = engine.related(ids[ORIGINAL])
    assert related is not None
    titles = [item.title for item in related]
    assert not {WIRE, OUTLET, ORIGINAL} & set(titles)
    assert titles[0] == OTHER_STRIKE


def test_the_story_lists_versions_and_diffs_the_closest(engine: Searcher) -> None:
    ids = _ids_by_title(engine)
    story = engine.story(ids[ORIGINAL])
    assert story is not None
    assert story.count == 3
    assert {version.title for version in story.versions} == {WIRE, OUTLET}
    assert 0.4 <= story.similarity <= 1
    kinds = {piece.kind for piece in story.diff}
    assert kinds >= {"same", "added"} or kinds >= {"same", "removed"}
    assert engine.story(ids[OTHER_STRIKE]) is None
    assert engine.story("no-such-id") is None


def test_the_update_version_adds_its_new_lead(engine: Searcher) -> None:
    ids = _ids_by_title(engine)
    story = engine.story(ids[WIRE])
    assert story is not None
    added = " ".join(piece.text for piece in story.diff if piece.kind == "added")
    assert "UPDATED" in added


def test_an_update_groups_a_new_version_and_a_deletion_ungroups(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    school = [line for line in lines if "school-start" in line]
    feed.write_text("\n".join(line for line in lines if line not in school) + "\n")
    root = tmp_path / "index"
    build_index([feed], root)
    assert current_generation(root).arrays["stories"]["groups"] == 1
    feed.write_text("\n".join(lines) + "\n")
    report = update_index([feed], root)
    assert report.added == 2
    assert current_generation(root).arrays["stories"]["groups"] == 2
    engine = Searcher(root)
    try:
        ids = _ids_by_title(engine)
        hit = engine.search(SearchRequest(query="high schools start later")).hits[0]
        assert hit.versions == 2
        delete_articles([ids[ONLINE]], root)
        hit = engine.search(SearchRequest(query="high schools start later")).hits[0]
        assert (hit.versions, hit.other_versions) == (1, ())
    finally:
        engine.close()
    assert current_generation(root).arrays["stories"]["groups"] == 1


def test_a_bad_threshold_setting_fails_the_build_and_keeps_the_old_index(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(root, copy)
    before = current_generation(copy).name
    for value in ("1.5", "0", '"high"', "true"):
        monkeypatch.setenv("SCOOP_STORY_THRESHOLD", value)
        with pytest.raises(BuildFailed, match="STORY_THRESHOLD must be a number above 0"):
            build_index([CORPUS], copy)
        assert current_generation(copy).name == before


def test_a_threshold_of_one_groups_only_identical_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCOOP_STORY_THRESHOLD", "1")
    root = tmp_path / "index"
    build_index([CORPUS], root)
    assert current_generation(root).arrays["stories"]["groups"] == 0


@pytest.fixture(scope="module")
def client(root: Path):  # type: ignore[no-untyped-def]
    return create_app({"INDEX": str(root), "TESTING": True}).test_client()


def test_the_api_says_versions_and_counts_both_ways(client) -> None:  # type: ignore[no-untyped-def]
    grouped = client.get("/api/search?q=strike").get_json()
    every = client.get("/api/search?q=strike&versions=all").get_json()
    assert grouped["versions"] == "grouped" and every["versions"] == "all"
    assert grouped["articles"] == every["total"] == grouped["total"] + 2
    lead = next(hit for hit in grouped["hits"] if hit["title"] == WIRE)
    assert lead["versions"] == 3
    assert [v["title"] for v in lead["other_versions"]] == [OUTLET, ORIGINAL]
    assert lead["other_versions"][0]["url"].startswith("/articles/")
    author = next(v for v in grouped["facets"]["author"] if v["value"] == "Daniel Reyes")
    assert (author["count"], author["articles"]) == (1, 3)


def test_a_bad_versions_value_is_a_helpful_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/search?q=strike&versions=some")
    assert response.status_code == 400
    assert "versions: must be one of grouped, all, got 'some'" in response.get_json()["detail"]
    assert client.get("/search?q=strike&versions=some").status_code == 400


def test_the_page_offers_the_versions_and_every_version(client) -> None:  # type: ignore[no-untyped-def]
    page = " ".join(client.get("/search?q=strike").get_data(as_text=True).split())
    assert "3 versions of this story" in page
    assert "versions of a story are one result" in page
    assert "versions=all" in page
    assert "What differs between them" in page
    every = " ".join(client.get("/search?q=strike&versions=all").get_data(as_text=True).split())
    assert "Group versions of a story" in every


def test_the_article_page_shows_what_differs(client, engine: Searcher) -> None:  # type: ignore[no-untyped-def]
    ids = _ids_by_title(engine)
    page = client.get(f"/articles/{ids[WIRE]}").get_data(as_text=True)
    assert 'id="versions"' in page
    assert "3 versions of this story" in page
    assert "<ins>" in page and "UPDATED" in page
    single = client.get(f"/articles/{ids[OTHER_STRIKE]}").get_data(as_text=True)
    assert 'id="versions"' not in single


def test_the_diff_is_escaped(tmp_path: Path) -> None:
    body = [
        "The council met on Tuesday to discuss the new harbour budget and the plans for "
        "the ferry terminal, which has been closed since the storm in March last year.",
        "Members voted seven to two to approve the spending after a long debate about "
        "the cost of the repairs and the timetable for reopening the terminal to riders.",
    ]
    edited = [body[0], body[1] + " <script>alert(1)</script> & more"]
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "a", "title": "Vote", "body": body, "published": "2024-01-01"})
        + "\n"
        + json.dumps({"id": "b", "title": "Vote <b>", "body": edited, "published": "2024-01-02"})
        + "\n"
    )
    root = tmp_path / "index"
    build_index([feed], root)
    client = create_app({"INDEX": str(root), "TESTING": True}).test_client()
    engine = Searcher(root)
    ids = _ids_by_title(engine)
    engine.close()
    page = client.get(f"/articles/{ids['Vote']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Vote &lt;b&gt;" in page


def test_the_cli_says_the_articles_and_turns_grouping_off() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        build_index([CORPUS], Path("index"))
        grouped = runner.invoke(cli, ["search", "strike", "--index", "index"])
        every = runner.invoke(cli, ["search", "strike", "--index", "index", "--versions", "all"])
    assert grouped.exit_code == 0, grouped.output
    assert "articles, versions of a story grouped" in grouped.output
    assert "3 versions of this story; also" in grouped.output
    assert "versions of a story grouped" not in every.output


@pytest.mark.parametrize("size", [0, 1, 3])
def test_nothing_to_group_makes_no_group(size: int) -> None:
    blank = np.full((size, stories.PERMUTATIONS), stories.UNSIGNED, dtype=np.uint32)
    days, words = np.zeros(size, dtype=np.int32), np.zeros(size, dtype=np.int32)
    found = stories.group(blank, words, days, np.ones(size, dtype=bool), 0.4)
    assert (found.count, len(found.members)) == (0, 0)
    assert (found.groups == -1).all() and (found.order == -1).all()


def test_a_deleted_copy_is_not_grouped() -> None:
    text = " ".join(f"word{number}" for number in range(60))
    signature = stories.signature(stories.body_words(text))
    copies = np.stack([signature] * 3)
    words, days = np.full(3, 60, dtype=np.int32), np.array([3, 1, 2], dtype=np.int32)
    found = stories.group(copies, words, days, np.array([True, False, True]), 0.4)
    assert found.groups.tolist() == [0, -1, 0]
    assert found.members.tolist() == [2, 0]  # as complete: the earliest leads


def test_year_facets_count_stories_of_many_years(tmp_path: Path) -> None:
    """Two versions dated in one year, singles in others: the counts cover every year."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for number, record in enumerate(records):
        if not record["id"].startswith("strike"):
            record["published"] = f"{2000 + number}-01-01"
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(record) + "\n" for record in records))
    root = tmp_path / "index"
    build_index([feed], root)
    engine, reference = Searcher(root), ReferenceSearcher(root)
    try:
        mine = engine.search(SearchRequest())
        assert mine.facets == reference.search(SearchRequest()).facets
    finally:
        engine.close()
        reference.close()
    years = {value.value: (value.count, value.articles) for value in mine.facets["year"]}
    assert years["2024"] == (1, 3) and len(years) == 10


def test_exports_and_feeds_follow_the_versions_choice(client) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    import feedparser

    grouped = client.get("/api/search?q=strike").get_json()
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=strike").get_data(True))))
    every = list(
        csv.DictReader(io.StringIO(client.get("/search.csv?q=strike&versions=all").get_data(True)))
    )
    assert (len(rows), len(every)) == (grouped["total"], grouped["articles"])
    feed = feedparser.parse(client.get("/search.atom?q=strike").get_data())
    all_feed = feedparser.parse(client.get("/search.atom?q=strike&versions=all").get_data())
    assert (len(feed.entries), len(all_feed.entries)) == (grouped["total"], grouped["articles"])
    lines = client.get("/api/search?q=strike&format=jsonl&versions=all").get_data(True)
    assert len(lines.splitlines()) == grouped["articles"]


def test_stats_count_the_stories_in_versions(root: Path) -> None:
    from search.check import index_stats

    figures = index_stats(root)
    assert (figures.stories, figures.grouped) == (2, 5)
    printed = CliRunner().invoke(cli, ["stats", "--index", str(root)])
    assert "stories in versions  2 (5 articles)" in printed.output


def test_the_page_says_its_facets_count_stories(client) -> None:  # type: ignore[no-untyped-def]
    page = " ".join(client.get("/search?q=strike").get_data(as_text=True).split())
    assert "Counts are of stories: a story's versions count once." in page
    assert 'title="1 story, 3 articles"' in page
    every = " ".join(client.get("/search?q=strike&versions=all").get_data(as_text=True).split())
    assert "Counts are of stories" not in every and "1 story, 3 articles" not in every
