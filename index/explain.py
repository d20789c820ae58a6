"""How a file was read, as text for people (``manage.py parse``): each section with the
lines it came from, each paragraph numbered, each caption with its credit, the junk and
the warnings."""

from __future__ import annotations

from collections.abc import Iterable

from index.model import Article, Line
from index.scrape import JUNK_CUT, Reading

SHORT_CHARS = 90
"""Longer texts are shown by their start and end."""
LABEL_WIDTH = 11


def short(text: str) -> str:
    """``text``, or its first and last words around `` … `` when it is long."""
    if len(text) <= SHORT_CHARS:
        return text
    head = text[:55].rsplit(" ", 1)[0]
    tail = text[-28:].split(" ", 1)[-1]
    return f"{head} … {tail}"


def line_numbers(numbers: Iterable[int]) -> str:
    """``line 5``, ``lines 1, 3``, ``lines 6-8``."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    if not runs:
        return ""
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    many = len(runs) > 1 or len(runs[0]) > 1
    return f"({'lines' if many else 'line'} {', '.join(parts)})"


def _row(label: str, text: str, numbers: Iterable[int] = ()) -> str:
    where = line_numbers(numbers)
    return f"{label:<{LABEL_WIDTH}}{text}" + (f"  {where}" if where else "")


def _lines(lines: tuple[Line, ...], section: str, index: int | None = None) -> list[int]:
    return [
        line.number
        for line in lines
        if line.section == section and (index is None or line.index == index)
    ]


def _dates(article: Article) -> str:
    dates = [
        f"{name} {value.isoformat()}"
        for name, value in (("published", article.published), ("updated", article.updated))
        if value
    ]
    return ", ".join(dates) or "none"


def _head(article: Article, lines: tuple[Line, ...]) -> list[str]:
    byline = [line.number for line in lines if line.section == "byline"]
    shared = [line.number for line in lines if line.note == "with the date"]
    return [
        _row("headline", article.title, _lines(lines, "headline")),
        _row("dek", article.dek or "none", _lines(lines, "dek")),
        _row("authors", ", ".join(article.authors) or "none", byline),
        _row("dates", _dates(article), _lines(lines, "date") + shared),
    ]


def _body(article: Article, lines: tuple[Line, ...]) -> list[str]:
    rows = [
        _row(f"¶{number}", short(text), _lines(lines, "paragraph", number))
        for number, text in enumerate(article.paragraphs, start=1)
    ]
    for number, caption in enumerate(article.captions, start=1):
        rows.append(_row(f"photo {number}", short(caption.text), _lines(lines, "caption", number)))
        rows.append(_row("", f"credit: {caption.credit or 'none'}"))
    rows.append(_row("bio", short(article.bio) if article.bio else "none", _lines(lines, "bio")))
    return rows


def _junk(lines: tuple[Line, ...]) -> list[str]:
    rows = []
    for line in lines:
        if line.section == "junk":
            rows.append(_row("junk", f"{line.text} — {line.note}", [line.number]))
        elif line.note.startswith(JUNK_CUT):
            cut = line.note.removeprefix(JUNK_CUT)
            rows.append(_row("junk", f"{cut} — cut from the end of the line", [line.number]))
    return rows


def describe(reading: Reading, source: str) -> list[str]:
    """The lines ``manage.py parse`` prints for one reading of ``source``."""
    if reading.article is None:
        problem = reading.problem
        return [source, _row("problem", problem.reason if problem else "nothing read")]
    article = reading.article
    warnings = [_row("warning", w.reason, [w.line] if w.line else ()) for w in article.warnings]
    return [
        article.source,
        *_head(article, reading.lines),
        *_body(article, reading.lines),
        *_junk(reading.lines),
        *(warnings or [_row("warnings", "none")]),
    ]
