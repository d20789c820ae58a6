"""The article parsers: the reference scrape, every fixture variation, and bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from index.articles import MAX_FILE_BYTES, read_articles, read_scrape
from index.bylines import split_authors
from index.captions import credit_form
from index.dates import parse_date
from index.endmatter import is_bio, junk_reason
from index.model import Article, Line, Problem
from index.scrape import JUNK_CUT, parse_text
from index.sources import SourceFile
from tests.conftest import FIXTURES, REFERENCE

ARTICLE_FIXTURES = FIXTURES / "articles"


def _parse_one(path: Path) -> Article:
    [item] = list(read_articles([path]))
    assert isinstance(item, Article), item
    return item


FIELDS = (
    "title",
    "dek",
    "authors",
    "published",
    "updated",
    "paragraphs",
    "captions",
    "bio",
    "junk",
    "warnings",
)
"""Every expected parse states every field; the fixture test compares them one by one."""


def _as_expected(article: Article, junk: list[str] | None = None) -> dict[str, object]:
    return {
        "title": article.title,
        "dek": article.dek,
        "authors": list(article.authors),
        "published": article.published.isoformat() if article.published else None,
        "updated": article.updated.isoformat() if article.updated else None,
        "paragraphs": list(article.paragraphs),
        "captions": [{"text": c.text, "credit": c.credit} for c in article.captions],
        "bio": article.bio,
        "junk": junk or [],
        "warnings": [{"line": w.line, "reason": w.reason} for w in article.warnings],
    }


def _parsed_fixture(path: Path) -> list[dict[str, object]]:
    """Each article of a fixture in the expected files' form (a scrape's junk lines too)."""
    if path.suffix == ".jsonl":
        items = list(read_articles([path]))
        assert not [i for i in items if isinstance(i, Problem)]
        return [_as_expected(item) for item in items if isinstance(item, Article)]
    reading = read_scrape(SourceFile(path, path.name, str(path)))
    assert reading.article, reading.problem
    return [_as_expected(reading.article, _junk(reading.lines))]


def _junk(lines: tuple[Line, ...]) -> list[str]:
    """The junk lines, and junk cut from the end of a line, in line order."""
    junk = []
    for line in lines:
        if line.section == "junk":
            junk.append(line.text)
        elif line.note.startswith(JUNK_CUT):
            junk.append(line.note.removeprefix(JUNK_CUT))
    return junk


def test_reference_article_parses_exactly() -> None:
    article = _parse_one(REFERENCE)
    assert article.title == "China May Be Preparing for North Korean Exodus"
    assert article.authors == ("Joshua Philipp",)
    assert article.published == date(2017, 5, 4)
    assert article.updated == date(2017, 5, 4)
    assert len(article.paragraphs) == 9
    assert article.paragraphs[0].startswith("The Chinese regime may be preparing")
    assert article.paragraphs[-1].startswith("China’s call for interpreters")
    assert [c.credit for c in article.captions] == [
        "JOHANNES EISELE/AFP/Getty Images",
        "GREG BAKER/AFP/Getty Images",
    ]
    assert article.bio.startswith("Joshua Philipp is senior investigative reporter")
    everything = " ".join([*article.paragraphs, *(c.text for c in article.captions), article.bio])
    assert "twitter" not in everything.lower()
    for caption in article.captions:
        assert all(caption.text not in paragraph for paragraph in article.paragraphs)
    assert "\u00a0" not in everything and "  " not in everything


def _fixture_cases() -> list[Path]:
    return sorted(p for p in ARTICLE_FIXTURES.iterdir() if p.suffix in {".txt", ".jsonl"})


def test_there_are_enough_fixtures() -> None:
    assert len(_fixture_cases()) >= 17 + 30


@pytest.mark.parametrize("path", _fixture_cases(), ids=lambda p: p.name)
def test_fixture_parses_as_expected(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    expected = expected if isinstance(expected, list) else [expected]
    parsed = _parsed_fixture(path)
    assert len(parsed) == len(expected)
    for number, (got, want) in enumerate(zip(parsed, expected, strict=True), start=1):
        assert set(want) == set(FIELDS), f"article {number}: the expected file names every field"
        for field in FIELDS:
            assert got[field] == want[field], f"article {number}, field {field!r}"


def test_ids_are_stable_and_content_hash_tracks_changes(tmp_path: Path) -> None:
    first = _parse_one(REFERENCE)
    again = _parse_one(REFERENCE)
    assert first.id == again.id and first.content_hash == again.content_hash
    edited = tmp_path / REFERENCE.name
    edited.write_text(
        REFERENCE.read_text(encoding="utf-8").replace("urgently", "quickly"), encoding="utf-8"
    )
    changed = _parse_one(edited)
    assert changed.id == first.id
    assert changed.content_hash != first.content_hash


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/4/2017", date(2017, 5, 4)),
        ("12/31/2009 10:15 AM", date(2009, 12, 31)),
        ("May 4, 2017", date(2017, 5, 4)),
        ("Sept. 11, 2016", date(2016, 9, 11)),
        ("4 May 2017", date(2017, 5, 4)),
        ("2017-05-04", date(2017, 5, 4)),
        ("2017-05-04T10:00:00+02:00", date(2017, 5, 4)),
        ("13/45/2017", None),
        ("Smarch 4, 2017", None),
        ("yesterday", None),
        ("Tuesday, December 2, 2026", date(2026, 12, 2)),
        ("December 2, 2026 8:15 AM ET", date(2026, 12, 2)),
        ("Dec. 2nd, 2026", date(2026, 12, 2)),
        ("12/2/26", date(2026, 12, 2)),
        ("12/2/69", date(1969, 12, 2)),
        ("Tue, 02 Dec 2026 08:15:00 GMT", date(2026, 12, 2)),
        ("Wed, 03 Dec 2026 01:00:00 +0900", date(2026, 12, 3)),
        ("Tue 2 Dec 2026 08.15 GMT", date(2026, 12, 2)),
        ("May 4", None),
        ("2017", None),
        ("10 10 10", None),
        ("8:15 AM ET", None),
        ("Joshua Philipp", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Joshua Philipp", ("Joshua Philipp",)),
        ("By Ana Silva and Tom Reed", ("Ana Silva", "Tom Reed")),
        ("Ana Silva, Tom Reed and Li Wei", ("Ana Silva", "Tom Reed", "Li Wei")),
        ("Ana Silva, Tom Reed, and Li Wei", ("Ana Silva", "Tom Reed", "Li Wei")),
        ("BY ANA SILVA & Tom Reed", ("ANA SILVA", "Tom Reed")),
        ("By Ana Silva, Staff Writer", ("Ana Silva",)),
        ("By Ana Silva | Senior Correspondent", ("Ana Silva",)),
        ("By Hannah Park for Scoop", ("Hannah Park",)),
        ("Li Wei in Seoul", ("Li Wei",)),
        ("Reuters", ("Reuters",)),
        ("By The Associated Press", ("The Associated Press",)),
        ("José María Pérez y Ana de la Cruz", ("José María Pérez", "Ana de la Cruz")),
        ("Nguyễn Văn An", ("Nguyễn Văn An",)),
        ("Tuesday", ()),
        ("Staff Writer", ()),
        ("A harbour seal rests on a floating dock.", ()),
        ("By Ana Silva and 2 others", ()),
        ("Volunteers count seals at low tide", ()),
    ],
)
def test_split_authors(byline: str, names: tuple[str, ...]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("credit", "form"),
    [
        ("JOHANNES EISELE/AFP/Getty Images", "agency slashes"),
        ("AP Photo/Ahn Young-joon", "agency slashes"),
        ("Photo by Lena Ortiz", "photo words"),
        ("Photograph: Lena Ortiz", "photo words"),
        ("File Photo", "photo words"),
        ("Courtesy of Hillcrest Observatory", "courtesy"),
        ("Hannah Park for Scoop", "name for outlet"),
        ("Yonhap via Reuters", "via"),
        ("Reuters", "picture agency"),
        ("Getty Images", "photo words"),
        ("NATO", None),
        ("VIDEO", None),
        ("file", None),
        ("via Bloomberg", None),
        ("and/or", None),
        ("24/7", None),
        ("in Korean", None),
    ],
)
def test_credit_forms(credit: str, form: str | None) -> None:
    assert credit_form(credit) == form


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("twitter", "share links"),
        ("Facebook | Twitter | Email", "share links"),
        ("Share this article", "share prompt"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Reporting by Ana Silva; Editing by Tom Reed", "sign-off"),
        ("(Additional reporting by Li Wei in Seoul)", "sign-off"),
        ("Sign up for our newsletter", "newsletter prompt"),
        ("Read more: Ferry fares rise", "read more"),
        ("More on this story", "read more"),
        ("© 2026 The Scoop. All rights reserved.", "copyright"),
        ("###", "end mark"),
        ("The share price fell by a third.", None),
        ("Reporting by the Guardian showed the plan was late.", None),
        ("Print runs were cut.", None),
    ],
)
def test_junk_patterns(line: str, reason: str | None) -> None:
    assert junk_reason(line) == reason


@pytest.mark.parametrize(
    ("paragraph", "authors", "bio"),
    [
        ("Hannah Park is a reporter at the Scoop.", ("Hannah Park",), True),
        ("Park covers food for the Scoop.", ("Hannah Park",), True),
        ("Park is a business reporter.", ("Hannah Park",), True),
        ("Park is not sure he will run again.", ("Hannah Park",), False),
        ("Tom Reed is the Scoop’s education reporter.", ("Ana Silva", "Tom Reed"), True),
        ("Ana Silva is a reporter.", (), False),
        ("About the author: Ana Silva writes on transport.", (), True),
    ],
)
def test_a_bio_is_about_an_author_of_the_byline(
    paragraph: str, authors: tuple[str, ...], bio: bool
) -> None:
    assert is_bio(paragraph, authors) is bio


def test_a_date_label_with_no_date_below_it_anchors_nothing() -> None:
    reading = parse_text("Headline Here\n\nPosted\n\nThe body starts here.\n", "x.txt", "x")
    assert reading.article is not None and reading.article.published is None
    assert reading.article.paragraphs == ("Posted", "The body starts here.")
    assert reading.article.warnings[0].reason.startswith("header guessed: no date line")


def _problems(tmp_path: Path, name: str, content: bytes) -> list[Problem]:
    path = tmp_path / name
    path.write_bytes(content)
    items = list(read_articles([path]))
    return [item for item in items if isinstance(item, Problem)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\n\n   \n", "empty file"),
        ("image.txt", bytes(range(256)) * 4, "binary file"),
        ("no-headline.txt", b"5/4/2017\n\nThe body starts here.\n", "no recognisable headline"),
        ("long-headline.txt", b"word " * 200 + b"\n\nbody\n", "no recognisable headline"),
        ("only-header.txt", b"A Headline\n\nJoshua Philipp\n5/4/2017\n", "no body text"),
    ],
)
def test_bad_text_files_are_reported_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    [problem] = _problems(tmp_path, name, content)
    assert problem.source.endswith(name)
    assert reason in problem.reason


def test_a_huge_file_is_reported_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"Headline\n\n")
        handle.truncate(20 * 1024 * 1024)
    [problem] = [i for i in read_articles([path]) if isinstance(i, Problem)]
    assert "file too large (21.0 MB" in problem.reason


def test_bad_json_lines_are_reported_by_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"id": "a", "title": "Good one", "body": "Text."}),
        '{"id": "b", "title": "Broken", ',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "c", "body": "no title"}),
        json.dumps({"id": "d", "title": "Bad date", "published": "someday"}),
        json.dumps({"id": "e", "title": "Bad body", "body": 42}),
        "",
        json.dumps(
            {"id": "f", "title": "Good two", "body": ["P1", "P2"], "published": "2020-01-02"}
        ),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_articles([path]))
    articles = [i for i in items if isinstance(i, Article)]
    problems = {p.line: p.reason for p in items if isinstance(p, Problem)}
    assert [a.title for a in articles] == ["Good one", "Good two"]
    assert articles[1].paragraphs == ("P1", "P2")
    assert set(problems) == {2, 3, 4, 5, 6}
    assert problems[2].startswith("invalid JSON")
    assert "expected a JSON object" in problems[3]
    assert "missing 'title'" in problems[4]
    assert "'published' is not a date" in problems[5]
    assert "'body' must be" in problems[6]


def test_a_missing_source_is_reported(tmp_path: Path) -> None:
    [problem] = list(read_articles([tmp_path / "nope"]))
    assert isinstance(problem, Problem) and "no such file" in problem.reason


def test_a_folder_is_read_recursively_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_bytes(REFERENCE.read_bytes())
    (tmp_path / "one.txt").write_bytes(REFERENCE.read_bytes())
    (tmp_path / ".hidden.txt").write_bytes(REFERENCE.read_bytes())
    (tmp_path / "notes.md").write_text("# not an article")
    items = list(read_articles([tmp_path]))
    assert [Path(i.source).name for i in items] == ["two.txt", "one.txt"]
    assert len({i.id for i in items if isinstance(i, Article)}) == 2


def test_a_json_lines_feed_larger_than_one_article_limit_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    body = "Words of a long wire story. " * 2000  # about 56 kB a record
    with path.open("w", encoding="utf-8") as handle:
        for number in range(120):  # about 6.7 MB: more than MAX_FILE_BYTES
            handle.write(json.dumps({"id": number, "title": f"Story {number}", "body": body}))
            handle.write("\n")
        handle.write(json.dumps({"id": "huge", "title": "Huge", "body": "x" * 6_000_000}) + "\n")
        handle.write(json.dumps({"id": "after", "title": "After the huge one"}) + "\n")
    assert path.stat().st_size > MAX_FILE_BYTES
    items = list(read_articles([path]))
    problems = [item for item in items if isinstance(item, Problem)]
    assert [(p.line, p.reason) for p in problems] == [(121, "record too large (over 5 MB)")]
    titles = [item.title for item in items if isinstance(item, Article)]
    assert len(titles) == 121 and titles[-1] == "After the huge one"


def test_json_lines_with_a_bom_cp1252_and_an_empty_file(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\xef\xbb\xbf" + json.dumps({"title": "BOM first"}).encode() + b"\n")
    feed.write_bytes(feed.read_bytes() + '{"title": "Caf\xe9"}\n'.encode("cp1252"))
    assert [i.title for i in read_articles([feed]) if isinstance(i, Article)] == [
        "BOM first",
        "Café",
    ]
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x00\x01\n" * 500)
    assert [(p.line, p.reason) for p in read_articles([binary]) if isinstance(p, Problem)] == [
        (None, "binary file (contains NUL bytes)")
    ]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    [problem] = list(read_articles([empty]))
    assert isinstance(problem, Problem) and problem.reason == "empty file"


def test_expected_items_counts_files_and_feed_lines(tmp_path: Path) -> None:
    from index.articles import expected_items
    from tests.conftest import SAMPLES

    read = list(read_articles([SAMPLES, tmp_path / "missing"]))
    assert expected_items([SAMPLES, tmp_path / "missing"]) == len(read) == 32
