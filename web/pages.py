"""HTML pages: the search page and the article page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from index.generations import IndexUnavailable
from search.request import InvalidRequest, SearchRequest
from web import searcher

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
@blueprint.get("/search")
def search_page() -> tuple[str, int]:
    """The search box and, when there is a query, the page of results."""
    query = request.args.get("q", "")
    try:
        page = int(request.args.get("page", "1"))
        search_request = SearchRequest(query=query, page=page)
    except (ValueError, InvalidRequest) as error:
        return render_template("search.html", query=query, error=str(error), response=None), 400
    try:
        response = searcher(current_app).search(search_request) if query else None
    except IndexUnavailable as error:
        return render_template("search.html", query=query, error=str(error), response=None), 503
    return render_template("search.html", query=query, response=response, error=None), 200


@blueprint.get("/articles/<article_id>")
def article_page(article_id: str) -> str:
    """One whole article."""
    article = searcher(current_app).article(article_id)
    if article is None:
        abort(404)
    return render_template("article.html", article=article)
