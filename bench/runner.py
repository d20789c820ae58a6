"""Runs the benchmark: every build and query round in a fresh worker process.

Order of work: ``builds`` builds per engine into fresh folders (engine order
shuffled per repetition), then one query round per engine against its first
build (shuffled again). Optional work follows only while the time budget
allows it (estimated from the times measured so far): further query rounds,
then one build per engine of the corpus replicated ``replicate`` times.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import load_docs, load_qrels
from bench.engines import ENGINES, Engine
from bench.machine import REPO, load_average, machine_info
from bench.quality import evaluate
from bench.stats import folder_size, latency_summary, ratio
from index.smart import Record

Log = Callable[[str], None]
MB = 1024 * 1024
REPLICATED_SLOWDOWN = 1.3
"""Indexing n times the corpus takes up to about this times n times as long (merges)."""


@dataclass
class Config:
    """What to run and how often."""

    engines: list[str]
    data: Path
    builds: int
    rounds: int
    passes: int
    stride: int
    replicate: int
    budget_s: float
    query_cap_s: float
    timeout_s: float
    seed: int
    baseline: str
    k: int = 10


@dataclass
class _Raw:
    """Worker results collected for one engine."""

    version: str
    builds: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    replicated: dict[str, Any] | None = None
    round_s: float = 0.0
    """Wall time of the engine's last query round (worker start to end)."""
    error: str | None = None


class WorkerError(RuntimeError):
    """A worker process failed; the message is the last line it printed to stderr."""


def call_worker(task: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    """Run ``python -m bench.worker`` on ``task`` and return its JSON result."""
    with tempfile.TemporaryDirectory(prefix="scoop-bench-out-") as tmp:
        out = Path(tmp) / "result.json"
        done = subprocess.run(
            [sys.executable, "-m", "bench.worker", json.dumps({**task, "out": str(out)})],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise WorkerError(lines[-1] if lines else f"exit status {done.returncode}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result


def load_engines(names: list[str], log: Log) -> tuple[dict[str, str], dict[str, str]]:
    """Make each named engine once: (name -> version) of usable ones, (name -> why) of skipped."""
    usable: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for name in names:
        try:
            engine: Engine = ENGINES[name]()
        except ImportError as exc:
            skipped[name] = f"{type(exc).__name__}: {exc}"
            log(f"{name}: skipped ({skipped[name]})")
            continue
        usable[name] = engine.version()
    return usable, skipped


class _Run:
    """State of one benchmark run: temp folders, raw results, progress log."""

    def __init__(self, config: Config, engines: dict[str, str], root: Path, log: Log) -> None:
        self.config = config
        self.root = root
        self.log = log
        self.rng = random.Random(config.seed)
        self.raw = {name: _Raw(version) for name, version in engines.items()}
        self.started = time.monotonic()
        self.notes: list[str] = []

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self.started

    def order(self) -> list[str]:
        """The engines still working, in a fresh random order."""
        names = [name for name, raw in self.raw.items() if raw.error is None]
        self.rng.shuffle(names)
        return names

    def attempt(self, name: str, task: dict[str, Any]) -> dict[str, Any] | None:
        """Run one worker task for ``name``; on failure mark the engine failed."""
        task = {**task, "engine": name, "data": str(self.config.data)}
        try:
            result = call_worker(task, self.config.timeout_s)
        except WorkerError as exc:
            message = str(exc)
        except subprocess.TimeoutExpired:
            message = f"worker timed out after {self.config.timeout_s:g} s"
        else:
            return result
        self.raw[name].error = message
        self.log(f"{name}: failed ({message})")
        return None

    def build(self, name: str, label: str, replicate: int) -> dict[str, Any] | None:
        """Build ``name``'s index into ``root/name/label``; add its size to the result."""
        folder = self.root / name / label
        scratch = self.root / name / f"{label}-scratch"
        folder.mkdir(parents=True)
        scratch.mkdir(parents=True)
        task = {
            "kind": "build",
            "folder": str(folder),
            "scratch": str(scratch),
            "replicate": replicate,
        }
        result = self.attempt(name, task)
        shutil.rmtree(scratch)
        if result is not None:
            result["index_bytes"] = folder_size(folder)
            self.log(
                f"[{self.elapsed():6.1f}s] {label:<10} {name:<16} {result['seconds']:7.2f} s "
                f"{result['docs']} docs, {result['index_bytes'] / MB:.1f} MB on disk"
            )
        return result

    def run_builds(self) -> None:
        """``builds`` repetitions; only the first build's index is kept (for queries)."""
        for rep in range(self.config.builds):
            for name in self.order():
                label = f"build-{rep + 1}"
                result = self.build(name, label, 1)
                if result is not None:
                    self.raw[name].builds.append(result)
                if rep > 0:
                    shutil.rmtree(self.root / name / label)

    def fits(self, name: str, what: str, estimate_s: float) -> bool:
        """Whether optional work of about ``estimate_s`` ends within the budget; note it if not."""
        left = self.config.budget_s - self.elapsed()
        if estimate_s <= left:
            return True
        note = (
            f"{name}: {what} skipped (needs about {estimate_s:.0f} s;"
            f" {max(left, 0):.0f} s of the {self.config.budget_s:g} s budget left)"
        )
        self.notes.append(note)
        self.log(note)
        return False

    def query_round(self, name: str, rnd: int) -> None:
        """One query round of ``name`` in a fresh process."""
        task = {
            "kind": "query",
            "folder": str(self.root / name / "build-1"),
            "stride": self.config.stride,
            "passes": self.config.passes,
            "seed": self.config.seed + rnd,
            "k": self.config.k,
            "cap_s": self.config.query_cap_s,
        }
        started = time.monotonic()
        result = self.attempt(name, task)
        if result is None:
            return
        raw = self.raw[name]
        raw.round_s = time.monotonic() - started
        raw.rounds.append(result)
        timed = len(result["latencies_ns"])
        summary = latency_summary(result["latencies_ns"])
        self.log(
            f"[{self.elapsed():6.1f}s] queries-{rnd + 1:<2} {name:<16} {timed} timed, "
            f"median {summary['median_ms'] or 0:.2f} ms, p99 {summary['p99_ms'] or 0:.2f} ms"
        )
        if result["capped"]:
            self.notes.append(
                f"{name}: query round {rnd + 1} stopped at the {self.config.query_cap_s:g} s cap"
                f" after {timed} timed queries"
            )

    def run_queries(self) -> None:
        """The first query round for every engine, then more rounds while the budget allows.

        Extra rounds go cheapest engine first, so a slow engine does not crowd
        out the others.
        """
        for name in self.order():
            self.query_round(name, 0)
        for rnd in range(1, self.config.rounds):
            for name in sorted(self.order(), key=lambda n: self.raw[n].round_s):
                if self.fits(name, f"query round {rnd + 1}", self.raw[name].round_s):
                    self.query_round(name, rnd)

    def run_replicated(self) -> None:
        """One build per engine of the replicated corpus, cheapest first, within the budget."""
        factor = self.config.replicate
        if factor <= 1:
            return
        estimates = {
            name: REPLICATED_SLOWDOWN * factor * statistics.median(b["seconds"] for b in raw.builds)
            for name, raw in self.raw.items()
            if raw.builds and raw.error is None
        }
        for name in sorted(estimates, key=estimates.__getitem__):
            if self.fits(name, f"x{factor} build", estimates[name]):
                self.raw[name].replicated = self.build(name, f"x{factor}", factor)
                shutil.rmtree(self.root / name / f"x{factor}")


def _mb(kb: float) -> float:
    """KiB (ru_maxrss units) to MiB."""
    return kb / 1024


def _build_summary(builds: list[dict[str, Any]]) -> dict[str, Any]:
    """Best/median build time, throughput, size and memory over the repetitions."""
    seconds = [b["seconds"] for b in builds]
    docs = builds[0]["docs"]
    median_s = statistics.median(seconds)
    return {
        "docs": docs,
        "indexed": builds[0]["indexed"],
        "runs_s": seconds,
        "cpu_s": statistics.median(b["cpu_seconds"] for b in builds),
        "best_s": min(seconds),
        "median_s": median_s,
        "docs_per_s": docs / median_s,
        "best_docs_per_s": docs / min(seconds),
        "index_bytes": statistics.median(b["index_bytes"] for b in builds),
        "peak_rss_mb": _mb(max(b["peak_rss_kb"] for b in builds)),
        "growth_rss_mb": _mb(max(b["peak_rss_kb"] - b["rss_before_kb"] for b in builds)),
    }


def _same_results(rounds: list[dict[str, Any]]) -> bool:
    """Whether every round returned the same hits for the queries it shares with the first."""
    first = rounds[0]["runs"]
    return all(hits == first.get(q, hits) for r in rounds for q, hits in r["runs"].items())


def _query_summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Pooled latency statistics, open time and memory over the query rounds."""
    latencies = [ns for r in rounds for ns in r["latencies_ns"]]
    return {
        **latency_summary(latencies),
        "queries": rounds[0]["queries"],
        "rounds": len(rounds),
        "open_ms": statistics.median(r["open_ms"] for r in rounds),
        "peak_rss_mb": _mb(max(r["peak_rss_kb"] for r in rounds)),
        "growth_rss_mb": _mb(max(r["peak_rss_kb"] - r["rss_before_kb"] for r in rounds)),
        "same_results_every_round": _same_results(rounds),
        "failed_queries": rounds[0]["errors"],
    }


RATIO_KEYS: dict[str, tuple[str, str]] = {
    "build_median_s": ("build", "median_s"),
    "index_bytes": ("build", "index_bytes"),
    "build_peak_rss_mb": ("build", "peak_rss_mb"),
    "query_median_ms": ("query", "median_ms"),
    "query_p95_ms": ("query", "p95_ms"),
    "query_p99_ms": ("query", "p99_ms"),
    "query_peak_rss_mb": ("query", "peak_rss_mb"),
    "replicated_build_s": ("build_replicated", "seconds"),
}
"""Quantities compared against the baseline engine: (section, key) in an engine's summary."""


def _ratios(engine: dict[str, Any], base: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """``engine / baseline`` and ``baseline / engine`` for each of RATIO_KEYS."""
    result: dict[str, dict[str, float | None]] = {}
    for name, (section, key) in RATIO_KEYS.items():
        mine = (engine.get(section) or {}).get(key)
        theirs = (base.get(section) or {}).get(key)
        result[name] = {
            "engine_over_baseline": ratio(mine, theirs),
            "baseline_over_engine": ratio(theirs, mine),
        }
    return result


def _corpus_ids(runs: dict[str, list[str]], engine: type[Engine], docs: list[Record]) -> Any:
    """``runs`` with the engine's result ids turned back into corpus document ids."""
    to_corpus = {engine.result_id(d.id): d.id for d in docs}
    return {q: [to_corpus.get(hit, hit) for hit in hits] for q, hits in runs.items()}


def summarize(run: _Run, skipped: dict[str, str]) -> dict[str, Any]:
    """Turn raw worker results into the per-engine summary of the JSON result."""
    qrels = load_qrels(run.config.data)
    docs = load_docs(run.config.data)
    engines: dict[str, Any] = {
        name: {"status": "skipped", "error": why} for name, why in skipped.items()
    }
    for name, raw in run.raw.items():
        summary: dict[str, Any] = {
            "status": "failed" if raw.error else "ok",
            "error": raw.error,
            "version": raw.version,
        }
        if raw.builds:
            summary["build"] = _build_summary(raw.builds)
        if raw.replicated:
            r = raw.replicated
            summary["build_replicated"] = {
                "docs": r["docs"],
                "indexed": r["indexed"],
                "seconds": r["seconds"],
                "cpu_s": r["cpu_seconds"],
                "docs_per_s": r["docs"] / r["seconds"],
                "index_bytes": r["index_bytes"],
                "peak_rss_mb": _mb(r["peak_rss_kb"]),
                "growth_rss_mb": _mb(r["peak_rss_kb"] - r["rss_before_kb"]),
            }
        if raw.rounds:
            summary["query"] = _query_summary(raw.rounds)
            runs = _corpus_ids(raw.rounds[0]["runs"], ENGINES[name], docs)
            try:
                summary["quality"] = evaluate(runs, qrels)
            except ImportError as exc:
                run.notes.append(f"{name}: no quality numbers ({type(exc).__name__}: {exc})")
        engines[name] = summary
    return engines


def choose_baseline(wanted: str, engines: dict[str, Any]) -> str | None:
    """``wanted`` if it built an index, else whoosh-textbook, else the first engine that did."""
    built = [name for name, summary in engines.items() if "build" in summary]
    for name in (wanted, "whoosh-textbook", *built):
        if name in built:
            return name
    return None


def run_benchmark(config: Config, log: Log) -> dict[str, Any]:
    """Run everything ``config`` asks for and return the JSON-ready result."""
    started = time.monotonic()
    info = machine_info()
    usable, skipped = load_engines(config.engines, log)
    root = Path(tempfile.mkdtemp(prefix="scoop-bench-"))
    run = _Run(config, usable, root, log)
    try:
        run.run_builds()
        run.run_queries()
        run.run_replicated()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    engines = summarize(run, skipped)
    baseline = choose_baseline(config.baseline, engines)
    if baseline is not None:
        for summary in engines.values():
            if "build" in summary:
                summary["vs_baseline"] = _ratios(summary, engines[baseline])
    info["load_average_end"] = load_average()
    return {
        "config": {**config.__dict__, "data": str(config.data)},
        "machine": info,
        "seconds": time.monotonic() - started,
        "baseline": baseline,
        "notes": run.notes,
        "engines": engines,
    }
