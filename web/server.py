"""The production server: gunicorn with threaded workers, configured for Scoop.

gunicorn answers some requests itself, before the app sees them (a malformed request
line, headers over its limits); those answers carry the same security headers as the
app's own, and the message is escaped.
"""

from __future__ import annotations

import html
import socket
from typing import Any

import gunicorn.util
from flask import Flask
from gunicorn.app.base import BaseApplication

from web import SECURITY_HEADERS

THREADS = 16
"""Threads per worker: a slow or idle connection holds one thread, not a whole worker."""


def error_response(status: int, reason: str, message: str) -> bytes:
    """gunicorn's own error answer, with the security headers and escaped text."""
    body = (
        f"<!doctype html><title>{html.escape(reason)}</title>"
        f"<h1>{html.escape(reason)}</h1><p>{html.escape(message)}</p>\n"
    ).encode()
    head = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
    head += ["Content-Type: text/html; charset=utf-8", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in SECURITY_HEADERS.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def _write_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    gunicorn.util.write_nonblock(sock, error_response(status_int, reason, mesg))


class Server(BaseApplication):
    """gunicorn serving ``app``: ``workers`` processes of ``THREADS`` threads each."""

    def __init__(self, app: Flask, bind: str, workers: int) -> None:
        self._app, self._bind, self._workers = app, bind, workers
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", self._bind)
        self.cfg.set("workers", self._workers)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", THREADS)
        self.cfg.set("keepalive", 5)
        self.cfg.set("accesslog", "-")
        self.cfg.set("graceful_timeout", 5)
        # gunicorn's maximum, above the app's MAX_URL_CHARS: the app answers 414 itself
        self.cfg.set("limit_request_line", 8190)

    def load(self) -> Any:
        return self._app


def serve(app: Flask, host: str, port: int, workers: int) -> None:
    """Run the server until Ctrl-C (gunicorn's own error answers made like the app's)."""
    gunicorn.util.write_error = _write_error
    Server(app, f"{host}:{port}", workers).run()
