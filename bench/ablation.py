"""Ablation of Scoop's ranking: each technique turned off alone, per collection, with its
query-time cost.

    python -m bench.ablation --out bench/results/ablation

Every variant indexes the four shared collections afresh (the idf is baked into the
impacts) and runs their judged queries through ``bench.relevance``'s Scoop row (the
code of ``manage.py eval``).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from pathlib import Path

from bench.relevance import (
    Row,
    TestCollection,
    collection_arguments,
    load_shared,
    scoop_row,
    write_results,
)


def _whoosh_idf(doc_frequency: int, doc_count: int) -> float:
    """Whoosh's own idf, ln(N / (df + 1)) + 1: the one Scoop used before."""
    return math.log(doc_count / (doc_frequency + 1)) + 1


@contextmanager
def _patched(module: object, name: str, value: object) -> Iterator[None]:
    before = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, before)


def _whoosh_idf_everywhere() -> AbstractContextManager[None]:
    import index.impacts as impacts
    import search.feedback as feedback
    import search.ranking as ranking

    stack = ExitStack()
    for module in (impacts, ranking, feedback):
        stack.enter_context(_patched(module, "idf", _whoosh_idf))
    return stack


def _each_word_once() -> AbstractContextManager[None]:
    import search.ranking as ranking

    return _patched(ranking, "REPEAT_K3", 0.0)


def _no_feedback() -> AbstractContextManager[None]:
    import search.feedback as feedback

    return _patched(feedback, "DOCS", 0)


VARIANTS: dict[str, Callable[[], AbstractContextManager[None]]] = {
    "defaults": nullcontext,
    "− RSJ idf (Whoosh's idf)": _whoosh_idf_everywhere,
    "− repeated words count (each word once)": _each_word_once,
    "− feedback": _no_feedback,
}


def measure_variants(collections: list[TestCollection], scratch: Path) -> dict[str, list[Row]]:
    """Scoop's rows on every collection under each variant."""
    results = {}
    for number, (label, make) in enumerate(VARIANTS.items()):
        rows = []
        with make():
            for c in collections:
                folder = scratch / f"{number}"
                folder.mkdir(exist_ok=True)
                rows.append(scoop_row(c, folder))
        results[label] = rows
        print(label, " ".join(f"{r.measures['nDCG@10']:.3f}/{r.measures['MAP']:.3f}" for r in rows))
    return results


def table(results: dict[str, list[Row]], names: list[str]) -> str:
    """nDCG@10 / MAP per collection and the mean ms per query, one row per variant."""
    lines = [
        "| variant | " + " | ".join(f"{n} nDCG@10 / MAP" for n in names) + " | ms/query (mean) |",
        "|---|" + "---:|" * (len(names) + 1),
    ]
    for label, rows in results.items():
        cells = " | ".join(f"{r.measures['nDCG@10']:.3f} / {r.measures['MAP']:.3f}" for r in rows)
        mean_ms = sum(r.mean_ms for r in rows) / len(rows)
        lines.append(f"| {label} | {cells} | {mean_ms:.1f} |")
    return "\n".join(lines)


def main() -> None:
    args = collection_arguments(__doc__).parse_args()
    collections = load_shared(args.data)
    with tempfile.TemporaryDirectory() as scratch:
        results = measure_variants(collections, Path(scratch))
    text = table(results, [c.name for c in collections])
    print("\n" + text)
    write_results(args.out, text)


if __name__ == "__main__":
    main()
