"""Story groups on the read side (``index.stories`` groups them when indexing).

A search shows one entry per story: of its matching versions, the lead (the most
complete, then the earliest), ranked where its best-ranked version ranks. Totals and
facets count stories, and articles beside them. Everything here is an array operation
over the matches in groups, never a loop over matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from index import stories as written
from index.impacts import ARRAYS_DIR
from search.ranking import Ranked


class Counting(Protocol):
    """How facets count results: as articles or as stories."""

    def per_value(self, codes: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
        """Per value code (``size`` of them), the results among ``docs`` with it, where
        ``codes[i]`` is the code of ``docs[i]``."""
        ...

    def total(self, mask: np.ndarray) -> int:
        """The results in ``mask``."""
        ...

    def new_to(self, results: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """Which of ``docs`` would add a result to ``results``."""
        ...


class Articles:
    """Counting every article."""

    def per_value(self, codes: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(codes, minlength=size)

    def total(self, mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask))

    def new_to(self, results: np.ndarray, docs: np.ndarray) -> np.ndarray:
        return np.ones(len(docs), dtype=bool)


@dataclass(frozen=True)
class StoryGroups:
    """One generation's story groups, memory-mapped (``index.stories.Stories``)."""

    stories: written.Stories
    signatures: np.ndarray
    """Each document's body signature (``index.stories.signature``)."""

    @classmethod
    def open(cls, folder: Path, size: int) -> StoryGroups:
        """The groups of the generation in ``folder`` of ``size`` documents (none grouped
        when it was written before story groups)."""
        found = written.read(folder / ARRAYS_DIR)
        if found is None:
            empty = np.zeros(0, dtype=np.int32)
            alone = np.full(size, -1, dtype=np.int32)
            found = written.Stories(alone, alone, empty, np.zeros(1, dtype=np.int32))
            return cls(found, np.zeros((size, 0), dtype=np.uint32))
        signatures = folder / ARRAYS_DIR / "signatures.npy"
        return cls(found, np.load(signatures, mmap_mode="r", allow_pickle=False))

    @property
    def groups(self) -> np.ndarray:
        return self.stories.groups

    def any_grouped(self, mask: np.ndarray) -> bool:
        """Whether any article of ``mask`` has another version."""
        return self.stories.count > 0 and bool(np.any(mask & (self.groups >= 0)))

    def members(self, docnum: int) -> np.ndarray:
        """The versions of ``docnum``'s story, lead first (just itself when alone)."""
        group = int(self.groups[docnum])
        if group < 0:
            return np.array([docnum])
        starts = self.stories.starts
        return np.asarray(self.stories.members[starts[group] : starts[group + 1]])

    def closest(self, docnum: int) -> tuple[int, float] | None:
        """The other version of ``docnum``'s story most like it, and how alike (the
        estimated Jaccard similarity of their shingles); None when it is alone."""
        members = self.members(docnum)
        others = members[members != docnum]
        if not len(others):
            return None
        alike = written.similarity(self.signatures, np.full(len(others), docnum), others)
        best = int(np.argmax(alike))
        return int(others[best]), float(alike[best])

    def collapse(self, ranked: Ranked) -> Ranked:
        """One result per story: its matching lead version, with the best score and
        bucket of its matching versions."""
        grouped = np.flatnonzero(ranked.mask & (self.groups >= 0))
        if not len(grouped):
            return ranked
        docs, starts = self._by_story(grouped)
        leads = docs[starts]
        mask, scores, buckets = ranked.mask.copy(), ranked.scores.copy(), ranked.buckets.copy()
        mask[grouped] = False
        mask[leads] = True
        scores[leads] = np.maximum.reduceat(ranked.scores[docs], starts)
        buckets[leads] = np.minimum.reduceat(ranked.buckets[docs], starts)
        return Ranked(mask, scores, buckets)

    def _by_story(self, grouped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``grouped`` ordered by story, then place in it, and where each story starts."""
        groups = self.groups[grouped]
        docs = grouped[np.lexsort([self.stories.order[grouped], groups])]
        ordered = self.groups[docs]
        return docs, np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])

    def per_value(self, codes: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
        size = max(size, int(codes.max()) + 1) if len(codes) else size
        groups = self.groups[docs]
        alone = groups < 0
        counts = np.bincount(codes[alone], minlength=size)
        stories = np.int64(max(self.stories.count, 1))
        pairs = np.unique(codes[~alone].astype(np.int64) * stories + groups[~alone])
        return counts + np.bincount(pairs // stories, minlength=size)

    def total(self, mask: np.ndarray) -> int:
        groups = self.groups[np.asarray(mask)]
        return int(np.count_nonzero(groups < 0)) + len(np.unique(groups[groups >= 0]))

    def new_to(self, results: np.ndarray, docs: np.ndarray) -> np.ndarray:
        shown = np.zeros(self.stories.count + 1, dtype=bool)
        shown[self.groups[np.asarray(results)]] = True  # -1 marks the spare last slot
        groups = self.groups[docs]
        return (groups < 0) | ~shown[groups]
