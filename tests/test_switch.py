"""Zero-downtime switches: the real server answers every request while a full reindex
and an update switch generations under a searching client in another process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from index import generations
from index.build import build_index
from tests.conftest import ROOT, SAMPLES, serving

CLIENT = """
import json, sys, urllib.error, urllib.request
from pathlib import Path
base, stop = sys.argv[1], Path(sys.argv[2])
statuses = {}
while not stop.exists():
    for path in ("/api/search?q=harbour+bridge", "/search?q=flood", "/healthz"):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = type(error).__name__
        statuses[str(status)] = statuses.get(str(status), 0) + 1
print(json.dumps(statuses))
"""
"""Searches in a loop until the stop file appears, then prints how each request ended."""


def _manage(*arguments: str) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *arguments]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_no_request_fails_while_a_reindex_and_an_update_switch_generations(
    tmp_path: Path,
) -> None:
    source = tmp_path / "articles"
    shutil.copytree(SAMPLES / "articles", source)
    root = tmp_path / "index"
    first = build_index([source], root).generation
    stop = tmp_path / "stop"
    with serving(root, tmp_path / "server.log") as base:
        client = subprocess.Popen(
            [sys.executable, "-c", CLIENT, base, str(stop)], stdout=subprocess.PIPE, text=True
        )
        try:
            for _ in range(2):
                _manage("reindex", str(source), "--index", str(root))
            changed = sorted(source.glob("*.txt"))[-1]
            changed.write_text(changed.read_text() + "\n\nA quixotic correction.\n")
            _manage("update", "--index", str(root))
        finally:
            stop.touch()
            output = client.communicate(timeout=120)[0]
        statuses = json.loads(output)
        assert set(statuses) == {"200"}, statuses
        assert statuses["200"] >= 30  # the client kept searching through the switches
        with urllib.request.urlopen(f"{base}/api/search?q=quixotic", timeout=30) as after:
            found = json.load(after)
    assert found["total"] == 1 and found["generation"] == generations.current_name(root)
    folders = {path.name for path in root.glob("gen-*")}
    assert first not in folders  # two switches old: removed
    assert folders == {generations.current_name(root), generations.previous_name(root)}
