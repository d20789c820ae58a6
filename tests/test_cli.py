"""manage.py as a user runs it: a real process, real files, real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REFERENCE, ROOT, SAMPLES, index_records


def manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_reindex_then_search_json_marks_the_word(tmp_path: Path) -> None:
    index = str(tmp_path / "x")
    built = manage("reindex", str(REFERENCE.parent), "--index", index)
    assert built.returncode == 0, built.stderr
    assert "indexed" in built.stdout and "articles/s" in built.stdout
    found = manage("search", "interpreters", "--index", index, "--json")
    assert found.returncode == 0, found.stderr
    response = json.loads(found.stdout)
    [hit] = [
        h
        for h in response["hits"]
        if h["title"] == "China May Be Preparing for North Korean Exodus"
    ]
    marked = [f for f in hit["highlights"]["body"] if "<mark>interpreters</mark>" in f["html"]]
    assert marked and all(f["paragraph"] >= 1 for f in marked)


def test_reindex_reports_skipped_files_and_fails_when_nothing_indexed(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "empty.txt").write_text("")
    result = manage("reindex", str(source), "--index", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "empty.txt: empty file" in result.stderr
    assert "reindex failed" in result.stderr


def test_default_source_is_the_bundled_samples_and_index_env_var_is_honoured(
    tmp_path: Path,
) -> None:
    index = tmp_path / "from-env"
    result = manage("reindex", env={"SCOOP_INDEX": str(index)})
    assert result.returncode == 0, result.stderr
    assert (index / "CURRENT").exists()
    found = manage("search", "interpreters", env={"SCOOP_INDEX": str(index)})
    assert found.returncode == 0 and "China May Be Preparing" in found.stdout
    assert "[interpreters]" in found.stdout


def test_search_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    result = manage("search", "china", "--index", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "manage.py reindex" in result.stderr


def test_samples_are_bundled() -> None:
    assert len(list((SAMPLES / "articles").glob("*.txt"))) >= 21


def _search_json(index: Path, *args: str) -> dict[str, Any]:
    result = manage("search", *args, "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_search_flags_on_the_samples(sample_index: Path) -> None:
    soldier = _search_json(sample_index, "soldier")
    [hit] = soldier["hits"]
    credits = [c["credit"] for c in hit["highlights"]["captions"]]
    assert credits == ["JOHANNES EISELE/AFP/Getty Images", "GREG BAKER/AFP/Getty Images"]
    assert all("<mark>soldier</mark>" in c["html"] for c in hit["highlights"]["captions"])
    assert hit["highlights"]["body"] == []

    phrase = _search_json(sample_index, '"border security"')
    fragments = phrase["hits"][0]["highlights"]["body"]
    assert any("<mark>border security</mark>" in f["html"] for f in fragments)
    assert phrase["hits"][0]["match"]["phrase"] is True

    newest = _search_json(sample_index, "flood", "--sort", "newest", "--limit", "50")
    dates = [h["published"] for h in newest["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True)

    by_author = _search_json(sample_index, "flood", "--author", "Grace Liang", "--limit", "50")
    assert by_author["total"] and all("Grace Liang" in h["authors"] for h in by_author["hits"])

    window = _search_json(sample_index, "harbour", "--since", "2011-01-01", "--until", "2013-12-31")
    assert all("2011" <= h["published"][:4] <= "2013" for h in window["hits"])

    captions = _search_json(sample_index, "soldier", "--in", "captions")
    assert captions["total"] == 1
    second = _search_json(sample_index, "harbour", "--limit", "2", "--page", "2")
    assert second["page"] == 2 and len(second["hits"]) == 2


def test_search_bad_options_say_what_is_wrong(sample_index: Path) -> None:
    result = manage("search", "x", "--index", str(sample_index), "--since", "yesterday")
    assert result.returncode == 2 and "'yesterday' is not a date like 2017-05-04" in result.stderr
    result = manage("search", "x", "--index", str(sample_index), "--limit", "500")
    assert (
        result.returncode == 2
        and "--limit" in result.stderr
        and "between 1 and 50" in result.stderr
    )
    result = manage("search", '"unbalanced', "--index", str(sample_index))
    assert result.returncode == 0 and "read as plain words" in result.stdout


@pytest.mark.parametrize("variable", ["SCOOP_DEBUG", "FLASK_DEBUG"])
def test_serve_refuses_debug_mode(sample_index: Path, variable: str) -> None:
    result = manage("serve", "--index", str(sample_index), "--port", "1", env={variable: "1"})
    assert result.returncode == 2
    assert "debug mode" in result.stderr and "refuses" in result.stderr


@pytest.fixture(scope="module")
def levees(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three articles on a levee: one paragraph, four paragraphs and six paragraphs."""
    records = [
        {"id": "one", "title": "Held", "body": ["The levee held."]},
        {"id": "four", "title": "Four", "body": [f"Part {n} of the levee." for n in range(4)]},
        {"id": "six", "title": "Six", "body": [f"Levee part {n}." for n in range(6)]},
    ]
    return index_records(records, tmp_path_factory.mktemp("levees"))


def test_search_counts_in_the_singular_and_the_plural(levees: Path) -> None:
    found = manage("search", "levee", "--index", str(levees))
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("3 results for 'levee'")
    more = {line.strip() for line in found.stdout.splitlines() if "more match" in line}
    assert more == {"1 more match in 1 paragraph", "3 more matches in 3 paragraphs"}
    one = manage("search", "held", "--index", str(levees))
    assert one.stdout.startswith("1 result for 'held'"), one.stdout


def test_search_says_did_you_mean(sample_index: Path) -> None:
    found = manage("search", "harbr", "--index", str(sample_index))
    assert found.returncode == 0, found.stderr
    assert "Did you mean: harbour?" in found.stdout.splitlines()


def test_a_page_past_the_last_says_which_is_the_last(levees: Path) -> None:
    past = manage("search", "levee", "--index", str(levees), "--limit", "2", "--page", "9")
    assert past.returncode == 1
    assert "Page 9 is past the last page (2)." in past.stderr
    last = manage("search", "levee", "--index", str(levees), "--limit", "2", "--page", "2")
    assert last.returncode == 0 and "past the last page" not in last.stderr


@pytest.mark.parametrize(
    "command",
    [
        "reindex",
        "update",
        "delete",
        "check",
        "stats",
        "rollback",
        "search",
        "serve",
        "parse",
        "eval",
    ],
)
def test_every_command_takes_h_for_help(command: str) -> None:
    short, long = manage(command, "-h"), manage(command, "--help")
    assert short.returncode == 0, short.stderr
    assert short.stdout == long.stdout and f"Usage: manage.py {command}" in short.stdout


def test_version_comes_from_the_package() -> None:
    answer = manage("--version")
    assert answer.returncode == 0
    assert answer.stdout.strip() == f"scoop, version {version('scoop')}"


@pytest.mark.parametrize("command", ["reindex", "update"])
def test_a_folder_without_article_files_is_refused_and_the_index_kept(
    archive: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    _source, root = archive
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("not an article")
    serving = (root / "CURRENT").read_text()
    result = manage(command, str(empty), "--index", str(root))
    assert result.returncode == 1
    assert f"no article files found under {empty}" in result.stderr
    assert "problems" not in result.stderr
    assert (root / "CURRENT").read_text() == serving


@pytest.mark.parametrize("command", ["reindex", "update"])
def test_a_missing_source_is_refused_and_the_index_kept(
    archive: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    source, root = archive
    serving = (root / "CURRENT").read_text()
    result = manage(command, str(source), str(tmp_path / "unmounted"), "--index", str(root))
    assert result.returncode == 1
    assert f"no such file or folder: {tmp_path / 'unmounted'}" in result.stderr
    assert (root / "CURRENT").read_text() == serving
