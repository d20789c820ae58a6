"""What autocomplete costs per keystroke on an archive-sized index.

    python -m bench.suggest --index DIR [--queries bench/queries/archive_mix.json]

Types each plain query of the archive mix one character at a time (``h``, ``ha``,
``har``… ``harbour b``…) and times ``Searcher.suggestions`` for every prefix after the
first (the completions, bylines and headlines the search box shows), after one warm-up
pass. Prints the median, p95 and p99 in milliseconds and how many prefixes got each
kind of suggestion.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from search.engine import Searcher

QUERIES = Path(__file__).with_name("queries") / "archive_mix.json"
MAX_QUERIES = 200


def prefixes(path: Path, limit: int = MAX_QUERIES) -> list[str]:
    """Every prefix of two or more characters of the mix's plain-word queries."""
    texts = [entry["query"] for entry in json.loads(path.read_text(encoding="utf-8"))["queries"]]
    plain = [text for text in texts if all(word.isalnum() for word in text.split())]
    return [text[:end] for text in plain[:limit] for end in range(2, len(text) + 1)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args()
    typed = prefixes(args.queries)
    engine = Searcher(args.index)
    for text in typed:
        engine.suggestions(text)
    times, kinds = [], {"completions": 0, "authors": 0, "headlines": 0}
    for text in typed:
        started = time.perf_counter()
        found = engine.suggestions(text)
        times.append((time.perf_counter() - started) * 1000)
        for kind in kinds:
            kinds[kind] += bool(getattr(found, kind))
    engine.close()
    print(
        f"{len(typed)} prefixes on {engine.generation.article_count} articles: "
        f"median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms; with completions {kinds['completions']}, "
        f"bylines {kinds['authors']}, headlines {kinds['headlines']}"
    )


if __name__ == "__main__":
    main()
