"""Building an index generation from article sources."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import IndexReader

from index import generations, settings, stories
from index.articles import read_articles
from index.columns import Sources, column_file, write_columns
from index.completions import Completions
from index.generations import Generation
from index.impacts import (
    ARRAYS_DIR,
    FORMAT_VERSION,
    Bm25,
    FieldPostings,
    gathered_postings,
    impact_fields,
    reader_postings,
    write_impacts,
)
from index.model import Article, ParseWarning, Problem
from index.schema import SECTION_SEPARATOR, build_schema
from index.segments import FINGERPRINT_KEY, Segments, SegmentStats, WorkerFailed
from index.sources import file_of, source_bytes
from index.validate import validate
from index.vocabulary import (
    Counts,
    gathered_counts,
    reader_counts,
    spelling_fields,
    write_vocabulary,
)

INDEX_BYTES_PER_SOURCE_BYTE = 5
"""About how many bytes of index a byte of source text makes (4.8 measured at 10k)."""
BUILD_SPACE_FACTOR = 1.5
"""A build also writes its sorted posting runs before the segments (then removes them)."""


def build_space(sources: Sequence[Path], serving: Generation | None) -> int:
    """About the free disk space a build of ``sources`` needs while it runs: half as much
    again as the index it should make, estimated from the sources' size or, when larger
    (small archives have a fixed overhead), the size of the generation serving now."""
    estimate = source_bytes(sources) * INDEX_BYTES_PER_SOURCE_BYTE
    if serving is not None:
        estimate = max(estimate, sum(serving.sizes.values()))
    return int(estimate * BUILD_SPACE_FACTOR)


def build_workers(sources: Sequence[Path], configured: Mapping[str, Any]) -> int:
    """How many worker processes a build of ``sources`` uses: ``BUILD_WORKERS``, by default
    one per usable core; 1 (this process) for sources under ``PARALLEL_MIN_MB``."""
    if source_bytes(sources) < float(configured["PARALLEL_MIN_MB"]) * 2**20:
        return 1
    if int(configured["BUILD_WORKERS"]) > 0:
        return int(configured["BUILD_WORKERS"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


class BuildFailed(Exception):
    """Nothing could be indexed, or the new generation failed validation; the old one serves."""


@dataclass
class BuildReport:
    """What a build did: counts, problems with their reasons, warnings, and timing."""

    indexed: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    """What was guessed or repaired in articles that were indexed (see ``Article.warnings``)."""
    seconds: float = 0.0
    generation: str = ""

    @property
    def articles_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[Article | Problem], None]


def _as_datetime(value: Any) -> datetime | None:
    return datetime(value.year, value.month, value.day) if value else None


def article_fields(article: Article) -> dict[str, Any]:
    """The Whoosh document for an article: one field per section, sections one per line."""
    published = article.published
    document: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "dek": article.dek,
        "authors": ",".join(name.replace(",", " ") for name in article.authors),
        "author": SECTION_SEPARATOR.join(article.authors),
        "body": SECTION_SEPARATOR.join(article.paragraphs),
        "captions": SECTION_SEPARATOR.join(caption.text for caption in article.captions),
        "credits": SECTION_SEPARATOR.join(caption.credit or "" for caption in article.captions),
        "bio": article.bio,
        "source": article.source,
        "url": article.url,
        "content_hash": article.content_hash,
        FINGERPRINT_KEY: article.fingerprint,
    }
    if published:
        document["published"] = _as_datetime(published)
        document["year"] = f"{published.year:04d}"
        document["month"] = f"{published.year:04d}-{published.month:02d}"
    if article.updated:
        document["updated"] = _as_datetime(article.updated)
    return {name: value for name, value in document.items() if value not in (None, "")}


def write_generation(
    items: Iterable[Article | Problem],
    path: Path,
    report: BuildReport,
    progress: ProgressCallback | None = None,
    workers: int = 1,
    memory_mb: int = int(settings.DEFAULTS["WRITER_MEMORY_MB"]),
) -> list[SegmentStats]:
    """Write every article of ``items`` into a new Whoosh index at ``path`` (``workers``
    processes, each writing a segment); returns what the indexing gathered per segment.

    Problems (and articles whose id was already seen) are added to the report.
    """
    whoosh_index.create_in(str(path), build_schema())
    segments = Segments(path, workers, memory_mb)
    seen: dict[str, str] = {}
    try:
        for item in items:
            if isinstance(item, Article):
                if item.id in seen:
                    item = Problem(
                        item.source,
                        f"duplicate article id {item.id} (first seen in {seen[item.id]})",
                    )
                else:
                    seen[item.id] = item.source
                    segments.add(article_fields(item))
                    report.indexed += 1
                    report.warnings.extend(item.warnings)
            if isinstance(item, Problem):
                report.problems.append(item)
            if progress:
                progress(item)
        return segments.commit()
    except WorkerFailed as error:
        segments.cancel()
        if error.errno is not None:
            raise OSError(error.errno, os.strerror(error.errno), str(path)) from error
        raise BuildFailed(str(error)) from error
    except BaseException:
        segments.cancel()
        raise


class TermStatistics(Protocol):
    """Where a generation's term statistics come from (its arrays are computed from them)."""

    def fields(self, reader: IndexReader) -> Iterator[tuple[str, FieldPostings]]:
        """Each scorable field's postings, one field at a time (so one is in memory)."""
        ...

    def counts(self, reader: IndexReader) -> Counts:
        """The spelling words' article counts."""
        ...

    def sources(self, reader: IndexReader) -> Sources:
        """Each document's source fingerprint and file."""
        ...

    def completions(self, reader: IndexReader) -> Completions | None:
        """Word pairs and written forms for autocomplete; None when unknown."""
        ...

    def signatures(self, reader: IndexReader) -> tuple[np.ndarray, np.ndarray]:
        """Each document's body signature and word count (``index.stories``)."""
        ...


@dataclass(frozen=True)
class Gathered:
    """What a build's indexing gathered, segment by segment."""

    segments: Sequence[SegmentStats]

    def fields(self, reader: IndexReader) -> Iterator[tuple[str, FieldPostings]]:
        return ((name, gathered_postings(self.segments, name)) for name in impact_fields(reader))

    def counts(self, reader: IndexReader) -> Counts:
        return gathered_counts(self.segments)

    def sources(self, reader: IndexReader) -> Sources:
        return gathered_sources(self.segments)

    def completions(self, reader: IndexReader) -> Completions | None:
        return Completions.total(segment.completions for segment in self.segments)

    def signatures(self, reader: IndexReader) -> tuple[np.ndarray, np.ndarray]:
        return gathered_signatures(self.segments)


class FromIndex:
    """Read back from the committed Whoosh index (slow: every posting in Python)."""

    def fields(self, reader: IndexReader) -> Iterator[tuple[str, FieldPostings]]:
        return ((name, reader_postings(reader, name)) for name in impact_fields(reader))

    def counts(self, reader: IndexReader) -> Counts:
        return reader_counts(reader)

    def sources(self, reader: IndexReader) -> Sources:
        """Files from the stored fields; the fingerprints are not in the index (unknown:
        the next update parses every item once and records them)."""
        files = [""] * reader.doc_count_all()
        for docnum, stored in reader.iter_docs():
            files[docnum] = file_of(stored.get("source", ""))
        return Sources.of(np.zeros(len(files), dtype=np.uint64), files)

    def completions(self, reader: IndexReader) -> Completions | None:
        """Not in the index (autocomplete then completes single words)."""
        return None

    def signatures(self, reader: IndexReader) -> tuple[np.ndarray, np.ndarray]:
        """Computed again from the stored bodies (a deleted document's is empty)."""
        bodies = [""] * reader.doc_count_all()
        for docnum, stored in reader.iter_docs():
            bodies[docnum] = stored.get("body", "")
        return stories.signed(bodies)


def gathered_sources(segments: Sequence[SegmentStats]) -> Sources:
    """The source columns of documents gathered segment by segment."""
    fingerprints = np.concatenate(
        [np.frombuffer(s.fingerprints, dtype=np.uint64) for s in segments]
        or [np.zeros(0, dtype=np.uint64)]
    )
    return Sources.of(fingerprints, [file for s in segments for file in s.files])


def gathered_signatures(segments: Sequence[SegmentStats]) -> tuple[np.ndarray, np.ndarray]:
    """The body signatures and word counts of documents gathered segment by segment."""
    rows = np.frombuffer(b"".join(s.signatures for s in segments), dtype=np.uint32)
    words = np.concatenate([np.frombuffer(s.story_words, dtype=np.int32) for s in segments])
    return rows.reshape(-1, stories.PERMUTATIONS), words.astype(np.int32)


def story_threshold(configured: Mapping[str, Any]) -> float:
    """The ``STORY_THRESHOLD`` setting, checked: a similarity above 0, at most 1."""
    value = configured.get("STORY_THRESHOLD", stories.DEFAULT_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise BuildFailed(f"STORY_THRESHOLD must be a number above 0 and at most 1, got {value!r}")
    return float(value)


def write_stories(
    reader: IndexReader, path: Path, statistics: TermStatistics, threshold: float
) -> dict[str, Any]:
    """Group the live articles' stories (``index.stories``) and store them with ``path``."""
    signatures, words = statistics.signatures(reader)
    published = np.load(column_file(path, "published"), allow_pickle=False)
    live = np.load(column_file(path, "live"), allow_pickle=False)
    found = stories.group(signatures, words, published, live, threshold)
    written = stories.write(path / ARRAYS_DIR, signatures, words, found)
    return {"threshold": threshold, **written}


def write_arrays(
    path: Path,
    indexed: int,
    statistics: TermStatistics | None = None,
    threshold: float = stories.DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """Derive the search arrays of the committed Whoosh index at ``path`` from
    ``statistics`` (by default read from the index itself), after checking that it holds
    every article written, with its stories grouped at ``threshold``; returns their
    manifest entry."""
    bm25 = Bm25()
    statistics = statistics or FromIndex()
    with whoosh_index.open_dir(str(path)).reader() as reader:
        if reader.doc_count() != indexed:
            raise BuildFailed(
                f"validation failed: wrote {indexed}, index holds {reader.doc_count()}"
            )
        postings, total_lengths = write_impacts(statistics.fields(reader), path, bm25)
        write_columns(reader, path)
        words = write_vocabulary(statistics.counts(reader), spelling_fields(reader), path)
        statistics.sources(reader).write(path)
        completions = statistics.completions(reader)
        pairs = completions.write(path / ARRAYS_DIR) if completions else 0
        grouped = write_stories(reader, path, statistics, threshold)
    return {
        "format_version": FORMAT_VERSION,
        "bm25": bm25.to_manifest(),
        "postings": postings,
        "total_lengths": total_lengths,
        "vocabulary": words,
        "pairs": pairs,
        "stories": grouped,
    }


def build_index(
    sources: Sequence[Path],
    index_root: Path,
    progress: ProgressCallback | None = None,
    force: bool = False,
    canaries: Sequence[str] = (),
    workers: int | None = None,
) -> BuildReport:
    """Build a complete new generation from ``sources`` and switch to it atomically.

    The generation that was serving keeps serving until the new one is complete
    and validated (``index.validate``, unless ``force``); if nothing could be indexed,
    validation fails or anything else does, the new folder is removed and
    ``BuildFailed``/``ValidationFailed``/``generations.NoSpace`` (or the original
    error) is raised. ``workers`` processes write the segments (default: ``build_workers``).
    """
    report = BuildReport()
    started = time.perf_counter()
    with generations.reindex_lock(index_root):
        generations.remove_stale(index_root)  # what a killed build left, before building
        serving = generations.serving_generation(index_root)
        if not force:
            generations.require_space(index_root, build_space(sources, serving))
        path = generations.new_generation_path(index_root)
        with generations.discarded_on_failure(path):
            configured = settings.load()
            workers = workers or build_workers(sources, configured)
            memory = int(configured["WRITER_MEMORY_MB"])
            threshold = story_threshold(configured)
            items = read_articles(sources)
            gathered = write_generation(items, path, report, progress, workers, memory)
            if report.indexed == 0:
                problems = len(report.problems)
                raise BuildFailed(
                    "nothing could be indexed from "
                    + ", ".join(str(source) for source in sources)
                    + f" ({problems} {'problem' if problems == 1 else 'problems'})"
                )
            arrays = write_arrays(path, report.indexed, Gathered(gathered), threshold)
            generations.write_manifest(path, report.indexed, arrays, sources)
            if not force:
                validate(path, report.indexed, len(report.problems), serving, canaries)
            generations.switch_to(index_root, path)
    report.generation = path.name
    report.seconds = time.perf_counter() - started
    return report
