"""Reading articles: plain-text news scrapes and JSON Lines records.

Every reader yields ``Article`` values and ``Problem`` values; a bad file or a
bad line is reported as a ``Problem`` and never stops the run.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from index.model import Article, Caption, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Larger scrape files (and larger JSON Lines records) are reported and skipped: no news
article is that long. A JSON Lines feed itself may be of any size."""

MAX_HEADLINE_CHARS = 300
MAX_BYLINE_CHARS = 200
HEADER_LINES = 14
"""The byline and dates are looked for this many lines below the headline."""
TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_CREDIT = re.compile(r"^(?P<text>.*\S)\s*\((?P<credit>[^()]{2,120})\)\s*$")
_SHARE_WORDS = {
    "twitter",
    "facebook",
    "email",
    "e-mail",
    "print",
    "share",
    "whatsapp",
    "linkedin",
    "reddit",
    "telegram",
    "pinterest",
    "copy link",
    "copy",
    "link",
    "tweet",
    "x",
    "comments",
}
_BIO_VERBS = re.compile(
    r"^\s*(?:is|was|has|covers|writes|reports|edits|lives|joined|works|served|spent)\b"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DATE_PATTERNS = [
    # 5/4/2017 (month/day/year, as US news sites print it), optional time after it
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("m", "d", "y")),
    # 2017-05-04, 2017-05-04T10:00:00Z
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    # May 4, 2017 / Sept. 11, 2016
    (re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b"), ("M", "d", "y")),
    # 4 May 2017
    (re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b"), ("d", "M", "y")),
]
_DATE_LABEL = re.compile(r"^(?P<label>updated|published|posted|modified)\s*:?\s*", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC) and collapse every kind of whitespace to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def parse_date(text: str) -> date | None:
    """Read a date printed as ``5/4/2017``, ``2017-05-04``, ``May 4, 2017`` or ``4 May 2017``.

    Anything after the date (a time of day, a time zone) is ignored. Returns
    None when the text does not start with a valid date.
    """
    text = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _MONTHS.get(parts["M"].lower().rstrip(".")) if "M" in parts else int(parts["m"])
        if month is None:
            return None
        try:
            return date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            return None
    return None


def _date_line(line: str) -> tuple[str | None, date | None, bool]:
    """Classify a header line as a (label, date, label_only) triple.

    ``Updated: 5/4/2017`` gives ("updated", date, False); ``Updated:`` alone gives
    ("updated", None, True); a bare date gives (None, date, False).
    """
    label_match = _DATE_LABEL.match(line)
    label = label_match.group("label").lower() if label_match else None
    rest = line[label_match.end() :] if label_match else line
    if label and not rest.strip():
        return label, None, True
    return label, parse_date(rest), False


def article_id(key: str) -> str:
    """A stable id from a stable key (the file's path below its source folder, or a record id)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def split_authors(byline: str) -> tuple[str, ...]:
    """Split a byline such as ``By Ana Silva, Tom Reed and Li Wei`` into names."""
    byline = re.sub(r"^\s*by\s+", "", clean_text(byline), flags=re.IGNORECASE)
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", byline)
    return tuple(name.strip() for name in names if name.strip())


def _split_caption(line: str) -> Caption | None:
    """Return the caption if ``line`` ends in a parenthesised photo credit."""
    match = _CREDIT.match(line)
    if not match or not _looks_like_credit(match.group("credit")):
        return None
    return Caption(match.group("text").strip(), match.group("credit").strip())


def _looks_like_credit(credit: str) -> bool:
    """A photo credit: agency slashes, a photo word, or mostly capital letters."""
    if re.search(r"/|\bphoto|\bimages?\b|\bcourtesy\b|\bvia\b|\bfile\b|\bAP\b", credit, re.I):
        return True
    letters = [c for c in credit if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _is_share_leftover(line: str) -> bool:
    words = re.split(r"[\s|/·•,]+", line.strip().lower())
    return bool(words) and all(word in _SHARE_WORDS for word in words if word)


def _is_bio(paragraph: str, authors: tuple[str, ...]) -> bool:
    """An author bio starts with an author's name (or surname) followed by a verb like 'is'."""
    for name in authors:
        for candidate in (name, name.split()[-1]):
            if paragraph.startswith(candidate) and _BIO_VERBS.match(paragraph[len(candidate) :]):
                return True
    return bool(re.match(r"^about the authors?\b", paragraph, re.IGNORECASE))


def decode(raw: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), else Windows-1252.

    Raises ``ValueError`` with a reason for binary data or undecodable bytes.
    """
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(
                f"undecodable bytes: not UTF-8 ({utf8_error.reason} at byte "
                f"{utf8_error.start}) and not Windows-1252"
            ) from None
    controls = sum(
        1 for c in text[:8192] if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f"
    )
    if controls > max(8, len(text[:8192]) // 100):
        raise ValueError("binary file (too many control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class _Header:
    title: str
    authors: tuple[str, ...]
    published: date | None
    updated: date | None
    captions: list[Caption]
    body_start: int


def _parse_header(lines: list[str]) -> _Header:
    """Read headline, lead caption, byline and dates from the top of a scrape."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise ValueError("empty file")
    title = lines[first]
    if (
        len(title) > MAX_HEADLINE_CHARS
        or not any(c.isalpha() for c in title)
        or parse_date(title)
        or _split_caption(title)
    ):
        raise ValueError(f"no recognisable headline on line {first + 1}: {title[:60]!r}")

    window = range(first + 1, min(len(lines), first + HEADER_LINES))
    date_at = next((i for i in window if lines[i] and any(_date_line(lines[i])[1:])), None)
    captions: list[Caption] = []
    authors: tuple[str, ...] = ()
    if date_at is None:
        # Undated: credited captions and one short byline may follow the headline.
        index = first + 1
        while index < len(lines) and (not lines[index] or lines[index] == title):
            index += 1
        while index < len(lines) and lines[index]:
            line = lines[index]
            if caption := _split_caption(line):
                captions.append(caption)
            elif not authors and len(line) <= MAX_BYLINE_CHARS and not line.endswith("."):
                authors = split_authors(line)
            else:
                break
            index += 1
        return _Header(title, authors, None, None, captions, index)

    # Dated: the byline is the line just before the date; any other lines between
    # the headline and the byline are captions, with or without a credit.
    before = [line for line in lines[first + 1 : date_at] if line and line != title]
    if before and not _split_caption(before[-1]) and len(before[-1]) <= MAX_BYLINE_CHARS:
        authors = split_authors(before.pop())
    for line in before:
        caption = _split_caption(line) or Caption(line)
        if caption not in captions:
            captions.append(caption)
    published = updated = None
    pending_label: str | None = None
    index = date_at
    while index < len(lines):
        line = lines[index]
        if not line:
            if pending_label is None:
                break
            index += 1
            continue
        label, when, label_only = _date_line(line)
        if label_only:
            pending_label = label
        elif when is None:
            break
        elif (label or pending_label) in ("updated", "modified") or published is not None:
            updated, pending_label = when, None
        else:
            published, pending_label = when, None
        index += 1
    return _Header(title, authors, published, updated, captions, index)


def _body_units(lines: list[str]) -> Iterator[str]:
    """Yield paragraph-sized units: one per line, or one per block of hard-wrapped lines."""
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
            continue
        if not block:
            continue
        wrapped = len(block) > 1 and all(
            not re.search(r"[.!?:;\"”’)]$", item) and len(item) < 100 for item in block[:-1]
        )
        yield from [" ".join(block)] if wrapped else block
        block = []


def parse_text(text: str, source: str, key: str) -> Article:
    """Parse one plain-text scrape into an ``Article``; raises ``ValueError`` with a reason."""
    lines = [clean_text(line) for line in text.split("\n")]
    header = _parse_header(lines)
    captions = list(header.captions)
    paragraphs: list[str] = []
    previous: str | None = None
    units = [u for u in _body_units(lines[header.body_start :]) if not _is_share_leftover(u)]
    for position, unit in enumerate(units):
        following = units[position + 1] if position + 1 < len(units) else None
        caption = _split_caption(unit)
        if caption is None and (unit in (following, previous)):
            caption = Caption(unit)  # the scrape duplicates captions: a repeat marks one
        if caption is not None:
            if not captions or captions[-1] != caption:
                captions.append(caption)
        elif unit != header.title:
            paragraphs.append(unit)
        previous = unit
    bio = ""
    for candidate in reversed(paragraphs[-2:]):
        if _is_bio(candidate, header.authors):
            bio = candidate
            paragraphs.remove(candidate)
            break
    if not paragraphs and not captions:
        raise ValueError("no body text after the header")
    return Article(
        id=article_id(key),
        title=header.title,
        authors=header.authors,
        published=header.published,
        updated=header.updated,
        paragraphs=tuple(paragraphs),
        captions=tuple(captions),
        bio=bio,
        source=source,
    ).with_hash()


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


def parse_record(record: Any, source: str, line: int) -> Article:
    """Turn one JSON Lines record into an ``Article``; raises ``ValueError`` with a reason."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    title = _as_text(record.get("title"), "title")
    if not title:
        raise ValueError("missing 'title'")
    authors_value = record.get("authors")
    if isinstance(authors_value, list) and all(isinstance(a, str) for a in authors_value):
        authors = tuple(clean_text(a) for a in authors_value if a.strip())
    elif authors_value is None:
        authors = split_authors(_as_text(record.get("byline"), "byline"))
    else:
        raise ValueError("field 'authors' must be a list of strings")
    body = record.get("body")
    if isinstance(body, str):
        paragraphs = [clean_text(p) for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n"))]
    elif isinstance(body, list) and all(isinstance(p, str) for p in body):
        paragraphs = [clean_text(p) for p in body]
    elif body is None:
        paragraphs = []
    else:
        raise ValueError("field 'body' must be a string or a list of strings")
    captions: list[Caption] = []
    for item in record.get("captions") or []:
        if isinstance(item, str):
            caption = _split_caption(clean_text(item)) or Caption(clean_text(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            credit = _as_text(item.get("credit"), "credit") or None
            caption = Caption(clean_text(item["text"]), credit)
        else:
            raise ValueError("each caption must be a string or an object with 'text'")
        if caption.text:  # a caption of nothing but spaces is no caption
            captions.append(caption)
    url = _as_text(record.get("url"), "url") or None
    record_id = record.get("id")
    if record_id is not None and not isinstance(record_id, str | int):
        raise ValueError("field 'id' must be a string or a number")
    key = f"id:{record_id}" if record_id is not None else f"url:{url}" if url else f"title:{title}"
    published = _as_date(record.get("published"), "published")
    return Article(
        id=article_id(key),
        title=title,
        authors=authors,
        published=published,
        updated=_as_date(record.get("updated"), "updated"),
        paragraphs=tuple(p for p in paragraphs if p),
        captions=tuple(captions),
        bio=_as_text(record.get("bio"), "bio"),
        source=f"{source}:{line}",
        url=url,
    ).with_hash()


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise ValueError("empty file")
    return raw


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """The lines of a binary file; None for a line longer than ``MAX_FILE_BYTES``, which is
    skipped without ever being held in memory whole."""
    while line := handle.readline(MAX_FILE_BYTES + 1):
        if len(line) <= MAX_FILE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(1024 * 1024)) and not rest.endswith(b"\n"):
            pass
        yield None


def read_jsonl(path: Path, display: str) -> Iterator[Article | Problem]:
    """Yield one ``Article`` per good line of a JSON Lines file and a ``Problem`` per bad one.

    The file is streamed: a feed may hold any number of articles, and only one
    record (at most ``MAX_FILE_BYTES``) is in memory at a time.
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Problem(display, str(error))
        return
    records = 0
    with handle:
        if b"\x00" in handle.read(8192):
            yield Problem(display, "binary file (contains NUL bytes)")
            return
        handle.seek(0)
        for number, raw in enumerate(_bounded_lines(handle), start=1):
            if raw is None:
                limit = MAX_FILE_BYTES / 1e6
                yield Problem(display, f"record too large (over {limit:.0f} MB)", number)
                continue
            try:
                line = decode(raw)  # UTF-8 (a BOM is dropped) or Windows-1252
            except ValueError as error:
                records += 1
                yield Problem(display, str(error), number)
                continue
            if not line.strip():
                continue
            records += 1
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield Problem(display, f"invalid JSON: {error.msg} (column {error.colno})", number)
                continue
            try:
                yield parse_record(record, display, number)
            except ValueError as error:
                yield Problem(display, str(error), number)
    if not records:
        yield Problem(display, "empty file")


def read_text_file(path: Path, display: str, key: str) -> Article | Problem:
    """Parse one plain-text scrape file, or say why it cannot be indexed."""
    try:
        return parse_text(decode(_read_bytes(path)), display, key)
    except (OSError, ValueError) as error:
        return Problem(display, str(error))


def _candidate_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(root).parts)
            and path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
        ):
            yield path


def _source_files(sources: Iterable[Path]) -> Iterator[tuple[Path, str] | Problem]:
    """Each file to read with its id key (its path below the folder given), in a stable order."""
    for source in sources:
        if source.is_dir():
            for path in _candidate_files(source):
                yield path, path.relative_to(source).as_posix()
        elif source.is_file():
            yield source, source.name
        else:
            yield Problem(str(source), "no such file or folder")


def expected_items(sources: Iterable[Path]) -> int:
    """About how many articles and problems ``read_articles`` will yield (for a progress bar):
    one per scrape file, one per line of a JSON Lines feed (counted without parsing)."""
    total = 0
    for item in _source_files(sources):
        if isinstance(item, Problem) or item[0].suffix.lower() not in JSONL_SUFFIXES:
            total += 1
            continue
        try:
            with item[0].open("rb") as handle:
                total += sum(
                    chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")
                )
        except OSError:
            total += 1
    return total


def read_articles(sources: Iterable[Path]) -> Iterator[Article | Problem]:
    """Read every article under the given files and folders, in a stable order.

    Folders are searched recursively for ``.txt`` scrapes and ``.jsonl`` files.
    An article's id is derived from its path below the folder it was found in
    (or from the file name when a file is given directly), so it is the same on
    every reindex of the same archive.
    """
    for item in _source_files(sources):
        if isinstance(item, Problem):
            yield item
            continue
        path, key = item
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(path, str(path))
        else:
            yield read_text_file(path, str(path), key)
