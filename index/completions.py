"""What autocomplete needs beyond single words: which word follows which, and how words
are written.

*Word pairs.* For headlines and body text, every two words side by side in one section
(``harbour`` + ``bridge``) are counted once per article that holds them, as a 64-bit key
(:func:`pair_keys`) and a count, so "harbour b" completes to "harbour bridge" before
"harbour by". A generation keeps at most :data:`MAX_PAIRS` pairs per field, the commonest.

*Written forms.* The vocabulary's words are folded (``zurich``); for a word written with
accents or other letters folding changes, the commonest way it is written, lower-cased
(``zürich``), so completions keep the accents.

Both are gathered while each section is analysed (``index.analysed``), kept per segment,
summed for a generation and written beside its vocabulary.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path

import numpy as np

COMPLETION_FIELDS = ("title", "body")
"""The fields whose word pairs are counted."""
MAX_PAIRS = 4_000_000
"""Pairs kept per field and generation (the commonest; 12 bytes each on disk)."""
COMPACT_AT = 1 << 20
"""Keys gathered before they are summed into the running counts (memory per segment)."""
SHOWN_FILE = "shown.json"
_MIX = np.uint64(0x9E3779B97F4A7C15)


@lru_cache(maxsize=1 << 20)
def word_key(word: str) -> int:
    """A stable 64-bit number for a folded word (the same in every process and run)."""
    return int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def pair_keys(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The keys of word pairs from their words' keys (element by element)."""
    with np.errstate(over="ignore"):
        return (first.astype(np.uint64) * _MIX) ^ second.astype(np.uint64)


def section_pairs(words: list[str]) -> np.ndarray:
    """The distinct pair keys of a run of words that stand side by side."""
    if len(words) < 2:
        return np.zeros(0, dtype=np.uint64)
    keys = np.fromiter((word_key(word) for word in words), dtype=np.uint64, count=len(words))
    return np.unique(pair_keys(keys[:-1], keys[1:]))


@dataclass
class PairCounts:
    """Pair keys (sorted, distinct) and the number of articles holding each."""

    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    pending: list[np.ndarray] = field(default_factory=list)
    pending_size: int = 0

    def add_article(self, keys: np.ndarray) -> None:
        """Count one article's distinct pair keys."""
        self.pending.append(keys)
        self.pending_size += len(keys)
        if self.pending_size >= max(COMPACT_AT, len(self.keys)):
            self.compact()

    def compact(self) -> PairCounts:
        """Sum the pending keys into the counts; returns itself."""
        if self.pending:
            pending = np.concatenate(self.pending)
            ones = np.ones(len(pending), dtype=np.int32)
            self.keys, self.counts = _summed([self.keys, pending], [self.counts, ones])
            self.pending, self.pending_size = [], 0
        return self

    @classmethod
    def total(cls, parts: Iterable[PairCounts]) -> PairCounts:
        """The counts of several segments (or generations) summed."""
        done = [part.compact() for part in parts]
        keys, counts = _summed([p.keys for p in done], [p.counts for p in done])
        return cls(keys, counts)

    def commonest(self, limit: int = MAX_PAIRS) -> PairCounts:
        """At most ``limit`` pairs: the commonest (ties: the smallest keys)."""
        if len(self.keys) <= limit:
            return self
        kept = np.sort(np.lexsort((self.keys, -self.counts))[:limit])
        return PairCounts(self.keys[kept], self.counts[kept])


def _summed(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    every = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    if not len(every):
        return every.astype(np.uint64), np.zeros(0, dtype=np.int32)
    distinct, where = np.unique(every, return_inverse=True)
    summed = np.bincount(where, weights=np.concatenate(counts), minlength=len(distinct))
    return distinct, summed.astype(np.int32)


@dataclass
class Completions:
    """A segment's or generation's word pairs per field and written forms."""

    pairs: dict[str, PairCounts] = field(default_factory=dict)
    shown: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(folded word, written form) → times seen."""

    def add(self, fieldname: str, keys: np.ndarray, shown: Iterable[tuple[str, str]]) -> None:
        self.pairs.setdefault(fieldname, PairCounts()).add_article(keys)
        self.shown.update(shown)

    @classmethod
    def total(cls, parts: Iterable[Completions]) -> Completions:
        parts = list(parts)
        names = {name for part in parts for name in part.pairs}
        pairs = {
            name: PairCounts.total(p.pairs[name] for p in parts if name in p.pairs)
            for name in sorted(names)
        }
        shown: Counter[tuple[str, str]] = Counter()
        for part in parts:
            shown.update(part.shown)
        return cls(pairs, shown)

    def write(self, arrays: Path) -> int:
        """Write the pair arrays and written forms into a generation's ``arrays`` folder;
        returns the number of pairs kept."""
        arrays.mkdir(exist_ok=True)
        kept = 0
        for name, counts in self.pairs.items():
            common = counts.compact().commonest()
            np.save(pairs_file(arrays, name, "keys"), common.keys, allow_pickle=False)
            np.save(pairs_file(arrays, name, "counts"), common.counts, allow_pickle=False)
            kept += len(common.keys)
        forms = [f"{word}\t{form}\t{times}" for (word, form), times in sorted(self.shown.items())]
        (arrays / SHOWN_FILE).write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
        return kept

    @classmethod
    def read(cls, arrays: Path) -> Completions | None:
        """A generation's stored completions (from its ``arrays`` folder), None when it
        has none."""
        shown_file = arrays / SHOWN_FILE
        if not shown_file.exists():
            return None
        pairs = {}
        for name in COMPLETION_FIELDS:
            if pairs_file(arrays, name, "keys").exists():
                # Mapped, not read: a generation's workers share the pages.
                keys = np.load(pairs_file(arrays, name, "keys"), mmap_mode="r", allow_pickle=False)
                counts = np.load(
                    pairs_file(arrays, name, "counts"), mmap_mode="r", allow_pickle=False
                )
                pairs[name] = PairCounts(keys, counts)
        shown: Counter[tuple[str, str]] = Counter()
        for line in json.loads(shown_file.read_text(encoding="utf-8")):
            word, form, times = line.split("\t")
            shown[word, form] = int(times)
        return cls(pairs, shown)


def pairs_file(arrays: Path, fieldname: str, part: str) -> Path:
    return arrays / f"pairs.{fieldname}.{part}.npy"


def written_forms(shown: Counter[tuple[str, str]]) -> dict[str, str]:
    """Each folded word's commonest written form (ties: the first alphabetically)."""
    forms: dict[str, str] = {}
    for (word, form), _ in sorted(shown.items(), key=lambda item: (-item[1], item[0])):
        forms.setdefault(word, form)
    return forms
