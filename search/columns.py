"""The read side of the per-document columns (``index.columns``): dates, authors, live docs."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from index.analysis import fold
from index.columns import AUTHOR_NAMES, DATE_FIELDS, NO_DAY, column_file, day_number
from index.impacts import ARRAYS_DIR


def author_key(name: str) -> str:
    """What two spellings of one author share: ``Tomás  HERRERA`` is ``tomas herrera``."""
    return fold(" ".join(name.split()))


@dataclass(frozen=True)
class Authors:
    """Author names grouped by :func:`author_key`, each group shown by its commonest spelling."""

    names: tuple[str, ...]
    """The shown name of each group."""
    pairs: np.ndarray
    """The group of each (document, author) pair of the columns."""
    groups: dict[str, int]
    """Group number by key."""
    articles: np.ndarray
    """Articles per group."""
    starts: tuple[tuple[str, int], ...]
    """Each group's key from each of its words on (``liang`` for "grace liang"), sorted."""

    @classmethod
    def of(cls, names: list[str], codes: np.ndarray) -> Authors:
        keys = [author_key(name) for name in names]
        groups = {key: number for number, key in enumerate(dict.fromkeys(sorted(keys)))}
        group_of = np.array([groups[key] for key in keys], dtype=np.int32)
        uses = np.bincount(codes, minlength=len(names))
        shown: dict[int, str] = {}
        for code in sorted(range(len(names)), key=lambda code: (-uses[code], names[code])):
            shown.setdefault(int(group_of[code]), names[code])
        starts = sorted(
            (key[match.start() :], group)
            for key, group in groups.items()
            for match in re.finditer(r"(?<!\S)\S", key)
        )
        return cls(
            names=tuple(shown[group] for group in range(len(groups))),
            pairs=group_of[codes],
            groups=groups,
            articles=np.bincount(group_of[codes], minlength=len(groups)),
            starts=tuple(starts),
        )

    def find(self, name: str) -> int | None:
        """The group of an author name as a user typed it, None when no article has it."""
        return self.groups.get(author_key(name))

    def starting(self, typed: str, limit: int) -> list[str]:
        """Up to ``limit`` authors a name or surname of whom starts with ``typed`` (in any
        case or accents), those with the most articles first."""
        key = author_key(typed)
        if not key:
            return []
        first = bisect_left(self.starts, (key, -1))
        found: set[int] = set()
        for start, group in self.starts[first:]:
            if not start.startswith(key):
                break
            found.add(group)
        ranked = sorted(found, key=lambda group: (-self.articles[group], self.names[group]))
        return [self.names[group] for group in ranked[:limit]]


@dataclass(frozen=True)
class Columns:
    """One generation's columns, loaded once per worker and shared by its requests."""

    days: dict[str, np.ndarray]
    """Day number (``index.columns.day_number``) per document, per date field."""
    author_docs: np.ndarray
    author_codes: np.ndarray
    """(document, author code) pairs; ``author_names[code]`` is the name."""
    author_names: tuple[str, ...]
    authors: Authors
    """The authors as a reader sees them: names that differ in case or accents are one."""
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
        codes = load("author_codes")
        return cls(
            days=days,
            author_docs=load("author_docs"),
            author_codes=codes,
            author_names=tuple(names),
            authors=Authors.of(names, codes),
            live=load("live"),
            year=year,
            month=month,
        )

    @property
    def doc_count(self) -> int:
        return len(self.live)

    def with_authors(self, names: tuple[str, ...]) -> np.ndarray:
        """Mask of the documents by any of ``names``, in any case or accents."""
        groups = [group for name in names if (group := self.authors.find(name)) is not None]
        mask = np.zeros(self.doc_count, dtype=bool)
        mask[self.author_docs[np.isin(self.authors.pairs, groups)]] = True
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
