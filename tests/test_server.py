"""``manage.py serve``: the production server answers with several workers and stops on Ctrl-C."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest

from index.generations import current_generation
from tests.conftest import index_records, start_server
from web import SECURITY_HEADERS, create_app

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3
START_SECONDS = 60
STOP_SECONDS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (read from /proc, Linux)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may hold spaces and brackets.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status, answer.headers.get_content_type(), answer.read().decode()


def test_serve_answers_with_several_workers_and_stops_cleanly_on_ctrl_c(
    sample_index: Path,
) -> None:
    port = _free_port()
    command = [sys.executable, str(ROOT / "manage.py"), "serve", "--index", str(sample_index)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, f"no {WORKERS} workers within {START_SECONDS} s"
            workers = _children(server.pid)
            if len(workers) >= WORKERS:
                try:
                    status, kind, page = _get(f"{base}/search?q=flood")
                except OSError:
                    status = 0
                if status == 200:
                    break
            time.sleep(0.1)
        assert len(workers) == WORKERS
        assert kind == "text/html" and "results" in page
        status, kind, _ = _get(f"{base}/api/suggest?q=flo")
        assert (status, kind) == (200, "application/json")

        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=STOP_SECONDS)[0]
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, output
    assert output.count("Booting worker with pid") >= WORKERS, output
    assert f"with {WORKERS} workers" in output
    for pid in workers:
        assert not _is_our_process(pid), f"worker {pid} outlived the server"


def _is_our_process(pid: int) -> bool:
    """Whether ``pid`` still runs ``manage.py`` (a reused pid belongs to someone else)."""
    try:
        return b"manage.py" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_serve_refuses_a_bad_port() -> None:
    answer = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", "70000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SCOOP_INDEX": "/nonexistent"},
    )
    assert answer.returncode == 2
    assert "70000" in answer.stderr


def test_slow_connections_do_not_starve_the_server(live_server: str) -> None:
    """Eight clients dribbling one header byte at a time (loopback, ended by the test) each
    hold one thread, not a worker: a normal query still answers."""
    host, port = live_server.removeprefix("http://").split(":")
    slow = [socket.create_connection((host, int(port)), timeout=5) for _ in range(8)]
    try:
        for connection in slow:
            connection.sendall(b"GET /search?q=harbour HTTP/1.1\r\nHost: slow\r\n")
        time.sleep(0.5)
        for connection in slow:
            connection.sendall(b"X")
        for _ in range(3):
            url = f"{live_server}/api/search?q=harbour+bridge"
            with urllib.request.urlopen(url, timeout=10) as answer:
                assert answer.status == 200
    finally:
        for connection in slow:
            connection.close()


def _raw(base: str, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send bytes as they are and read the whole answer: status line, headers, body."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers, body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NOT A REQUEST LINE <script>\r\n\r\n", "400"),
        (b"GET /search HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", "431"),
        (b"GET /search HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", "431"),
    ],
)
def test_the_servers_own_error_answers_carry_the_security_headers(
    live_server: str, request_bytes: bytes, status: str
) -> None:
    """Answers gunicorn gives before the app sees the request are made like the app's."""
    line, headers, body = _raw(live_server, request_bytes)
    assert line.split()[1] == status
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert b"<script>" not in body
    assert int(headers["Content-Length"]) == len(body)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        assert server.wait(timeout=STOP_SECONDS) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _error(url: str) -> tuple[int, str]:
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    raise AssertionError(f"{url} answered 200")


def test_serve_on_a_busy_port_says_so_without_a_traceback(sample_index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, str(ROOT / "manage.py"), "serve", "--index", str(sample_index)]
        answer = subprocess.run(
            [*command, "--port", str(port)], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    assert answer.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use; pick another with --port" in answer.stderr
    assert "Traceback" not in answer.stderr and "Serving" not in answer.stdout


def test_serve_without_an_index_says_so_and_its_503_page_shows_the_command(
    tmp_path: Path,
) -> None:
    missing = tmp_path / 'odd <b>&"name'
    log = tmp_path / "server.log"
    server, base = start_server(missing, log)
    try:
        status, page = _error(f"{base}/search?q=flood")
        problem = _error(f"{base}/api/search?q=flood")
    finally:
        _stop(server)
    command = f"python manage.py reindex SOURCE --index {shlex.quote(str(missing))}"
    assert status == 503
    [shown] = re.findall(r"<code>(.*?)</code>", page)
    assert html.unescape(shown) == command and "<b>" not in page and "`" not in page
    assert problem[0] == 503 and command in json.loads(problem[1])["detail"]
    assert f"No index at {missing} yet: pages answer 503 until you run `{command}`" in (
        log.read_text()
    )
    assert f"Serving {missing} (no index yet) on {base}/" in log.read_text()


def test_the_public_503_page_names_no_server_folder(tmp_path: Path) -> None:
    """Served on an address others reach, the command shows a placeholder folder."""
    client = create_app({"INDEX": str(tmp_path / "missing")}).test_client()
    page = client.get("/search?q=flood").get_data(as_text=True)
    assert "<code>python manage.py reindex SOURCE --index DIR</code>" in page
    assert str(tmp_path) not in page


def _articles(base: str) -> int:
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:
        return int(json.loads(answer.read())["articles"])


def test_samples_if_missing_indexes_the_samples_only_when_there_is_no_index(
    tmp_path: Path, sample_index: Path
) -> None:
    own = index_records([{"id": "mine", "title": "My own archive", "body": ["Hi."]}], tmp_path)
    current = (own / "CURRENT").read_text().strip()
    server, base = start_server(own, tmp_path / "own.log", "--samples-if-missing")
    try:
        assert _articles(base) == 1
    finally:
        _stop(server)
    assert (own / "CURRENT").read_text().strip() == current
    assert f"Serving {own} (1 article, {current}) on {base}/" in (tmp_path / "own.log").read_text()

    fresh = tmp_path / "fresh"
    server, base = start_server(fresh, tmp_path / "fresh.log", "--samples-if-missing")
    try:
        assert _articles(base) == current_generation(sample_index).article_count
    finally:
        _stop(server)


def test_scripts_serve_serves_the_index_there_and_never_reindexes_it() -> None:
    """``scripts/serve`` itself installs first, so the suite runs the command it ends in."""
    lines = (ROOT / "scripts" / "serve").read_text().splitlines()
    commands = [line for line in lines if line and not line.startswith("#")]
    assert commands[-1] == 'exec .venv/bin/python manage.py serve --samples-if-missing "$@"'
    assert not any("reindex" in line for line in commands)


def test_the_real_server_streams_a_csv_export(live_server: str) -> None:
    """Through gunicorn: every result as CSV, parsed back, in the search's order."""
    with urllib.request.urlopen(f"{live_server}/search.csv?q=bridge&sort=oldest") as answer:
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(answer.read().decode("utf-8"))))
    with urllib.request.urlopen(
        f"{live_server}/api/search?q=bridge&sort=oldest&per_page=50"
    ) as answer:
        searched = json.load(answer)
    assert [row["id"] for row in rows] == [hit["id"] for hit in searched["hits"]]
    assert len(rows) == searched["total"] > 0


def test_the_real_server_serves_a_feed_and_its_304(live_server: str) -> None:
    with urllib.request.urlopen(f"{live_server}/search.atom?q=bridge") as answer:
        feed = feedparser.parse(answer.read())
        tag = answer.headers["ETag"]
    assert not feed.bozo and feed.entries
    again = urllib.request.Request(
        f"{live_server}/search.atom?q=bridge", headers={"If-None-Match": tag}
    )
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(again)
    assert not_modified.value.code == 304
