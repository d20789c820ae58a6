"""Building an index generation from article sources."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from index import generations
from index.articles import read_articles
from index.columns import write_columns
from index.impacts import FORMAT_VERSION, Bm25, write_impacts
from index.model import Article, ParseWarning, Problem
from index.schema import SECTION_SEPARATOR, build_schema
from index.validate import validate
from index.vocabulary import write_vocabulary

WRITER_MEMORY_MB = 128
"""Memory the Whoosh writer may use before it flushes a segment to disk."""


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
        "author": " ".join(article.authors),
        "body": SECTION_SEPARATOR.join(article.paragraphs),
        "captions": SECTION_SEPARATOR.join(caption.text for caption in article.captions),
        "credits": SECTION_SEPARATOR.join(caption.credit or "" for caption in article.captions),
        "bio": article.bio,
        "source": article.source,
        "url": article.url,
        "content_hash": article.content_hash,
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
) -> None:
    """Write every article of ``items`` into a new Whoosh index at ``path``.

    Problems (and articles whose id was already seen) are added to the report.
    """
    index = whoosh_index.create_in(str(path), build_schema())
    writer = index.writer(limitmb=WRITER_MEMORY_MB)
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
                    writer.add_document(**article_fields(item))
                    report.indexed += 1
                    report.warnings.extend(item.warnings)
            if isinstance(item, Problem):
                report.problems.append(item)
            if progress:
                progress(item)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def write_arrays(path: Path, indexed: int, bm25: Bm25 | None = None) -> dict[str, Any]:
    """Derive the search arrays from the committed Whoosh index at ``path``, after checking
    that it holds every article written; returns their manifest entry."""
    bm25 = bm25 or Bm25()
    with whoosh_index.open_dir(str(path)).reader() as reader:
        if reader.doc_count() != indexed:
            raise BuildFailed(
                f"validation failed: wrote {indexed}, index holds {reader.doc_count()}"
            )
        postings = write_impacts(reader, path, bm25)
        write_columns(reader, path)
        words = write_vocabulary(reader, path)
    return {
        "format_version": FORMAT_VERSION,
        "bm25": bm25.to_manifest(),
        "postings": postings,
        "vocabulary": words,
    }


def build_index(
    sources: Sequence[Path],
    index_root: Path,
    progress: ProgressCallback | None = None,
    force: bool = False,
    canaries: Sequence[str] = (),
) -> BuildReport:
    """Build a complete new generation from ``sources`` and switch to it atomically.

    The generation that was serving keeps serving until the new one is complete
    and validated (``index.validate``, unless ``force``); if nothing could be indexed,
    validation fails or anything else does, the new folder is removed and
    ``BuildFailed``/``ValidationFailed`` (or the original error) is raised.
    """
    report = BuildReport()
    started = time.perf_counter()
    with generations.reindex_lock(index_root):
        generations.remove_stale(index_root)  # what a killed build left, before building
        serving = generations.serving_generation(index_root)
        path = generations.new_generation_path(index_root)
        try:
            write_generation(read_articles(sources), path, report, progress)
            if report.indexed == 0:
                raise BuildFailed(
                    "nothing could be indexed from "
                    + ", ".join(str(source) for source in sources)
                    + f" ({len(report.problems)} problems)"
                )
            arrays = write_arrays(path, report.indexed)
            generations.write_manifest(path, report.indexed, arrays, sources)
            if not force:
                validate(path, report.indexed, len(report.problems), serving, canaries)
            generations.switch_to(index_root, path)
        except BaseException:
            generations.discard(path)
            raise
    report.generation = path.name
    report.seconds = time.perf_counter() - started
    return report
