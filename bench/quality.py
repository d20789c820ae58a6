"""Ranking-quality sanity numbers (P@10, nDCG@10) computed with ir-measures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bench.corpus import Qrels

MEASURES = ("P@10", "nDCG@10")


def evaluate(
    runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Qrels]
) -> dict[str, dict[str, float]]:
    """Mean P@10 and nDCG@10 per collection over its judged queries that were run.

    A judged query with no results scores 0 (like ``trec_eval -c``) instead of
    being left out of the mean.
    """
    import ir_measures

    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    result: dict[str, dict[str, float]] = {}
    for collection, judged in qrels.items():
        asked = [q for q in judged if q in runs]
        if not asked:
            continue
        run = {q: {doc: float(-rank) for rank, doc in enumerate(runs[q])} for q in asked if runs[q]}
        totals = dict.fromkeys(MEASURES, 0.0)
        for metric in ir_measures.iter_calc(measures, {q: judged[q] for q in asked}, run):
            totals[str(metric.measure)] += metric.value
        result[collection] = {m: totals[m] / len(asked) for m in MEASURES}
        result[collection]["queries"] = len(asked)
    return result
