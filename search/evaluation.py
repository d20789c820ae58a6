"""Relevance evaluation: run judged questions through the search ranking and measure it.

Each question runs as a person would type it, through ``Searcher.ranked_ids`` (the
ranking the page and the API show, to a depth of 1000, without highlighting). The
measures come from ``ir-measures`` (trec_eval's code through ``pytrec-eval-terrier``);
a judged question with no results scores 0 in every measure, as with ``trec_eval -c``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from index.smart import Record
from search.engine import Searcher
from search.judgements import Grades, query_numbers
from search.request import MAX_QUERY_CHARS

DEPTH = 1000
"""How many results of each question are measured (MAP is MAP@1000)."""
MEASURES = {"nDCG@10": "nDCG@10", "MAP": "AP@1000", "P@10": "P@10", "Recall@100": "R@100"}
"""Our name of each measure -> its ``ir-measures`` name."""


@dataclass(frozen=True)
class Question:
    """One query of a collection, under the id its judgements give it."""

    id: str
    text: str


Run = dict[str, list[str]]
"""Question id -> the ids of its results, best first."""


def questions_of(records: Sequence[Record], grades: Grades) -> tuple[list[Question], bool]:
    """The queries of a SMART file as questions under their judged ids, and whether the
    judgements number them by position (``search.judgements.query_numbers``)."""
    ids, by_position = query_numbers([record.id for record in records], grades)
    pairs = zip(ids, records, strict=True)
    return [Question(id, record.question) for id, record in pairs], by_position


@dataclass(frozen=True)
class Evaluation:
    """The measures over the judged questions, and what running them cost."""

    measures: dict[str, float]
    run: Run
    times_ms: list[float]
    """How long each question's search took, in ``run``'s order."""
    cut: int
    """Questions longer than the search box takes (``MAX_QUERY_CHARS``), searched cut."""

    @property
    def questions(self) -> int:
        return len(self.run)

    @property
    def mean_ms(self) -> float:
        return sum(self.times_ms) / len(self.times_ms) if self.times_ms else 0.0

    @property
    def p95_ms(self) -> float:
        """The nearest-rank 95th percentile of the search times."""
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0


def run_questions(
    searcher: Searcher, questions: Sequence[Question], names: Mapping[str, str]
) -> tuple[Run, list[float]]:
    """Each question's ranked results under their judged ids (``names``: article id ->
    judged id), and the time each search took (ms)."""
    run: Run = {}
    times: list[float] = []
    for question in questions:
        started = time.perf_counter()
        ids = searcher.ranked_ids(question.text, DEPTH)
        times.append((time.perf_counter() - started) * 1000)
        run[question.id] = [names[article] for article in ids]
    return run, times


def measure(run: Run, grades: Grades) -> dict[str, float]:
    """Mean of each measure over the judged questions (missing or empty runs score 0)."""
    try:
        import ir_measures
    except ImportError:
        raise ImportError("measuring needs ir-measures: pip install 'scoop[eval]'") from None
    judged = {query: docs for query, docs in grades.items() if query in run}
    if not judged:
        raise ValueError("none of the questions run has judgements")
    scored = {
        query: {doc: float(len(ids) - rank) for rank, doc in enumerate(ids)}
        for query, ids in run.items()
        if query in judged and ids
    }
    names = {ir_measures.parse_measure(ours): theirs for theirs, ours in MEASURES.items()}
    totals = dict.fromkeys(MEASURES, 0.0)
    for metric in ir_measures.iter_calc(list(names), judged, scored):
        totals[names[metric.measure]] += metric.value
    return {name: total / len(judged) for name, total in totals.items()}


def evaluate(
    searcher: Searcher,
    questions: Sequence[Question],
    grades: Grades,
    names: Mapping[str, str],
) -> Evaluation:
    """Run the judged ``questions`` and measure the ranking against ``grades``."""
    judged = [question for question in questions if question.id in grades]
    run, times = run_questions(searcher, judged, names)
    return Evaluation(
        measures=measure(run, grades),
        run=run,
        times_ms=times,
        cut=sum(len(question.text) > MAX_QUERY_CHARS for question in judged),
    )


def write_run(run: Run, handle: TextIO, tag: str = "scoop") -> None:
    """Write ``run`` as a TREC run file: ``query Q0 document rank score tag``."""
    for query, ids in run.items():
        for rank, doc in enumerate(ids, start=1):
            handle.write(f"{query} Q0 {doc} {rank} {len(ids) - rank + 1} {tag}\n")
