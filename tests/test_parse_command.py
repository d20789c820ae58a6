"""``manage.py parse``: how a file is read, exactly as the README shows it; and the warnings
``manage.py reindex`` prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REFERENCE, ROOT

README_MARK = "<!-- parse-reference -->"


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def _readme_example() -> tuple[str, str]:
    """The command and its output as the README prints them for the reference article."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(README_MARK, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    command, output = block.split("\n", 1)
    return command, output


def test_parse_prints_the_reference_article_as_the_readme_shows() -> None:
    command, output = _readme_example()
    assert command == f"$ .venv/bin/python manage.py parse {REFERENCE.relative_to(ROOT)}"
    shown = manage("parse", str(REFERENCE.relative_to(ROOT)))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == output


def test_parse_json_places_every_line_and_gives_full_texts() -> None:
    path = FIXTURES / "articles" / "junk_lines.txt"
    shown = manage("parse", str(path), "--json")
    assert shown.returncode == 0, shown.stderr
    [reading] = json.loads(shown.stdout)
    text = path.read_text(encoding="utf-8").split("\n")
    assert [line["line"] for line in reading["lines"]] == [
        number for number, line in enumerate(text, start=1) if line.strip()
    ]
    sections = {line["line"]: line["section"] for line in reading["lines"]}
    assert sections[1] == "headline" and sections[8] == "junk" and sections[14] == "bio"
    assert reading["article"]["bio"] == "Ana Silva is the Scoop’s transport reporter."
    assert reading["warnings"] == []


def test_parse_shows_warnings_and_each_record_of_a_feed() -> None:
    guessed = manage("parse", str(FIXTURES / "articles" / "no_date_header_guessed.txt"))
    assert guessed.returncode == 0
    assert "warning    header guessed: no date line below the headline" in guessed.stdout
    feed = manage("parse", str(FIXTURES / "articles" / "wire_feed_forms.jsonl"))
    assert feed.returncode == 0
    assert feed.stdout.count("headline   ") == 2
    assert "wire_feed_forms.jsonl:2\n" in feed.stdout


def test_parse_of_what_cannot_be_read_says_why_and_exits_1(tmp_path: Path) -> None:
    licence = tmp_path / "LICENSE"
    licence.write_text("MIT License\n\nPermission is hereby granted.\n")
    shown = manage("parse", str(licence))
    assert shown.returncode == 1
    assert "problem    not an article file: only .jsonl, .ndjson, .txt are read" in shown.stdout
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"title": "Good"}\n{"title": ' + "9" * 5001 + "}\n")
    shown = manage("parse", str(feed), "--json")
    assert shown.returncode == 1
    good, bad = json.loads(shown.stdout)
    assert good["article"]["title"] == "Good"
    assert bad["problem"].startswith(f"{feed}:2: invalid JSON: Exceeds the limit")


def test_reindex_lists_the_warnings(tmp_path: Path) -> None:
    built = manage(
        "reindex",
        str(FIXTURES / "articles" / "mojibake_one_line.txt"),
        "--index",
        str(tmp_path / "index"),
    )
    assert built.returncode == 0, built.stderr
    assert "1 warning (indexed, but read with a guess):" in built.stderr
    assert "mojibake_one_line.txt:8: bytes that are not UTF-8 read as Windows-1252" in built.stderr
    assert "indexed 1 articles, skipped 0, 1 warning," in built.stdout
