"""The benchmark corpus: three IR test collections merged, their queries and judgements.

Document and query ids are prefixed with the collection name (``cran-12``,
``cisi-7``, ``med-3``) because the collections' own ids overlap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from index.smart import Record, read_records

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
        Record(f"{c.name}-{r.id}", r.title, r.authors, r.text)
        for c in COLLECTIONS
        for r in read_records(root / c.docs)
    ]
    copies = [
        Record(f"{r.id}#{n}", r.title, r.authors, r.text) for n in range(1, replicate) for r in base
    ]
    return base + copies


def load_queries(root: Path) -> list[Query]:
    """All queries of all collections, keyed as the judgements number them.

    ``cranqrel`` numbers the Cranfield queries 1..225 in file order, not by
    the ``.I`` ids of ``cran.qry``; CISI and Medline use the ``.I`` ids.
    """
    queries: list[Query] = []
    for c in COLLECTIONS:
        for position, record in enumerate(read_records(root / c.queries), start=1):
            number = str(position) if c.name == "cran" else record.id
            queries.append(Query(f"{c.name}-{number}", c.name, record.text))
    return queries


def _gain(collection: str, columns: list[str]) -> tuple[str, str, int]:
    """Parse one judgement line into (query number, doc number, gain)."""
    if collection == "cran":
        grade = int(columns[2])
        # Cleverdon grades: 1 = complete answer ... 4 = minimal interest; -1 = no interest.
        return columns[0], columns[1], 5 - grade if 1 <= grade <= 4 else 0
    if collection == "med":
        return columns[0], columns[2], int(columns[3])
    return columns[0], columns[1], 1


def load_qrels(root: Path) -> dict[str, Qrels]:
    """Judgements per collection, with prefixed query and document ids."""
    result: dict[str, Qrels] = {}
    for c in COLLECTIONS:
        qrels: Qrels = {}
        for line in (root / c.qrels).read_text(encoding="utf-8").splitlines():
            columns = line.split()
            if len(columns) < 3:
                continue
            query, doc, gain = _gain(c.name, columns)
            qrels.setdefault(f"{c.name}-{query}", {})[f"{c.name}-{doc}"] = gain
        result[c.name] = qrels
    return result
