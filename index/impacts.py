"""Per-(term, document) BM25 impacts of each text field, written with every generation.

The read path scores a query by adding up a few precomputed columns instead of
walking Whoosh's matchers (the eager sparse scoring of bm25s, Lù 2024). A field's
impacts are a CSC-style sparse matrix: for the term in column ``c``, the documents
``docs[indptr[c]:indptr[c + 1]]`` (ascending) hold the impacts
``impacts[indptr[c]:indptr[c + 1]]``. Columns are found by a 64-bit hash of the
term's bytes, kept sorted in ``hashes``.

The impacts are read back from the committed Whoosh index (the index of record),
so they come from the very postings, term frequencies and quantised field lengths
that Whoosh scores with: an impact is exactly the BM25F score Whoosh computes with
``search.ranking.weighting`` (its BM25F with our ``idf``) for the term in that field,
before the query's field weight.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader, TermNotFound

FORMAT_VERSION = 3
"""Bump whenever the arrays below (or how they are computed) change: a generation whose
arrays carry another version is refused with a request to reindex."""
ARRAYS_DIR = "arrays"
"""The folder, inside a generation, that holds the derived arrays."""

BM25_K1 = 2.0
"""Term-frequency saturation (chosen by leave-one-collection-out, docs/decisions.md)."""
BM25_B = 0.9
"""Length normalisation for long fields (body); tuned, see docs/decisions.md."""
FIELD_B = {"title": 0.3, "captions": 0.5, "credits": 0.0, "author": 0.0}
"""Per-field length normalisation: short fields are normalised less."""


@dataclass(frozen=True)
class Bm25:
    """The BM25 parameters impacts are computed with (recorded in the manifest)."""

    k1: float = field(default_factory=lambda: BM25_K1)
    b: float = field(default_factory=lambda: BM25_B)
    field_b: tuple[tuple[str, float], ...] = field(
        default_factory=lambda: tuple(sorted(FIELD_B.items()))
    )

    def b_of(self, fieldname: str) -> float:
        return dict(self.field_b).get(fieldname, self.b)

    def to_manifest(self) -> dict[str, Any]:
        return {"k1": self.k1, "b": self.b, "field_b": dict(self.field_b)}

    @classmethod
    def from_manifest(cls, entry: dict[str, Any]) -> Bm25:
        """The parameters a generation's manifest records (``KeyError``/``ValueError`` if bad)."""
        field_b = {str(name): float(value) for name, value in entry["field_b"].items()}
        return cls(float(entry["k1"]), float(entry["b"]), tuple(sorted(field_b.items())))


def impact_fields(reader: IndexReader) -> tuple[str, ...]:
    """The scorable text fields: those that store character offsets (the searchable sections)."""
    schema = reader.schema

    def scorable_text(name: str) -> bool:
        field_format = schema[name].format
        return bool(schema[name].scorable and field_format and field_format.supports("characters"))

    return tuple(name for name in schema.names() if scorable_text(name))


def term_hash(term: bytes) -> int:
    """The 64-bit key a term's column is found by (blake2b: stable across processes)."""
    return int.from_bytes(hashlib.blake2b(term, digest_size=8).digest(), "little")


def field_file(folder: Path, fieldname: str, part: str) -> Path:
    """Where one array of a field's impacts lives: ``arrays/<field>.<part>.npy``."""
    return folder / ARRAYS_DIR / f"{fieldname}.{part}.npy"


IMPACT_PARTS = ("hashes", "indptr", "docs", "impacts")


def _postings(reader: IndexReader, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The global document numbers and term frequencies of a term's postings, across segments."""
    docs: list[int] = []
    weights: list[float] = []
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, term)
        except TermNotFound:  # the term is in another segment only
            continue
        while matcher.is_active():
            docs.append(matcher.id() + offset)
            weights.append(matcher.weight())
            matcher.next()
    return np.array(docs, dtype=np.int64), np.array(weights, dtype=np.float64)


def _field_lengths(reader: IndexReader, fieldname: str) -> np.ndarray:
    """Whoosh's stored (quantised) length of the field in every document."""
    lengths = np.zeros(reader.doc_count_all(), dtype=np.float64)
    for leaf, offset in reader.leaf_readers():
        for docnum in range(leaf.doc_count_all()):
            lengths[offset + docnum] = leaf.doc_field_length(docnum, fieldname) or 0
    return lengths


IDF_FLOOR = 1e-6
"""The least idf a term can have: a word in half the documents or more counts (almost)
nothing, but still matches."""


def idf(doc_frequency: int, doc_count: int) -> float:
    """The Robertson–Spärck Jones idf, ln((N − df + 0.5) / (df + 0.5)), floored at
    ``IDF_FLOOR`` (as SQLite FTS5 and Xapian do). Whoosh's own, ln(N / (df + 1)) + 1,
    never drops below about 1, so "what", "the" and "information" kept real weight in
    long questions (docs/decisions.md)."""
    return max(IDF_FLOOR, math.log((doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5)))


def write_field(reader: IndexReader, folder: Path, fieldname: str, bm25: Bm25) -> int:
    """Write one field's impact matrix; returns its number of postings."""
    doc_count = reader.doc_count_all()
    average = (reader.field_length(fieldname) / (doc_count or 1)) or 1
    b = bm25.b_of(fieldname)
    norms = bm25.k1 * ((1 - b) + b * _field_lengths(reader, fieldname) / average)
    keyed: list[tuple[int, np.ndarray, np.ndarray]] = []
    for term in reader.lexicon(fieldname):
        all_docs, tf = _postings(reader, fieldname, term)
        if not len(all_docs):
            continue
        docs = all_docs.astype(np.int32)
        weight = idf(reader.doc_frequency(fieldname, term), doc_count)
        impacts = weight * (tf * (bm25.k1 + 1)) / (tf + norms[docs])
        keyed.append((term_hash(term), docs, impacts.astype(np.float32)))
    keyed.sort(key=lambda item: item[0])
    hashes = np.array([key for key, _, _ in keyed], dtype=np.uint64)
    if len(np.unique(hashes)) != len(hashes):
        raise ValueError(f"two terms of {fieldname} share a 64-bit hash; cannot index")
    sizes = np.array([len(docs) for _, docs, _ in keyed], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    empty_docs, empty_impacts = np.zeros(0, np.int32), np.zeros(0, np.float32)
    arrays = {
        "hashes": hashes,
        "indptr": indptr,
        "docs": np.concatenate([d for _, d, _ in keyed]) if keyed else empty_docs,
        "impacts": np.concatenate([i for _, _, i in keyed]) if keyed else empty_impacts,
    }
    for part, array in arrays.items():
        np.save(field_file(folder, fieldname, part), array, allow_pickle=False)
    return int(indptr[-1])


def write_impacts(reader: IndexReader, folder: Path, bm25: Bm25 | None = None) -> dict[str, int]:
    """Write the impacts of every scorable text field of the index into ``folder``.

    Returns the number of postings per field (recorded in the manifest and validated).
    """
    bm25 = bm25 or Bm25()
    (folder / ARRAYS_DIR).mkdir(exist_ok=True)
    return {name: write_field(reader, folder, name, bm25) for name in impact_fields(reader)}
