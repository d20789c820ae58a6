"""Reading JSON Lines feeds: one article per line, streamed, every bad line reported."""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterator
from dataclasses import replace
from datetime import date
from typing import Any, BinaryIO

from index.bylines import split_authors
from index.captions import split_caption
from index.dates import parse_date
from index.decoding import BINARY_SAMPLE, decode
from index.model import (
    Article,
    Caption,
    ParseWarning,
    Problem,
    Unchanged,
    article_id,
    fingerprint,
)
from index.sources import SourceFile
from index.text import clean_text

MAX_RECORD_BYTES = 5 * 1024 * 1024
"""A longer line is reported and skipped without being held in memory whole."""


def _as_text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"field {field!r} must be a string, not {type(value).__name__}")
    return clean_text(value)


def _as_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {field!r} must be a date string, not {type(value).__name__}")
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"field {field!r} is not a date: {value[:40]!r}")
    return parsed


def _authors(record: dict[str, Any]) -> tuple[str, ...]:
    value = record.get("authors")
    if isinstance(value, list) and all(isinstance(a, str) for a in value):
        return tuple(clean_text(a) for a in value if a.strip())
    if value is None:
        return split_authors(_as_text(record.get("byline"), "byline"))
    raise ValueError("field 'authors' must be a list of strings")


def _paragraphs(body: Any) -> list[str]:
    if isinstance(body, str):
        return [clean_text(p) for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n"))]
    if isinstance(body, list) and all(isinstance(p, str) for p in body):
        return [clean_text(p) for p in body]
    if body is None:
        return []
    raise ValueError("field 'body' must be a string or a list of strings")


def _captions(items: Any) -> list[Caption]:
    captions: list[Caption] = []
    for item in items or []:
        if isinstance(item, str):
            caption = split_caption(clean_text(item)) or Caption(clean_text(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            credit = _as_text(item.get("credit"), "credit") or None
            caption = Caption(clean_text(item["text"]), credit)
        else:
            raise ValueError("each caption must be a string or an object with 'text'")
        if caption.text:  # a caption of nothing but spaces is no caption
            captions.append(caption)
    return captions


def parse_record(record: Any, source: str, line: int) -> Article:
    """Turn one JSON Lines record into an ``Article``; raises ``ValueError`` with a reason.

    The id derives from the record's ``id`` (else its ``url``, else its title), so an
    article keeps its id when the feed is renamed; two records with one id are reported.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    title = _as_text(record.get("title"), "title")
    if not title:
        raise ValueError("missing 'title'")
    url = _as_text(record.get("url"), "url") or None
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | None):
        raise ValueError("field 'id' must be a string or a number")
    key = f"id:{record_id}" if record_id is not None else f"url:{url}" if url else f"title:{title}"
    return Article(
        id=article_id(key),
        title=title,
        dek=_as_text(record.get("dek"), "dek"),
        authors=_authors(record),
        published=_as_date(record.get("published"), "published"),
        updated=_as_date(record.get("updated"), "updated"),
        paragraphs=tuple(p for p in _paragraphs(record.get("body")) if p),
        captions=tuple(_captions(record.get("captions"))),
        bio=_as_text(record.get("bio"), "bio"),
        source=f"{source}:{line}",
        url=url,
    ).with_hash()


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """The lines of a binary file; None for a line longer than ``MAX_RECORD_BYTES``, which is
    skipped without ever being held in memory whole."""
    while line := handle.readline(MAX_RECORD_BYTES + 1):
        if len(line) <= MAX_RECORD_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(1024 * 1024)) and not rest.endswith(b"\n"):
            pass
        yield None


def _load(line: str) -> Any:
    """The JSON value of one line; ``ValueError`` with a reason for anything not JSON (also
    a number too long to convert, or brackets nested too deeply)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except ValueError as error:
        raise ValueError(f"invalid JSON: {error}") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None


def read_record(raw: bytes, source: str, number: int) -> Article | Problem | None:
    """One line of a feed: an ``Article``, a ``Problem`` saying why not, or None if blank.

    Never raises on any input: nothing on one line can stop the rest of the feed.
    """
    try:
        decoded = decode(raw)
        if not decoded.text.strip():
            return None
        article = parse_record(_load(decoded.text), source, number)
    except ValueError as error:
        return Problem(source, str(error), number)
    except Exception as error:  # a parser bug must not stop the reindex: report it
        reason = f"could not read this record ({type(error).__name__}: {error})"
        return Problem(source, reason, number)
    if decoded.notes():
        warnings = tuple(ParseWarning(source, note, number) for _, note in decoded.notes())
        article = Article(**{**article.__dict__, "warnings": warnings})
    return article


def read_jsonl(
    file: SourceFile, known: Container[int] = frozenset()
) -> Iterator[Article | Problem | Unchanged]:
    """Yield one ``Article`` per good line of a JSON Lines file and a ``Problem`` per bad one.

    The file is streamed: a feed may hold any number of articles, and only one record (at
    most ``MAX_RECORD_BYTES``) is in memory at a time. A line whose ``fingerprint`` is
    ``known`` gives an ``Unchanged`` without being parsed.
    """
    try:
        handle = file.path.open("rb")
    except OSError as error:
        yield Problem(file.display, f"cannot read: {error.strerror or error}")
        return
    records = 0
    with handle:
        if b"\x00" in handle.read(BINARY_SAMPLE):
            yield Problem(file.display, "binary file (contains NUL bytes)")
            return
        handle.seek(0)
        for number, raw in enumerate(_bounded_lines(handle), start=1):
            if raw is None:
                limit = MAX_RECORD_BYTES / 1e6
                records += 1
                yield Problem(file.display, f"record too large (over {limit:.0f} MB)", number)
            elif (digest := fingerprint(raw)) in known:
                records += 1
                yield Unchanged(digest, f"{file.display}:{number}")
            elif item := read_record(raw, file.display, number):
                records += 1
                yield replace(item, fingerprint=digest) if isinstance(item, Article) else item
    if not records:
        yield Problem(file.display, "empty file")
