"""One archive-benchmark measurement in a fresh process (peak memory of its own).

Run as ``python -m bench.archive_worker '<task json>'``; the result is written as JSON to
the task's ``out`` path; progress lines go to stderr. Tasks:

- ``build``: time ``engine.build`` of the archive's JSON Lines file into ``folder``.
- ``query``: open the index (timed apart), run a few entries untimed to warm up, then time
  every entry of the mix once, in an order that keeps the kinds' proportions all along
  (``schedule``), so a round stopped by its time cap still samples the whole mix.
- ``complete``: Scoop's ``Searcher.complete`` on each prefix, ``passes`` times.
- ``reference``: the first N entries through ``search.engine.Searcher`` and
  ``search.reference.ReferenceSearcher`` (when that module exists): which differ in total,
  top-10 ids or facets.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.archive_engines import ENGINES, ScoopArchive, features
from bench.worker import TreeMemory, _cpu_seconds, _max_rss_kb

WARMUP = 10
WARMUP_CAP_S = 60.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_build(task: dict[str, Any]) -> dict[str, Any]:
    """Time one build; print progress with a rate and an estimate of the time left."""
    engine = ENGINES[task["engine"]]()
    total = task["docs"]
    rss_before = _max_rss_kb()
    cpu_before = _cpu_seconds()
    start = time.perf_counter_ns()
    last = [0.0]

    def progress(done: int) -> None:
        elapsed = (time.perf_counter_ns() - start) / 1e9
        if elapsed - last[0] < task.get("progress_s", 10.0) and done != total:
            return
        last[0] = elapsed
        rate = done / elapsed if elapsed else 0.0
        left = (total - done) / rate if rate else 0.0
        _log(
            f"{task['engine']}: indexed {done:,}/{total:,} ({rate:,.0f} docs/s,"
            f" {elapsed:,.0f} s so far, about {left:,.0f} s left)"
        )

    with TreeMemory() as tree:
        indexed = engine.build(Path(task["jsonl"]), Path(task["folder"]), progress)
    elapsed = time.perf_counter_ns() - start
    return {
        "seconds": elapsed / 1e9,
        "cpu_seconds": _cpu_seconds() - cpu_before,
        "docs": total,
        "indexed": indexed,
        "rss_before_kb": rss_before,
        # With worker processes (Scoop, tantivy's threads are in-process) the peak of the
        # whole process tree, sampled; else this process's own high-water mark.
        "peak_rss_kb": max(_max_rss_kb(), tree.peak_kb),
        "version": engine.version(),
    }


def schedule(entries: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """All entries, interleaved so that every stretch of the order holds the kinds in the
    mix's proportions (each kind's entries shuffled): a round stopped by its time cap still
    samples every kind, and its overall percentiles still describe the mix."""
    rng = random.Random(seed)
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_kind[entry["kind"]].append(entry)
    keyed: list[tuple[float, str, dict[str, Any]]] = []
    for kind in sorted(by_kind):
        queue = by_kind[kind]
        rng.shuffle(queue)
        keyed += [((j + rng.random()) / len(queue), e["id"], e) for j, e in enumerate(queue)]
    return [entry for _key, _id, entry in sorted(keyed, key=lambda item: item[:2])]


def run_queries(task: dict[str, Any]) -> dict[str, Any]:
    """Open, warm up, then time each applicable entry once within ``cap_s`` seconds."""
    mix = json.loads(Path(task["mix"]).read_text(encoding="utf-8"))["queries"]
    engine = ENGINES[task["engine"]]()
    skipped = [e["id"] for e in mix if not engine.browses and not _has_words(e)]
    entries = [e for e in mix if e["id"] not in skipped]
    rss_before = _max_rss_kb()
    started = time.perf_counter_ns()
    engine.open(Path(task["folder"]))
    open_ns = time.perf_counter_ns() - started
    rss_after_open = _max_rss_kb()
    rng = random.Random(task["seed"])
    warm_until = time.perf_counter() + WARMUP_CAP_S
    for entry in rng.sample(entries, min(WARMUP, len(entries))):
        if time.perf_counter() > warm_until:
            break
        try:
            engine.search(entry)
        except Exception as exc:  # reported in the timed pass
            _log(f"{engine.name}: warm-up {entry['id']} raised {type(exc).__name__}: {exc}")
    rss_after_warmup = _max_rss_kb()
    deadline = time.perf_counter() + task["cap_s"]
    timings: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    capped = False
    for entry in schedule(entries, task["seed"]):
        if time.perf_counter() > deadline:
            capped = True
            break
        start = time.perf_counter_ns()
        try:
            ids, total = engine.search(entry)
        except Exception as exc:  # a failing query is reported, not fatal
            errors[entry["id"]] = f"{type(exc).__name__}: {exc}"
            continue
        elapsed = time.perf_counter_ns() - start
        timings.append(
            {"id": entry["id"], "kind": entry["kind"], "ns": elapsed, "hits": ids, "total": total}
        )
    engine.close()
    reduced: dict[str, int] = defaultdict(int)
    for entry in entries:
        for feature in features(entry) - engine.supports:
            reduced[feature] += 1
    return {
        "open_ms": open_ns / 1e6,
        "entries": len(entries),
        "not_applicable": skipped,
        "timings": timings,
        "errors": errors,
        "capped": capped,
        "reduced": dict(reduced),
        "rss_before_kb": rss_before,
        "rss_after_open_kb": rss_after_open,
        "rss_after_warmup_kb": rss_after_warmup,
        "peak_rss_kb": _max_rss_kb(),
        "version": engine.version(),
    }


def _has_words(entry: dict[str, Any]) -> bool:
    return any(ch.isalnum() for ch in entry["query"])


def run_complete(task: dict[str, Any]) -> dict[str, Any]:
    """Time Scoop's autocomplete on each prefix ``passes`` times (after one untimed pass)."""
    engine = ScoopArchive()
    engine.open(Path(task["folder"]))
    prefixes = task["prefixes"]
    for prefix in prefixes[:WARMUP]:
        engine.complete(prefix)
    latencies: list[int] = []
    counts: dict[str, int] = {}
    deadline = time.perf_counter() + task["cap_s"]
    for _ in range(task["passes"]):
        for prefix in prefixes:
            if time.perf_counter() > deadline:
                break
            start = time.perf_counter_ns()
            found = engine.complete(prefix)
            latencies.append(time.perf_counter_ns() - start)
            counts[prefix] = len(found)
    engine.close()
    return {"latencies_ns": latencies, "completions": counts, "peak_rss_kb": _max_rss_kb()}


def _facets(response: Any) -> dict[str, list[tuple[str, int]]]:
    return {name: [(v.value, v.count) for v in values] for name, values in response.facets.items()}


def run_reference(task: dict[str, Any]) -> dict[str, Any]:
    """Compare Scoop's searcher with ``search.reference.ReferenceSearcher`` on N entries."""
    try:
        module = importlib.import_module("search.reference")
    except ImportError as exc:
        return {"available": False, "why": f"{type(exc).__name__}: {exc}"}
    reference_class = getattr(module, "ReferenceSearcher", None)
    if reference_class is None:
        return {"available": False, "why": "search.reference has no ReferenceSearcher"}
    mix = json.loads(Path(task["mix"]).read_text(encoding="utf-8"))["queries"][: task["count"]]
    scoop = ScoopArchive()
    scoop.open(Path(task["folder"]))
    reference = reference_class(Path(task["folder"]))
    compared = 0
    differ = {"total": [], "top10": [], "facets": [], "error": []}
    deadline = time.perf_counter() + task["cap_s"]
    capped = False
    for entry in mix:
        if time.perf_counter() > deadline:
            capped = True
            break
        request = scoop.request(entry)
        try:
            mine = scoop.searcher.search(request)
            theirs = reference.search(request)
        except Exception as exc:
            differ["error"].append({"id": entry["id"], "error": f"{type(exc).__name__}: {exc}"})
            continue
        compared += 1
        if mine.total != theirs.total:
            differ["total"].append({"id": entry["id"], "scoop": mine.total, "ref": theirs.total})
        if [h.id for h in mine.hits] != [h.id for h in theirs.hits]:
            differ["top10"].append({"id": entry["id"]})
        if _facets(mine) != _facets(theirs):
            differ["facets"].append({"id": entry["id"]})
    scoop.close()
    close = getattr(reference, "close", None)
    if callable(close):
        close()
    return {
        "available": True,
        "asked": len(mix),
        "compared": compared,
        "capped": capped,
        "differ": differ,
    }


TASKS = {
    "build": run_build,
    "query": run_queries,
    "complete": run_complete,
    "reference": run_reference,
}


def main(argv: list[str]) -> int:
    task = json.loads(argv[0])
    result = TASKS[task["kind"]](task)
    Path(task["out"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
