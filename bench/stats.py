"""Summary statistics for timings and sizes."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path


def percentile(values: Sequence[float], pct: int) -> float:
    """The ``pct``-th percentile (linear interpolation between closest ranks)."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def latency_summary(latencies_ns: Sequence[int]) -> dict[str, float | None]:
    """Count, median, p95, p99, mean and max in ms, and sequential queries per second."""
    if not latencies_ns:
        keys = ("median_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms", "qps")
        return {"samples": 0, **dict.fromkeys(keys)}
    ms = [ns / 1e6 for ns in latencies_ns]
    return {
        "samples": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.fmean(ms),
        "max_ms": max(ms),
        "qps": len(ms) / (sum(latencies_ns) / 1e9),
    }


def folder_size(folder: Path) -> int:
    """Total size in bytes of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when either is missing or the divisor is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator
