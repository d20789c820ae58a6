"""Incremental changes to the index: ``update`` (new, changed and gone articles) and
``delete``, each written as a new generation, copy-on-write.

The current generation's Whoosh segments are copied into a new generation folder, the
changes are applied there by Whoosh's writer (deleting by id, adding the new versions),
and the search arrays are derived again from the result, so they always match its
segments and document numbers. The new generation is switched to like a full build's;
the current one serves untouched until then. When nothing changed, nothing is written.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.writing import IndexWriter

from index import generations, settings, stories
from index.articles import read_changes
from index.build import (
    BuildFailed,
    FromIndex,
    ProgressCallback,
    TermStatistics,
    article_fields,
    gathered_signatures,
    gathered_sources,
    story_threshold,
    write_arrays,
)
from index.columns import Sources, live_documents
from index.completions import Completions
from index.generations import Generation
from index.impacts import (
    ARRAYS_DIR,
    STAT_PARTS,
    FieldPostings,
    gathered_postings,
    impact_fields,
    stored_postings,
    updated_postings,
)
from index.model import Article, ParseWarning, Problem, Unchanged
from index.segments import Gathering, SegmentStats
from index.sources import file_of
from index.validate import validate
from index.vocabulary import Counts, added_counts, gathered_counts, stored_counts


@dataclass
class UpdateReport:
    """What an update or delete did, article by article."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    """Ids asked to be deleted that the index does not hold."""
    articles: int = 0
    """Articles in the index afterwards."""
    generation: str = ""
    """The new generation, or empty when nothing changed (no generation was written)."""
    seconds: float = 0.0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Edit:
    """The changes of one update, applied to the new generation's Whoosh writer; added
    articles are analysed once and their term statistics kept for the arrays. ``known``
    maps the fingerprint of each live article's source item to its document number."""

    def __init__(self, writer: IndexWriter, searcher: WhooshSearcher, current: Generation) -> None:
        self.writer = writer
        self.searcher = searcher
        self.gathering = Gathering(searcher.schema)
        reader = searcher.reader()
        self.sources = Sources.read(current.path) or FromIndex().sources(reader)
        self.live = live_documents(reader)
        fingerprinted = (self.sources.fingerprints != 0) & self.live
        self.known = dict(
            zip(
                self.sources.fingerprints[fingerprinted].tolist(),
                np.flatnonzero(fingerprinted).tolist(),
                strict=True,
            )
        )

    def add(self, article: Article) -> None:
        self.writer.add_document(**self.gathering.prepare(article_fields(article)))

    def delete(self, docnum: int) -> None:
        self.writer.delete_document(docnum)


Changes = Callable[[Edit, UpdateReport], None]


def update_index(
    sources: Sequence[Path],
    index_root: Path,
    progress: ProgressCallback | None = None,
    force: bool = False,
    canaries: Sequence[str] = (),
) -> UpdateReport:
    """Index what is new or changed in ``sources`` (by content hash) and remove the
    articles whose source file under ``sources`` is gone; the rest is left as it is.

    Without ``sources``, the sources the current generation was built from. Article ids
    derive from the path below the folder given, so give the folders ``reindex`` had.
    """

    recorded = generations.current_generation(index_root).sources
    chosen = list(sources) or [Path(source) for source in recorded]
    if not chosen:
        raise BuildFailed(
            "the serving generation does not record its sources; "
            "name the files and folders `reindex` was given"
        )

    _refuse_inner_folders(chosen, recorded)

    def changes(edit: Edit, report: UpdateReport) -> None:
        held = _apply_articles(read_changes(chosen, edit.known), edit, report, progress)
        under = np.array([_under(file, chosen) for file in edit.sources.files] + [False])
        gone = edit.live & ~held & under[edit.sources.codes]  # code -1: the last, False
        for docnum in np.flatnonzero(gone).tolist():
            edit.delete(docnum)
            report.removed += 1

    return _copy_on_write(index_root, changes, chosen, Checks(force, canaries))


def _refuse_inner_folders(sources: Sequence[Path], recorded: Sequence[str]) -> None:
    """A folder inside one the index was built from would give its articles other ids
    (ids derive from the path below the folder given) and replace them all."""
    for source in sources:
        inner = Path(source).resolve()
        for folder in map(Path, recorded):
            if inner != folder and inner.is_relative_to(folder):
                raise BuildFailed(
                    f"{source} lies inside {folder}, which the index was built from; article "
                    f"ids are relative to {folder}, so update {folder} (or give no sources)"
                )


def delete_articles(ids: Iterable[str], index_root: Path, force: bool = False) -> UpdateReport:
    """Remove the articles with these ids (unknown ids are reported, not an error)."""

    def changes(edit: Edit, report: UpdateReport) -> None:
        for article_id in dict.fromkeys(ids):
            docnum = edit.searcher.document_number(id=article_id)
            if docnum is None:
                report.unknown.append(article_id)
            else:
                edit.delete(docnum)
                report.removed += 1

    return _copy_on_write(index_root, changes, None, Checks(force))


def _apply_articles(
    items: Iterable[Article | Problem | Unchanged],
    edit: Edit,
    report: UpdateReport,
    progress: ProgressCallback | None,
) -> np.ndarray:
    """Add new articles, replace changed ones; returns which documents the sources still
    hold (an article whose file now fails to parse keeps its indexed version)."""
    held = np.zeros(len(edit.live), dtype=bool)
    seen: dict[str, str] = {}
    failed_files: set[str] = set()
    for item in items:
        if isinstance(item, Article) and item.id in seen:
            item = Problem(
                item.source, f"duplicate article id {item.id} (first in {seen[item.id]})"
            )
        if isinstance(item, Unchanged):
            held[edit.known[item.fingerprint]] = True
            report.unchanged += 1
        elif isinstance(item, Article):
            seen[item.id] = item.source
            docnum = _apply_article(item, edit, report)
            if docnum is not None:
                held[docnum] = True
        else:
            report.problems.append(item)
            failed_files.add(file_of(item.source))
        if progress and not isinstance(item, Unchanged):
            progress(item)
    failed = [code for code, file in enumerate(edit.sources.files) if file in failed_files]
    return held | np.isin(edit.sources.codes, failed)


def _apply_article(article: Article, edit: Edit, report: UpdateReport) -> int | None:
    """Add or replace ``article``; returns the document number of its indexed version."""
    docnum = edit.searcher.document_number(id=article.id)
    if docnum is not None:
        stored = edit.searcher.reader().stored_fields(docnum)
        if stored.get("content_hash") == article.content_hash:
            report.unchanged += 1
            return docnum
        edit.delete(docnum)
        report.changed += 1
    else:
        report.added += 1
    edit.add(article)
    report.warnings.extend(article.warnings)
    return docnum


def _under(source: str, sources: Sequence[Path]) -> bool:
    """Whether an article's source file lies in one of the given files or folders."""
    if not source:
        return False
    path = Path(file_of(source)).resolve()
    return any(path.is_relative_to(Path(given).resolve()) for given in sources)


@dataclass(frozen=True)
class Checks:
    """How the new generation is validated before the switch (``index.validate``)."""

    force: bool = False
    canaries: Sequence[str] = ()


def _copy_on_write(
    index_root: Path, changes: Changes, sources: Sequence[Path] | None, checks: Checks
) -> UpdateReport:
    """Apply ``changes`` to a copy of the current generation and switch to it (recording
    ``sources``, or the current generation's when None)."""
    report = UpdateReport()
    started = time.perf_counter()
    with generations.reindex_lock(index_root):
        generations.remove_stale(index_root)
        current = generations.current_generation(index_root)
        generations.quick_check(index_root, current)  # never copy a damaged generation
        if not checks.force:
            generations.require_space(index_root, update_space(current))
        path = generations.new_generation_path(index_root)
        with generations.discarded_on_failure(path):
            _copy_segments(current, path)
            recorded = sources if sources is not None else [Path(s) for s in current.sources]
            _write_changes(current, path, changes, report, recorded, checks)
        if not report.touched:
            generations.discard(path)
    report.seconds = time.perf_counter() - started
    return report


UPDATE_SPACE_FACTOR = 1.25
"""An update copies the serving generation, then writes the changed articles and arrays."""


def update_space(current: Generation) -> int:
    """About the free disk space an update of ``current`` needs while it runs."""
    return int(sum(current.sizes.values()) * UPDATE_SPACE_FACTOR)


MERGE_AT_SEGMENTS = 12
"""An update adds a segment and keeps the others' document numbers, so the arrays are
updated rather than derived again; once a generation has this many segments, the update
lets Whoosh merge them and derives the arrays from the merged index (slower, rarer)."""


def _commit(writer: IndexWriter, segments: int, current: Generation, edit: Edit) -> TermStatistics:
    """Commit the changes; the term statistics of the result (read back when merged)."""
    if segments + 1 >= MERGE_AT_SEGMENTS or not _has_statistics(current):
        writer.commit()
        return Merged(current, edit.gathering.stats)
    writer.commit(merge=False)
    return Updated(current, edit.gathering.stats)


def _has_statistics(generation: Generation) -> bool:
    return "total_lengths" in generation.arrays and all(
        f"arrays/{name}.{part}.npy" in generation.sizes
        for name in generation.arrays["total_lengths"]
        for part in STAT_PARTS
    )


@dataclass(frozen=True)
class Updated:
    """An update's term statistics: the current generation's stored ones, without the
    postings of deleted articles, and the added articles' (in a segment after the rest)."""

    current: Generation
    added: SegmentStats

    def fields(self, reader: IndexReader) -> Iterator[tuple[str, FieldPostings]]:
        live = live_documents(reader)
        total_lengths = self.current.arrays["total_lengths"]
        base = len(np.load(self.current.path / "arrays" / "live.npy", allow_pickle=False))
        for name in impact_fields(reader):
            stored = stored_postings(self.current.path, name, float(total_lengths[name]))
            added = gathered_postings([self.added], name, offset=base)
            yield name, updated_postings(stored, live, added)

    def counts(self, reader: IndexReader) -> Counts:
        return added_counts(stored_counts(self.current.path), gathered_counts([self.added]))

    def completions(self, reader: IndexReader) -> Completions | None:
        return _kept_completions(self.current, self.added)

    def signatures(self, reader: IndexReader) -> tuple[np.ndarray, np.ndarray]:
        """The current generation's signatures (computed again where it has none) and the
        added articles', a deleted article's blank (as read back from the index)."""
        before = stories.read_signatures(self.current.path / ARRAYS_DIR)
        if before is None:
            return FromIndex().signatures(reader)
        added = gathered_signatures([self.added])
        signatures = np.concatenate([before[0], added[0]])
        words = np.concatenate([before[1], added[1]])
        deleted = ~live_documents(reader)
        signatures[deleted], words[deleted] = stories.UNSIGNED, 0
        return signatures, words

    def sources(self, reader: IndexReader) -> Sources:
        before = Sources.read(self.current.path) or FromIndex().sources(reader)
        added = gathered_sources([self.added])
        fingerprints = np.concatenate([before.fingerprints, added.fingerprints])
        files = before.file_per_document() + added.file_per_document()
        deleted = np.flatnonzero(~live_documents(reader))
        fingerprints[deleted] = 0
        for docnum in deleted.tolist():
            files[docnum] = ""
        return Sources.of(fingerprints, files)


@dataclass(frozen=True)
class Merged(FromIndex):
    """A merging update's statistics: read back from the merged index, but for the
    autocomplete pairs, kept from the current generation with the added articles'."""

    current: Generation
    added: SegmentStats

    def completions(self, reader: IndexReader) -> Completions | None:
        return _kept_completions(self.current, self.added)


def _kept_completions(current: Generation, added: SegmentStats) -> Completions | None:
    """The current generation's completions with the added articles' counted in; those of
    the articles an update removes stay counted (as the vocabulary's do) until a reindex."""
    before = Completions.read(current.path / ARRAYS_DIR)
    return Completions.total([before, added.completions]) if before else None


def _copy_segments(current: Generation, path: Path) -> None:
    """The Whoosh files of ``current`` into the empty folder ``path`` (not the derived
    arrays' folder or the manifest: they are written again for the new segments)."""
    for file in current.path.iterdir():
        if file.is_file() and file.name != generations.MANIFEST_FILE:
            shutil.copy2(file, path / file.name)


def _write_changes(
    current: Generation,
    path: Path,
    changes: Changes,
    report: UpdateReport,
    sources: Sequence[Path],
    checks: Checks,
) -> None:
    configured = settings.load()
    threshold = story_threshold(configured)
    index = whoosh_index.open_dir(str(path))
    writer = index.writer(limitmb=int(configured["WRITER_MEMORY_MB"]))
    try:
        with index.searcher() as searcher:
            edit = Edit(writer, searcher, current)
            changes(edit, report)
            segments = len(list(searcher.reader().leaf_readers()))
    except BaseException:
        writer.cancel()
        raise
    if not report.touched:
        writer.cancel()
        report.articles = current.article_count
        return
    report.articles = current.article_count + report.added - report.removed
    statistics = _commit(writer, segments, current, edit)
    arrays = write_arrays(path, report.articles, statistics, threshold)
    generations.write_manifest(path, report.articles, arrays, sources, copied_from=current)
    if not checks.force:
        validate(path, report.articles, len(report.problems), current, checks.canaries)
    generations.switch_to(path.parent, path)
    report.generation = path.name
