"""The read side of the impact arrays (``index.impacts``): a term's scored documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.impacts import IMPACT_PARTS, field_file, term_hash

EMPTY_DOCS = np.zeros(0, dtype=np.int32)
EMPTY_IMPACTS = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class FieldImpacts:
    """One field's impact matrix, memory-mapped: shared by every worker through the page cache."""

    hashes: np.ndarray
    indptr: np.ndarray
    docs: np.ndarray
    impacts: np.ndarray

    @classmethod
    def open(cls, folder: Path, fieldname: str) -> FieldImpacts:
        arrays = {
            part: np.load(field_file(folder, fieldname, part), mmap_mode="r", allow_pickle=False)
            for part in IMPACT_PARTS
        }
        return cls(**arrays)

    def column(self, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding ``term`` (ascending) and the term's impact in each."""
        key = np.uint64(term_hash(term))
        index = int(np.searchsorted(self.hashes, key))
        if index == len(self.hashes) or self.hashes[index] != key:
            return EMPTY_DOCS, EMPTY_IMPACTS
        start, end = int(self.indptr[index]), int(self.indptr[index + 1])
        return self.docs[start:end], self.impacts[start:end]


@dataclass(frozen=True)
class Impacts:
    """The impact matrices of every scorable field of a generation."""

    fields: dict[str, FieldImpacts]

    @classmethod
    def open(cls, folder: Path, fieldnames: list[str]) -> Impacts:
        return cls({name: FieldImpacts.open(folder, name) for name in fieldnames})

    def column(self, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's documents and impacts; None when the field has no impacts."""
        field = self.fields.get(fieldname)
        return field.column(term) if field is not None else None
