"""Ranking-quality sanity numbers (P@10, nDCG@10), by ``search.evaluation.measure``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bench.corpus import Qrels
from search.evaluation import measure

MEASURES = ("P@10", "nDCG@10")


def evaluate(
    runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Qrels]
) -> dict[str, dict[str, float]]:
    """Mean P@10 and nDCG@10 per collection over its judged queries that were run.

    A judged query with no results scores 0 (like ``trec_eval -c``) instead of
    being left out of the mean.
    """
    result: dict[str, dict[str, float]] = {}
    for collection, judged in qrels.items():
        asked = {q: list(runs[q]) for q in judged if q in runs}
        if not asked:
            continue
        scores = measure(asked, judged)
        result[collection] = {m: scores[m] for m in MEASURES}
        result[collection]["queries"] = len(asked)
    return result
