"""Reading articles: plain-text news scrapes and JSON Lines records (the entry point).

``read_articles`` yields ``Article`` values and ``Problem`` values; a bad file or a
bad line is reported as a ``Problem`` and never stops the run. What had to be guessed
or repaired in an article that was read travels with it (``Article.warnings``).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from index.decoding import decode
from index.jsonl import MAX_RECORD_BYTES, read_jsonl
from index.model import Article, Problem, Unchanged, article_id, fingerprint
from index.scrape import Reading, parse_text
from index.sources import SourceFile, source_files

__all__ = [
    "MAX_FILE_BYTES",
    "article_id",
    "expected_items",
    "read_articles",
    "read_file",
    "read_scrape",
]

MAX_FILE_BYTES = MAX_RECORD_BYTES
"""Larger scrape files (and larger JSON Lines records) are reported and skipped: no news
article is that long. A JSON Lines feed itself may be of any size."""


def _read_bytes(file: SourceFile) -> bytes:
    size = file.path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)"
        )
    raw = file.path.read_bytes()
    if not raw.strip():
        raise ValueError("empty file")
    return raw


def read_scrape(file: SourceFile, raw: bytes | None = None) -> Reading:
    """Read one plain-text scrape file (or its ``raw`` bytes, already read), keeping where
    each line went (``manage.py parse``)."""
    try:
        decoded = decode(raw if raw is not None else _read_bytes(file))
    except OSError as error:
        return Reading(None, Problem(file.display, f"cannot read: {error.strerror or error}"))
    except ValueError as error:
        return Reading(None, Problem(file.display, str(error)))
    notes = decoded.notes()
    if file.odd_name:
        notes.insert(0, (None, "file name is not UTF-8; its bad bytes are shown escaped"))
    try:
        return parse_text(decoded.text, file.display, file.key, notes)
    except Exception as error:  # a parser bug must not stop the reindex: report it
        reason = f"could not read ({type(error).__name__}: {error})"
        return Reading(None, Problem(file.display, reason))


def read_file(path: Path) -> list[Reading]:
    """How one file is read (``manage.py parse``): a scrape's reading with its line map, or
    one reading per record of a feed; a file that cannot be read gives its problem."""
    readings = []
    for item in source_files([path]):
        if isinstance(item, Problem):
            readings.append(Reading(None, item))
        elif item.is_feed:
            readings += [
                Reading(record) if isinstance(record, Article) else Reading(None, record)
                for record in read_jsonl(item)
                if not isinstance(record, Unchanged)  # nothing is known
            ]
        else:
            readings.append(read_scrape(item))
    return readings


def _read_text_file(file: SourceFile, known: Container[int]) -> Article | Problem | Unchanged:
    try:
        raw = _read_bytes(file)
    except (OSError, ValueError):
        raw = None  # read_scrape reports it
    digest = fingerprint(raw) if raw is not None else 0
    if digest in known:
        return Unchanged(digest, file.display)
    reading = read_scrape(file, raw)
    if reading.article:
        return replace(reading.article, fingerprint=digest)
    return reading.problem or Problem(file.display, "nothing read")


def read_articles(sources: Iterable[Path]) -> Iterator[Article | Problem]:
    """Read every article under the given files and folders, in a stable order.

    Folders are searched recursively for ``.txt`` scrapes and ``.jsonl``/``.ndjson`` feeds.
    A scrape's id derives from its path below the folder it was found in (or from the file
    name when a file is given directly), a record's from its ``id``: the same on every
    reindex of the same archive.
    """
    for item in read_changes(sources, frozenset()):
        assert not isinstance(item, Unchanged)  # nothing is known
        yield item


def read_changes(
    sources: Iterable[Path], known: Container[int]
) -> Iterator[Article | Problem | Unchanged]:
    """``read_articles``, except that a file or feed line whose ``fingerprint`` is ``known``
    is not parsed: it gives an ``Unchanged``."""
    for item in source_files(sources):
        if isinstance(item, Problem):
            yield item
        elif item.is_feed:
            yield from read_jsonl(item, known)
        else:
            yield _read_text_file(item, known)


def expected_items(sources: Iterable[Path]) -> int:
    """About how many articles and problems ``read_articles`` will yield (for a progress bar):
    one per scrape file, one per line of a JSON Lines feed (counted without parsing)."""
    total = 0
    for item in source_files(sources):
        if isinstance(item, Problem) or not item.is_feed:
            total += 1
            continue
        try:
            with item.path.open("rb") as handle:
                total += sum(
                    chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")
                )
        except OSError:
            total += 1
    return total
