"""Plain data carried from the parsers to the index: articles and per-file problems."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


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
    stable across reindexes (see ``index.articles.article_id``) and
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
class Problem:
    """A piece of input that could not be indexed: which file (and line), and why."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"
