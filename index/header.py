"""The header of a plain-text scrape: headline, dek, byline, dates and lead captions.

The reader is anchored on what can be proven: the date line is the first line
below the headline that reads as dates; the byline is what precedes it or shares
its line; the other header lines are headline repeats, a dek or captions. When no
date line is found, the header is not guessed at: the text is read as body.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from index.bylines import byline_names, is_role_line
from index.captions import LONE_CREDIT, credit_line, split_caption
from index.dates import Dateline, is_update_label, parse_date, read_dateline
from index.endmatter import junk_reason
from index.model import Caption
from index.text import fold

MAX_HEADLINE_CHARS = 300
HEADER_LINES = 12
"""The date line is looked for in this many non-blank lines below the headline."""
MAX_HEADER_LINE_CHARS = 400
"""A longer line is a body paragraph: the header ends before it."""
MAX_GUESSED = 3
"""More uncredited lines than this above the date line mean the date is not in a header."""
_BY = re.compile(r"^by\s", re.IGNORECASE)


@dataclass(frozen=True)
class Role:
    """What one header line is: its section, a caption when it is one, and a note."""

    section: str
    caption: Caption | None = None
    note: str = ""


@dataclass
class Header:
    """What the header holds, which line is what, and where the body starts."""

    title: str
    dek: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    updated: date | None = None
    roles: dict[int, Role] = field(default_factory=dict)
    """Header line index (0-based) → its role."""
    body_start: int = 0
    warnings: list[tuple[int | None, str]] = field(default_factory=list)


def _headline(lines: list[str]) -> int:
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise ValueError("empty file")
    title = lines[first]
    if len(title) > MAX_HEADLINE_CHARS or not any(c.isalpha() for c in title) or parse_date(title):
        raise ValueError(f"no recognisable headline on line {first + 1}: {title[:60]!r}")
    return first


def _window(lines: list[str], first: int) -> list[int]:
    """The non-blank lines below the headline where the header can be, in order."""
    window: list[int] = []
    for index in range(first + 1, len(lines)):
        if len(window) == HEADER_LINES or len(lines[index]) > MAX_HEADER_LINE_CHARS:
            break
        if lines[index]:
            window.append(index)
    return window


def _dateline(line: str) -> Dateline | None:
    """A dateline whose other text, if any, is a byline."""
    found = read_dateline(line)
    if found is None or (found.rest and byline_names(found.rest) is None):
        return None
    return found


def _dates_on(line: str) -> bool:
    found = _dateline(line)
    return bool(found and (found.published or found.updated))


def _anchors(lines: list[str], window: list[int], k: int) -> bool:
    """Whether the header's date line is ``window[k]``: it prints a date, or is a label
    (``Updated:``) whose date is on the next line."""
    found = _dateline(lines[window[k]])
    if found is None:
        return False
    if found.published or found.updated:
        return True
    return bool(found.pending) and k + 1 < len(window) and _dates_on(lines[window[k + 1]])


def read_header(lines: list[str], counts: Counter[str]) -> Header:
    """Read the header of ``lines`` (cleaned, blank lines kept); ``counts`` holds how often
    each folded line (a caption's text without its credit) occurs in the file. Raises
    ``ValueError`` when there is no headline."""
    first = _headline(lines)
    header = Header(lines[first], roles={first: Role("headline")})
    window = _window(lines, first)
    at = next((k for k in range(len(window)) if _anchors(lines, window, k)), None)
    if at is not None and _guessed(lines, window[:at], header.title, counts) <= MAX_GUESSED:
        _read_dated(lines, window, at, header, counts)
    else:
        _read_undated(lines, window, header, at)
    return header


def _guessed(lines: list[str], indexes: list[int], title: str, counts: Counter[str]) -> int:
    """How many of these lines nothing proves: no headline repeat, credit, byline or repeat."""
    return sum(
        1
        for index in indexes
        if fold(lines[index]) != fold(title)
        and not junk_reason(lines[index])
        and not split_caption(lines[index])
        and counts[fold(lines[index])] < 2
        and byline_names(lines[index]) is None
        and not is_role_line(lines[index])
    )


def _read_dates(lines: list[str], start: int, header: Header) -> int:
    """Read the date lines from ``start``; return the index after the last one."""
    pending: str | None = None
    index = start
    while index < len(lines):
        line = lines[index]
        if not line:
            if pending is None:
                break
            index += 1
            continue
        found = _dateline(line)
        if found is None or (found.rest and index != start):
            break
        if found.published and (is_update_label(pending) or header.published):
            header.updated = found.published
        elif found.published:
            header.published = found.published
        if found.updated:
            header.updated = found.updated
        pending = found.pending
        header.roles[index] = Role("date")
        index += 1
    return index


def _read_dated(
    lines: list[str], window: list[int], at: int, header: Header, counts: Counter[str]
) -> None:
    start = window[at]
    header.body_start = _read_dates(lines, start, header)
    above = window[:at]
    shared = _dateline(lines[start])
    if shared and shared.rest:
        header.authors = byline_names(shared.rest) or ()
        header.roles[start] = Role("byline", note="with the date")
    else:
        above = _take_byline(lines, above, header, counts)
    if not header.authors:
        _byline_below(lines, header)
    _read_above(lines, above, header, counts)


def _take_byline(
    lines: list[str], above: list[int], header: Header, counts: Counter[str]
) -> list[int]:
    """Take the byline (and a job-title line under it) from the end of ``above``; a line
    that is a headline repeat, a caption or printed again elsewhere is no byline."""
    rest = list(above)
    if len(rest) > 1 and is_role_line(lines[rest[-1]]):
        header.roles[rest.pop()] = Role("byline", note="job title")
    line = lines[rest[-1]] if rest else ""
    if (
        not line
        or fold(line) == fold(header.title)
        or split_caption(line)
        or counts[fold(line)] > 1
    ):
        return rest
    if names := byline_names(line):
        header.authors = names
        header.roles[rest.pop()] = Role("byline")
    elif _BY.match(line):
        index = rest.pop()
        header.roles[index] = Role("byline", note="not understood")
        header.warnings.append((index + 1, f"byline not understood, no authors: {line[:80]!r}"))
    return rest


def _byline_below(lines: list[str], header: Header) -> None:
    """``By …`` printed under the date line (and only with ``By``: that is the proof)."""
    index = header.body_start
    while index < len(lines) and not lines[index]:
        index += 1
    if index < len(lines) and _BY.match(lines[index]) and (names := byline_names(lines[index])):
        header.authors = names
        header.roles[index] = Role("byline")
        header.body_start = index + 1


def _read_above(lines: list[str], above: list[int], header: Header, counts: Counter[str]) -> None:
    """Lines between the headline and the byline: headline repeats, a dek, captions."""
    title = fold(header.title)
    proven: dict[int, Role] = {}
    for index in above:
        line = lines[index]
        if fold(line) == title:
            proven[index] = Role("headline", note="repeated")
        elif reason := junk_reason(line):
            proven[index] = Role("junk", note=reason)
        elif credit_line(line):
            proven[index] = Role("junk", note=LONE_CREDIT)
        elif caption := split_caption(line):
            proven[index] = Role("caption", caption)
        elif counts[fold(line)] >= 2:
            proven[index] = Role("caption", Caption(line), "repeated")
    unproven = [index for index in above if index not in proven]
    guessed = 0
    for index in unproven:
        if not header.dek and _is_dek(lines, index, above, proven):
            header.dek = lines[index]
            proven[index] = Role("dek")
        else:
            proven[index] = Role("caption", Caption(lines[index]), "no credit")
            guessed += 1
    header.roles.update(proven)
    if guessed > 1:
        header.warnings.append(
            (unproven[0] + 1, f"{guessed} uncredited lines in the header read as captions")
        )


def _is_dek(lines: list[str], index: int, above: list[int], proven: dict[int, Role]) -> bool:
    """The standfirst: the first line under the headline (and its repeats) that is no
    caption, when a caption follows it, a blank line sets it apart, or it has no final
    full stop. An uncredited sentence just above the byline is read as the lead caption."""
    before = [i for i in above if i < index]
    if any(proven.get(i, Role("")).section != "headline" for i in before):
        return False
    after = [i for i in above if i > index]
    followed_by_caption = bool(after) and proven.get(after[0], Role("")).section == "caption"
    set_apart = index + 1 < len(lines) and not lines[index + 1]
    return followed_by_caption or set_apart or not lines[index].endswith((".", ".”", '."'))


def _read_undated(lines: list[str], window: list[int], header: Header, at: int | None) -> None:
    """No date line: headline repeats, credited captions and a ``By …`` byline are read;
    from the first other line on, everything is body."""
    title = fold(header.title)
    body = window[-1] + 1 if window else len(lines)
    for index in window:
        line = lines[index]
        if fold(line) == title:
            header.roles[index] = Role("headline", note="repeated")
        elif reason := junk_reason(line):
            header.roles[index] = Role("junk", note=reason)
        elif caption := split_caption(line):
            header.roles[index] = Role("caption", caption)
        elif not header.authors and _BY.match(line) and (names := byline_names(line)):
            header.authors = names
            header.roles[index] = Role("byline")
        else:
            body = index
            break
    header.body_start = body
    if at is None:
        reason = "no date line below the headline"
    else:
        reason = (
            f"the date on line {window[at] + 1} is below more than {MAX_GUESSED} lines that"
            " are no headline, byline or caption"
        )
    start = f"line {body + 1}" if body < len(lines) else "the end"
    header.warnings.append(
        (None, f"header guessed: {reason}; read as undated, with body from {start}")
    )
