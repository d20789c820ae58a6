"""Query-string parameters to a ``SearchRequest``: one reading for the page and the API."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.request import InvalidRequest, Recency, Scope, SearchRequest, Sort, Versions

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "no", "off"}


def _int(args: MultiDict[str, str], name: str, default: int | None) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidRequest(name, f"must be a whole number, got {raw[:20]!r}") from None


class ReversedDates(InvalidRequest):
    """``since`` is after ``until`` (worded for people by the search page)."""

    def __init__(self, since: date, until: date) -> None:
        super().__init__("since", f"{since} is after until={until}")
        self.since = since
        self.until = until


def _date(args: MultiDict[str, str], name: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(name, f"must be a date like 2017-05-04, got {raw[:20]!r}") from None


Choice = TypeVar("Choice", Sort, Scope, Recency, Versions)


def _choice(args: MultiDict[str, str], name: str, kind: type[Choice], default: Choice) -> Choice:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in kind.__members__.values())
        raise InvalidRequest(name, f"must be one of {allowed}, got {raw[:20]!r}") from None


def _flag(args: MultiDict[str, str], name: str) -> bool:
    raw = args.get(name, "").strip().lower()
    if raw in TRUE_VALUES:
        return True
    if raw in FALSE_VALUES:
        return False
    raise InvalidRequest(name, f"must be true or false, got {raw[:20]!r}")


def search_request(args: MultiDict[str, str]) -> SearchRequest:
    """Read ``q``, ``page``, ``per_page``, ``sort``, ``in``, ``author`` (repeatable), ``since``,
    ``until``, ``year``, ``month``, ``caption``, ``within``, ``recency`` (default: the
    ``RECENCY`` setting) and ``versions``; raises ``InvalidRequest``."""
    since, until = _date(args, "since"), _date(args, "until")
    if since and until and since > until:
        raise ReversedDates(since, until)
    return SearchRequest(
        query=args.get("q", ""),
        page=_int(args, "page", 1) or 0,
        per_page=_int(args, "per_page", SearchRequest.per_page) or 0,
        sort=_choice(args, "sort", Sort, Sort.RELEVANCE),
        scope=_choice(args, "in", Scope, Scope.ALL),
        authors=tuple(name for name in args.getlist("author") if name.strip()),
        since=since,
        until=until,
        year=_int(args, "year", None),
        month=_int(args, "month", None),
        caption_only=_flag(args, "caption"),
        within=args.get("within", ""),
        recency=_choice(args, "recency", Recency, Recency(current_app.config["RECENCY"])),
        versions=_choice(args, "versions", Versions, Versions.GROUPED),
    )
