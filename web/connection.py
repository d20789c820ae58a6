"""Whether the client of a request is still connected, so abandoned searches stop early."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from flask import request


def _closed(connection: socket.socket) -> bool:
    """True when the peer has closed: the socket reads as ended without blocking.

    Unread bytes (a pipelined next request) or nothing to read yet both mean connected;
    so does any error other than a reset, and sockets that cannot peek (TLS).
    """
    try:
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except ConnectionError:
        return True
    except (OSError, ValueError):
        return False


def gone_check(environ: dict[str, Any] | None = None) -> Callable[[], bool] | None:
    """A check of whether this request's client has gone, when the server exposes its
    connection (gunicorn does, as ``gunicorn.socket``); None otherwise (the test client,
    the development server)."""
    connection = (environ if environ is not None else request.environ).get("gunicorn.socket")
    if not isinstance(connection, socket.socket):
        return None
    return lambda: _closed(connection)
