"""Dates as printed in news pages, read with ``python-dateutil``.

A date is kept as the calendar date printed (``datetime.date``): a time of day
and a time zone, when printed, are read past and never converted or invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.parser import ParserError, parser, parserinfo

from index.text import memoised

MAX_DATE_CHARS = 80
"""Longer text is never a date line."""
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE
)
_NUMERIC = re.compile(r"(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?!\d)|\b\d{8}\b")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
"""Two different fill-ins: a date that parses differently with each lacks a year, month or day."""
_LABEL = re.compile(
    r"\b(?P<label>(?:last\s+|first\s+)?(?:updated|published|posted|modified))\b(?:\s+on\b)?\s*:?\s*",
    re.IGNORECASE,
)
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?![\d.])")
"""``08.15`` as British sites print a time; ``02.12.2026`` is left alone."""
_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s+[–—-]\s+|\s*[|·•]\s*$")
_SPLIT_AT = re.compile(r",\s*|\s+on\s+(?=\S)", re.IGNORECASE)
_BY = re.compile(r"^\s*by\s", re.IGNORECASE)


class _NewsDates(parserinfo):
    """US month/day order; two-digit years as ``strptime``'s ``%y`` reads them (69–99 are
    the 1900s, 00–68 the 2000s), so ``12/2/26`` is the same date whatever today is."""

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        if year < 100 and not century_specified:
            return year + (1900 if year >= 69 else 2000)
        return year


_PARSER = parser(_NewsDates())


@memoised
def parse_date(text: str) -> date | None:
    """The calendar date ``text`` prints, or None unless it is a complete date and nothing else.

    Reads ``5/4/2017``, ``2017-05-04T10:00:00Z``, ``May 4, 2017``, ``4 May 2017``,
    ``Tuesday, December 2, 2026 8:15 AM ET``, ``Dec. 2nd, 2026``, ``12/2/26`` and RFC 2822
    (``Tue, 02 Dec 2026 08:15:00 GMT``). A year, a month and a day must all be printed.
    """
    text = text.strip()
    if not text or len(text) > MAX_DATE_CHARS or not (_MONTH.search(text) or _NUMERIC.search(text)):
        return None
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    try:
        first, second = (
            _PARSER.parse(text, default=default, ignoretz=True).date() for default in _DEFAULTS
        )
    except (ParserError, ValueError, OverflowError):
        return None
    return first if first == second else None


@dataclass(frozen=True)
class Dateline:
    """A header line holding dates: the dates by label, and any text sharing the line."""

    published: date | None = None
    updated: date | None = None
    pending: str | None = None
    """A label printed alone (``Updated:``): its date is on the next line."""
    rest: str = ""
    """Text before or after the dates on the same line: a byline (``By Ana Silva | …``)."""


def is_update_label(label: str | None) -> bool:
    """``Updated``, ``Last updated``, ``Modified``: the date after it is the update's."""
    return bool(label) and re.sub(r"^(?:last|first)\s+", "", label or "").lower() in (
        "updated",
        "modified",
    )


def _labelled(part: str) -> list[tuple[str | None, str]]:
    """Split ``May 4, 2017 Updated: May 5, 2017`` into (label, text) pieces."""
    pieces: list[tuple[str | None, str]] = []
    label: str | None = None
    cursor = 0
    for match in _LABEL.finditer(part):
        pieces.append((label, part[cursor : match.start()].strip()))
        label, cursor = match.group("label").lower(), match.end()
    pieces.append((label, part[cursor:].strip()))
    return [(label, text) for label, text in pieces if label or text]


def _trailing_date(text: str) -> tuple[str, date] | None:
    """``Ana Silva, Tuesday, December 2, 2026`` → ("Ana Silva", the date); ``on`` splits
    only after ``By …`` (``By Ana Silva on May 4, 2017``), never a caption's "… on May 4"."""
    for match in _SPLIT_AT.finditer(text):
        before = text[: match.start()].strip()
        if match.group().strip().lower() == "on" and not _BY.match(before):
            continue
        when = parse_date(text[match.end() :])
        if when and before:
            return before, when
    return None


@memoised
def read_dateline(line: str) -> Dateline | None:
    """Read a header line as dates (with labels, and a byline sharing the line), or None.

    ``5/4/2017``, ``Updated:``, ``Updated: May 5, 2017``, ``May 4, 2017 Updated: May 5,
    2017``, ``By Ana Silva | December 2, 2026`` and ``Ana Silva, Dec. 2, 2026`` are
    datelines; a line with any text that is neither a date, a label nor one byline is not.
    """
    if len(line) > 2 * MAX_DATE_CHARS + 200:
        return None
    published = updated = None
    pending: str | None = None
    rest: list[str] = []
    for part in _SEPARATOR.split(line):
        for label, text in _labelled(part):
            if not text:
                pending = label
                continue
            when = parse_date(text)
            if when is None and not rest and (split := _trailing_date(text)):
                rest.append(split[0])
                when = split[1]
            if when is None:
                rest.append(text)
            elif is_update_label(label or pending) or published is not None:
                updated, pending = when, None
            else:
                published, pending = when, None
    if len(rest) > 1 or (published is None and updated is None and (rest or pending is None)):
        return None
    return Dateline(published, updated, pending, rest[0] if rest else "")
