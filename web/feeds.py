"""Every search as an Atom feed (``/search.atom?…``): its newest matching articles, so a
reader can follow a search and see what is new.

The feed is built with ElementTree (every text escaped by the serializer), holds at most
:data:`FEED_ENTRIES` entries with their highlighted lead fragment, and answers
conditional requests: its ETag changes with the index generation, its Last-Modified is
the newest entry's date.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from xml.etree import ElementTree

from flask import Response, current_app, request, url_for
from werkzeug.datastructures import MultiDict

from search.request import Hit, SearchRequest, SearchResponse, Sort
from web.params import search_request

FEED_ENTRIES = 20
"""Entries per feed: the newest matching articles."""
ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_CACHE_CONTROL = "public, max-age=300"

ElementTree.register_namespace("", ATOM)


def feed_request(args: MultiDict[str, str]) -> SearchRequest:
    """The search a feed URL asks for, newest first and one page of entries."""
    return dataclasses.replace(
        search_request(args), sort=Sort.NEWEST, page=1, per_page=FEED_ENTRIES
    )


def feed_response(found: SearchResponse, etag: str) -> Response:
    """The feed of ``found``, tagged ``etag``, dated by its newest entry, and answered
    304 when the client has it (``If-None-Match``, ``If-Modified-Since``)."""
    response = current_app.response_class(atom(found), content_type=ATOM_TYPE)
    response.set_etag(etag, weak=True)  # as every answer of the API is tagged
    response.last_modified = _updated(found)
    response.headers["Cache-Control"] = FEED_CACHE_CONTROL
    return response.make_conditional(request)


def atom(found: SearchResponse) -> bytes:
    """The feed document of a search's newest results."""
    query = found.query or "every article"
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", request.url)
    _text(feed, "title", f"Scoop: {query}")
    _text(feed, "subtitle", f"The newest of {found.total} articles matching this search")
    _text(feed, "updated", _stamp(_updated(found)))
    _link(feed, request.url, "self", "application/atom+xml")
    _link(feed, page_url(), "alternate", "text/html")
    _text(feed, "generator", "Scoop")
    for hit in found.hits:
        feed.append(_entry(hit, found.query))
    return bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True))


def page_url() -> str:
    """The search page this feed follows (the same search, absolute)."""
    query = request.query_string.decode("ascii", "replace")
    return url_for("pages.search_page", _external=True) + (f"?{query}" if query else "")


def _entry(hit: Hit, query: str) -> ElementTree.Element:
    entry = ElementTree.Element(f"{{{ATOM}}}entry")
    article = url_for("pages.article_page", article_id=hit.id, _external=True)
    _text(entry, "id", article)
    _text(entry, "title", hit.title or "(untitled)")
    marked = url_for("pages.article_page", article_id=hit.id, q=query or None, _external=True)
    _link(entry, marked, "alternate", "text/html")
    _text(entry, "updated", _stamp(_moment(hit.updated or hit.published)))
    if hit.published:
        _text(entry, "published", _stamp(_moment(hit.published)))
    for name in hit.authors:
        _text(ElementTree.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
    lead = hit.body[0].html if hit.body else hit.captions[0].html if hit.captions else ""
    if lead:
        _text(entry, "summary", lead).set("type", "html")
    return entry


def _text(parent: ElementTree.Element, name: str, text: str) -> ElementTree.Element:
    child = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}")
    child.text = text
    return child


def _link(parent: ElementTree.Element, href: str, rel: str, kind: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}link", {"href": href, "rel": rel, "type": kind})


def _moment(day: date | None) -> datetime:
    """Midnight UTC of an article's date (the epoch for an undated one)."""
    return datetime.combine(day or date(1970, 1, 1), datetime.min.time(), tzinfo=UTC)


def _updated(found: SearchResponse) -> datetime:
    """When the feed last changed: its newest entry's date."""
    days = [hit.updated or hit.published for hit in found.hits]
    return max((_moment(day) for day in days if day), default=_moment(None))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
