"""The benchmark corpus: three IR test collections merged, their queries and judgements.

Document and query ids are prefixed with the collection name (``cran-12``,
``cisi-7``, ``med-3``) because the collections' own ids overlap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from index.smart import Record, plain_id, read_records
from search.evaluation import questions_of
from search.judgements import read_judgements

DATA_ENV = "SCOOP_BENCH_DATA"
"""Environment variable naming the ``ir/`` folder, if not ``../shared/data/ir``."""


@dataclass(frozen=True)
class Collection:
    """Where one collection's documents, queries and judgements live."""

    name: str
    docs: str
    queries: str
    qrels: str


COLLECTIONS: tuple[Collection, ...] = (
    Collection("cran", "cran/cran.all.1400", "cran/cran.qry", "cran/cranqrel"),
    Collection("cisi", "cisi/CISI.ALL", "cisi/CISI.QRY", "cisi/CISI.REL"),
    Collection("med", "med/MED.ALL", "med/MED.QRY", "med/MED.REL"),
)
"""The collections merged into the benchmark corpus."""
ADI = Collection("adi", "adi/ADI.ALL", "adi/ADI.QRY", "adi/ADI.REL")
"""Too small to merge or tune on, but one of the four relevance is measured on."""


@dataclass(frozen=True)
class Query:
    """A natural-language query; ``id`` is the id its collection's judgements use."""

    id: str
    collection: str
    text: str


Qrels = dict[str, dict[str, int]]
"""Judgements: query id -> document id -> gain (0 = not relevant)."""


def data_root() -> Path:
    """The folder holding the collections (``$SCOOP_BENCH_DATA`` or ``../shared/data/ir``)."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ir"


def load_docs(root: Path, replicate: int = 1) -> list[Record]:
    """All documents of all collections, ``replicate`` times (copies get ``#n`` ids)."""
    base = [
        Record(f"{c.name}-{plain_id(r.id)}", r.title, r.authors, r.text)
        for c in COLLECTIONS
        for r in read_records(root / c.docs)
    ]
    copies = [
        Record(f"{r.id}#{n}", r.title, r.authors, r.text) for n in range(1, replicate) for r in base
    ]
    return base + copies


def load_queries(root: Path) -> list[Query]:
    """All queries of all collections (title and text), keyed as the judgements number
    them (``search.judgements.query_numbers``: Cranfield's by position)."""
    queries: list[Query] = []
    for c in COLLECTIONS:
        grades = read_judgements(root / c.qrels).grades
        questions, _ = questions_of(read_records(root / c.queries), grades)
        queries.extend(Query(f"{c.name}-{q.id}", c.name, q.text) for q in questions)
    return queries


def load_qrels(root: Path) -> dict[str, Qrels]:
    """Judgements per collection (``search.judgements``), with prefixed query and document ids."""
    result: dict[str, Qrels] = {}
    for c in COLLECTIONS:
        grades = read_judgements(root / c.qrels).grades
        result[c.name] = {
            f"{c.name}-{query}": {f"{c.name}-{doc}": gain for doc, gain in docs.items()}
            for query, docs in grades.items()
        }
    return result
