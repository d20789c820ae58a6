"""The JSON API: search, suggest, articles, health, and the OpenAPI document describing them.

Responses drawn from the index carry a weak ``ETag`` made from the index generation and the
request URL, so a reindex changes every tag; ``If-None-Match`` with a current tag gets 304
without running the search. CORS is off unless ``CORS_ORIGINS`` lists the allowed origins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    request,
    send_file,
    stream_with_context,
)
from flask.typing import ResponseReturnValue

from index.generations import IndexUnavailable
from search import export
from search.export import ExportFormat
from search.request import MAX_QUERY_CHARS, InvalidRequest
from search.serialize import article_json, related_json, response_json, suggestions_json
from web import feeds, index_unavailable, is_api_path, problem_response, searcher
from web.connection import gone_check
from web.limits import limit, limiter
from web.params import search_request

OPENAPI_DOCUMENT = Path(__file__).with_name("openapi.json")
CACHE_CONTROL = "public, max-age=60"
"""For responses drawn from the index; the ETag changes with the generation."""
CORS_ALLOW_METHODS = "GET, HEAD, OPTIONS"
CORS_ALLOW_HEADERS = "If-None-Match"
CORS_EXPOSE_HEADERS = "ETag"
CORS_MAX_AGE_SECONDS = 600

blueprint = Blueprint("api", __name__)


@blueprint.errorhandler(InvalidRequest)
def invalid_request(error: InvalidRequest) -> ResponseReturnValue:
    return problem_response(400, "Bad Request", str(error), parameter=error.parameter)


@blueprint.errorhandler(IndexUnavailable)
def no_index(error: IndexUnavailable) -> ResponseReturnValue:
    return problem_response(503, "Service Unavailable", index_unavailable(current_app, error))


def etag_for(generation: str) -> str:
    """A tag for this request URL as answered by this index generation."""
    digest = hashlib.sha256()
    for part in (generation.encode(), request.path.encode(), request.query_string):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _cacheable(response: Response, etag: str) -> Response:
    response.set_etag(etag, weak=True)  # weak: took_ms differs between identical answers
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _not_modified(etag: str) -> Response | None:
    """A 304 when the client's ``If-None-Match`` holds the current tag."""
    if not request.if_none_match.contains_weak(etag):
        return None
    return _cacheable(current_app.response_class(status=304), etag)


EXPORT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSONL: "application/x-ndjson; charset=utf-8",
}


def export_response(kind: ExportFormat) -> Response:
    """Every result of the search the query string asks for (up to ``MAX_EXPORT_ROWS``),
    streamed a line at a time as ``kind``; tagged and cached like a search."""
    wanted = search_request(request.args)
    engine = searcher(current_app)
    etag = etag_for(engine.generation.name)
    not_modified = _not_modified(etag)
    if not_modified:
        return not_modified
    response = current_app.response_class(
        stream_with_context(export.lines(engine.export(wanted), kind)),
        content_type=EXPORT_TYPES[kind],
    )
    response.headers["Content-Disposition"] = f'attachment; filename="scoop-search.{kind}"'
    return _cacheable(response, etag)


@blueprint.get("/search.atom")
@limiter.limit(limit("RATELIMIT_SEARCH"))
def search_feed() -> ResponseReturnValue:
    """The newest articles matching the search the query string asks for, as Atom."""
    found = searcher(current_app).search(feeds.feed_request(request.args), gone=gone_check())
    return feeds.feed_response(found, etag_for(found.generation))


@blueprint.get("/search.csv")
@limiter.limit(limit("RATELIMIT_EXPORT"))
def search_csv() -> ResponseReturnValue:
    """The results of a search page's URL as CSV, for a spreadsheet or a citation list."""
    return export_response(ExportFormat.CSV)


def _not_an_export() -> bool:
    return request.args.get("format") != ExportFormat.JSONL


@blueprint.get("/api/search")
@limiter.limit(limit("RATELIMIT_SEARCH"))
@limiter.limit(limit("RATELIMIT_EXPORT"), exempt_when=_not_an_export)
def search() -> ResponseReturnValue:
    """Ranked, highlighted, faceted results as JSON; ``format=jsonl`` streams every result."""
    kind = request.args.get("format", "json")
    if kind == ExportFormat.JSONL:
        return export_response(ExportFormat.JSONL)
    if kind != "json":
        raise InvalidRequest("format", f"must be json or jsonl, got {kind!r}")
    wanted = search_request(request.args)
    engine = searcher(current_app)
    not_modified = _not_modified(etag_for(engine.generation.name))
    if not_modified:
        return not_modified
    found = engine.search(wanted, gone=gone_check())
    return _cacheable(jsonify(response_json(found)), etag_for(found.generation))


@blueprint.get("/api/suggest")
@limiter.limit(limit("RATELIMIT_SUGGEST"))
def suggest() -> ResponseReturnValue:
    """Autocomplete: completions of what has been typed so far, bylines and headlines."""
    prefix = request.args.get("q", "")
    if len(prefix) > MAX_QUERY_CHARS:
        raise InvalidRequest("q", f"the limit is {MAX_QUERY_CHARS} characters, got {len(prefix)}")
    engine = searcher(current_app)
    etag = etag_for(engine.generation.name)
    not_modified = _not_modified(etag)
    if not_modified:
        return not_modified
    return _cacheable(jsonify(suggestions_json(engine.suggestions(prefix))), etag)


@blueprint.get("/api/articles/<article_id>")
@limiter.limit(limit("RATELIMIT_ARTICLES"))
def article(article_id: str) -> ResponseReturnValue:
    """One whole article as structured data."""
    found = searcher(current_app).article(article_id)
    return _about_article(article_id, None if found is None else lambda: article_json(found))


@blueprint.get("/api/articles/<article_id>/related")
@limiter.limit(limit("RATELIMIT_ARTICLES"))
def related(article_id: str) -> ResponseReturnValue:
    """Up to 5 articles most like this one ("more like this")."""
    found = searcher(current_app).related(article_id)
    return _about_article(
        article_id, None if found is None else lambda: related_json(article_id, found)
    )


def _about_article(
    article_id: str, answer: Callable[[], dict[str, Any]] | None
) -> ResponseReturnValue:
    """A 404 for an unknown article, else ``answer()`` tagged and cached (or a 304)."""
    if answer is None:
        return problem_response(404, "Not Found", f"There is no article with id {article_id!r}.")
    etag = etag_for(searcher(current_app).generation.name)
    return _not_modified(etag) or _cacheable(jsonify(answer()), etag)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Which index generation serves, how many articles it holds, its schema version."""
    generation = searcher(current_app).generation  # after its quick check (else a 503)
    response = jsonify(
        {
            "status": "ok",
            "generation": generation.name,
            "articles": generation.article_count,
            "schema_version": generation.schema_version,
            "created": generation.created,
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/api/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API (``web/openapi.json``)."""
    return send_file(OPENAPI_DOCUMENT, mimetype="application/json", conditional=True)


def cors_origins(app: Flask) -> list[str]:
    """``CORS_ORIGINS`` as a list (a lone string from the environment counts as one origin)."""
    configured = app.config.get("CORS_ORIGINS") or []
    return [configured] if isinstance(configured, str) else list(configured)


@blueprint.after_app_request
def cors(response: Response) -> Response:
    """CORS headers on every API response, errors included, for the configured origins."""
    origins = cors_origins(current_app)
    if not origins or not is_api_path(request.path):
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin is None or (origin not in origins and "*" not in origins):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
    return response
