"""The Flask application: a thin layer over ``search``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from index.generations import default_index_root
from search.engine import Searcher


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then ``instance/config.py`` if present, then ``SCOOP_*``
    environment variables, then ``config`` (for tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(INDEX=str(default_index_root()))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SCOOP")
    if config:
        app.config.update(config)
    app.extensions["scoop.searcher"] = Searcher(Path(app.config["INDEX"]))

    from web import pages

    app.register_blueprint(pages.blueprint)
    return app


def searcher(app: Flask) -> Searcher:
    """The app's long-lived searcher."""
    return app.extensions["scoop.searcher"]


__all__ = ["create_app", "searcher"]
