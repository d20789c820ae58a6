"""A search's results as rows a citation needs, written as CSV or JSON Lines a line at a
time (the web's ``/search.csv`` and ``format=jsonl``, and ``manage.py export``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

from index.model import web_link
from search.request import Hit

COLUMNS = (
    "id",
    "title",
    "authors",
    "published",
    "updated",
    "url",
    "source",
    "matched",
    "paragraphs",
    "captions",
    "fragment",
)
"""The fields of a row, in the order the CSV has them."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting so as a formula: such cells get a leading quote."""


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def row(hit: Hit) -> dict[str, Any]:
    """What citing the article needs: who, when, where from, where in it it matched, and
    its best fragment as plain text."""
    best = hit.body[0].text if hit.body else hit.captions[0].text if hit.captions else ""
    return {
        "id": hit.id,
        "title": hit.title,
        "authors": list(hit.authors),
        "published": hit.published.isoformat() if hit.published else None,
        "updated": hit.updated.isoformat() if hit.updated else None,
        "url": web_link(hit.url),
        "source": hit.source,
        "matched": list(hit.matched_in),
        "paragraphs": list(hit.matched_paragraphs),
        "captions": list(hit.matched_captions),
        "fragment": best,
    }


def safe_cell(value: Any) -> str:
    """A CSV cell: lists joined with "; ", nothing for None, and a quote before text a
    spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``)."""
    if value is None:
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """The header, then one CSV line per hit (RFC 4180 quoting, CRLF endings)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[Any]) -> str:
        writer.writerow([safe_cell(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(COLUMNS)
    for hit in hits:
        yield line(row(hit)[name] for name in COLUMNS)


def jsonl_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """One JSON object per hit and line."""
    for hit in hits:
        yield json.dumps(row(hit), ensure_ascii=False) + "\n"


def lines(hits: Iterable[Hit], kind: ExportFormat) -> Iterator[str]:
    return csv_lines(hits) if kind is ExportFormat.CSV else jsonl_lines(hits)
