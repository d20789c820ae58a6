"""The read side of the spelling vocabulary (``index.vocabulary``): fuzzy words, completions."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extract

from index.completions import (
    COMPLETION_FIELDS,
    Completions,
    PairCounts,
    pair_keys,
    word_key,
    written_forms,
)
from index.impacts import ARRAYS_DIR
from index.vocabulary import WORDS_FILE, frequency_file

NEAR_CACHE_SIZE = 256
"""Fuzzy scans a generation's vocabulary remembers (each a list of word positions)."""


@dataclass(frozen=True)
class Vocabulary:
    """A generation's spelling words (sorted) and their article counts per field."""

    words: list[str]
    frequency: dict[str, np.ndarray]
    _nearby: dict[tuple[str, int, int], list[int]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Recent fuzzy scans, shared by the fields of a query and by repeated queries."""

    pairs: dict[str, PairCounts] = field(default_factory=dict)
    """Per field, the articles holding each pair of words side by side (by pair key)."""
    forms: dict[str, str] = field(default_factory=dict)
    """How a folded word is written, where that is not just lower case (``zürich``)."""

    @classmethod
    def open(cls, folder: Path) -> Vocabulary:
        data = json.loads((folder / ARRAYS_DIR / WORDS_FILE).read_text(encoding="utf-8"))
        frequency = {
            name: np.load(frequency_file(folder, name), mmap_mode="r", allow_pickle=False)
            for name in data["fields"]
        }
        completions = Completions.read(folder / ARRAYS_DIR) or Completions()
        vocabulary = cls(list(data["words"]), frequency, pairs=completions.pairs)
        for word, form in written_forms(completions.shown).items():
            # Kept where most articles write the word so ("Zürich", not a stray "Zürich"
            # in an archive of "Zurich").
            if 2 * completions.shown[word, form] > vocabulary.articles(word, COMPLETION_FIELDS):
                vocabulary.forms[word] = form
        return vocabulary

    def following(self, first: str, words: list[str], weights: dict[str, int]) -> np.ndarray:
        """For each of ``words``, the articles holding it right after ``first`` (weighted
        per field)."""
        found = np.zeros(len(words), dtype=np.int64)
        if not words:
            return found
        seconds = np.fromiter((word_key(word) for word in words), np.uint64, count=len(words))
        keys = pair_keys(np.full(len(words), word_key(first), dtype=np.uint64), seconds)
        for name, weight in weights.items():
            held = self.pairs.get(name)
            if held is None or not len(held.keys):
                continue
            places = np.minimum(np.searchsorted(held.keys, keys), len(held.keys) - 1)
            hit = held.keys[places] == keys
            found += weight * np.where(hit, held.counts[places], 0)
        return found

    def within(
        self, word: str, fieldname: str, distance: int, prefix: int, limit: int
    ) -> list[str]:
        """Words of ``fieldname`` at most ``distance`` plain Levenshtein edits from ``word`` that
        share its first ``prefix`` characters, alphabetically, at most ``limit`` of them."""
        counts = self.frequency.get(fieldname)
        if counts is None:
            return []
        places = self._near(word, distance, prefix)
        return [self.words[place] for place in places if counts[place] > 0][:limit]

    def starting(self, prefix: str, fieldname: str, limit: int) -> list[str]:
        """Words of ``fieldname`` starting with ``prefix``, alphabetically, at most ``limit``."""
        counts = self.frequency.get(fieldname)
        if counts is None:
            return []
        start, end = self._range(prefix)
        held = np.flatnonzero(np.asarray(counts[start:end]) > 0)[:limit]
        return [self.words[start + int(place)] for place in held]

    def articles(self, word: str, fieldnames: Iterable[str]) -> int:
        """The most articles holding ``word`` in any one of ``fieldnames`` (0 if none)."""
        place = bisect_left(self.words, word)
        if place == len(self.words) or self.words[place] != word:
            return 0
        return max(
            (int(self.frequency[name][place]) for name in fieldnames if name in self.frequency),
            default=0,
        )

    def edits_away(self, word: str, distance: int, prefix: int) -> list[tuple[str, int]]:
        """Words within ``distance`` edits of ``word`` sharing its first ``prefix``
        characters, a swap of two neighbouring letters counting as one edit:
        (word, edits), alphabetically."""
        start, end = self._range(word[:prefix])
        found = extract(
            word, self.words[start:end], scorer=OSA.distance, score_cutoff=distance, limit=None
        )
        return sorted((choice, int(edits)) for choice, edits, _ in found)

    def _near(self, word: str, distance: int, prefix: int) -> list[int]:
        """Positions (ascending) of every word within ``distance`` of ``word`` sharing its
        first ``prefix`` characters, in any field: one scan serves all of a query's fields."""
        key = (word, distance, prefix)
        if key not in self._nearby:
            if len(self._nearby) >= NEAR_CACHE_SIZE:
                self._nearby.pop(next(iter(self._nearby)))
            start, end = self._range(word[:prefix])
            found = extract(
                word,
                self.words[start:end],
                scorer=Levenshtein.distance,
                score_cutoff=distance,
                limit=None,
            )
            self._nearby[key] = sorted(start + place for _, _, place in found)
        return self._nearby[key]

    def completions(
        self, prefix: str, weights: dict[str, int], limit: int
    ) -> list[tuple[str, int]]:
        """The ``limit`` words starting with ``prefix`` held by the most articles (weighted per
        field), most first, then alphabetically: (word, weighted count)."""
        start, end = self._range(prefix)
        if start == end:
            return []
        score = np.zeros(end - start, dtype=np.int64)
        for fieldname, weight in weights.items():
            if fieldname in self.frequency:
                score += weight * np.asarray(self.frequency[fieldname][start:end], dtype=np.int64)
        held = np.flatnonzero(score)
        if len(held) > limit:
            held = held[np.argpartition(-score[held], limit - 1)[:limit]]
        ranked = sorted(held.tolist(), key=lambda i: (-score[i], self.words[start + i]))
        return [(self.words[start + i], int(score[i])) for i in ranked]

    def _range(self, prefix: str) -> tuple[int, int]:
        """The positions of the words starting with ``prefix`` (all words for "")."""
        if not prefix:
            return 0, len(self.words)
        return bisect_left(self.words, prefix), bisect_left(self.words, prefix + "\U0010ffff")
