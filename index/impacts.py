"""Per-(term, document) BM25 impacts of each text field, written with every generation.

The read path scores a query by adding up a few precomputed columns instead of
walking Whoosh's matchers (the eager sparse scoring of bm25s, Lù 2024). A field's
impacts are a CSC-style sparse matrix: for the term in column ``c``, the documents
``docs[indptr[c]:indptr[c + 1]]`` (ascending) hold the impacts
``impacts[indptr[c]:indptr[c + 1]]``. Columns are found by a 64-bit hash of the
term's bytes, kept sorted in ``hashes``.

A full build computes them from the term frequencies and field lengths its indexing
gathered from the same analysis that fed Whoosh (``index.segments``); an update reads
them back from the committed Whoosh index. Either way they come from the very postings,
term frequencies and quantised field lengths that Whoosh scores with: an impact is
exactly the BM25F score Whoosh computes with ``search.ranking.weighting`` (its BM25F
with our ``idf``) for the term in that field, before the query's field weight.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader, TermNotFound

from index.segments import SegmentStats

FORMAT_VERSION = 4
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
STAT_PARTS = ("frequencies", "doc_frequencies", "lengths")
"""Written beside the impacts for updates: each posting's term frequency, each term's
document frequency (as Whoosh counts it) and each document's quantised field length,
so an update computes the impacts again without reading the index back."""


@dataclass(frozen=True)
class FieldPostings:
    """A field's postings in the whole generation, as parallel arrays: what impacts are
    computed from, whether gathered while indexing, read from the Whoosh index or
    updated from a generation's stored arrays. Within a term, documents ascend."""

    hashes: np.ndarray
    """The term of each posting, as its ``term_hash``."""
    docs: np.ndarray
    frequencies: np.ndarray
    lengths: np.ndarray
    """Whoosh's stored (quantised) field length of every document."""
    total_length: float
    """The sum of the exact field lengths (Whoosh's ``field_length``)."""
    doc_frequencies: np.ndarray | None = None
    """Each posting's term's document frequency when it is not the number of postings
    (Whoosh keeps counting deleted documents until a merge drops them)."""


def _hashes(terms: Iterable[bytes], seen: dict[int, bytes], fieldname: str) -> np.ndarray:
    """The hash of each term, refusing two terms with one hash (``seen`` spans segments)."""
    keys = []
    for term in terms:
        key = term_hash(term)
        if seen.setdefault(key, term) != term:
            raise ValueError(f"two terms of {fieldname} share a 64-bit hash; cannot index")
        keys.append(key)
    return np.array(keys, dtype=np.uint64)


def reader_postings(reader: IndexReader, fieldname: str) -> FieldPostings:
    """A field's postings read from a committed (possibly updated) Whoosh index."""
    hashes: list[np.ndarray] = []
    docs: list[int] = []
    frequencies: list[float] = []
    doc_frequencies: list[np.ndarray] = []
    seen: dict[int, bytes] = {}
    for term in reader.lexicon(fieldname):
        before = len(docs)
        for leaf, offset in reader.leaf_readers():
            try:
                matcher = leaf.postings(fieldname, term)
            except TermNotFound:  # the term is in another segment only
                continue
            while matcher.is_active():
                docs.append(matcher.id() + offset)
                frequencies.append(matcher.weight())
                matcher.next()
        count = len(docs) - before
        hashes.append(np.repeat(_hashes([term], seen, fieldname), count))
        doc_frequencies.append(np.full(count, reader.doc_frequency(fieldname, term)))
    return FieldPostings(
        hashes=np.concatenate(hashes) if hashes else np.zeros(0, np.uint64),
        docs=np.array(docs, dtype=np.int64),
        frequencies=np.array(frequencies, dtype=np.float64),
        lengths=_field_lengths(reader, fieldname),
        total_length=float(reader.field_length(fieldname)),
        doc_frequencies=np.concatenate(doc_frequencies) if doc_frequencies else None,
    )


def gathered_postings(
    segments: Sequence[SegmentStats], fieldname: str, offset: int = 0
) -> FieldPostings:
    """A field's postings from what each segment's indexing gathered (in segment order,
    the first segment's documents numbered from ``offset``)."""
    seen: dict[int, bytes] = {}
    hashes, docs, frequencies, lengths = [], [], [], []
    for segment in segments:
        stats = segment.fields[fieldname]
        keys = _hashes(stats.terms, seen, fieldname)
        hashes.append(keys[np.frombuffer(stats.term_ids, dtype=np.int32)])
        docs.append(np.frombuffer(stats.docs, dtype=np.int32).astype(np.int64) + offset)
        frequencies.append(np.frombuffer(stats.frequencies, dtype=np.float32))
        lengths.append(np.frombuffer(stats.lengths, dtype=np.float64))
        offset += segment.doc_count
    return FieldPostings(
        hashes=np.concatenate(hashes),
        docs=np.concatenate(docs),
        frequencies=np.concatenate(frequencies).astype(np.float64),
        lengths=np.concatenate(lengths),
        total_length=float(sum(segment.fields[fieldname].total_length for segment in segments)),
    )


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


def impact_matrix(postings: FieldPostings, b: float, k1: float) -> dict[str, np.ndarray]:
    """A field's impact matrix (the ``IMPACT_PARTS``) and what an update needs to compute
    it again (the ``STAT_PARTS``), in whole-array steps."""
    # Stable: documents already ascend within each term, and runs already in hash order
    # (an update's kept postings) cost a single pass.
    order = np.argsort(postings.hashes, kind="stable")
    hashes = postings.hashes[order]
    docs = postings.docs[order]
    tf = postings.frequencies[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]][: len(hashes)])
    indptr = np.append(starts, len(hashes)).astype(np.int64)
    counts = np.diff(indptr)
    if postings.doc_frequencies is None:
        term_df = counts
    else:
        term_df = postings.doc_frequencies[order][indptr[:-1]]
    df = np.repeat(term_df, counts).astype(np.float64)
    doc_count = len(postings.lengths)
    weight = np.maximum(IDF_FLOOR, np.log((doc_count - df + 0.5) / (df + 0.5)))
    average = (postings.total_length / (doc_count or 1)) or 1
    norms = k1 * ((1 - b) + b * postings.lengths / average)
    impacts = weight * (tf * (k1 + 1)) / (tf + norms[docs])
    return {
        "hashes": hashes[indptr[:-1]],
        "indptr": indptr,
        "docs": docs.astype(np.int32),
        "impacts": impacts.astype(np.float32),
        "frequencies": tf.astype(np.float32),
        "doc_frequencies": term_df.astype(np.int64),
        "lengths": postings.lengths.astype(np.float64),
    }


def stored_postings(folder: Path, fieldname: str, total_length: float) -> FieldPostings:
    """A field's postings as the generation in ``folder`` recorded them."""

    def part(name: str) -> np.ndarray:
        return np.load(field_file(folder, fieldname, name), allow_pickle=False)

    counts = np.diff(part("indptr"))
    return FieldPostings(
        hashes=np.repeat(part("hashes"), counts),
        docs=part("docs").astype(np.int64),
        frequencies=part("frequencies").astype(np.float64),
        lengths=part("lengths"),
        total_length=total_length,
        doc_frequencies=np.repeat(part("doc_frequencies"), counts),
    )


def updated_postings(old: FieldPostings, live: np.ndarray, added: FieldPostings) -> FieldPostings:
    """``old``'s postings of the documents still ``live``, then ``added``'s (documents
    numbered after ``old``'s, as Whoosh numbers a new segment committed without a merge).

    Document frequencies and lengths count as Whoosh's do until segments are merged:
    a deleted document's still count, its postings are gone.
    """
    # The stored postings are in hash order: their terms are where the hash changes.
    starts = np.flatnonzero(np.r_[True, old.hashes[1:] != old.hashes[:-1]][: len(old.hashes)])
    terms, counts = old.hashes[starts], np.diff(np.append(starts, len(old.hashes)))
    assert old.doc_frequencies is not None, "stored postings carry their document frequencies"
    new_terms, new_df = np.unique(added.hashes, return_counts=True)
    every = np.union1d(terms, new_terms)
    df = np.zeros(len(every), dtype=np.int64)
    df[np.searchsorted(every, terms)] += old.doc_frequencies[starts].astype(np.int64)
    df[np.searchsorted(every, new_terms)] += new_df
    keep = live[old.docs]
    old_df = np.repeat(df[np.searchsorted(every, terms)], counts)[keep]
    return FieldPostings(
        hashes=np.concatenate([old.hashes[keep], added.hashes]),
        docs=np.concatenate([old.docs[keep], added.docs]),
        frequencies=np.concatenate([old.frequencies[keep], added.frequencies]),
        lengths=np.concatenate([old.lengths, added.lengths]),
        total_length=old.total_length + added.total_length,
        doc_frequencies=np.concatenate([old_df, df[np.searchsorted(every, added.hashes)]]),
    )


def write_field(folder: Path, fieldname: str, postings: FieldPostings, bm25: Bm25) -> int:
    """Write one field's impact matrix; returns its number of postings."""
    arrays = impact_matrix(postings, bm25.b_of(fieldname), bm25.k1)
    for part, array in arrays.items():
        np.save(field_file(folder, fieldname, part), array, allow_pickle=False)
    return len(arrays["docs"])


def write_impacts(
    fields: Iterable[tuple[str, FieldPostings]], folder: Path, bm25: Bm25 | None = None
) -> tuple[dict[str, int], dict[str, float]]:
    """Write the impacts of every scorable text field into ``folder``, a field at a time.

    Returns the number of postings per field (recorded in the manifest and validated)
    and each field's total length (what an update goes on from).
    """
    bm25 = bm25 or Bm25()
    (folder / ARRAYS_DIR).mkdir(exist_ok=True)
    counts, total_lengths = {}, {}
    for name, postings in fields:
        counts[name] = write_field(folder, name, postings, bm25)
        total_lengths[name] = postings.total_length
        del postings  # before the next field's are computed
    return counts, total_lengths
