"""The production server: gunicorn with threaded workers, configured for Scoop.

gunicorn answers some requests itself, before the app sees them (a malformed request
line, headers over its limits); those answers carry the same security headers as the
app's own, and the message is escaped.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import socket
from collections.abc import Callable
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

    def __init__(self, app: Flask, bind: str, workers: int, ready: Callable[[], None]) -> None:
        self._app, self._bind, self._workers, self._ready = app, bind, workers, ready
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
        self.cfg.set("when_ready", lambda _arbiter: self._ready())

    def load(self) -> Any:
        return self._app


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reached only from this machine (127.0.0.1, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def cannot_listen(host: str, port: int) -> str | None:
    """Why gunicorn could not listen on ``host`` and ``port`` (tried here the way it binds:
    with SO_REUSEADDR), or None when it can."""
    family = socket.AF_INET6 if gunicorn.util.is_ipv6(host) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:  # socket.gaierror (an unknown host) included
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use; pick another with --port"
            return f"cannot listen on port {port} on {host}: {error.strerror or error}"
    return None


def serve(app: Flask, host: str, port: int, workers: int, ready: Callable[[], None]) -> None:
    """Run the server until Ctrl-C (gunicorn's own error answers made like the app's);
    ``ready`` is called once it listens."""
    gunicorn.util.write_error = _write_error
    bind = f"[{host}]:{port}" if gunicorn.util.is_ipv6(host) else f"{host}:{port}"
    Server(app, bind, workers, ready).run()
