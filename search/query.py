"""From what a user typed to a Whoosh query: syntax, scopes, fallbacks and notices."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
    SingleQuotePlugin,
)
from whoosh.qparser.syntax import GroupNode
from whoosh.searching import Searcher

from index.analysis import COMBINING_MARKS, fold, news_analyzer
from search.expansion import Allowance, Expander
from search.questions import as_typed
from search.ranking import FIELD_WEIGHTS, repeat_weight
from search.request import Scope

SCOPE_FIELDS: dict[Scope, tuple[str, ...]] = {
    Scope.ALL: ("title", "dek", "body", "captions", "author", "bio", "credits"),
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
TYPED_FIELD_NAMES = frozenset(USER_FIELDS).union(*FIELD_ALIASES.values())
"""Every field name a user may type before a colon."""
MAX_TERMS = 64
"""A query's cost is bounded by the words it scores, not its length: a plain query keeps its
first this many distinct content words, a query with syntax its first this many words; the
notice says what was dropped."""
MAX_FUZZY_DISTANCE = 2
AUTO_FUZZY = -1
LONG_WORD_CHARS = 6
"""``word~`` allows one edit, or two for words this long (a swap of two letters is two)."""
MIN_PREFIX_CHARS = 2
"""``k*`` or ``t??*`` would expand to a large part of the vocabulary: a word needs two
letters before its first wildcard (``*`` or ``?``)."""

MAIN_FIELDS = ("title", "dek", "body", "captions", "author")
"""Sections whose match makes a full hit; bio and credit matches alone are weak."""
STOP_WORDS = frozenset(
    """a about an and are as at be by can could did do does for from had has have how i if in
    into is it its of on or than that the their them there these they this to was were what
    when where which who whom why will with would you your""".split()
)
"""Question and glue words that plain-word queries do not require (phrases keep them)."""
GLUE_TERMS = frozenset(
    token.text.encode("utf-8") for word in STOP_WORDS for token in news_analyzer()(word)
)
"""The index terms of the stop words: a plain query's matches of them are not marked."""


@dataclass(frozen=True)
class ParsedQuery:
    """A Whoosh query with how the text was read and what the user should be told."""

    query: wq.Query
    read_as: str
    notices: tuple[str, ...] = ()
    plain: bool = False
    """True when the text is plain words only (no operators): the all-words rule applies."""
    words: tuple[str, ...] = ()
    """For plain queries, the words that count for the all-words rule (stop words dropped)."""
    scope: Scope = Scope.ALL


class TypedFuzzyTermPlugin(FuzzyTermPlugin):
    """``word~``: fuzzy-match the word as typed (folded, not stemmed) against the index's
    unstemmed spelling words; ``search.expansion`` maps the matches to indexed stems."""

    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser: QueryParser) -> wq.Query:
            built = super().query(parser)
            if isinstance(built, wq.FuzzyTerm):
                built.text = fold(self.text)
                if self.maxdist == AUTO_FUZZY:
                    built.maxdist = 2 if len(built.text) >= LONG_WORD_CHARS else 1
            return built

    def create(self, parser: QueryParser, match: re.Match[str]) -> Any:
        node = super().create(parser, match)
        if not match.group("maxdist"):
            node.maxdist = AUTO_FUZZY
        return node


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
        if token in {"+", "*", "~", "^"}:  # a lone "-" or "?" is prose (search.questions)
            return f"a lone {token!r}"
        if token.endswith(":") and token[:-1].lower() in TYPED_FIELD_NAMES:
            return f"{token!r} with nothing after it"
        if token.lstrip("-+").startswith(("*", "?")):
            return f"a wildcard at the start of {token!r}"
    for match in re.finditer(r"(?<![\w*?])(\w+)[*?]", text):  # before a word's first wildcard
        if len(match.group(1)) < MIN_PREFIX_CHARS:
            return f"fewer than {MIN_PREFIX_CHARS} letters before a wildcard ({match.group(0)!r})"
    for match in re.finditer(r"~(\d+)", text):
        if int(match.group(1)) > MAX_FUZZY_DISTANCE:
            return f"a fuzzy distance above {MAX_FUZZY_DISTANCE} ({match.group(0)!r})"
    return None


_PLAIN_WORD = re.compile(rf"\w[\w{COMBINING_MARKS}'’.,\-]*")
"""A word of a plain query: letters and digits with their combining marks (accents, Indic
vowel signs) and the joiners the analyzer reads inside words."""


def plain_words(text: str) -> str:
    """The words of ``text`` with field prefixes and every syntax character removed."""
    text = re.sub(
        r"\b(\w+):", lambda m: " " if m.group(1).lower() in TYPED_FIELD_NAMES else m.group(0), text
    )
    words = _PLAIN_WORD.findall(unicodedata.normalize("NFC", text))
    return " ".join(word.strip(".,'’-") for word in words if word.strip(".,'’-")).strip()


DATE_FIELDS = frozenset({"published", "updated"})


def _require_date_clauses(query: wq.Query) -> wq.Query:
    """``bridge published:2018`` means bridge articles OF 2018: date clauses filter, not add."""
    if not isinstance(query, wq.Or):
        return query
    dates = [child for child in query.subqueries if child.field() in DATE_FIELDS]
    if not dates:
        return query
    rest = [child for child in query.subqueries if child.field() not in DATE_FIELDS]
    return wq.And([wq.Or(rest), *dates]) if rest else wq.And(dates)


def _parser(
    schema: Schema, fields: tuple[str, ...], group: type[GroupNode] = OrGroup
) -> QueryParser:
    fields = tuple(name for name in fields if name in schema)
    parser = MultifieldParser(
        fields,
        schema,
        fieldboosts={name: FIELD_WEIGHTS.get(name, 1.0) for name in fields},
        group=group,
    )
    parser.remove_plugin_class(SingleQuotePlugin)  # "China's" is a word, not a quote
    parser.add_plugin(TypedFuzzyTermPlugin())
    # + and - are operators only at the start of a word: ``korean-chinese`` is one word.
    parser.add_plugin(
        PlusMinusPlugin(plusexpr=r"(?:(?<=\s)|(?<=\()|^)\+", minusexpr=r"(?:(?<=\s)|(?<=\()|^)-")
    )
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


_DATE_RANGE = re.compile(r"\b(published|updated):\[\s*(\S+)\s+TO\s+(\S+?)\s*\]", re.IGNORECASE)


def _forwards(text: str, parser: QueryParser, notices: list[str]) -> str:
    """``text`` with each date range typed end first (``published:[2020 TO 2010]``) turned
    round, and a notice saying so: a range that runs backwards would match nothing."""

    def turned(match: re.Match[str]) -> str:
        try:
            node = parser.parse(match.group(0))
        except Exception:  # an unreadable bound: the whole query's parse reports it
            return match.group(0)
        start, end = getattr(node, "start", None), getattr(node, "end", None)
        if start is None or end is None or start <= end:
            return match.group(0)
        field, first, last = match.groups()
        notices.append(
            f"The date range {match.group(0)} ends before it starts; "
            f"searched {field}:[{last} TO {first}] instead."
        )
        return f"{field}:[{last} TO {first}]"

    return _DATE_RANGE.sub(turned, text)


def _errors(node: wq.Query) -> list[str]:
    found = [str(node.error)] if getattr(node, "error", None) else []
    for child in node.children():
        found.extend(_errors(child))
    return found


def _is_plain(text: str) -> bool:
    return not re.search(
        r'["()\[\]{}:*?~^<>=]|(?:^|\s)[-+]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b', text
    )


def content_words(text: str) -> tuple[str, ...]:
    """The words of a plain query that must count, without stop words unless all are stop words."""
    words = tuple(text.split())
    kept = tuple(word for word in words if word.lower().strip(".,'’") not in STOP_WORDS)
    return kept or words


def _distinct_bound(words: tuple[str, ...], notices: list[str]) -> tuple[str, ...]:
    """The words whose (case-folded) form is among the first ``MAX_TERMS`` distinct ones."""
    distinct = list(dict.fromkeys(fold(word) for word in words))
    if len(distinct) <= MAX_TERMS:
        return words
    kept = set(distinct[:MAX_TERMS])
    notices.append(
        f"The query has {len(distinct)} different words; the first {MAX_TERMS} were searched."
    )
    return tuple(word for word in words if fold(word) in kept)


def _field_query(fieldname: str, terms: list[str], boost: float) -> wq.Query | None:
    """One word (or quoted text) in one field, from its analysed ``terms``: a term, or a
    phrase when there are several (``korean-chinese``), as the parser builds it."""
    if not terms:
        return None
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return wq.Phrase(fieldname, terms, boost=boost)


def _analysed(schema: Schema, fields: tuple[str, ...], text: str) -> dict[str, list[str]]:
    """The query terms of ``text`` in each field, analysing once per distinct analyzer."""
    by_analyzer: dict[int, list[str]] = {}
    found = {}
    for name in fields:
        key = id(schema[name].analyzer)
        if key not in by_analyzer:
            by_analyzer[key] = list(schema[name].process_text(text, mode="query"))
        found[name] = by_analyzer[key]
    return found


def _one(kind: type[wq.CompoundQuery], parts: list[wq.Query]) -> wq.Query:
    """``kind(parts)`` as Whoosh normalises it: duplicates dropped, a single part alone."""
    unique = list(dict.fromkeys(parts))
    if not unique:
        return wq.NullQuery
    return unique[0] if len(unique) == 1 else kind(unique)


def plain_query(
    words: list[str], schema: Schema, fields: tuple[str, ...], every_word: bool = False
) -> wq.Query:
    """The query Whoosh's parser makes of plain words, normalised, built directly (the parser
    costs milliseconds per long question): each word in any of ``fields`` with its weight;
    any word (``Or``, flattened) or, with ``every_word``, every word (``And``)."""
    fields = tuple(name for name in fields if name in schema)
    groups: list[wq.Query] = []
    for word in words:
        terms = _analysed(schema, fields, word)
        parts = [_field_query(name, terms[name], FIELD_WEIGHTS.get(name, 1.0)) for name in fields]
        group = _one(wq.Or, [part for part in parts if part is not None])
        if group is not wq.NullQuery:
            groups.append(group)
    if every_word:
        return _one(wq.And, groups)
    leaves = [leaf for group in groups for leaf in (group if isinstance(group, wq.Or) else [group])]
    return _one(wq.Or, _counted(leaves))


def _counted(leaves: list[wq.Query]) -> list[wq.Query]:
    """Each distinct leaf once, its boost raised by how often the query has it: a word a long
    question repeats (or two words with one stem) counts more, as BM25's query term
    frequency does (``search.ranking.repeat_weight``, docs/decisions.md)."""
    counts = Counter(leaves)
    return [
        leaf if n == 1 else leaf.with_boost(getattr(leaf, "boost", 1.0) * repeat_weight(n))
        for leaf, n in counts.items()
    ]


def phrase_query(text: str, schema: Schema, fieldname: str) -> wq.Query:
    """``text`` as one exact phrase in one field, as the parser reads it in quotes (a
    phrase of one word is that word's term, without the field's weight)."""
    terms = _analysed(schema, (fieldname,), text)[fieldname]
    found = _field_query(fieldname, terms, FIELD_WEIGHTS.get(fieldname, 1.0))
    if isinstance(found, wq.Term):
        return wq.Term(fieldname, found.text)
    return found if found is not None else wq.NullQuery


def parse_for_fields(
    text: str, schema: Schema, fields: tuple[str, ...], every_word: bool = False
) -> wq.Query:
    """Parse already-checked query text against other fields (for buckets, facets, filters);
    with ``every_word`` each word must match (in any of the fields)."""
    if not text:
        return wq.NullQuery
    if _is_plain(text):
        return plain_query(text.split(), schema, fields, every_word)
    parser = _parser(schema, fields, AndGroup if every_word else OrGroup)
    try:
        return _require_date_clauses(parser.parse(text))
    except Exception:  # Whoosh's parser trips on some operator runs ("NOT NOT") per field set
        words = plain_words(text).lower()
        return parser.parse(words) if words else wq.NullQuery


def query_text(parsed: ParsedQuery) -> str:
    """The text to re-parse for other fields: content words for plain queries."""
    return " ".join(parsed.words) if parsed.plain else parsed.read_as


def has_negation(query: wq.Query) -> bool:
    """Whether the query excludes something (``-word``, ``NOT``)."""
    if isinstance(query, wq.Not | wq.AndNot):
        return True
    return any(has_negation(child) for child in query.children())


def only_fields(query: wq.Query, fields: tuple[str, ...]) -> wq.Query:
    """The query with every term outside ``fields`` removed (``credit:lena`` has no title part)."""
    if query.is_leaf():
        return query if query.field() in fields else wq.NullQuery
    return query.apply(lambda child: only_fields(child, fields)).normalize()


def read_query(
    searcher: Searcher,
    text: str,
    scope: Scope,
    expander: Expander | None = None,
    allowance: Allowance | None = None,
) -> ParsedQuery:
    """Parse what the user typed and cap its prefix, wildcard and fuzzy expansions (with the
    generation's ``expander``, or Whoosh's own term walk). With a request's shared
    ``allowance`` its notices are the caller's to report, once for the whole request."""
    parsed = parse_query(text, searcher.schema, scope)
    expander = expander or Expander(searcher.reader())
    own = allowance is None
    allowance = Allowance() if allowance is None else allowance
    bounded = expander.bound(parsed.query, allowance)
    notices = parsed.notices + allowance.notices if own else parsed.notices
    return dataclasses.replace(parsed, query=bounded, notices=notices)


def headline_phrase(parsed: ParsedQuery, schema: Schema) -> wq.Query:
    """The whole query as one phrase in the headline (the headline bucket's test)."""
    return phrase_query(parsed.read_as.replace('"', " "), schema, "title")


def one_word(parsed: ParsedQuery) -> bool:
    """Whether the query is a single word or pattern typed without a field (``flood``,
    ``flood*``, ``flod~``): its headline matches rank first, as a phrase's do."""
    if parsed.plain:
        return len(parsed.words) == 1
    typed = parsed.read_as.split()
    return len(typed) == 1 and ":" not in typed[0] and bool(re.search(r"\w[*?~]", typed[0]))


MAX_PHRASE_WORDS = 4
"""A plain query of up to this many words is also looked for as a phrase in the text."""


def text_phrase(parsed: ParsedQuery, schema: Schema) -> wq.Query:
    """The whole query as one phrase in a main section other than the headline (the
    phrase bucket's test); nothing for a query of more than :data:`MAX_PHRASE_WORDS`."""
    if not 2 <= len(parsed.words) <= MAX_PHRASE_WORDS:
        return wq.NullQuery
    text = parsed.read_as.replace('"', " ")
    fields = [
        name for name in SCOPE_FIELDS[parsed.scope] if name in MAIN_FIELDS and name != "title"
    ]
    phrases = [phrase_query(text, schema, name) for name in fields if name in schema]
    found = [phrase for phrase in phrases if isinstance(phrase, wq.Phrase)]
    return wq.Or(found) if found else wq.NullQuery


def parse_query(text: str, schema: Schema, scope: Scope = Scope.ALL) -> ParsedQuery:
    """Parse user text; malformed syntax is read as plain words with a notice, never an error."""
    text = as_typed(" ".join(unicodedata.normalize("NFC", text).split()), TYPED_FIELD_NAMES)
    notices: list[str] = []
    typed = text.split()
    if len(typed) > MAX_TERMS and not _is_plain(text):
        text = " ".join(typed[:MAX_TERMS])
        notices.append(f"Only the first {MAX_TERMS} words of the query were used.")
    if not text:
        return ParsedQuery(wq.NullQuery, "", tuple(notices), plain=True, scope=scope)
    parser = _parser(schema, SCOPE_FIELDS[scope])
    problem = _syntax_problem(text)
    parsed: wq.Query | None = None
    if problem is None and not _is_plain(text):
        text = _forwards(text, parser, notices)
        try:
            parsed = parser.parse(text)
        except Exception:  # Whoosh raises plain exceptions for some operator runs and ranges
            problem = "operators or ranges it could not make sense of"
        else:
            errors = _errors(parsed)
            if errors:
                problem = f"syntax it could not read ({errors[0]})"
                parsed = None
            else:
                parsed = _require_date_clauses(parsed)
    if parsed is None:
        read_as = plain_words(text) if problem else text
        if problem:
            notices.append(
                f"Your query had {problem}, so it was read as plain words: {read_as or '(nothing)'}"
            )
        # Plain words only reach the parser lower-cased and stripped of syntax characters,
        # so nothing in them can be read as an operator.
        words = _distinct_bound(content_words(plain_words(read_as)), notices)
        parsed = plain_query(list(words), schema, SCOPE_FIELDS[scope])
        return ParsedQuery(parsed, read_as, tuple(notices), plain=True, words=words, scope=scope)
    return ParsedQuery(parsed, text, tuple(notices), plain=False, scope=scope)
