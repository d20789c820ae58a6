"""Phrase verification: which candidate documents hold a phrase's words side by side.

The arrays say which documents hold every word of a phrase; only the postings'
positions say whether the words are adjacent. Reading positions costs Python work
per candidate document, so a request gets a budget of candidate checks
(``PHRASE_CHECKS``). A phrase with more candidates than the budget left checks its
best-scoring candidates (a phrase's score is the sum of its words' scores, known
before checking) and reports how many it left unchecked, so the page is right and
the total is a lower bound that the response says is one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from search import postings
from search.budget import Deadline, unlimited

PHRASE_CHECKS = 1000
"""Candidate documents one request may check against positions, over all its phrases."""


@dataclass(frozen=True)
class Checked:
    """A phrase's verified documents (ascending) and the candidates left unchecked."""

    docs: np.ndarray
    unchecked: int


class PhraseChecker:
    """Verifies phrases for one request, within its budget of candidate checks."""

    def __init__(
        self, searcher: WhooshSearcher, budget: int | None = None, deadline: Deadline | None = None
    ) -> None:
        self.searcher = searcher
        self.budget = PHRASE_CHECKS if budget is None else budget
        self.deadline = deadline or unlimited()
        self.checked = 0

    def verify(self, node: wq.Phrase, candidates: np.ndarray, scores: np.ndarray) -> Checked:
        """The ``candidates`` (ascending) that hold ``node``'s phrase, best scores first
        when the budget does not reach all of them."""
        chosen = self._within_budget(candidates, scores)
        self.checked += len(chosen)
        if not len(chosen):
            docs = chosen
        elif node.slop == 1:
            docs = self._adjacent(node, chosen)
        else:
            docs = self._by_whoosh(node, chosen)
        return Checked(docs, len(candidates) - len(chosen))

    def _within_budget(self, candidates: np.ndarray, scores: np.ndarray) -> np.ndarray:
        left = 0 if self.deadline.passed() else max(self.budget - self.checked, 0)
        if len(candidates) <= left:
            return candidates
        order = np.lexsort((candidates, -scores[candidates]))[:left]
        return np.sort(candidates[order])

    def _adjacent(self, node: wq.Phrase, docs: np.ndarray) -> np.ndarray:
        """Whoosh's ordered, slop-1 phrase rule: word ``i`` at position ``start + i``.
        Word by word over the surviving documents, so a rare pairing stops early."""
        field = self.searcher.schema[node.fieldname]
        reader = self.searcher.reader()
        starts: dict[int, set[int]] | None = None
        for offset, word in enumerate(node.words):
            wanted = docs.tolist() if starts is None else sorted(starts)
            found: dict[int, set[int]] = {}
            for docnum, value in postings.values(
                reader, node.fieldname, field.to_bytes(word), wanted
            ):
                here = {p - offset for p in field.format.decode_positions(value)}
                if starts is not None:
                    here &= starts[docnum]
                if here:
                    found[docnum] = here
            starts = found
            if not starts:
                break
        return np.array(sorted(starts or ()), dtype=np.int64)

    def _by_whoosh(self, node: wq.Phrase, docs: np.ndarray) -> np.ndarray:
        """Other slops: Whoosh's own span matcher, skipped to each candidate."""
        matcher = node.matcher(self.searcher, self.searcher.boolean_context())
        kept = [docnum for docnum in docs.tolist() if postings.seek(matcher, docnum)]
        return np.array(kept, dtype=np.int64)
