"""Relevance side by side: Scoop and its peers on each IR test collection, one table each.

    python -m bench.relevance                                  # 4 collections, every engine
    python -m bench.relevance --out bench/results/relevance    # also writes .md and .json
    python -m bench.relevance --collections cran,cisi --engines scoop --set K1=1.5

Every engine indexes one collection at a time (title and text of each document) and
answers each judged query, as typed (CISI's: title and text), to depth 1000. Scoop runs
through the code of ``manage.py eval`` (``search.evaluation``: the real pipeline, the
page's ranking); the peers are ``bench.engines``: SQLite FTS5, tantivy, textbook Whoosh,
rank_bm25 and bm25s, each with the words ORed. All are measured by the same call
(``search.evaluation.measure``, ir-measures). ``--set`` overrides one of Scoop's ranking
settings for this run (see ``SETTINGS``), so settings can be tuned on some collections
and confirmed on the others.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import ADI, COLLECTIONS, Collection, data_root
from bench.engines import (
    Bm25sEngine,
    Engine,
    RankBm25Engine,
    SqliteEngine,
    TantivyEngine,
    WhooshTextbookEngine,
)
from index.smart import Record, index_names, plain_id, read_records, write_feed
from search.evaluation import DEPTH, MEASURES, Question, evaluate, measure, questions_of
from search.judgements import Grades, read_judgements

SHARED = (*COLLECTIONS, ADI)
PEERS: dict[str, type[Engine]] = {
    cls.name: cls
    for cls in (SqliteEngine, TantivyEngine, WhooshTextbookEngine, RankBm25Engine, Bm25sEngine)
}
SCOOP = "scoop"


@dataclass(frozen=True)
class Row:
    """One engine's figures on one collection."""

    engine: str
    measures: dict[str, float]
    mean_ms: float


@dataclass(frozen=True)
class TestCollection:
    """One collection's documents, judged questions and judgements."""

    name: str
    docs: list[Record]
    questions: list[Question]
    grades: Grades

    @classmethod
    def load(cls, collection: Collection, root: Path) -> TestCollection:
        docs = [
            Record(plain_id(r.id), r.title, r.authors, r.text)
            for r in read_records(root / collection.docs)
        ]
        grades = read_judgements(root / collection.qrels).grades
        questions, _ = questions_of(read_records(root / collection.queries), grades)
        judged = [q for q in questions if q.id in grades]
        return cls(collection.name, docs, judged, grades)


def load_shared(data: Path | None) -> list[TestCollection]:
    """The four shared collections, from ``data`` (the ``ir/`` folder) or the default."""
    root = data or data_root()
    return [TestCollection.load(c, root) for c in SHARED]


def apply_settings(settings: Sequence[str]) -> None:
    """Override Scoop's ranking settings: a field's weight by its name, a field's B as
    ``title_B``, a module setting of ``index.impacts`` or ``search.ranking`` by its
    name (``BM25_K1``, ``BM25_B``, ``IDF_FLOOR``, ``REPEAT_K3``, …), or one of
    ``search.feedback`` as ``feedback.DOCS`` (0 turns feedback off)."""
    import index.impacts as impacts
    import search.feedback as feedback
    import search.ranking as ranking

    for setting in settings:
        name, _, value = setting.partition("=")
        if name.startswith("feedback.") and hasattr(feedback, name[9:]):
            kind = type(getattr(feedback, name[9:]))
            setattr(feedback, name[9:], kind(float(value)))
        elif name in ranking.FIELD_WEIGHTS:
            ranking.FIELD_WEIGHTS[name] = float(value)
        elif name.endswith("_B") and name[:-2] in ranking.FIELD_WEIGHTS:
            impacts.FIELD_B[name[:-2]] = float(value)
        elif name.isupper() and isinstance(getattr(impacts, name, None), float):
            setattr(impacts, name, float(value))
        elif name.isupper() and isinstance(getattr(ranking, name, None), float):
            setattr(ranking, name, float(value))
        else:
            raise SystemExit(f"unknown setting {name!r}: see bench.relevance.apply_settings")


def scoop_row(collection: TestCollection, scratch: Path) -> Row:
    """Scoop's figures, through the code ``manage.py eval`` runs."""
    from index.build import build_index
    from search.engine import Searcher

    feed = scratch / f"{collection.name}.jsonl"
    write_feed(collection.docs, feed)
    build_index([feed], scratch / collection.name)
    searcher = Searcher(scratch / collection.name)
    try:
        names = index_names(collection.docs)
        result = evaluate(searcher, collection.questions, collection.grades, names)
    finally:
        searcher.close()
    return Row(SCOOP, result.measures, result.mean_ms)


def peer_row(engine_class: type[Engine], collection: TestCollection, scratch: Path) -> Row:
    """One peer's figures: build, then every judged question to depth 1000."""
    engine = engine_class()
    folder = scratch / f"{collection.name}-{engine.name}"
    folder.mkdir()
    engine.prepare(collection.docs, folder)
    engine.build(collection.docs, folder)
    engine.open(folder)
    run, times = {}, []
    try:
        for question in collection.questions:
            started = time.perf_counter()
            run[question.id] = engine.search(question.text, DEPTH)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        engine.close()
    return Row(engine.name, measure(run, collection.grades), statistics.fmean(times))


def table(collection: TestCollection, rows: list[Row]) -> str:
    """A markdown table of the rows, then Scoop's lead over the best peer per measure."""
    names = list(MEASURES)
    lines = [
        f"### {collection.name} ({len(collection.docs)} documents, "
        f"{len(collection.questions)} judged queries)",
        "",
        "| engine | " + " | ".join(names) + " | ms/query |",
        "|---|" + "---:|" * (len(names) + 1),
    ]
    for row in rows:
        figures = " | ".join(f"{row.measures[n]:.3f}" for n in names)
        lines.append(f"| {row.engine} | {figures} | {row.mean_ms:.1f} |")
    scoop = next((row for row in rows if row.engine == SCOOP), None)
    peers = [row for row in rows if row.engine != SCOOP]
    if scoop and peers:
        leads = []
        for n in names:
            best = max(peers, key=lambda row: row.measures[n])
            leads.append(f"{scoop.measures[n] - best.measures[n]:+.3f} ({best.engine})")
        lines.append("| Scoop − best peer | " + " | ".join(leads) + " | |")
    return "\n".join(lines)


def measure_collection(collection: TestCollection, engines: list[str], scratch: Path) -> list[Row]:
    """Every chosen engine's row on one collection, Scoop first."""
    rows = []
    for name in engines:
        if name == SCOOP:
            rows.append(scoop_row(collection, scratch))
        else:
            rows.append(peer_row(PEERS[name], collection, scratch))
    return rows


def collection_arguments(doc: str) -> argparse.ArgumentParser:
    """The options every relevance script takes: ``--data`` and ``--out``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the ir/ folder")
    parser.add_argument("--out", type=Path, help="also write OUT.md (and OUT.json)")
    return parser


def write_results(out: Path | None, text: str, figures: object = None) -> None:
    """Write ``OUT.md`` (and ``OUT.json`` when there are ``figures``), if ``out`` is set."""
    if out is None:
        return
    out.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    if figures is not None:
        out.with_suffix(".json").write_text(json.dumps(figures, indent=1), encoding="utf-8")


def _arguments() -> argparse.Namespace:
    parser = collection_arguments(__doc__)
    parser.add_argument("--collections", default=",".join(c.name for c in SHARED))
    parser.add_argument("--engines", default=",".join([SCOOP, *PEERS]), help="comma-separated")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    apply_settings(args.set)
    root = args.data or data_root()
    chosen = {c.name: c for c in SHARED}
    engines = args.engines.split(",")
    unknown = [name for name in engines if name != SCOOP and name not in PEERS]
    if unknown:
        raise SystemExit(f"unknown engines {unknown}: {SCOOP}, {', '.join(PEERS)}")
    results: dict[str, list[Row]] = {}
    tables = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.collections.split(","):
            collection = TestCollection.load(chosen[name], root)
            results[name] = measure_collection(collection, engines, Path(scratch))
            tables.append(table(collection, results[name]))
            print(tables[-1] + "\n", flush=True)
    figures = {name: [row.__dict__ for row in rows] for name, rows in results.items()}
    write_results(args.out, "\n\n".join(tables), figures)


if __name__ == "__main__":
    main()
