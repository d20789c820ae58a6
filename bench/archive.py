"""The archive-size benchmark (issue #9): Scoop's full search call against peers on a
synthetic news archive of 10k, 100k or 1M articles.

    python -m bench.archive --size 10k              # everything; indexes cached
    python -m bench.archive --size 10k --build-only # just generate and build (resumable)
    python -m bench.archive --size 100k --engines sqlite,tantivy,bm25s

Steps: generate the archive (``bench.generate``, JSON Lines) into the cache; build each
engine's index once in a fresh worker process and cache it under
``bench/cache/<size>-<seed>/<engine>-<key>/`` (the key holds what makes an index stale:
Scoop's ``SCHEMA_VERSION`` and ``index.impacts.FORMAT_VERSION`` when it exists, a peer's
library version); one query round per engine in a fresh worker; Scoop's autocomplete;
Scoop over HTTP (the real gunicorn server) and SQLite FTS5 behind a minimal Flask app;
optionally the ``search.reference`` comparison. Results go to
``bench/results/archive-<size>.json`` and ``.md``, and the chart to
``bench/results/archive-latency.png``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.archive_engines import ENGINES, K
from bench.archive_report import ORDER, markdown
from bench.archive_worker import schedule
from bench.generate import DEFAULT_SEED, generate, parse_size, size_label
from bench.machine import REPO, load_average, machine_info
from bench.report import write_json
from bench.stats import folder_size, latency_summary, ratio

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache"
RESULTS = HERE / "results"
MIX = HERE / "queries" / "archive_mix.json"
MB = 1024 * 1024
Log = Callable[[str], None]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class WorkerError(RuntimeError):
    """A worker failed; the message is the last line it printed to stderr."""


class KilledWorker(WorkerError):
    """A worker was killed by a signal from outside (a shared machine): worth one retry."""


def call_worker(task: dict[str, Any], timeout_s: float, relay: bool = False) -> dict[str, Any]:
    """Run ``python -m bench.archive_worker`` on ``task``; relay its stderr lines if asked."""
    with tempfile.TemporaryDirectory(prefix="scoop-archive-out-") as tmp:
        out = Path(tmp) / "result.json"
        args = [sys.executable, "-m", "bench.archive_worker", json.dumps({**task, "out": str(out)})]
        lines: list[str] = []
        with subprocess.Popen(
            args, cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        ) as proc:
            assert proc.stderr is not None
            stream = proc.stderr

            def read() -> None:
                for line in stream:
                    lines.append(line.rstrip())
                    if relay:
                        _log(f"  {line.rstrip()}")

            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise WorkerError(f"worker timed out after {timeout_s:g} s") from None
            reader.join(timeout=10)
        if proc.returncode < 0:
            raise KilledWorker(f"killed by signal {-proc.returncode} (not by the harness)")
        if proc.returncode != 0:
            shown = [line for line in lines if line.strip()]
            raise WorkerError(shown[-1] if shown else f"exit status {proc.returncode}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result


def cache_key(engine: str) -> str:
    """What makes a cached index of ``engine`` stale, as a folder-name suffix."""
    if engine == "scoop":
        from index.schema import SCHEMA_VERSION

        try:
            impacts = importlib.import_module("index.impacts")
        except ImportError:
            impacts = None
        return f"schema{SCHEMA_VERSION}-format{getattr(impacts, 'FORMAT_VERSION', 'none')}"
    if engine == "sqlite":
        import sqlite3

        return f"sqlite-{sqlite3.sqlite_version}"
    from importlib import metadata

    package = {"whoosh-textbook": "whoosh3"}.get(engine, engine)
    try:
        return f"{package}-{metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return package


def available(names: list[str], log: Log) -> tuple[list[str], dict[str, str]]:
    """The engines whose library imports, and why the others were skipped."""
    usable, skipped = [], {}
    for name in names:
        try:
            ENGINES[name]()
        except ImportError as exc:
            skipped[name] = f"{type(exc).__name__}: {exc}"
            log(f"{name}: skipped ({skipped[name]})")
            continue
        usable.append(name)
    return usable, skipped


class Archive:
    """One run: the cache folder of this size and seed, and what the run measured."""

    def __init__(self, args: argparse.Namespace, log: Log) -> None:
        self.args = args
        self.log = log
        self.size = parse_size(args.size)
        self.label = size_label(self.size)
        self.root = args.cache / f"{self.label}-{args.seed}"
        self.corpus = self.root / "corpus"
        self.jsonl = self.corpus / "articles.jsonl"
        self.started = time.monotonic()
        self.notes: list[str] = []
        self.engines: dict[str, dict[str, Any]] = {}

    def elapsed(self) -> str:
        return f"[{time.monotonic() - self.started:7.1f}s]"

    def make_corpus(self) -> dict[str, Any]:
        """Generate the archive unless the cache has it; its statistics."""
        stats_file = self.corpus / "stats.json"
        if self.jsonl.is_file() and stats_file.is_file():
            stats = json.loads(stats_file.read_text(encoding="utf-8"))
            stats["cached"] = True
            self.log(f"{self.elapsed()} corpus: cached ({stats['articles']:,} articles)")
            return stats
        self.log(f"{self.elapsed()} corpus: generating {self.size:,} articles")
        stats = generate(self.corpus, self.size, self.args.seed, ("jsonl",), log=self.log)
        stats["cached"] = False
        self.log(f"{self.elapsed()} corpus: {stats['seconds']:.1f} s")
        return stats

    def index_dir(self, engine: str) -> Path:
        return self.root / f"{engine}-{cache_key(engine)}"

    def build(self, engine: str) -> dict[str, Any] | None:
        """The cached build of ``engine``, or a new one in a fresh worker (then cached)."""
        final = self.index_dir(engine)
        record = final / "build.json"
        if record.is_file() and not self.args.rebuild:
            build = json.loads(record.read_text(encoding="utf-8"))
            build["cached"] = True
            self.log(f"{self.elapsed()} build {engine:<16} cached ({build['seconds']:.1f} s)")
            return build
        partial = final.with_name(final.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        (partial / "index").mkdir(parents=True)
        self.log(f"{self.elapsed()} build {engine:<16} starting ({self.size:,} docs)")
        task = {
            "kind": "build",
            "engine": engine,
            "jsonl": str(self.jsonl),
            "folder": str(partial / "index"),
            "docs": self.size,
        }
        try:
            build = call_worker(task, self.args.build_timeout, relay=True)
        except WorkerError as exc:
            self.fail(engine, f"build failed: {exc}")
            shutil.rmtree(partial, ignore_errors=True)
            return None
        build["index_bytes"] = folder_size(partial / "index")
        build["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        build["load_average"] = load_average()
        (partial / "build.json").write_text(json.dumps(build, indent=2), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
        build["cached"] = False
        self.log(
            f"{self.elapsed()} build {engine:<16} {build['seconds']:8.1f} s,"
            f" {build['index_bytes'] / MB:,.1f} MB, peak {build['peak_rss_kb'] / 1024:,.0f} MB"
        )
        return build

    def fail(self, engine: str, why: str) -> None:
        self.engines.setdefault(engine, {})["error"] = why
        self.log(f"{engine}: {why}")

    def query_round(self, engine: str) -> dict[str, Any] | None:
        task = {
            "kind": "query",
            "engine": engine,
            "folder": str(self.index_dir(engine) / "index"),
            "mix": str(self.args.mix),
            "seed": self.args.seed,
            "cap_s": self.args.query_cap,
        }
        try:
            try:
                result = call_worker(task, self.args.query_cap + self.args.timeout)
            except KilledWorker as exc:
                self.notes.append(f"{engine}: the first query round was {exc}; ran it again")
                self.log(f"{engine}: query round {exc}; running it again")
                result = call_worker(task, self.args.query_cap + self.args.timeout)
        except WorkerError as exc:
            self.fail(engine, f"query round failed: {exc}")
            return None
        summary = latency_summary([t["ns"] for t in result["timings"]])
        self.log(
            f"{self.elapsed()} queries {engine:<16} {summary['samples']} timed,"
            f" p50 {summary['median_ms'] or 0:,.1f} ms, p95 {summary['p95_ms'] or 0:,.1f} ms"
            + (" (stopped at the cap)" if result["capped"] else "")
        )
        return result

    def complete(self, prefixes: list[str]) -> dict[str, Any] | None:
        task = {
            "kind": "complete",
            "folder": str(self.index_dir("scoop") / "index"),
            "prefixes": prefixes,
            "passes": self.args.complete_passes,
            "cap_s": self.args.query_cap,
        }
        try:
            result = call_worker(task, self.args.query_cap + self.args.timeout)
        except WorkerError as exc:
            self.notes.append(f"autocomplete failed: {exc}")
            return None
        summary = latency_summary(result["latencies_ns"])
        self.log(
            f"{self.elapsed()} complete {len(prefixes)} prefixes x {self.args.complete_passes}:"
            f" p50 {summary['median_ms'] or 0:.2f} ms, p95 {summary['p95_ms'] or 0:.2f} ms"
        )
        return {
            **summary,
            "prefixes": len(prefixes),
            "completions": result["completions"],
            "peak_rss_mb": result["peak_rss_kb"] / 1024,
        }

    def reference(self) -> dict[str, Any] | None:
        task = {
            "kind": "reference",
            "folder": str(self.index_dir("scoop") / "index"),
            "mix": str(self.args.mix),
            "count": self.args.check_reference,
            "cap_s": self.args.query_cap * 2,
        }
        try:
            result = call_worker(task, self.args.query_cap * 2 + self.args.timeout)
        except WorkerError as exc:
            self.notes.append(f"reference check failed: {exc}")
            return None
        if result["available"]:
            d = result["differ"]
            self.log(
                f"{self.elapsed()} reference: {result['compared']} compared; differ in total"
                f" {len(d['total'])}, top-10 {len(d['top10'])}, facets {len(d['facets'])}"
            )
        else:
            self.log(f"{self.elapsed()} reference: not available ({result['why']})")
        return result


# --- HTTP -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def url_params(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``/api/search`` query string of a mix entry (``author`` repeats)."""
    params = [("q", entry["query"]), ("per_page", str(K))]
    params += [("author", name) for name in entry.get("authors") or ()]
    for key in ("since", "until", "year"):
        if entry.get(key):
            params.append((key, str(entry[key])))
    if entry.get("sort", "relevance") != "relevance":
        params.append(("sort", entry["sort"]))
    if entry.get("scope", "all") != "all":
        params.append(("in", entry["scope"]))
    return params


def http_round(
    name: str,
    command: list[str],
    env: dict[str, str],
    entries: list[dict[str, Any]],
    args: argparse.Namespace,
    log_file: Path,
    log: Log,
) -> dict[str, Any]:
    """Start a server on 127.0.0.1, wait for /healthz, send the entries one at a time within
    the count and time caps, stop the server; latencies per request (until the body is read)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [part.replace("{port}", str(port)) for part in command]
    with log_file.open("w", encoding="utf-8") as server_log:
        proc = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **env},
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ready_s = _wait_healthy(base, proc, args.http_start_timeout)
        log(f"  {name}: server up on {base} in {ready_s:.1f} s (pid {proc.pid})")
        for entry in entries[: args.http_warmup]:
            _get(base, entry, args.http_timeout)
        timings: list[dict[str, Any]] = []
        errors: dict[str, str] = {}
        deadline = time.monotonic() + args.http_cap
        capped = False
        for entry in entries[: args.http_count]:
            if time.monotonic() > deadline:
                capped = True
                break
            start = time.perf_counter_ns()
            try:
                status = _get(base, entry, args.http_timeout)
            except OSError as exc:
                errors[entry["id"]] = f"{type(exc).__name__}: {exc}"
                continue
            elapsed = time.perf_counter_ns() - start
            if status != 200:
                errors[entry["id"]] = f"HTTP {status}"
                continue
            timings.append({"id": entry["id"], "kind": entry["kind"], "ns": elapsed})
        workers = _children(proc.pid)
        memory = {
            str(pid): {
                "peak_rss_mb": (_status_kb(pid, "VmHWM") or 0) / 1024,
                "rss_mb": (_status_kb(pid, "VmRSS") or 0) / 1024,
            }
            for pid in workers
        }
    finally:
        _stop(proc)
    return {
        "timings": timings,
        "errors": errors,
        "capped": capped,
        "ready_s": ready_s,
        "workers": memory,
    }


def _get(base: str, entry: dict[str, Any], timeout: float) -> int:
    query = urllib.parse.urlencode(url_params(entry))
    try:
        with urllib.request.urlopen(f"{base}/api/search?{query}", timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        return int(error.code)


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise WorkerError(f"server exited with status {proc.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{base}/healthz", timeout=5) as response,
        ):
            if response.status == 200:
                return time.monotonic() - started
        time.sleep(0.25)
    raise WorkerError(f"/healthz not 200 within {timeout:g} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (it was started in a new session)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


# --- summaries --------------------------------------------------------------------------


def per_kind(timings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for t in timings:
        groups[t["kind"]].append(t["ns"])
    return {kind: latency_summary(ns) for kind, ns in sorted(groups.items())}


def query_summary(result: dict[str, Any]) -> dict[str, Any]:
    return {
        **latency_summary([t["ns"] for t in result["timings"]]),
        "entries": result["entries"],
        "not_applicable": len(result["not_applicable"]),
        "capped": result["capped"],
        "open_ms": result["open_ms"],
        "peak_rss_mb": result["peak_rss_kb"] / 1024,
        "rss_after_open_mb": result["rss_after_open_kb"] / 1024,
        "rss_after_warmup_mb": result["rss_after_warmup_kb"] / 1024,
        "growth_rss_mb": (result["peak_rss_kb"] - result["rss_before_kb"]) / 1024,
        "errors": result["errors"],
        "reduced": result["reduced"],
        "per_kind": per_kind(result["timings"]),
    }


def build_summary(build: dict[str, Any]) -> dict[str, Any]:
    return {
        "seconds": build["seconds"],
        "cpu_s": build["cpu_seconds"],
        "docs": build["docs"],
        "indexed": build["indexed"],
        "docs_per_s": build["docs"] / build["seconds"],
        "index_bytes": build["index_bytes"],
        "peak_rss_mb": build["peak_rss_kb"] / 1024,
        "growth_rss_mb": (build["peak_rss_kb"] - build["rss_before_kb"]) / 1024,
        "cached": build["cached"],
        "built_at": build.get("built_at"),
        "load_average_at_build": build.get("load_average"),
        "version": build.get("version"),
    }


RATIO_KEYS = {
    "build_s": ("build", "seconds"),
    "index_bytes": ("build", "index_bytes"),
    "build_peak_rss_mb": ("build", "peak_rss_mb"),
    "query_p50_ms": ("query", "median_ms"),
    "query_p95_ms": ("query", "p95_ms"),
    "query_p99_ms": ("query", "p99_ms"),
    "query_max_ms": ("query", "max_ms"),
    "query_peak_rss_mb": ("query", "peak_rss_mb"),
    "open_ms": ("query", "open_ms"),
}


def ratios(engine: dict[str, Any], base: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    out = {}
    for name, (section, key) in RATIO_KEYS.items():
        mine = (engine.get(section) or {}).get(key)
        theirs = (base.get(section) or {}).get(key)
        out[name] = {
            "engine_over_baseline": ratio(mine, theirs),
            "baseline_over_engine": ratio(theirs, mine),
        }
    return out


def _prefixes(mix: dict[str, Any]) -> list[str]:
    return list(mix.get("prefixes") or [])


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__.split("\n")[0])
    p.add_argument("--size", default="10k", help="10k, 100k, 1m (or a number of articles)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    p.add_argument("--engines", default=",".join(ORDER), help=f"comma-separated: {','.join(ORDER)}")
    p.add_argument("--rebuild", action="store_true", help="rebuild the indexes even if cached")
    p.add_argument("--build-only", action="store_true", help="generate and build, then stop")
    p.add_argument("--mix", type=Path, default=MIX, help="the query mix (JSON)")
    p.add_argument(
        "--query-cap",
        type=float,
        default=120.0,
        help="seconds after which an engine's query round stops timing",
    )
    p.add_argument(
        "--timeout", type=float, default=600.0, help="seconds a query worker may run beyond its cap"
    )
    p.add_argument("--build-timeout", type=float, default=6 * 3600.0, help="seconds per build")
    p.add_argument("--complete-passes", type=int, default=3)
    p.add_argument("--no-http", action="store_true", help="skip the HTTP rounds")
    p.add_argument("--no-http-peer", action="store_true", help="skip SQLite FTS5 over HTTP")
    p.add_argument(
        "--http-count", type=int, default=None, help="requests per server (default: the mix)"
    )
    p.add_argument("--http-cap", type=float, default=120.0, help="seconds per server (at most)")
    p.add_argument("--http-warmup", type=int, default=6)
    p.add_argument("--http-timeout", type=float, default=120.0, help="seconds per request")
    p.add_argument("--http-start-timeout", type=float, default=90.0)
    p.add_argument(
        "--check-reference",
        type=int,
        default=0,
        metavar="N",
        help="compare search.engine and search.reference on the first N entries",
    )
    p.add_argument("--cache", type=Path, default=CACHE)
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--no-chart", action="store_true")
    args = p.parse_args(argv)
    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENGINES]
    if unknown:
        p.error(f"unknown engine(s) {unknown}; known: {', '.join(ENGINES)}")
    args.engine_names = names
    return args


def run(args: argparse.Namespace, log: Log) -> dict[str, Any] | None:
    info = machine_info()
    run_ = Archive(args, log)
    names, skipped = available(args.engine_names, log)
    corpus = run_.make_corpus()
    builds = {}
    for name in [n for n in ORDER if n in names][::-1]:  # peers first: quick results early
        build = run_.build(name)
        if build is not None:
            builds[name] = build
    if args.build_only:
        return None
    mix = json.loads(args.mix.read_text(encoding="utf-8"))
    if mix.get("seed") != args.seed:
        run_.notes.append(f"the mix was made for seed {mix.get('seed')}, the corpus is {args.seed}")
    order = [n for n in names if n in builds]
    random.Random(args.seed + run_.size).shuffle(order)
    rounds = {}
    for name in order:
        result = run_.query_round(name)
        if result is not None:
            rounds[name] = result
    complete = None
    if "scoop" in builds and _prefixes(mix):
        complete = run_.complete(_prefixes(mix))
    http: dict[str, Any] = {}
    if not args.no_http:
        entries = schedule(list(mix["queries"]), args.seed)
        servers = []
        if "scoop" in builds:
            root = run_.index_dir("scoop") / "index"
            servers.append(
                (
                    "scoop",
                    [
                        sys.executable,
                        "manage.py",
                        "serve",
                        "--index",
                        str(root),
                        "--port",
                        "{port}",
                        "--workers",
                        "2",
                    ],
                    # One client sends the whole mix from one address: no rate limits.
                    {"SCOOP_RATELIMIT_ENABLED": "false"},
                )
            )
        if "sqlite" in builds and not args.no_http_peer:
            folder = run_.index_dir("sqlite") / "index"
            servers.append(
                (
                    "sqlite",
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "--workers",
                        "2",
                        "--bind",
                        "127.0.0.1:{port}",
                        "bench.fts_app:create_app()",
                    ],
                    {"SCOOP_BENCH_FTS": str(folder)},
                )
            )
        for name, command, env in servers:
            log(f"{run_.elapsed()} http {name}: starting {' '.join(command[1:4])} ...")
            try:
                result = http_round(
                    name, command, env, entries, args, run_.root / f"http-{name}.log", log
                )
            except WorkerError as exc:
                run_.notes.append(f"{name} over HTTP failed: {exc}")
                log(f"{name} over HTTP failed: {exc}")
                continue
            summary = latency_summary([t["ns"] for t in result["timings"]])
            http[name] = {
                **summary,
                "per_kind": per_kind(result["timings"]),
                "errors": result["errors"],
                "capped": result["capped"],
                "ready_s": result["ready_s"],
                "workers": result["workers"],
            }
            log(
                f"{run_.elapsed()} http {name}: {summary['samples']} requests,"
                f" p50 {summary['median_ms'] or 0:,.1f} ms, p95 {summary['p95_ms'] or 0:,.1f} ms"
            )
    reference = run_.reference() if args.check_reference and "scoop" in builds else None
    engines: dict[str, Any] = {n: {"status": "skipped", "error": why} for n, why in skipped.items()}
    for name in names:
        summary: dict[str, Any] = {"status": "ok", "error": None, **run_.engines.get(name, {})}
        if summary.get("error"):
            summary["status"] = "failed"
        if name in builds:
            summary["build"] = build_summary(builds[name])
            summary["version"] = builds[name].get("version")
        if name in rounds:
            summary["query"] = query_summary(rounds[name])
            summary["version"] = rounds[name]["version"]
        engines[name] = summary
    if "scoop" in engines and "build" in engines["scoop"]:
        for summary in engines.values():
            if "build" in summary:
                summary["vs_scoop"] = ratios(summary, engines["scoop"])
    info["load_average_end"] = load_average()
    info["bm25s"] = _version("bm25s")
    info["scoop_cache_key"] = cache_key("scoop")
    return {
        "size": run_.label,
        "docs": run_.size,
        "seed": args.seed,
        "corpus": corpus,
        "mix": {
            "file": str(args.mix.relative_to(REPO))
            if args.mix.is_relative_to(REPO)
            else str(args.mix),
            "queries": len(mix["queries"]),
            "kinds": _kind_counts(mix["queries"]),
            "seed": mix.get("seed"),
        },
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": info,
        "seconds": time.monotonic() - run_.started,
        "notes": run_.notes,
        "engines": engines,
        "complete": complete,
        "http": http,
        "reference": reference,
    }


def _kind_counts(entries: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[entry["kind"]] += 1
    return dict(sorted(counts.items()))


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    result = run(args, _log)
    if result is None:
        return 0
    args.results.mkdir(parents=True, exist_ok=True)
    write_json(result, args.results / f"archive-{result['size']}.json")
    text = markdown(result)
    (args.results / f"archive-{result['size']}.md").write_text(text, encoding="utf-8")
    print(text, end="")
    _log(f"results written to {args.results}/archive-{result['size']}.json and .md")
    if not args.no_chart:
        from bench.chart import draw

        try:
            path = draw(args.results)
        except ImportError as exc:
            _log(f"no chart ({type(exc).__name__}: {exc})")
        else:
            _log(f"chart written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
