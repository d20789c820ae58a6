"""The read side of the per-document columns (``index.columns``): dates, authors, live docs."""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from index.columns import AUTHOR_NAMES, DATE_FIELDS, NO_DAY, column_file, day_number
from index.impacts import ARRAYS_DIR


@dataclass(frozen=True)
class Columns:
    """One generation's columns, loaded once per worker and shared by its requests."""

    days: dict[str, np.ndarray]
    """Day number (``index.columns.day_number``) per document, per date field."""
    author_docs: np.ndarray
    author_codes: np.ndarray
    """(document, author code) pairs; ``author_names[code]`` is the name."""
    author_names: tuple[str, ...]
    live: np.ndarray
    year: np.ndarray
    """Publication year per document, 0 when undated."""
    month: np.ndarray
    """Publication month (1-12) per document, 0 when undated."""

    @classmethod
    def open(cls, folder: Path) -> Columns:
        def load(name: str) -> np.ndarray:
            return np.load(column_file(folder, name), mmap_mode="r", allow_pickle=False)

        days = {name: load(name) for name in DATE_FIELDS}
        names = json.loads((folder / ARRAYS_DIR / AUTHOR_NAMES).read_text(encoding="utf-8"))
        year, month = _year_month(days["published"])
        return cls(
            days=days,
            author_docs=load("author_docs"),
            author_codes=load("author_codes"),
            author_names=tuple(names),
            live=load("live"),
            year=year,
            month=month,
        )

    @property
    def doc_count(self) -> int:
        return len(self.live)

    def author_code(self, name: str) -> int | None:
        """The code of an author name, None when no article has it."""
        index = bisect_left(self.author_names, name)
        found = index < len(self.author_names) and self.author_names[index] == name
        return index if found else None

    def with_authors(self, names: tuple[str, ...]) -> np.ndarray:
        """Mask of the documents by any of ``names``."""
        codes = [code for name in names if (code := self.author_code(name)) is not None]
        mask = np.zeros(self.doc_count, dtype=bool)
        mask[self.author_docs[np.isin(self.author_codes, codes)]] = True
        return mask

    def dated_between(self, fieldname: str, start: date | None, end: date | None) -> np.ndarray:
        """Mask of the documents whose date lies in ``[start, end]`` (open ends allowed)."""
        days = self.days[fieldname]
        mask = days != NO_DAY
        if start is not None:
            mask &= days >= day_number(start)
        if end is not None:
            mask &= days <= day_number(end)
        return mask


def _year_month(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Year and month of each day number (0 and 0 for undated documents)."""
    dated = days != NO_DAY
    stamps = np.where(dated, days, 0).astype("datetime64[D]")
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    months = stamps.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return np.where(dated, years, 0).astype(np.int32), np.where(dated, months, 0).astype(np.int8)
