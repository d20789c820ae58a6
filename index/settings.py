"""Scoop's settings, read the same way by the command line and the web app.

Each setting has a default (``DEFAULTS`` here; the web app adds its own in
``web.DEFAULT_CONFIG``), which the instance file ``instance/config.py`` (Python
assignments of upper-case names, as Flask reads it) overrides, which a ``SCOOP_<NAME>``
environment variable overrides in turn (its value read as JSON when it is JSON, e.g.
``SCOOP_BUILD_WORKERS=2``, ``SCOOP_TRUSTED_HOSTS='["archive.example.org"]'``, else as
text). Every setting is listed in the README.
"""

from __future__ import annotations

import json
import os
import runpy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

INSTANCE = Path(__file__).resolve().parent.parent / "instance"
"""The instance folder: local configuration and, by default, the index."""
CONFIG_FILE = "config.py"
PREFIX = "SCOOP_"

DEFAULTS: dict[str, Any] = {
    "INDEX": None,  # the index folder; instance/index when unset
    "BUILD_WORKERS": 0,  # processes a reindex writes segments with; 0: one per usable core
    "PARALLEL_MIN_MB": 2,  # sources smaller than this are indexed in one process
    "WRITER_MEMORY_MB": 128,  # postings a segment writer holds before sorting them on disk
    "LOG_FORMAT": "auto",  # json (one object per line), text, or auto: json unless a terminal
    "STORY_THRESHOLD": 0.4,  # body similarity (0-1] at which two articles are one story
}


def _environment_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def load(
    defaults: Mapping[str, Any] = DEFAULTS,
    instance: Path = INSTANCE,
    environ: Mapping[str, str] = os.environ,
) -> dict[str, Any]:
    """``defaults`` overridden by the instance file, then by the environment."""
    settings = dict(defaults)
    config_file = instance / CONFIG_FILE
    if config_file.is_file():
        values = runpy.run_path(str(config_file))
        settings.update((name, value) for name, value in values.items() if name.isupper())
    for name, text in environ.items():
        if name.startswith(PREFIX) and name[len(PREFIX) :]:
            settings[name[len(PREFIX) :]] = _environment_value(text)
    return settings


def index_root(settings: Mapping[str, Any] | None = None) -> Path:
    """The configured index folder."""
    configured = (settings if settings is not None else load()).get("INDEX")
    return Path(configured) if configured else INSTANCE / "index"
