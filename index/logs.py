"""Log lines of the writers and the server: one JSON object per line for log collectors,
plain text on a terminal.

Every line is an *event* (``reindex``, ``update``, ``delete``, ``rollback``, ``skipped``,
``warning``, ``progress``, ``error``) with a message and the event's figures as fields::

    {"time": "2026-12-03T13:40:02.113+00:00", "level": "info", "event": "reindex",
     "message": "indexed 10000 articles, ...", "indexed": 10000, "seconds": 61.2, ...}

A *summary* event repeats what the command prints on standard output; it is logged only
in JSON, so a terminal does not show it twice.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

LOGGER = logging.getLogger("scoop")
FORMATS = ("auto", "json", "text")


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, event, message, then its fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", record.name),
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _not_a_summary(record: logging.LogRecord) -> bool:
    return not getattr(record, "summary", False)


def configure(log_format: str = "auto", stream: TextIO | None = None) -> bool:
    """Send Scoop's log lines to ``stream`` (standard error) as ``log_format`` says;
    returns whether they are JSON. An unknown format is a ``ValueError``."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    stream = stream or sys.stderr
    as_json = log_format == "json" or (log_format == "auto" and not stream.isatty())
    handler = logging.StreamHandler(stream)
    if as_json:
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.addFilter(_not_a_summary)
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False
    return as_json


def event(
    name: str, message: str, level: int = logging.INFO, summary: bool = False, **fields: Any
) -> None:
    """Log one event (see the module's docstring)."""
    LOGGER.log(level, message, extra={"event": name, "fields": fields, "summary": summary})
