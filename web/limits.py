"""Rate limits per client address on the public endpoints (Flask-Limiter).

Searches, article pages, autocomplete and exports each have a limit, configurable as
``RATELIMIT_SEARCH``, ``RATELIMIT_ARTICLES``, ``RATELIMIT_SUGGEST`` and
``RATELIMIT_EXPORT`` (Flask-Limiter's
notation: ``"60 per minute;600 per hour"``); ``RATELIMIT_ENABLED=False`` turns them off.
Past a limit a client gets 429 with ``Retry-After``. Counts live in each worker's memory
unless ``RATELIMIT_STORAGE_URI`` names a shared store (``redis://…``), so with N workers
a client may get up to N times a limit. The client is the connection's address; behind a
reverse proxy set ``PROXY_COUNT`` to the number of proxies whose ``X-Forwarded-For`` is
trusted (``web.create_app`` applies Werkzeug's ``ProxyFix``), never more.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

LIMITS = {
    "RATELIMIT_SEARCH": "60 per minute;1000 per hour",
    "RATELIMIT_ARTICLES": "120 per minute",
    "RATELIMIT_SUGGEST": "600 per minute",
    "RATELIMIT_EXPORT": "10 per minute;100 per day",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
}
"""The defaults, merged into the app's config (each ``SCOOP_RATELIMIT_*`` overrides)."""

limiter = Limiter(key_func=get_remote_address)


def limit(name: str) -> Callable[[], str]:
    """The configured limit ``name`` (read per request, so tests and operators can set it)."""
    return lambda: str(current_app.config[name])
