"""Facts about the machine and the software under test, recorded with every run."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def git_revision() -> str:
    """``git describe --always --dirty`` of the checkout, or ``unknown``."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip()


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _package_version(name: str) -> str:
    """An installed distribution's version, or ``not installed``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _whoosh_version() -> str:
    """Whoosh's own version: the distribution may be named whoosh3 or Whoosh."""
    try:
        import whoosh
    except ImportError:
        return "not installed"
    return str(whoosh.versionstring())


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (empty where unsupported)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine_info() -> dict[str, object]:
    """CPU, OS and versions of Python and of every engine's library."""
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "whoosh": _whoosh_version(),
        "tantivy": _package_version("tantivy"),
        "sqlite": sqlite3.sqlite_version,
        "ir_measures": _package_version("ir-measures"),
        "scoop_git": git_revision(),
        "load_average_start": load_average(),
    }
