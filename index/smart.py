"""Reader for SMART-format test collections (Cranfield, CISI, Medline, ADI, ...).

A record starts with ``.I id``; the lines after a field marker (``.T`` title,
``.A`` authors, ``.B`` source, ``.W`` text, ``.X`` references, ...) belong to
that field until the next marker. Fields may be missing, empty or repeated
(repeats are joined). Files may have CRLF line ends. Documents become feed
records (``feed_record``) so they are indexed by the real pipeline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.model import article_id

_MARKER = re.compile(r"^\.([A-Z])(?:\s+(.*))?$")


@dataclass(frozen=True)
class Record:
    """One SMART record: a document or a query (queries carry their text in ``text``)."""

    id: str
    title: str
    authors: tuple[str, ...]
    text: str

    @property
    def question(self) -> str:
        """The record read as a query: its title (CISI queries have one) and its text."""
        return " ".join(part for part in (self.title, self.text) if part)


def _clean(lines: list[str]) -> str:
    """Join a field's lines into one string with single spaces."""
    return " ".join(" ".join(lines).split())


def _record(record_id: str, fields: dict[str, list[list[str]]]) -> Record:
    """Make a Record from the raw field blocks collected for one ``.I``."""
    authors = tuple(
        author for block in fields.get("A", []) for line in block if (author := line.strip())
    )
    return Record(
        id=record_id,
        title=_clean([line for block in fields.get("T", []) for line in block]),
        authors=authors,
        text=_clean([line for block in fields.get("W", []) for line in block]),
    )


def iter_records(path: Path) -> Iterator[Record]:
    """Yield the records of a SMART file in file order."""
    record_id: str | None = None
    fields: dict[str, list[list[str]]] = {}
    current: list[str] | None = None
    with path.open(encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            marker = _MARKER.match(line)
            if marker is None:
                if current is not None:
                    current.append(line)
                continue
            letter, rest = marker.group(1), (marker.group(2) or "").strip()
            if letter == "I":
                if record_id is not None:
                    yield _record(record_id, fields)
                record_id, fields, current = rest, {}, None
                continue
            current = [rest] if rest else []
            fields.setdefault(letter, []).append(current)
    if record_id is not None:
        yield _record(record_id, fields)


def read_records(path: Path) -> list[Record]:
    """Read all records of a SMART file."""
    return list(iter_records(path))


UNTITLED = "-"
"""The headline given to a document without ``.T`` (Medline): JSON Lines records need
one, and a dash is not a word, so it adds nothing to the index."""


def plain_id(value: str) -> str:
    """An id as judgements and SMART files agree on it: without leading zeros."""
    stripped = value.lstrip("0")
    return stripped or ("0" if value else value)


def index_names(records: list[Record]) -> dict[str, str]:
    """The article id each document is indexed under -> its plain ``.I`` id."""
    return {article_id(f"id:{record.id}"): plain_id(record.id) for record in records}


def feed_record(record: Record) -> dict[str, object]:
    """The JSON Lines record (``index.jsonl``) a document is indexed from."""
    return {
        "id": record.id,
        "title": record.title or UNTITLED,
        "authors": list(record.authors),
        "body": record.text,
    }


def write_feed(records: list[Record], path: Path) -> None:
    """Write documents as a JSON Lines feed at ``path``."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(feed_record(record), ensure_ascii=False) + "\n")
