"""Plain data carried from the parsers to the index: articles, per-file problems and warnings,
and where each line of a scrape went."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


def article_id(key: str) -> str:
    """A stable id from a stable key (the file's path below its source folder, or a record
    id); a file name that is not UTF-8 keeps its bytes."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def web_link(url: str | None) -> str | None:
    """``url`` when a page may link to it (an ``http`` or ``https`` address), else None:
    a feed's ``javascript:`` or ``data:`` URL is kept in the index but never handed out."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


@dataclass(frozen=True)
class Caption:
    """A photo caption as printed under the picture, and the photo credit if any."""

    text: str
    credit: str | None = None


@dataclass(frozen=True)
class Article:
    """One parsed news article.

    Dates are plain calendar dates (``datetime.date``) as printed in the source:
    scrapes carry no time of day or time zone, so none is invented. ``id`` is
    stable across reindexes (see ``article_id``) and
    ``content_hash`` changes whenever any parsed field changes.
    """

    id: str
    title: str
    authors: tuple[str, ...] = ()
    published: date | None = None
    updated: date | None = None
    paragraphs: tuple[str, ...] = ()
    captions: tuple[Caption, ...] = ()
    bio: str = ""
    source: str = ""
    url: str | None = None
    dek: str = ""
    """The standfirst printed under the headline, if any."""
    content_hash: str = field(default="", compare=False)
    warnings: tuple[ParseWarning, ...] = field(default=(), compare=False)
    """What the parser had to guess or repair to read this article (not indexed)."""
    fingerprint: int = field(default=0, compare=False)
    """``fingerprint`` of the raw bytes it was read from (its file, or its feed line): an
    update passes over a source item whose fingerprint the index holds without parsing it."""

    def with_hash(self) -> Article:
        """Return a copy whose ``content_hash`` is computed from the parsed fields."""
        digest = hashlib.sha256()
        parts = [
            self.title,
            "\x1f".join(self.authors),
            self.published.isoformat() if self.published else "",
            self.updated.isoformat() if self.updated else "",
            "\x1e".join(self.paragraphs),
            "\x1e".join(f"{c.text}\x1f{c.credit or ''}" for c in self.captions),
            self.bio,
            self.url or "",
            self.dek,
        ]
        for part in parts:
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return Article(**{**self.__dict__, "content_hash": digest.hexdigest()[:16]})


@dataclass(frozen=True)
class Unchanged:
    """A source item (a scrape file or a feed line) whose raw bytes the index already holds:
    not parsed again."""

    fingerprint: int
    source: str


def fingerprint(raw: bytes) -> int:
    """A source item's 64-bit fingerprint (never 0, which stands for "unknown"); line
    endings do not count, so a feed's last line gaining its newline is no change."""
    digest = hashlib.blake2b(raw.rstrip(b"\r\n"), digest_size=8).digest()
    return int.from_bytes(digest, "little") or 1


@dataclass(frozen=True)
class Problem:
    """A piece of input that could not be indexed: which file (and line), and why."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ParseWarning:
    """An article was indexed, but part of it had to be guessed or repaired: where, and what."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


SECTIONS = ("headline", "dek", "byline", "date", "caption", "paragraph", "bio", "junk")
"""Where a line of a scrape can go: every non-blank line goes to exactly one."""


@dataclass(frozen=True)
class Line:
    """Where one non-blank line of a scrape went: its section, which paragraph or caption
    (1-based) it is part of, and a note (the junk's reason, "repeated", "joined")."""

    number: int
    text: str
    section: str
    index: int | None = None
    note: str = ""
