"""One measurement in a fresh process, so its peak memory is its own.

Run as ``python -m bench.worker '<task json>'``; the result is written as JSON
to the task's ``out`` path. Tasks:

- ``build``: load the corpus, make the engine, ``prepare`` (untimed), then
  time ``build`` into ``folder``.
- ``query``: load the queries, open the index in ``folder`` (timed apart),
  warm up on a sample of queries, then time ``passes`` passes over all the
  queries, each in a shuffled order (see ``run_queries``).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.corpus import Query, load_docs, load_queries
from bench.engines import ENGINES

WARMUP_SHARE = 10
WARMUP_MIN, WARMUP_MAX = 5, 30
"""Untimed warm-up: a random sample of 1/WARMUP_SHARE of the queries, within these bounds."""


def _max_rss_kb() -> int:
    """This process's peak resident set size so far, in KiB (Linux units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds() -> float:
    """User plus system CPU time of this process (all its threads) and of its children
    that have ended (an engine's indexing workers) so far."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _tree_rss_kb(root: int) -> int:
    """The resident set size of process ``root`` and all its descendants now, in KiB."""
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            stat = (folder / "stat").read_text()
            status = (folder / "status").read_text()
        except OSError:
            continue
        pid = int(folder.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        line = next((row for row in status.splitlines() if row.startswith("VmRSS:")), "")
        sizes[pid] = int(line.split()[1]) if line else 0
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, up in parents.items() if up == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(sizes.get(pid, 0) for pid in tree)


class TreeMemory:
    """Samples the summed RSS of this process and its children (an engine's worker
    processes) every ``interval`` seconds; ``peak_kb`` is the highest sum seen."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run_build(task: dict[str, Any]) -> dict[str, Any]:
    """Time one index build; report docs indexed and memory."""
    docs = load_docs(Path(task["data"]), replicate=task["replicate"])
    engine = ENGINES[task["engine"]]()
    engine.prepare(docs, Path(task["scratch"]))
    rss_before = _max_rss_kb()
    cpu_before = _cpu_seconds()
    start = time.perf_counter_ns()
    indexed = engine.build(docs, Path(task["folder"]))
    elapsed = time.perf_counter_ns() - start
    return {
        "seconds": elapsed / 1e9,
        "cpu_seconds": _cpu_seconds() - cpu_before,
        "docs": len(docs),
        "indexed": indexed,
        "rss_before_kb": rss_before,
        "peak_rss_kb": _max_rss_kb(),
    }


def run_queries(task: dict[str, Any]) -> dict[str, Any]:
    """Open the index, warm up on a sample, then time every query ``passes`` times.

    Results of each query's first timed run are kept for the quality numbers.
    A query that raises is recorded (with no results) and not asked again.
    Timing stops early, marked ``capped``, ``cap_s`` seconds after the start.
    """
    queries = load_queries(Path(task["data"]))[:: task["stride"]]
    k = task["k"]
    rng = random.Random(task["seed"])
    engine = ENGINES[task["engine"]]()
    rss_before = _max_rss_kb()
    started = time.perf_counter_ns()
    engine.open(Path(task["folder"]))
    open_ns = time.perf_counter_ns() - started
    deadline = started + int(task["cap_s"] * 1e9)
    warmup = max(WARMUP_MIN, min(WARMUP_MAX, len(queries) // WARMUP_SHARE))
    for q in rng.sample(queries, min(warmup, len(queries))):
        with contextlib.suppress(Exception):
            engine.search(q.text, k)
    schedule: list[Query] = []
    for _ in range(task["passes"]):
        order = list(queries)
        rng.shuffle(order)
        schedule += order
    runs: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    latencies_ns: list[int] = []
    capped = False
    for q in schedule:
        if q.id in errors:
            continue
        if time.perf_counter_ns() > deadline:
            capped = True
            break
        start = time.perf_counter_ns()
        try:
            hits = engine.search(q.text, k)
        except Exception as exc:  # a failing query is reported, not fatal
            errors[q.id] = f"{type(exc).__name__}: {exc}"
            runs[q.id] = []
            continue
        latencies_ns.append(time.perf_counter_ns() - start)
        runs.setdefault(q.id, hits)
    engine.close()
    return {
        "open_ms": open_ns / 1e6,
        "queries": len(queries),
        "latencies_ns": latencies_ns,
        "warmup": warmup,
        "capped": capped,
        "runs": runs,
        "errors": errors,
        "rss_before_kb": rss_before,
        "peak_rss_kb": _max_rss_kb(),
    }


TASKS = {"build": run_build, "query": run_queries}


def main(argv: list[str]) -> int:
    """Run the task given as JSON in ``argv[0]`` and write its result file."""
    task = json.loads(argv[0])
    result = TASKS[task["kind"]](task)
    Path(task["out"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
