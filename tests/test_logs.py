"""Log lines of the writer commands: JSON objects when not on a terminal, text on request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import SAMPLES
from tests.test_cli import manage


def _events(stderr: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stderr.splitlines() if line.strip()]


def _archive_with_a_bad_file(tmp_path: Path) -> Path:
    source = tmp_path / "articles"
    shutil.copytree(SAMPLES / "articles", source)
    (source / "empty.txt").write_text("", encoding="utf-8")
    return source


def test_a_reindex_logs_one_json_object_per_line(tmp_path: Path) -> None:
    source = _archive_with_a_bad_file(tmp_path)
    result = manage("reindex", str(source), "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    events = _events(result.stderr)  # every line parses
    skipped = [e for e in events if e["event"] == "skipped" and "source" in e]
    assert skipped and str(skipped[0]["source"]).endswith("empty.txt")
    assert skipped[0]["level"] == "warning" and skipped[0]["reason"]
    (finished,) = [e for e in events if e["event"] == "reindex"]
    assert finished["indexed"] == len(list((SAMPLES / "articles").glob("*.txt")))
    assert finished["skipped"] == 1 and str(finished["generation"]).startswith("gen-")
    assert {"time", "level", "message"} <= set(finished)


def test_a_failed_writer_logs_an_error_event(tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = manage("reindex", str(empty), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    (error,) = [e for e in _events("\n".join(lines)) if e["event"] == "error"]
    assert error["level"] == "error" and error["command"] == "reindex"
    assert "no article files found under" in str(error["message"])


def test_update_and_rollback_log_their_figures(archive: tuple[Path, Path]) -> None:
    source, root = archive
    changed = sorted(source.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA late correction.\n")
    updated = manage("update", "--index", str(root))
    assert updated.returncode == 0, updated.stderr
    (update,) = [e for e in _events(updated.stderr) if e["event"] == "update"]
    assert update["changed"] == 1 and update["added"] == 0 and update["removed"] == 0
    rolled = manage("rollback", "--index", str(root))
    (rollback,) = [e for e in _events(rolled.stderr) if e["event"] == "rollback"]
    assert rollback["previous"] == update["generation"]


def test_text_logs_on_request_and_no_summary_twice(tmp_path: Path) -> None:
    source = _archive_with_a_bad_file(tmp_path)
    result = manage(
        "reindex", str(source), "--index", str(tmp_path / "index"), env={"SCOOP_LOG_FORMAT": "text"}
    )
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == "1 skipped:"
    assert "empty.txt: empty file" in result.stderr
    assert "indexed" not in result.stderr  # the summary is on standard output only
    assert result.stdout.startswith("indexed ")


def test_an_unknown_log_format_is_a_usage_error(tmp_path: Path) -> None:
    result = manage("stats", "--index", str(tmp_path), env={"SCOOP_LOG_FORMAT": "xml"})
    assert result.returncode == 2
    assert "LOG_FORMAT must be one of auto, json, text, not 'xml'" in result.stderr
