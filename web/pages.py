"""HTML pages: the search page and the article page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from index.generations import IndexUnavailable
from search.request import InvalidRequest
from web import searcher
from web.params import search_request

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
@blueprint.get("/search")
def search_page() -> ResponseReturnValue:
    """The search box and, when there is a query, the page of results."""
    query = request.args.get("q", "")
    try:
        search = search_request(request.args)
    except InvalidRequest as error:
        return render_template("search.html", query=query, error=str(error), response=None), 400
    try:
        response = searcher(current_app).search(search) if query else None
    except IndexUnavailable as error:
        return render_template("search.html", query=query, error=str(error), response=None), 503
    return render_template("search.html", query=query, response=response, error=None)


@blueprint.get("/articles/<article_id>")
def article_page(article_id: str) -> ResponseReturnValue:
    """One whole article."""
    article = searcher(current_app).article(article_id)
    if article is None:
        abort(404)
    return render_template("article.html", article=article)
