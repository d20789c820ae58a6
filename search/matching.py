"""Which documents a query matches, and their BM25F scores, as array operations.

A parsed Whoosh query tree is evaluated over the generation's arrays: a term is a
column of the field's impact matrix, ``Or`` adds columns, ``And`` intersects masks,
exclusions subtract them, date ranges compare the date column. Scores equal what
Whoosh's own matchers compute for the same tree (the reference path in
``search/reference.py``); the tests hold the two side by side.

Whoosh's postings are still read for what only positions can answer: a phrase's
candidates (documents holding all its words, from the arrays) are verified against
their positions within a per-request budget (``search.phrases``). Every other node
is pure numpy, whatever the number of matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index.columns import EPOCH_ORDINAL, MICROSECONDS_PER_DAY, NO_DAY
from search.budget import Deadline, unlimited
from search.columns import Columns
from search.expansion import Allowance, Expander
from search.phrases import PhraseChecker
from search.scoring import Impacts

CONSTANT_SCORE = 1.0
"""What Whoosh adds for a matching date range or a satisfied ``NOT`` (times the boost)."""


@dataclass
class Match:
    """The documents a query matches (``mask``) and their scores (0 elsewhere)."""

    mask: np.ndarray
    scores: np.ndarray

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.mask))


@dataclass
class Work:
    """What evaluation did beyond array operations, for tests and the benchmark."""

    columns: int = 0
    """Term columns read from the impact arrays."""
    verified: int = 0
    """Phrase candidates checked against Whoosh positions."""
    unchecked: dict[wq.Phrase, int] = field(default_factory=dict)
    """Phrases whose candidates outran the request's budget: how many went unchecked."""
    fallbacks: list[str] = field(default_factory=list)
    """Query nodes evaluated by iterating Whoosh's matcher (none for the query language)."""


class Evaluator:
    """Evaluates query trees against one generation: its arrays and its Whoosh searcher."""

    def __init__(
        self,
        impacts: Impacts,
        columns: Columns,
        searcher: WhooshSearcher,
        expander: Expander,
        deadline: Deadline | None = None,
        allowance: Allowance | None = None,
    ) -> None:
        self.impacts = impacts
        self.columns = columns
        self.searcher = searcher
        self.expander = expander
        self.size = columns.doc_count
        self.work = Work()
        self.deadline = deadline or unlimited()
        self.allowance = allowance if allowance is not None else Allowance()
        """The request's expansion budget, shared with its query reading."""
        self.phrases = PhraseChecker(searcher, deadline=self.deadline)
        self._phrases: dict[wq.Phrase, np.ndarray] = {}
        """Verified documents of each phrase, for this evaluator's request."""

    def empty(self) -> Match:
        return Match(np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64))

    def everything(self) -> Match:
        """Every live document, unscored."""
        return Match(np.array(self.columns.live, dtype=bool), np.zeros(self.size))

    def match(self, query: wq.Query) -> Match:
        """The documents ``query`` matches among the live ones, with their scores."""
        found = self._node(query)
        found.mask &= self.columns.live
        found.scores[~found.mask] = 0.0
        return found

    def _node(self, node: wq.Query) -> Match:
        if node is wq.NullQuery or self.deadline.passed():
            return self.empty()
        if isinstance(node, wq.Or):
            return self._or(node)
        if isinstance(node, wq.And):
            return self._and(node)
        if isinstance(node, wq.AndNot):
            return self._and_not(node)
        if isinstance(node, wq.AndMaybe):
            return self._and_maybe(node)
        if isinstance(node, wq.Require):
            return self._require(node)
        if isinstance(node, wq.Not):
            return self._not(node)
        if isinstance(node, wq.Term):
            return self._term(node)
        if isinstance(node, wq.Phrase):
            return self._phrase(node)
        if isinstance(node, wq.NumericRange) and node.fieldname in self.columns.days:
            return self._date_range(node)
        if isinstance(node, wq.MultiTerm):
            bounded = self.expander.bound(node, self.allowance)
            return (
                self._fallback(node) if isinstance(bounded, wq.MultiTerm) else self._node(bounded)
            )
        return self._fallback(node)

    def _boosted(self, node: wq.CompoundQuery, found: Match) -> Match:
        # Whoosh applies a compound query's boost only when it has several subqueries.
        if node.boost != 1.0 and len(node.subqueries) > 1:
            found.scores *= node.boost
        return found

    def _or(self, node: wq.Or) -> Match:
        found = self.empty()
        for child in node.subqueries:
            self._add(found, child)
        return self._boosted(node, found)

    def _add(self, into: Match, node: wq.Query) -> None:
        """Add ``node``'s matches and scores into ``into`` (nested ``Or`` nodes are flattened,
        terms are scattered straight from their column)."""
        if isinstance(node, wq.Or) and (node.boost == 1.0 or len(node.subqueries) < 2):
            for child in node.subqueries:
                self._add(into, child)
            return
        if self.deadline.passed():
            return
        if isinstance(node, wq.Term) and (column := self._column(node)) is not None:
            docs, impacts = column
            into.mask[docs] = True
            into.scores[docs] += impacts * node.boost
            return
        found = self._node(node)
        into.mask |= found.mask
        into.scores += found.scores

    def _and(self, node: wq.And) -> Match:
        """Every child must match; once none is left the rest are not evaluated (a long
        question's every-word test is usually empty after a few words)."""
        found: Match | None = None
        for child in node.subqueries:
            match = self._node(child)
            if found is None:
                found = match
            else:
                found.mask &= match.mask
                found.scores += match.scores
            if not found.mask.any():
                return self.empty()
        if found is None:
            return self.empty()
        found.scores[~found.mask] = 0.0
        return self._boosted(node, found)

    def _and_not(self, node: wq.AndNot) -> Match:
        found = self._node(node.a)
        excluded = self._node(node.b).mask
        if self.deadline.ran_out:  # a cut-short exclusion would let excluded articles in
            return self.empty()
        found.mask &= ~excluded
        found.scores[~found.mask] = 0.0
        return found

    def _and_maybe(self, node: wq.AndMaybe) -> Match:
        found = self._node(node.a)
        optional = self._node(node.b)
        found.scores += np.where(found.mask, optional.scores, 0.0)
        return found

    def _require(self, node: wq.Require) -> Match:
        found = self._node(node.a)
        found.mask &= self._node(node.b).mask
        found.scores[~found.mask] = 0.0
        return found

    def _not(self, node: wq.Not) -> Match:
        excluded = self._node(node.query).mask
        if self.deadline.ran_out:
            return self.empty()
        mask = np.asarray(self.columns.live, dtype=bool) & ~excluded
        return Match(mask, np.where(mask, CONSTANT_SCORE * node.boost, 0.0))

    def _column(self, node: wq.Term) -> tuple[np.ndarray, np.ndarray] | None:
        term = _term_bytes(self.searcher, node.fieldname, node.text)
        if term is None:
            return None
        column = self.impacts.column(node.fieldname, term)
        if column is not None:
            self.work.columns += 1
        return column

    def _term(self, node: wq.Term) -> Match:
        column = self._column(node)
        if column is None:
            return self._fallback(node)
        found = self.empty()
        docs, impacts = column
        found.mask[docs] = True
        found.scores[docs] = impacts * node.boost
        return found

    def _phrase(self, node: wq.Phrase) -> Match:
        """Candidates hold every word (arrays); positions decide (Whoosh). Whoosh scores a
        phrase as the sum of its words' scores."""
        terms = [wq.Term(node.fieldname, word, boost=node.boost) for word in node.words]
        columns = [self._column(term) for term in terms]
        if any(column is None for column in columns):
            return self._fallback(node)
        found = self.empty()
        holds = np.zeros(self.size, dtype=np.int32)
        for column in columns:
            assert column is not None
            docs, impacts = column
            found.scores[docs] += impacts * node.boost
            holds[docs] += 1
        words_needed = len(columns)
        candidates = np.flatnonzero((holds == words_needed) & self.columns.live)
        found.mask[self._verified(node, candidates, found.scores)] = True
        found.scores[~found.mask] = 0.0
        return found

    def _verified(self, node: wq.Phrase, candidates: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """The candidates (ascending) where the positions show the phrase; a request
        asks for the same phrase in several queries (main, every word, where matched)."""
        if node not in self._phrases:
            checked = self.phrases.verify(node, candidates, scores)
            self._phrases[node] = checked.docs
            self.work.verified = self.phrases.checked
            if checked.unchecked:
                self.work.unchecked[node] = checked.unchecked
        return self._phrases[node]

    def _date_range(self, node: wq.NumericRange) -> Match:
        days = np.asarray(self.columns.days[node.fieldname], dtype=np.int64)
        stamps = (days + EPOCH_ORDINAL - 1) * MICROSECONDS_PER_DAY
        mask = days != NO_DAY
        if node.start is not None:
            mask &= stamps > node.start if node.startexcl else stamps >= node.start
        if node.end is not None:
            mask &= stamps < node.end if node.endexcl else stamps <= node.end
        return Match(mask, np.where(mask, CONSTANT_SCORE * node.boost, 0.0))

    def _fallback(self, node: wq.Query) -> Match:
        """A node outside the query language's forms: ask Whoosh which documents match."""
        self.work.fallbacks.append(repr(node))
        found = self.empty()
        docs = np.fromiter(node.docs(self.searcher), dtype=np.int64)
        found.mask[docs] = True
        return found


def _term_bytes(searcher: WhooshSearcher, fieldname: str, text: str | bytes) -> bytes | None:
    if isinstance(text, bytes):
        return text
    if fieldname not in searcher.schema:
        return None
    try:
        return bytes(searcher.schema[fieldname].to_bytes(text))
    except ValueError:
        return None
