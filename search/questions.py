"""Prose or query syntax: what a person typing a question means by its punctuation.

A question pasted into the search box ends in ``?``, has a colon after a word that
is no field (``Office Technology: a survey``), or is written in capitals with
``AND`` and ``OR`` in its sentences. Read as syntax, ``close?`` is a one-letter
wildcard that matches nothing and ``RUSSIA AND CANADA`` a required pair. The rules,
applied before parsing (the README states them):

- a ``?`` that ends a word, or stands alone, is punctuation (``wom?n`` and ``t??t*``
  stay wildcards);
- a colon is a field prefix only after a field name (``title:``, ``by:``, …);
- a dash standing alone (``difficult - even impossible - to draw``) is punctuation;
- brackets group only in a query that has an operator (``AND``, ``OR``, ``NOT``,
  ``+word``, ``-word``) or a field prefix before a bracket (``title:(a b)``); in
  any other query they change nothing Whoosh would compute, and read as prose;
- in a query typed all in capitals, ``AND``, ``OR`` and ``NOT`` are words; in any
  other query they are operators, and ``a NOT b`` means ``a`` without ``b`` (as
  ``a -b`` does), not "``a``, or anything without ``b``".
"""

from __future__ import annotations

import re
from collections.abc import Collection

OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")

_QUESTION_MARK = re.compile(r"(?:(?<=\w)|(?<![^\s]))\?+(?=[\s.,;:!)\"']|$)")
_COLON = re.compile(r"(\w+):")
_OPERATOR = re.compile(r"\b(?:" + "|".join(OPERATORS) + r")\b")
_BINARY_NOT = re.compile(r"(?<=[\w)\"])\s+NOT\s+(?=[\w(\"])")
_LONE_DASH = re.compile(r"(?<!\S)[-\u2013\u2014]+(?!\S)")
_PLUS_MINUS = re.compile(r"(?<!\S)[-+]\S")


def as_typed(text: str, field_names: Collection[str]) -> str:
    """``text`` with the punctuation of prose taken out of the query syntax."""
    text = _LONE_DASH.sub("", _QUESTION_MARK.sub("", text))
    text = _COLON.sub(
        lambda m: m.group(0) if m.group(1).lower() in field_names else m.group(1) + " ", text
    )
    if _all_capitals(text):
        text = _OPERATOR.sub(lambda m: m.group(0).lower(), text)
    else:
        text = _BINARY_NOT.sub(" -", text)
    if not _groups(text):
        text = text.replace("(", " ").replace(")", " ")
    return " ".join(text.split())


def _groups(text: str) -> bool:
    """Whether brackets in ``text`` can mean grouping."""
    return bool(_OPERATOR.search(text) or _PLUS_MINUS.search(text) or ":(" in text)


def _all_capitals(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and not any(char.islower() for char in letters)
