"""A minimal HTTP peer for the archive benchmark: SQLite FTS5 behind Flask, served by gunicorn.

    SCOOP_BENCH_FTS=INDEX_FOLDER gunicorn --workers 2 --bind 127.0.0.1:PORT \
        'bench.fts_app:create_app()'

``GET /api/search`` reads the same parameters as Scoop's (``q``, ``author`` repeated,
``since``, ``until``, ``year``, ``sort``, ``in``) and answers the top 10 ids with their
``snippet()`` as JSON; ``GET /healthz`` says it is up. Each worker process opens its own
connection on its first request.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request

from bench.archive_engines import SqliteArchive


def create_app() -> Flask:
    app = Flask(__name__)
    folder = Path(os.environ["SCOOP_BENCH_FTS"])
    engine: dict[str, SqliteArchive] = {}

    def opened() -> SqliteArchive:
        if "db" not in engine:  # per process: after gunicorn forks its workers
            engine["db"] = SqliteArchive()
            engine["db"].open(folder)
        return engine["db"]

    @app.get("/healthz")
    def healthz() -> Any:
        opened()
        return jsonify({"status": "ok"})

    @app.get("/api/search")
    def search() -> Any:
        year = request.args.get("year")
        entry = {
            "query": request.args.get("q", ""),
            "authors": request.args.getlist("author"),
            "since": request.args.get("since"),
            "until": request.args.get("until"),
            "year": int(year) if year else None,
            "sort": request.args.get("sort", "relevance"),
            "scope": request.args.get("in", "all"),
        }
        db = opened()
        ids, _total = db.search(entry)
        hits = [{"id": i, "snippet": db.snippets.get(i, "")} for i in ids]
        return jsonify({"query": entry["query"], "hits": hits})

    return app
