"""Markdown tables for stdout and the JSON result file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus import COLLECTIONS
from bench.quality import MEASURES

MB = 1024 * 1024

Show = Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    """A table column: its header, where its value is in a summary, how to show it."""

    header: str
    section: str
    key: str
    show: Show


def _num(digits: int, scale: float = 1.0) -> Show:
    """Show a number divided by ``scale`` with ``digits`` decimals, a dash when missing."""

    def show(value: float | None) -> str:
        return "–" if value is None else f"{value / scale:,.{digits}f}"

    return show


def _ratio(value: dict[str, float | None] | None) -> str:
    """Show engine/baseline; below 1 also inverted (``0.25 (1/4.0)``), which reads easier."""
    r = value["engine_over_baseline"] if value else None
    if r is None:
        return "–"
    if 0 < r < 1:
        inverse = 1 / r
        return f"{r:.2g} (1/{inverse:.1f})" if inverse < 100 else f"{r:.2g} (1/{inverse:.0f})"
    return f"{r:.2f}"


def _measure(name: str) -> Show:
    """Show one measure out of a collection's quality numbers."""

    def show(value: dict[str, float] | None) -> str:
        return _num(3)((value or {}).get(name))

    return show


def _table(engines: dict[str, Any], columns: list[Column], skip: str = "") -> list[str]:
    """Markdown table with a row per engine that has the first column's section."""
    lines = ["| engine | " + " | ".join(c.header for c in columns) + " |"]
    lines.append("|:---|" + "|".join(["---:"] * len(columns)) + "|")
    for name, summary in engines.items():
        if columns[0].section not in summary or name == skip:
            continue
        cells = [c.show((summary.get(c.section) or {}).get(c.key)) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


SPEED = [
    Column("build median s", "build", "median_s", _num(2)),
    Column("build best s", "build", "best_s", _num(2)),
    Column("docs/s", "build", "docs_per_s", _num(0)),
    Column("index MB", "build", "index_bytes", _num(1, MB)),
    Column("build peak MB", "build", "peak_rss_mb", _num(0)),
    Column("open ms", "query", "open_ms", _num(1)),
    Column("timed", "query", "samples", _num(0)),
    Column("query p50 ms", "query", "median_ms", _num(2)),
    Column("p95 ms", "query", "p95_ms", _num(2)),
    Column("p99 ms", "query", "p99_ms", _num(2)),
    Column("queries/s", "query", "qps", _num(0)),
    Column("query peak MB", "query", "peak_rss_mb", _num(0)),
]
RATIOS = [
    Column("build time", "vs_baseline", "build_median_s", _ratio),
    Column("index size", "vs_baseline", "index_bytes", _ratio),
    Column("build mem", "vs_baseline", "build_peak_rss_mb", _ratio),
    Column("query p50", "vs_baseline", "query_median_ms", _ratio),
    Column("query p95", "vs_baseline", "query_p95_ms", _ratio),
    Column("query p99", "vs_baseline", "query_p99_ms", _ratio),
    Column("query mem", "vs_baseline", "query_peak_rss_mb", _ratio),
    Column("replicated build", "vs_baseline", "replicated_build_s", _ratio),
]
QUALITY = [
    Column(f"{c.name} {m}", "quality", c.name, _measure(m)) for c in COLLECTIONS for m in MEASURES
]
REPLICATED = [
    Column("docs", "build_replicated", "docs", _num(0)),
    Column("build s", "build_replicated", "seconds", _num(2)),
    Column("docs/s", "build_replicated", "docs_per_s", _num(0)),
    Column("index MB", "build_replicated", "index_bytes", _num(1, MB)),
    Column("build peak MB", "build_replicated", "peak_rss_mb", _num(0)),
]


def _header(result: dict[str, Any]) -> list[str]:
    """Title, machine and run parameters."""
    m, c = result["machine"], result["config"]
    docs = next((e["build"]["docs"] for e in result["engines"].values() if "build" in e), 0)
    queries = next((e["query"]["queries"] for e in result["engines"].values() if "query" in e), 0)
    load = " → ".join(str(a[0]) for a in (m["load_average_start"], m["load_average_end"]) if a)
    return [
        f"## Scoop benchmark: {docs} docs, {queries} queries, top {c['k']}",
        "",
        f"- machine: {m['cpu_count']} CPUs ({m['cpu_model']}), {m['platform']}, load avg {load}",
        f"- versions: Python {m['python']}, Whoosh {m['whoosh']}, tantivy {m['tantivy']}, "
        f"SQLite {m['sqlite']}, ir-measures {m['ir_measures']}, Scoop git {m['scoop_git']}",
        f"- run: {c['builds']} build(s) per engine; up to {c['rounds']} query round(s) per"
        f" engine, each in a new process: a few untimed warm-up queries, then {c['passes']}"
        f" timed pass(es) over all queries; seed {c['seed']}; took {result['seconds']:.0f} s",
    ]


def _notes(result: dict[str, Any]) -> list[str]:
    """Skipped or failed engines, incomplete builds, unstable results, run notes."""
    engines = result["engines"]
    notes = [f"- {n}: {e['status']} ({e['error']})" for n, e in engines.items() if e["error"]]
    notes += [
        f"- {n}: indexed {e['build']['indexed']} of {e['build']['docs']} documents"
        for n, e in engines.items()
        if "build" in e and e["build"]["indexed"] != e["build"]["docs"]
    ]
    for n, e in engines.items():
        failed = (e.get("query") or {}).get("failed_queries") or {}
        if failed:
            first = next(iter(failed.items()))
            notes.append(
                f"- {n}: {len(failed)} of {e['query']['queries']} queries raised errors, left out"
                f" of the timings and scored 0 (first: {first[0]}: {first[1]})"
            )
    notes += [
        f"- {n}: results differ between query rounds"
        for n, e in engines.items()
        if "query" in e and not e["query"]["same_results_every_round"]
    ]
    return notes + [f"- {note}" for note in result["notes"]]


def markdown(result: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    engines = result["engines"]
    baseline = result["baseline"]
    lines = _header(result)
    lines += ["", "### Speed, size, memory (lower is better, except docs/s and queries/s)", ""]
    lines += _table(engines, SPEED)
    if sum("vs_baseline" in e for e in engines.values()) > 1:
        lines += [
            "",
            f"### Ratios: engine / {baseline} (above 1: the engine needs more time or space"
            f" than {baseline}; 1/x: it needs x times less)",
            "",
        ]
        lines += _table(engines, RATIOS, skip=baseline)
    if any("quality" in e for e in engines.values()):
        lines += ["", "### Quality sanity check (judged queries, whole merged corpus)", ""]
        lines += _table(engines, QUALITY)
    if any("build_replicated" in e for e in engines.values()):
        lines += ["", f"### Indexing x{result['config']['replicate']} corpus (one build)", ""]
        lines += _table(engines, REPLICATED)
    notes = _notes(result)
    if notes:
        lines += ["", "### Notes", "", *notes]
    return "\n".join(lines) + "\n"


def write_json(result: dict[str, Any], path: Path) -> None:
    """Write ``result`` to ``path`` atomically (via a ``.tmp`` file and rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
