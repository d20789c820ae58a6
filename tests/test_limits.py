"""Rate limits per client address: 429 with Retry-After, per endpoint, per address, and
forwarded addresses trusted only with ``PROXY_COUNT``."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from web import create_app

LIMITED = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_SEARCH": "3 per minute",
    "RATELIMIT_SUGGEST": "2 per minute",
    "RATELIMIT_ARTICLES": "2 per minute",
}


def _client(sample_index: Path, **config: object) -> FlaskClient:
    return create_app({"INDEX": str(sample_index), **LIMITED, **config}).test_client()


def test_the_fourth_search_in_a_minute_gets_429_with_retry_after(sample_index: Path) -> None:
    client = _client(sample_index)
    statuses = [client.get("/api/search?q=harbour").status_code for _ in range(3)]
    refused = client.get("/api/search?q=harbour")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "3 per 1 minute" in refused.get_json()["detail"]
    assert refused.headers["X-Content-Type-Options"] == "nosniff"


def test_the_search_page_refuses_with_a_page_that_says_why(sample_index: Path) -> None:
    client = _client(sample_index)
    for _ in range(3):
        assert client.get("/search?q=flood").status_code == 200
    page = client.get("/search?q=flood")
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "Too many requests from your address" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "allowed"), [("/api/suggest?q=har", 2), ("/api/articles/none", 2)]
)
def test_autocomplete_and_articles_have_their_own_limits(
    sample_index: Path, path: str, allowed: int
) -> None:
    client = _client(sample_index)
    answers = [client.get(path).status_code for _ in range(allowed + 1)]
    assert 429 not in answers[:allowed] and answers[allowed] == 429
    assert client.get("/api/search?q=harbour").status_code == 200  # a separate count


def test_each_address_has_its_own_count_and_forwarding_headers_are_not_trusted(
    sample_index: Path,
) -> None:
    client = _client(sample_index)
    for _ in range(3):
        client.get("/api/search?q=harbour", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    spoofed = client.get(
        "/api/search?q=harbour",
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "192.0.2.9"},
    )
    other = client.get("/api/search?q=harbour", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert (spoofed.status_code, other.status_code) == (429, 200)


def test_behind_a_configured_proxy_the_forwarded_address_counts(sample_index: Path) -> None:
    client = _client(sample_index, PROXY_COUNT=1)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        client.get("/api/search?q=a1", environ_base=proxy, headers={"X-Forwarded-For": "192.0.2.1"})
    first = client.get(
        "/api/search?q=a", environ_base=proxy, headers={"X-Forwarded-For": "192.0.2.1"}
    )
    second = client.get(
        "/api/search?q=a", environ_base=proxy, headers={"X-Forwarded-For": "192.0.2.2"}
    )
    assert (first.status_code, second.status_code) == (429, 200)


def test_limits_can_be_turned_off(sample_index: Path) -> None:
    client = _client(sample_index, RATELIMIT_ENABLED=False)
    assert {client.get("/api/search?q=harbour").status_code for _ in range(6)} == {200}
