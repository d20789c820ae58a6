"""Checks and figures of the serving generation: ``manage.py check`` and ``manage.py stats``.

The check opens the generation as a search would and verifies what a damaged or stale
one would get wrong: its counts, its derived arrays against the Whoosh postings, a
canary query, and a sample of stored articles against their source files re-parsed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from whoosh import query as wq

from index import generations
from index.articles import read_file
from index.columns import EPOCH_ORDINAL, NO_DAY
from index.generations import Generation, IndexUnavailable
from index.sources import file_of
from search.engine import Opened

SAMPLE_ARTICLES = 20
"""Stored articles compared with their source files."""
SAMPLE_TERMS = 50
"""Body terms whose derived column is compared with Whoosh's postings."""


@dataclass(frozen=True)
class Finding:
    """One thing checked: whether it held, and what was seen."""

    passed: bool
    what: str
    detail: str


@dataclass
class CheckReport:
    generation: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(finding.passed for finding in self.findings)

    def add(self, passed: bool, what: str, detail: str) -> None:
        self.findings.append(Finding(passed, what, detail))


def check_index(root: Path, sample: int = SAMPLE_ARTICLES) -> CheckReport:
    """Verify the serving generation of ``root``; never raises for a damaged one."""
    try:
        generation = generations.current_generation(root)
    except IndexUnavailable as error:
        report = CheckReport("")
        report.add(False, "generation", str(error))
        return report
    report = CheckReport(generation.name)
    _check_files(generation, report)
    try:
        opened = Opened.of(generation)
    except IndexUnavailable as error:
        report.add(False, "opens", str(error))
        return report
    report.add(True, "opens", f"{generation.path}, schema version {generation.schema_version}")
    try:
        _check_counts(opened, report)
        _check_columns(opened, report)
        _check_canary(opened, report)
        _check_sources(opened, report, sample)
    except Exception as error:  # damage surfaces as any error of Whoosh's or numpy's readers
        report.add(
            False, "reads", f"reading the generation failed: {type(error).__name__}: {error}"
        )
    finally:
        opened.searcher.close()
    return report


def _check_files(generation: Generation, report: CheckReport) -> None:
    """Every file as it was written: none missing, truncated or overwritten."""
    if not generation.files:
        report.add(False, "files", "the manifest lists no file digests (built by an older Scoop)")
        return
    found = generations.file_digests(generation.path)
    damaged = sorted(name for name, digest in generation.files.items() if found.get(name) != digest)
    detail = f"{len(generation.files)} files compared with their SHA-256 at build time"
    report.add(
        not damaged, "files", detail + (f"; damaged or missing: {damaged[:5]}" if damaged else "")
    )


def _check_counts(opened: Opened, report: CheckReport) -> None:
    reader = opened.searcher.reader()
    counts = {
        "manifest": opened.generation.article_count,
        "Whoosh": reader.doc_count(),
        "live column": int(np.count_nonzero(opened.columns.live)),
    }
    same = len(set(counts.values())) == 1 and opened.columns.doc_count == reader.doc_count_all()
    report.add(same, "article count", ", ".join(f"{k} {v}" for k, v in counts.items()))


def _check_columns(opened: Opened, report: CheckReport) -> None:
    """A spread of body terms: the derived column holds exactly Whoosh's live postings."""
    reader = opened.searcher.reader()
    terms = list(reader.lexicon("body"))
    step = max(1, len(terms) // SAMPLE_TERMS)
    wrong = []
    for term in terms[::step][:SAMPLE_TERMS]:
        column = opened.impacts.column("body", term)
        derived = [] if column is None else column[0].tolist()
        postings = list(reader.postings("body", term).all_ids())
        if derived != postings:
            wrong.append(term.decode("utf-8", "replace"))
    checked = len(terms[::step][:SAMPLE_TERMS])
    detail = f"{checked} body terms compared with Whoosh's postings"
    report.add(not wrong, "derived arrays", detail + (f"; differ: {wrong[:5]}" if wrong else ""))


def _check_canary(opened: Opened, report: CheckReport) -> None:
    """The headline word in most articles finds articles through the arrays."""
    reader = opened.searcher.reader()
    best = max(reader.iter_field("title"), key=lambda item: item[1].doc_frequency(), default=None)
    if best is None:
        report.add(False, "canary query", "no headline words at all")
        return
    word = best[0].decode("utf-8")
    found = opened.evaluator().match(wq.Term("title", word)).count
    report.add(found > 0, "canary query", f"title:{word} finds {found} articles")


def _check_sources(opened: Opened, report: CheckReport, sample: int) -> None:
    """A spread of stored articles, re-parsed from their source files, hash for hash."""
    reader = opened.searcher.reader()
    docnums = list(reader.all_doc_ids())
    chosen = docnums[:: max(1, len(docnums) // max(sample, 1))][:sample]
    by_file: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for docnum in chosen:
        stored = reader.stored_fields(docnum)
        file = file_of(stored.get("source", ""))
        by_file[file].append((stored["id"], stored.get("content_hash", "")))
    differ, gone = [], []
    for file, articles in by_file.items():
        if not Path(file).is_file():
            gone += [article_id for article_id, _ in articles]
            continue
        hashes = {r.article.id: r.article.content_hash for r in read_file(Path(file)) if r.article}
        differ += [aid for aid, stored in articles if hashes.get(aid) not in (stored, None)]
    detail = f"{len(chosen)} stored articles re-parsed from {len(by_file)} files"
    if gone:
        detail += f"; {len(gone)} sources gone (run `manage.py update` to remove them)"
    if differ:
        detail += f"; changed since indexing: {differ[:5]} (run `manage.py update`)"
    report.add(not differ, "stored articles", detail)


@dataclass(frozen=True)
class Stats:
    """What ``manage.py stats`` prints."""

    generation: str
    articles: int
    bytes_on_disk: int
    terms: int
    oldest: date | None
    newest: date | None
    created: str
    previous: str | None
    stories: int = 0
    """Story groups (articles nearly the same as another), and the articles in them."""
    grouped: int = 0


def index_stats(root: Path) -> Stats:
    """Figures of the serving generation (raises ``IndexUnavailable`` without one)."""
    generation = generations.current_generation(root)
    opened = Opened.of(generation)
    try:
        reader = opened.searcher.reader()
        terms = sum(1 for name in reader.indexed_field_names() for _ in reader.lexicon(name))
        days = np.asarray(opened.columns.days["published"])[np.asarray(opened.columns.live)]
        dated = days[days != NO_DAY]
        return Stats(
            generation=generation.name,
            articles=generation.article_count,
            bytes_on_disk=_size(generation),
            terms=terms,
            oldest=_day(int(dated.min())) if dated.size else None,
            newest=_day(int(dated.max())) if dated.size else None,
            created=generation.created,
            previous=generations.previous_name(root),
            stories=opened.stories.stories.count,
            grouped=len(opened.stories.stories.members),
        )
    finally:
        opened.searcher.close()


def _size(generation: Generation) -> int:
    return sum(path.stat().st_size for path in generation.path.rglob("*") if path.is_file())


def _day(number: int) -> date:
    return date.fromordinal(EPOCH_ORDINAL) + timedelta(days=number)
