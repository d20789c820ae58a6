"""Per-document columns written with every generation: dates, authors, live documents.

Filters, facets and date sorting are array operations over these columns on the
read side, never a loop over matching documents. They are read from Whoosh's own
column readers after the commit, so they hold exactly what the index of record holds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from index.impacts import ARRAYS_DIR

NO_DAY = np.iinfo(np.int32).max
"""The day number of an undated article (sorts after every real date)."""
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
MICROSECONDS_PER_DAY = 86_400_000_000
NO_DATE = 2**64 - 1
"""What Whoosh's raw date column holds for a document without the date."""
DATE_FIELDS = ("published", "updated")
AUTHOR_NAMES = "authors.json"
SOURCE_FILES = "source_files.json"


def column_file(folder: Path, name: str) -> Path:
    """Where one column lives: ``arrays/<name>.npy``."""
    return folder / ARRAYS_DIR / f"{name}.npy"


def day_number(value: date) -> int:
    """Days since 1970-01-01 (what the date columns hold, as numpy's ``datetime64[D]``)."""
    return value.toordinal() - EPOCH_ORDINAL


def _days(reader: IndexReader, fieldname: str) -> np.ndarray:
    """Each document's date as a day number, ``NO_DAY`` when it has none."""
    days = np.full(reader.doc_count_all(), NO_DAY, dtype=np.int32)
    for leaf, offset in reader.leaf_readers():
        column = leaf.column_reader(fieldname, translate=False)
        for docnum in range(leaf.doc_count_all()):
            raw = column[docnum]
            if raw is not None and raw < NO_DATE:
                # Whoosh counts microseconds from 0001-01-01, which is ordinal day 1.
                days[offset + docnum] = raw // MICROSECONDS_PER_DAY + 1 - EPOCH_ORDINAL
    return days


def _authors(reader: IndexReader) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The author names (sorted) and the (document, author code) pairs, by document."""
    per_doc: list[tuple[int, list[str]]] = []
    for leaf, offset in reader.leaf_readers():
        column = leaf.column_reader("authors")
        for docnum in range(leaf.doc_count_all()):
            names = [name for name in (column[docnum] or "").split(",") if name]
            per_doc.append((offset + docnum, names))
    names = sorted({name for _, doc_names in per_doc for name in doc_names})
    code = {name: number for number, name in enumerate(names)}
    pairs = [(docnum, code[name]) for docnum, doc_names in per_doc for name in doc_names]
    array = np.array(pairs, dtype=np.int32).reshape(-1, 2)
    return names, array[:, 0].copy(), array[:, 1].copy()


def live_documents(reader: IndexReader) -> np.ndarray:
    """Whether each document number holds a live (not deleted) article."""
    live = np.zeros(reader.doc_count_all(), dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return live


def write_columns(reader: IndexReader, folder: Path) -> None:
    """Write the date, author and live-document columns of the index into ``folder``."""
    (folder / ARRAYS_DIR).mkdir(exist_ok=True)
    for fieldname in DATE_FIELDS:
        np.save(column_file(folder, fieldname), _days(reader, fieldname), allow_pickle=False)
    names, author_docs, author_codes = _authors(reader)
    np.save(column_file(folder, "author_docs"), author_docs, allow_pickle=False)
    np.save(column_file(folder, "author_codes"), author_codes, allow_pickle=False)
    (folder / ARRAYS_DIR / AUTHOR_NAMES).write_text(json.dumps(names), encoding="utf-8")
    np.save(column_file(folder, "live"), live_documents(reader), allow_pickle=False)


@dataclass(frozen=True)
class Sources:
    """Where each document came from, for updates: its source fingerprint (0: unknown)
    and its source file (a code into ``files``; -1: none)."""

    fingerprints: np.ndarray
    codes: np.ndarray
    files: list[str]

    @classmethod
    def of(cls, fingerprints: np.ndarray, files: Sequence[str]) -> Sources:
        """The columns of documents with these fingerprints and files, in order."""
        names = sorted(set(files) - {""})
        number = {name: code for code, name in enumerate(names)}
        codes = np.array([number.get(file, -1) for file in files], dtype=np.int32)
        return cls(np.asarray(fingerprints, dtype=np.uint64), codes, names)

    def write(self, folder: Path) -> None:
        (folder / ARRAYS_DIR).mkdir(exist_ok=True)
        np.save(column_file(folder, "fingerprints"), self.fingerprints, allow_pickle=False)
        np.save(column_file(folder, "source_codes"), self.codes, allow_pickle=False)
        (folder / ARRAYS_DIR / SOURCE_FILES).write_text(json.dumps(self.files), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Sources | None:
        """A generation's source columns; None when it has none (written before them)."""
        try:
            return cls(
                np.load(column_file(folder, "fingerprints"), allow_pickle=False),
                np.load(column_file(folder, "source_codes"), allow_pickle=False),
                json.loads((folder / ARRAYS_DIR / SOURCE_FILES).read_text(encoding="utf-8")),
            )
        except FileNotFoundError:
            return None

    def file_per_document(self) -> list[str]:
        return [self.files[code] if code >= 0 else "" for code in self.codes.tolist()]
