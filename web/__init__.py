"""The Flask application: a thin layer over ``search``."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    RequestEntityTooLarge,
    RequestURITooLarge,
    SecurityError,
    ServiceUnavailable,
    TooManyRequests,
)
from werkzeug.middleware.proxy_fix import ProxyFix

from index import settings
from index.generations import default_index_root
from search.budget import SEARCH_SECONDS, SearchBusy
from search.engine import Searcher
from search.request import Recency
from web.limits import LIMITS, limiter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
"""No inline scripts or styles anywhere, so the pages can be served with this strict policy."""

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

DEFAULT_CONFIG: dict[str, Any] = {
    "INDEX": None,  # default_index_root() when unset
    "CORS_ORIGINS": [],
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "MAX_URL_CHARS": 8000,  # below gunicorn's 8190-byte request line
    "JSON_SORT_KEYS": False,
    "SEARCH_SECONDS": SEARCH_SECONDS,  # a search's time budget (search.budget)
    "PROXY_COUNT": 0,  # reverse proxies whose X-Forwarded-For is trusted (web.limits)
    "TRUSTED_HOSTS": None,  # e.g. ["archive.example.org"]: other Host headers get a 400
    "SHOW_INDEX_FOLDER": False,  # the 503 page names the index folder (serve on a loopback host)
    "RECENCY": "none",  # how much newer articles are favoured by default (search.ranking)
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: the settings as ``index.settings`` reads them (defaults, then
    ``instance/config.py`` if present, then ``SCOOP_*`` environment variables such as
    ``SCOOP_INDEX=/srv/index``), then ``config`` (for tests)."""
    app = Flask(__name__, instance_relative_config=True)
    defaults = {**settings.DEFAULTS, **DEFAULT_CONFIG, **LIMITS}
    app.config.from_mapping(settings.load(defaults, Path(app.instance_path)))
    if config:
        app.config.update(config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if app.config["RECENCY"] not in set(Recency):
        choices = ", ".join(Recency)
        raise ValueError(f"RECENCY must be one of {choices}, got {app.config['RECENCY']!r}")
    index_root = Path(app.config["INDEX"] or default_index_root())
    app.extensions["scoop.searcher"] = Searcher(index_root, float(app.config["SEARCH_SECONDS"]))

    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_COUNT"]))  # type: ignore[method-assign]

    from web import api, pages

    limiter.init_app(app)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(api.blueprint)

    @app.before_request
    def refuse_oversized() -> None:
        """413 for a body over MAX_CONTENT_LENGTH and 414 for a URL (path and query string)
        over MAX_URL_CHARS, before routing, so they win over 404 and 405."""
        url_chars = len(request.path) + len(request.query_string)
        if url_chars > app.config["MAX_URL_CHARS"]:
            raise RequestURITooLarge(
                f"The request URL is {url_chars} characters long; "
                f"the limit is {app.config['MAX_URL_CHARS']}."
            )
        limit = app.config["MAX_CONTENT_LENGTH"]
        if limit is not None and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge(
                f"The request body is {request.content_length} bytes; the limit is {limit}."
            )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int, list[tuple[str, str]]]:
        status = error.code or 500
        if isinstance(error, SecurityError):  # an untrusted Host: no URL can be built for it
            return Response(f"{error.description}\n", mimetype="text/plain"), status, []
        # Keep the headers the error carries (Allow on a 405), but not its HTML content type.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if is_api_path(request.path):
            detail = error.description or error.name
            if isinstance(error, MethodNotAllowed) and error.valid_methods:
                detail = (
                    f"{request.method} is not allowed for {request.path}; "
                    f"use {', '.join(error.valid_methods)}."
                )
            if isinstance(error, TooManyRequests):
                detail = f"Too many requests from your address (the limit is {detail}); {AGAIN}"
            return problem_response(status, error.name, detail), status, headers
        fix = g.get("index_fix") if status == 503 else None
        page = render_template(
            "error.html", status=status, error=error, fix=fix, unavailable=INDEX_UNAVAILABLE
        )
        return page, status, headers

    @app.errorhandler(SearchBusy)
    def busy(error: SearchBusy) -> ResponseReturnValue:
        """503 with Retry-After when no search could start within its time budget."""
        app.logger.warning("busy: a request waited its whole time budget (%s)", request.path)
        unavailable = ServiceUnavailable(str(error), retry_after=error.retry_after)
        return http_error(unavailable)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if "Location" in response.headers:  # Werkzeug's `//x` -> `/x` redirect is absolute
            response.headers["Location"] = _same_site(response.headers["Location"])
        return response

    return app


AGAIN = "try again after the number of seconds in the Retry-After header."

INDEX_UNAVAILABLE = (
    "The archive's search index is not available right now. The operator can build it with:"
)
"""What the public is told when no index serves, before the command; the reason is logged.
The command names the index folder only when ``SHOW_INDEX_FOLDER`` (a server reached only
from its own machine): the public sees no server paths."""


def index_unavailable(app: Flask, error: Exception) -> str:
    """Log why no index serves and return the public message with the command that builds
    one (kept as ``g.index_fix`` for the error page, which shows it as code)."""
    app.logger.error("no index available: %s", error)
    folder = str(searcher(app).index_root) if app.config["SHOW_INDEX_FOLDER"] else "DIR"
    g.index_fix = f"python manage.py reindex SOURCE --index {shlex.quote(folder)}"
    return f"{INDEX_UNAVAILABLE} {g.index_fix}"


def _same_site(url: str) -> str:
    """A redirect target as a path on this site: the Host header never makes it absolute."""
    parts = urlsplit(url)
    path = "/" + parts.path.lstrip("/")
    return f"{path}?{parts.query}" if parts.query else path


def is_api_path(path: str) -> bool:
    """Paths whose errors are answered as ``application/problem+json``."""
    return path.startswith("/api/") or path == "/healthz"


def problem_response(status: int, title: str, detail: str, **extra: Any) -> Response:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def searcher(app: Flask) -> Searcher:
    """The app's long-lived searcher (one per worker process, opened on first use)."""
    searcher_: Searcher = app.extensions["scoop.searcher"]
    return searcher_
