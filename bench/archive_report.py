"""Markdown tables of an archive benchmark result (``bench/results/archive-<size>.md``).

python -m bench.archive_report bench/results/archive-10k.json   # rewrite its .md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.report import Column, _num, _ratio, _table

MB = 1024 * 1024
ORDER = ("scoop", "sqlite", "tantivy", "whoosh-textbook", "bm25s")
"""Row and column order (the JSON file's keys are sorted)."""


def _ordered(engines: dict[str, Any]) -> dict[str, Any]:
    rank = {name: i for i, name in enumerate(ORDER)}
    return dict(sorted(engines.items(), key=lambda item: (rank.get(item[0], 99), item[0])))


BUILD = [
    Column("build s", "build", "seconds", _num(1)),
    Column("docs/s", "build", "docs_per_s", _num(0)),
    Column("CPU s", "build", "cpu_s", _num(1)),
    Column("index MB", "build", "index_bytes", _num(1, MB)),
    Column("build peak MB", "build", "peak_rss_mb", _num(0)),
]
QUERY = [
    Column("open ms", "query", "open_ms", _num(1)),
    Column("timed", "query", "samples", _num(0)),
    Column("p50 ms", "query", "median_ms", _num(2)),
    Column("p95 ms", "query", "p95_ms", _num(2)),
    Column("p99 ms", "query", "p99_ms", _num(2)),
    Column("max ms", "query", "max_ms", _num(1)),
    Column("queries/s", "query", "qps", _num(1)),
    Column("RSS after open MB", "query", "rss_after_open_mb", _num(0)),
    Column("query peak MB", "query", "peak_rss_mb", _num(0)),
]
RATIOS = [
    Column("build time", "vs_scoop", "build_s", _ratio),
    Column("index size", "vs_scoop", "index_bytes", _ratio),
    Column("build mem", "vs_scoop", "build_peak_rss_mb", _ratio),
    Column("open", "vs_scoop", "open_ms", _ratio),
    Column("p50", "vs_scoop", "query_p50_ms", _ratio),
    Column("p95", "vs_scoop", "query_p95_ms", _ratio),
    Column("p99", "vs_scoop", "query_p99_ms", _ratio),
    Column("max", "vs_scoop", "query_max_ms", _ratio),
    Column("query mem", "vs_scoop", "query_peak_rss_mb", _ratio),
]


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 1 else f"{value:.2f}"


def _kinds_table(result: dict[str, Any]) -> list[str]:
    """p50 / p95 (ms) per query kind and engine, with how many were timed."""
    engines = [n for n, e in result["engines"].items() if "query" in e]
    kinds = sorted({k for n in engines for k in result["engines"][n]["query"]["per_kind"]})
    mix_counts = result["mix"]["kinds"]
    lines = ["| kind (entries) | " + " | ".join(engines) + " |"]
    lines.append("|:---|" + "|".join(["---:"] * len(engines)) + "|")
    for kind in kinds:
        cells = []
        for name in engines:
            stats = result["engines"][name]["query"]["per_kind"].get(kind)
            if not stats or not stats["samples"]:
                cells.append("–")
                continue
            timed = stats["samples"]
            shown = f"{_ms(stats['median_ms'])} / {_ms(stats['p95_ms'])}"
            cells.append(shown if timed == mix_counts.get(kind) else f"{shown} ({timed})")
        lines.append(f"| {kind} ({mix_counts.get(kind, '?')}) | " + " | ".join(cells) + " |")
    return lines


def _engine_kinds(result: dict[str, Any], name: str) -> list[str]:
    """Every latency statistic per query kind for one engine."""
    per_kind = result["engines"][name]["query"]["per_kind"]
    lines = [
        "| kind | entries | timed | p50 ms | p95 ms | p99 ms | max ms | mean ms |",
        "|:---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, s in per_kind.items():
        lines.append(
            f"| {kind} | {result['mix']['kinds'].get(kind, '?')} | {s['samples']} |"
            f" {_ms(s['median_ms'])} | {_ms(s['p95_ms'])} | {_ms(s['p99_ms'])} |"
            f" {_ms(s['max_ms'])} | {_ms(s['mean_ms'])} |"
        )
    return lines


def _http_table(result: dict[str, Any]) -> list[str]:
    lines = [
        "| server | requests | p50 ms | p95 ms | p99 ms | max ms | worker peak RSS MB | errors |",
        "|:---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, h in result["http"].items():
        workers = ", ".join(f"{w['peak_rss_mb']:.0f}" for w in h["workers"].values()) or "–"
        lines.append(
            f"| {name} | {h['samples']} | {_ms(h['median_ms'])} | {_ms(h['p95_ms'])} |"
            f" {_ms(h['p99_ms'])} | {_ms(h['max_ms'])} | {workers} | {len(h['errors'])} |"
        )
    return lines


def _notes(result: dict[str, Any]) -> list[str]:
    notes = []
    for name, e in result["engines"].items():
        if e.get("error"):
            notes.append(f"- {name}: {e['status']} ({e['error']})")
        build = e.get("build") or {}
        if build and build["indexed"] != build["docs"]:
            notes.append(f"- {name}: indexed {build['indexed']} of {build['docs']} articles")
        q = e.get("query")
        if not q:
            continue
        if q["capped"]:
            notes.append(
                f"- {name}: the query round stopped at the {result['config']['query_cap']:g} s"
                f" cap after {q['samples']} of {q['entries']} entries (kinds taken in turn, so"
                " every kind is sampled)"
            )
        if q["reduced"]:
            parts = ", ".join(f"{feature} ({n})" for feature, n in sorted(q["reduced"].items()))
            notes.append(
                f"- {name}: entries using what it cannot apply, run without it (words only"
                f" for that part): {parts}"
            )
        if q["not_applicable"]:
            notes.append(
                f"- {name}: {q['not_applicable']} entries without words (browsing) not asked"
            )
        if q["errors"]:
            first = next(iter(q["errors"].items()))
            notes.append(
                f"- {name}: {len(q['errors'])} entries raised errors, not timed"
                f" (first: {first[0]}: {first[1]})"
            )
    for name, h in result["http"].items():
        if h["capped"]:
            notes.append(f"- {name} over HTTP: stopped at the time cap after {h['samples']}")
        if h["errors"]:
            first = next(iter(h["errors"].items()))
            notes.append(f"- {name} over HTTP: {len(h['errors'])} errors (first: {first})")
    return notes + [f"- {note}" for note in result["notes"]]


def markdown(result: dict[str, Any]) -> str:
    result = {**result, "engines": _ordered(result["engines"])}
    m, c, cfg = result["machine"], result["corpus"], result["config"]
    load = " → ".join(str(a[0]) for a in (m["load_average_start"], m["load_average_end"]) if a)
    engines = result["engines"]
    lines = [
        f"## Scoop archive benchmark: {result['docs']:,} articles ({result['size']}),"
        f" {result['mix']['queries']} queries, top 10",
        "",
        f"- corpus: seed {result['seed']}, {c['articles']:,} articles,"
        f" {c['mean_body_words']:.0f} body words and {c['mean_captions']:.1f} captions on"
        f" average, {c['mean_authors']:.2f} authors of {c['author_pool']}, dates"
        f" {c['dates'][0]} to {c['dates'][1]}; generated in {c['seconds']:.1f} s",
        f"- machine: {m['cpu_count']} CPUs ({m['cpu_model']}), {m['platform']}, load avg {load}",
        f"- versions: Python {m['python']}, Whoosh {m['whoosh']}, tantivy {m['tantivy']},"
        f" SQLite {m['sqlite']}, bm25s {m['bm25s']}, Scoop git {m['scoop_git']}"
        f" (index {m['scoop_cache_key']})",
        f"- run: one query round per engine in a fresh process, a few untimed warm-up"
        f" entries, then every entry once (cap {cfg['query_cap']:g} s per engine);"
        f" took {result['seconds']:.0f} s (builds cached: "
        + ", ".join(
            f"{n} {'yes' if e['build']['cached'] else 'no'}"
            for n, e in engines.items()
            if "build" in e
        )
        + ")",
        "",
        "### Indexing (one build, fresh process; cached builds show their original numbers)",
        "",
        *_table(engines, BUILD),
        "",
        "### Full search call, every entry of the mix (lower is better)",
        "",
        *_table(engines, QUERY),
    ]
    if "scoop" in engines and "vs_scoop" in engines["scoop"]:
        lines += [
            "",
            "### Ratios: engine / Scoop (above 1: needs more time or space than Scoop;"
            " 1/x: x times less)",
            "",
            *_table(engines, RATIOS, skip="scoop"),
        ]
    lines += ["", "### p50 / p95 ms per query kind (timed count when not all)", ""]
    lines += _kinds_table(result)
    if "query" in engines.get("scoop", {}):
        lines += ["", "### Scoop per query kind (p99 and max of every engine: JSON)", ""]
        lines += _engine_kinds(result, "scoop")
    if result.get("complete"):
        a = result["complete"]
        lines += [
            "",
            "### Autocomplete (Scoop `Searcher.complete`)",
            "",
            f"{a['prefixes']} prefixes of 1-4 characters, {a['samples']} timed calls:"
            f" p50 {_ms(a['median_ms'])} ms, p95 {_ms(a['p95_ms'])} ms,"
            f" p99 {_ms(a['p99_ms'])} ms, max {_ms(a['max_ms'])} ms",
        ]
    if result.get("http"):
        lines += [
            "",
            "### Over HTTP (`GET /api/search`, one request at a time, 2 gunicorn workers)",
            "",
            *_http_table(result),
        ]
    ref = result.get("reference")
    if ref:
        lines += ["", "### Same results as `search.reference`", ""]
        if ref["available"]:
            d = ref["differ"]
            lines.append(
                f"{ref['compared']} of the first {ref['asked']} entries compared: total differs"
                f" in {len(d['total'])}, top-10 ids in {len(d['top10'])}, facets in"
                f" {len(d['facets'])}; {len(d['error'])} raised errors"
                + (" (stopped at the time cap)" if ref["capped"] else "")
            )
        else:
            lines.append(f"Not run: {ref['why']}")
    notes = _notes(result)
    if notes:
        lines += ["", "### Notes", "", *notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        text = markdown(json.loads(path.read_text(encoding="utf-8")))
        path.with_suffix(".md").write_text(text, encoding="utf-8")
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
