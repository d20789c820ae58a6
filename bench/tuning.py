"""Choosing Scoop's ranking settings by leave-one-collection-out over the shared collections.

    python -m bench.tuning --out bench/results/tuning

Every combination of the grid below is measured on all four collections (each index-time
combination is built once, query-time settings are varied over it). For each collection
in turn, the combination with the best mean score on the *other three* is chosen and its
figures on the held-out one reported; the default is the best mean over all four. The
score of a combination on a collection is the mean of its nDCG@10 and MAP.
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
from pathlib import Path

from bench.relevance import (
    TestCollection,
    apply_settings,
    collection_arguments,
    load_shared,
    write_results,
)

INDEX_GRID = {"BM25_K1": (1.5, 2.0), "BM25_B": (0.75, 0.9)}
"""Settings baked into the impacts at index time (one build per combination)."""
QUERY_GRID = {
    "REPEAT_K3": (8.0, 1000.0),
    "feedback.DOCS": (0, 5, 8),
    "feedback.WEIGHT": (0.2, 0.35),
}
"""Settings applied when a query is read (varied over each build)."""

Figures = dict[str, dict[str, float]]
"""Collection -> measure -> value, for one combination."""


def _combinations(grid: dict[str, tuple[float, ...]]) -> list[dict[str, float]]:
    names = list(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]


def _label(settings: dict[str, float]) -> str:
    return " ".join(f"{name}={value:g}" for name, value in settings.items())


def _apply(settings: dict[str, float]) -> None:
    apply_settings([f"{name}={value}" for name, value in settings.items()])


def measure_grid(collections: list[TestCollection], scratch: Path) -> dict[str, Figures]:
    """Every combination's figures on every collection."""
    from index.build import build_index
    from index.smart import index_names, write_feed
    from search.engine import Searcher
    from search.evaluation import evaluate

    results: dict[str, Figures] = {}
    for number, built in enumerate(_combinations(INDEX_GRID)):
        _apply(built)
        searchers = {}
        for c in collections:
            folder = scratch / f"{number}-{c.name}"
            folder.mkdir()
            write_feed(c.docs, folder / "docs.jsonl")
            build_index([folder / "docs.jsonl"], folder / "index")
            searchers[c.name] = Searcher(folder / "index")
        for asked in _combinations(QUERY_GRID):
            _apply(asked)
            label = _label({**built, **asked})
            results[label] = {
                c.name: evaluate(
                    searchers[c.name], c.questions, c.grades, index_names(c.docs)
                ).measures
                for c in collections
            }
            print(label, _scores_text(results[label]), flush=True)
        for searcher in searchers.values():
            searcher.close()
    return results


def score(figures: dict[str, float]) -> float:
    """One number per collection: the mean of nDCG@10 and MAP."""
    return (figures["nDCG@10"] + figures["MAP"]) / 2


def _scores_text(figures: Figures) -> str:
    return " ".join(f"{name} {score(f):.4f}" for name, f in figures.items())


def best(results: dict[str, Figures], on: list[str]) -> str:
    """The combination with the best mean score over the collections ``on``."""
    return max(results, key=lambda label: statistics.fmean(score(results[label][c]) for c in on))


def report(results: dict[str, Figures], names: list[str]) -> str:
    """The leave-one-out folds and the chosen default, as markdown."""
    lines = [
        "| held out | chosen on the other three | nDCG@10 | MAP "
        "| best on it alone | nDCG@10 | MAP |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for held in names:
        chosen = best(results, [n for n in names if n != held])
        alone = best(results, [held])
        a, b = results[chosen][held], results[alone][held]
        lines.append(
            f"| {held} | {chosen} | {a['nDCG@10']:.3f} | {a['MAP']:.3f} "
            f"| {alone} | {b['nDCG@10']:.3f} | {b['MAP']:.3f} |"
        )
    default = best(results, names)
    lines += ["", f"Best on all four (the default): {default}", ""]
    lines += ["| collection | nDCG@10 | MAP |", "|---|---:|---:|"]
    lines += [
        f"| {n} | {results[default][n]['nDCG@10']:.3f} | {results[default][n]['MAP']:.3f} |"
        for n in names
    ]
    return "\n".join(lines)


def main() -> None:
    args = collection_arguments(__doc__).parse_args()
    collections = load_shared(args.data)
    with tempfile.TemporaryDirectory() as scratch:
        results = measure_grid(collections, Path(scratch))
    text = report(results, [c.name for c in collections])
    print("\n" + text)
    write_results(args.out, text, results)


if __name__ == "__main__":
    main()
