"""Shared test fixtures: paths to bundled data and real indexes built in temp folders."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from index.build import build_index

settings.register_profile("ci", settings.get_profile("ci"), derandomize=True, print_blob=True)
if os.environ.get("CI") or settings.get_current_profile_name() == "ci":
    settings.load_profile("ci")
"""CI runs every property test with the same examples, so a red run is repeatable: with CI
set, or on any CI service Hypothesis recognises by its own variables (GITHUB_ACTIONS,
GITLAB_CI, TF_BUILD, ...), which it loads its "ci" profile for. A local run keeps the
default profile; no profile is forced here, so ``--hypothesis-profile`` still chooses."""

os.environ.setdefault("SCOOP_RATELIMIT_ENABLED", "false")
"""Rate limits off for the suite (its one client sends thousands of requests), the real
server included; tests/test_limits.py turns them on with small limits."""

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
REFERENCE = SAMPLES / "articles" / "000_a3014da985c4d46f.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def index_records(records: Iterable[dict[str, Any]], folder: Path) -> Path:
    """Write ``records`` as a JSON Lines feed in ``folder``, build a real index of it there
    (every record must be indexed) and return the index root."""
    feed = folder / "records.jsonl"
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    root = folder / "index"
    report = build_index([feed], root)
    assert not report.problems, report.problems
    return root


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the bundled samples, built once per test session (read-only)."""
    root = tmp_path_factory.mktemp("sample-index")
    build_index([SAMPLES], root)
    return root


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sample scrapes (to change) and a real index of it: (source, root)."""
    source = tmp_path / "articles"
    shutil.copytree(SAMPLES / "articles", source)
    root = tmp_path / "index"
    build_index([source], root)
    return source, root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


START_SECONDS = 60


def start_server(index_root: Path, log: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """``manage.py serve`` on ``index_root`` (output to ``log``: a pipe nobody reads fills
    up and blocks the access log), once it answers any HTTP request (a 503 too)."""
    port = _free_port()
    command = [sys.executable, str(ROOT / "manage.py"), "serve", "--index", str(index_root)]
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), *extra],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5).close()
            return process, base
        except urllib.error.HTTPError:
            return process, base
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise RuntimeError(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.2)


@contextmanager
def serving(index_root: Path, log: Path) -> Iterator[str]:
    """The real server process (``manage.py serve``, gunicorn, 2 workers) on ``index_root``.

    Yields its base URL; afterwards it is stopped with SIGINT (Ctrl-C) and must exit cleanly.
    """
    process, base = start_server(index_root, log, "--workers", "2")
    try:
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise RuntimeError("the server did not stop within 30 s of Ctrl-C") from None
    assert process.returncode == 0, log.read_text()


@pytest.fixture(scope="session")
def live_server(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on the sample index, for the whole session."""
    with serving(sample_index, tmp_path_factory.mktemp("live-server") / "server.log") as base:
        yield base
