"""Exports of a search's results: ``/search.csv``, ``/api/search?format=jsonl`` and
``manage.py export``, parsed back and held against the search they export."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from index.build import build_index
from manage import cli
from search.engine import EXPORT_CHUNK, Searcher
from search.export import COLUMNS, safe_cell
from search.request import SearchRequest
from tests.conftest import SAMPLES, index_records
from web import create_app


@pytest.fixture
def client(sample_index: Path) -> FlaskClient:
    app = create_app({"INDEX": str(sample_index), "TESTING": True, "RATELIMIT_ENABLED": False})
    return app.test_client()


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _searched_ids(client: FlaskClient, query: str) -> list[str]:
    """The ids a search shows, page after page."""
    ids: list[str] = []
    for page in range(1, 10):
        answer = client.get("/api/search", query_string={"q": query, "per_page": 50, "page": page})
        hits = answer.get_json()["hits"]
        ids += [hit["id"] for hit in hits]
        if len(hits) < 50:
            return ids
    raise AssertionError("more pages than expected")


def test_the_csv_holds_every_result_in_the_search_order(client: FlaskClient) -> None:
    answer = client.get("/search.csv", query_string={"q": "flood", "sort": "newest"})
    assert answer.status_code == 200 and answer.is_streamed
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="scoop-search.csv"'
    text = answer.get_data(as_text=True)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = _csv_rows(text)
    searched = client.get(
        "/api/search", query_string={"q": "flood", "sort": "newest", "per_page": 50}
    )
    assert [row["id"] for row in rows] == [hit["id"] for hit in searched.get_json()["hits"]]
    assert len(rows) == searched.get_json()["total"] == 15
    first = rows[0]
    assert first["published"] >= rows[-1]["published"]
    assert "samples/articles/" in first["source"] and first["title"]
    assert "flood" in first["fragment"].lower() and "<mark>" not in first["fragment"]
    paragraphs = [int(number) for number in first["paragraphs"].split("; ") if number]
    assert all(number >= 1 for number in paragraphs) and "body" in first["matched"]


def test_jsonl_and_the_command_line_give_the_same_rows(
    client: FlaskClient, sample_index: Path
) -> None:
    lines = client.get("/api/search?q=harbour+bridge&format=jsonl").get_data(as_text=True)
    records = [json.loads(line) for line in lines.splitlines()]
    assert [record["id"] for record in records] == _searched_ids(client, "harbour bridge")
    assert set(records[0]) == set(COLUMNS)
    assert isinstance(records[0]["authors"], list) and isinstance(records[0]["paragraphs"], list)
    command = ["export", "harbour bridge", "--index", str(sample_index), "--format", "jsonl"]
    printed = CliRunner().invoke(cli, command)
    assert printed.exit_code == 0, printed.output
    assert [json.loads(line) for line in printed.output.splitlines()] == records
    as_csv = CliRunner().invoke(cli, ["export", "harbour bridge", "--index", str(sample_index)])
    web_csv = client.get("/search.csv?q=harbour+bridge").get_data(as_text=True)
    assert as_csv.output.replace("\r\n", "\n") == web_csv.replace("\r\n", "\n")


def test_filters_apply_and_bad_parameters_are_400(client: FlaskClient) -> None:
    by_grace = _csv_rows(
        client.get("/search.csv?q=flood&author=grace+liang").get_data(as_text=True)
    )
    assert by_grace and all("Grace Liang" in row["authors"] for row in by_grace)
    assert client.get("/api/search?q=flood&format=xml").status_code == 400
    reversed_dates = client.get("/search.csv?q=flood&since=2020-01-01&until=2010-01-01")
    assert reversed_dates.status_code == 400
    assert client.get("/search.csv?q=" + "x" * 2000).status_code == 400


def test_cells_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    records = [
        {
            "title": '=HYPERLINK("http://evil.example","tide")',
            "authors": ["+Evil Person", "@Sum"],
            "body": ["-40 degrees and the tide came in."],
        }
    ]
    app = create_app({"INDEX": str(index_records(records, tmp_path)), "TESTING": True})
    [row] = _csv_rows(app.test_client().get("/search.csv?q=tide").get_data(as_text=True))
    assert row["title"] == "'" + records[0]["title"]  # type: ignore[operator]
    assert row["authors"] == "'+Evil Person; @Sum"
    assert row["fragment"].startswith("'-40 degrees")
    assert [safe_cell(value) for value in ("=1", "plain", None, ["a", "b"], "\tx")] == [
        "'=1",
        "plain",
        "",
        "a; b",
        "'\tx",
    ]


def test_an_export_is_bounded_and_read_a_chunk_at_a_time(tmp_path: Path) -> None:
    records = [
        {"title": f"Tide table {n}", "body": ["The tide."]} for n in range(EXPORT_CHUNK + 30)
    ]
    searcher = Searcher(index_records(records, tmp_path))
    try:
        assert len(list(searcher.export(SearchRequest(query="tide"), limit=7))) == 7
        everything = searcher.export(SearchRequest(query="tide"))
        assert len(list(everything)) == EXPORT_CHUNK + 30
    finally:
        searcher.close()


def test_a_reindex_does_not_cut_an_export_short(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_index([SAMPLES], root)
    searcher = Searcher(root)
    try:
        rows = searcher.export(SearchRequest(query="flood"))
        first = next(rows)
        build_index([SAMPLES], root)  # a new generation now serves
        rest = list(rows)
        assert len([first, *rest]) == searcher.search(SearchRequest(query="flood")).total
    finally:
        searcher.close()


def test_two_exports_across_a_reindex_each_finish(tmp_path: Path) -> None:
    """The generation two exports read stays open until the second ends, though a new
    one serves and searches read it meanwhile."""
    root = tmp_path / "index"
    build_index([SAMPLES], root)
    searcher = Searcher(root)
    try:
        first, second = (searcher.export(SearchRequest(query=q)) for q in ("flood", "bridge"))
        started = [next(first), next(second)]
        build_index([SAMPLES], root)
        assert searcher.search(SearchRequest(query="flood")).total == 1 + len(list(first))
        assert searcher.search(SearchRequest(query="bridge")).total == 1 + len(list(second))
        assert len(started) == 2
    finally:
        searcher.close()


def test_the_search_page_links_its_csv(client: FlaskClient) -> None:
    page = client.get("/search?q=flood&page=2&author=Grace+Liang").get_data(as_text=True)
    [href] = re.findall(r'<a class="export-link" href="([^"]+)"', page)
    assert html.unescape(href) == "/search.csv?q=flood&author=Grace+Liang"
    rows = _csv_rows(client.get(html.unescape(href)).get_data(as_text=True))
    shown = client.get("/api/search?q=flood&author=Grace+Liang").get_json()["total"]
    assert len(rows) == shown > 0
