"""The JSON API: search, suggest, articles and health."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from index.generations import IndexUnavailable
from search.request import InvalidRequest
from search.serialize import article_json, response_json
from web import problem_response, searcher
from web.params import search_request

blueprint = Blueprint("api", __name__)


def problem(status: int, title: str, detail: str, **extra: Any) -> ResponseReturnValue:
    """An RFC 9457 problem document."""
    return problem_response(status, title, detail, **extra)


@blueprint.errorhandler(InvalidRequest)
def invalid_request(error: InvalidRequest) -> ResponseReturnValue:
    return problem(400, "Bad request parameter", str(error), parameter=error.parameter)


@blueprint.errorhandler(IndexUnavailable)
def index_unavailable(error: IndexUnavailable) -> ResponseReturnValue:
    return problem(503, "No index", str(error))


@blueprint.get("/api/search")
def search() -> ResponseReturnValue:
    """Ranked, highlighted, faceted results as JSON."""
    response = searcher(current_app).search(search_request(request.args))
    return jsonify(response_json(response))


@blueprint.get("/api/suggest")
def suggest() -> ResponseReturnValue:
    """Autocomplete: completions of what has been typed so far."""
    prefix = request.args.get("q", "")
    return jsonify({"query": prefix, "completions": searcher(current_app).complete(prefix)})


@blueprint.get("/api/articles/<article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """One whole article as structured data."""
    found = searcher(current_app).article(article_id)
    if found is None:
        return problem(404, "Not found", f"no article with id {article_id!r}")
    return jsonify(article_json(found))


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Which index generation serves, how many articles it holds, its schema version."""
    try:
        generation = searcher(current_app).generation
    except IndexUnavailable as error:
        return problem(503, "No index", str(error))
    return jsonify(
        {
            "status": "ok",
            "generation": generation.name,
            "articles": generation.article_count,
            "schema_version": generation.schema_version,
            "created": generation.created,
        }
    )
