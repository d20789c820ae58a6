"""From what a user typed to a Whoosh query: syntax, scopes, fallbacks and notices."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    SingleQuotePlugin,
)

from search.ranking import FIELD_WEIGHTS
from search.request import Scope

SCOPE_FIELDS: dict[Scope, tuple[str, ...]] = {
    Scope.ALL: ("title", "body", "captions", "author", "bio", "credits"),
    Scope.BODY: ("body",),
    Scope.CAPTIONS: ("captions",),
    Scope.TITLES: ("title",),
}
FIELD_ALIASES = {
    "captions": ["caption"],
    "credits": ["credit"],
    "title": ["headline"],
    "author": ["by", "byline"],
}
"""Field names a user may type besides the schema's own (``caption:soldier``)."""
USER_FIELDS = {"title", "body", "captions", "author", "bio", "credits", "published", "updated"}
MAX_TERMS = 64
"""Queries with more words than this are cut; the notice says so."""
MAX_FUZZY_DISTANCE = 2
MIN_PREFIX_CHARS = 2
"""``k*`` would expand to a large part of the vocabulary: a prefix needs two characters."""

_QUOTE_WORD = re.compile(r'"')
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]+):")


@dataclass(frozen=True)
class ParsedQuery:
    """A Whoosh query with how the text was read and what the user should be told."""

    query: wq.Query
    read_as: str
    notices: tuple[str, ...] = ()
    plain: bool = False
    """True when the text is plain words only (no operators): the all-words rule applies."""


def _syntax_problem(text: str) -> str | None:
    """Say what is malformed in the query text, or None when the syntax is sound."""
    if text.count('"') % 2:
        return 'an unmatched quote (")'
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "a closing bracket without an opening one"
    if depth:
        return "an opening bracket without a closing one"
    if text.count("[") != text.count("]") or text.count("{") != text.count("}"):
        return "an unbalanced range bracket"
    for token in text.split():
        if token in {"-", "+", "*", "?", "~", "^"}:
            return f"a lone {token!r}"
        if token.endswith(":") and token[:-1].lower() in USER_FIELDS | _alias_names():
            return f"{token!r} with nothing after it"
        if token.startswith(("*", "?")) or token.lstrip("-+").startswith(("*", "?")):
            return f"a wildcard at the start of {token!r}"
    for match in re.finditer(r"(\w+)\*", text):
        if len(match.group(1)) < MIN_PREFIX_CHARS:
            return f"a prefix shorter than {MIN_PREFIX_CHARS} characters ({match.group(0)!r})"
    for match in re.finditer(r"~(\d+)", text):
        if int(match.group(1)) > MAX_FUZZY_DISTANCE:
            return f"a fuzzy distance above {MAX_FUZZY_DISTANCE} ({match.group(0)!r})"
    return None


def _alias_names() -> set[str]:
    return {alias for aliases in FIELD_ALIASES.values() for alias in aliases}


def plain_words(text: str) -> str:
    """The words of ``text`` with every syntax character removed."""
    words = re.findall(r"[\w][\w'’.,\-]*", text)
    return " ".join(word.strip(".,'’-") for word in words if word.strip(".,'’-")).strip()


def _parser(schema: Schema, scope: Scope) -> MultifieldParser:
    fields = [name for name in SCOPE_FIELDS[scope] if name in schema]
    parser = MultifieldParser(
        fields,
        schema,
        fieldboosts={name: FIELD_WEIGHTS.get(name, 1.0) for name in fields},
        group=OrGroup,
    )
    parser.remove_plugin_class(SingleQuotePlugin)  # "China's" is a word, not a quote
    parser.add_plugin(FuzzyTermPlugin())
    # + and - are operators only at the start of a word: ``korean-chinese`` is one word.
    parser.add_plugin(
        PlusMinusPlugin(plusexpr=r"(?:(?<=\s)|(?<=\()|^)\+", minusexpr=r"(?:(?<=\s)|(?<=\()|^)-")
    )
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def _errors(node: wq.Query) -> list[str]:
    found = [str(node.error)] if getattr(node, "error", None) else []
    for child in node.children():
        found.extend(_errors(child))
    return found


def _is_plain(text: str) -> bool:
    return not re.search(r'["()\[\]{}:*?~^]|(?:^|\s)[-+]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b', text)


def _term_count(node: wq.Query) -> int:
    return 1 if node.is_leaf() else sum(_term_count(child) for child in node.children())


def parse_query(text: str, schema: Schema, scope: Scope = Scope.ALL) -> ParsedQuery:
    """Parse user text; malformed syntax is read as plain words with a notice, never an error."""
    text = " ".join(text.split())
    notices: list[str] = []
    words = text.split()
    if len(words) > MAX_TERMS:
        text = " ".join(words[:MAX_TERMS])
        notices.append(f"Only the first {MAX_TERMS} words of the query were used.")
    if not text:
        return ParsedQuery(wq.NullQuery, "", tuple(notices), plain=True)
    parser = _parser(schema, scope)
    problem = _syntax_problem(text)
    parsed: wq.Query | None = None
    if problem is None and not _is_plain(text):
        try:
            parsed = parser.parse(text)
        except Exception as error:  # Whoosh raises plain exceptions for bad ranges and dates
            problem = f"syntax it could not read ({error})"
        else:
            errors = _errors(parsed)
            if errors:
                problem = f"syntax it could not read ({errors[0]})"
                parsed = None
    if parsed is None or problem:
        read_as = plain_words(text) if problem else text
        if problem:
            notices.append(
                f"Your query had {problem}, so it was read as plain words: {read_as or '(nothing)'}"
            )
        parsed = parser.parse(read_as) if read_as else wq.NullQuery
        return ParsedQuery(parsed, read_as, tuple(notices), plain=True)
    return ParsedQuery(parsed, text, tuple(notices), plain=False)
