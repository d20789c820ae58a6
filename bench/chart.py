"""The archive benchmark's chart: full search call p50 and p95 against archive size.

    python -m bench.chart [--results bench/results]

Reads every ``archive-<size>.json`` in the results folder (whichever sizes exist) and
draws, log-log, one line per engine for p50 (solid) and p95 (dashed) into
``archive-latency.png`` there. Needs matplotlib (the ``bench`` extras); uses the Agg
backend, so no display is needed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
CHART = "archive-latency.png"
COLOURS = {
    "scoop": "#d62728",
    "sqlite": "#1f77b4",
    "tantivy": "#2ca02c",
    "whoosh-textbook": "#9467bd",
    "bm25s": "#ff7f0e",
}


def points(results: Path) -> dict[str, list[tuple[int, float, float]]]:
    """Per engine: (articles, p50 ms, p95 ms), smallest archive first."""
    found: dict[str, list[tuple[int, float, float]]] = {}
    for path in sorted(results.glob("archive-*.json")):
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        for name, engine in result.get("engines", {}).items():
            q = engine.get("query") or {}
            if q.get("median_ms") and q.get("p95_ms"):
                found.setdefault(name, []).append((result["docs"], q["median_ms"], q["p95_ms"]))
    return {name: sorted(rows) for name, rows in found.items()}


def draw(results: Path = RESULTS) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    data = points(results)
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    sizes = sorted({docs for rows in data.values() for docs, _, _ in rows})
    for name, rows in sorted(data.items()):
        colour = COLOURS.get(name)
        docs = [r[0] for r in rows]
        ax.plot(docs, [r[1] for r in rows], "o-", color=colour, label=f"{name} p50")
        ax.plot(docs, [r[2] for r in rows], "s--", color=colour, alpha=0.7, label=f"{name} p95")
    ax.set_xscale("log")
    ax.set_yscale("log")
    if sizes:
        ax.set_xticks(sizes, [f"{s:,}" for s in sizes])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(sizes[0] / 2, sizes[-1] * 2)
    ax.set_xlabel("articles in the archive")
    ax.set_ylabel("full search call latency (ms, log scale)")
    ax.set_title("Archive benchmark: p50 (solid) and p95 (dashed) per engine")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2, loc="best")
    fig.tight_layout()
    out = results / CHART
    fig.savefig(out)
    plt.close(fig)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    print(draw(args.results))


if __name__ == "__main__":
    main()
