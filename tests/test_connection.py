"""The check that tells a search its client has gone, on real sockets."""

from __future__ import annotations

import socket

from web.connection import gone_check


def test_a_connected_client_is_there_with_or_without_unread_bytes() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        check = gone_check({"gunicorn.socket": ours})
        assert check is not None and not check()
        theirs.sendall(b"GET /next HTTP/1.1\r\n")  # a pipelined request is not a goodbye
        assert not check()
        assert ours.recv(100)  # the peek left the bytes for the server


def test_a_client_that_closed_is_gone() -> None:
    ours, theirs = socket.socketpair()
    with ours:
        check = gone_check({"gunicorn.socket": ours})
        theirs.close()
        assert check is not None and check()


def test_without_a_connection_to_look_at_there_is_no_check() -> None:
    assert gone_check({}) is None
    assert gone_check({"gunicorn.socket": "not a socket"}) is None
