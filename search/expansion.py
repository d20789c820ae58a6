"""Prefix, wildcard, fuzzy and range query nodes turned into terms, bounded."""

from __future__ import annotations

from itertools import islice

from whoosh import query as wq
from whoosh.reading import IndexReader

from index.vocabulary import SPELL_PREFIX
from search.vocabulary import Vocabulary

MAX_EXPANSIONS = 200
"""At most this many index words are searched for one prefix, wildcard, fuzzy term or range."""
MAX_QUERY_EXPANSIONS = 2000
"""...and at most this many for all of a request's patterns in all fields together (query
and "search within"), so many short prefixes (``aa* ae* … go*``) cannot make one request
score thousands of terms."""
CACHE_SIZE = 4096
"""Expanded nodes remembered per generation (a generation never changes)."""


def _shown(node: wq.MultiTerm) -> str:
    """An expanding query node as the user typed it (``bridg*``, ``brigde~``, ``[a TO c]``)."""
    if isinstance(node, wq.FuzzyTerm):
        return f"{node.text}~"
    if isinstance(node, wq.Prefix):
        return f"{node.text}*"
    if isinstance(node, wq.TermRange):
        return f"[{node.start or ''} TO {node.end or ''}]"
    return str(getattr(node, "text", node))


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class Expander:
    """Expands a generation's query nodes into its terms, at most ``MAX_EXPANSIONS`` each.

    With the generation's ``vocabulary``, a fuzzy word's spellings come from an edit-distance
    pass over the whole word list in C and expansions are remembered for the generation;
    without one, Whoosh's automaton walks its term dictionary (the reference path).
    """

    def __init__(self, reader: IndexReader, vocabulary: Vocabulary | None = None) -> None:
        self.reader = reader
        self.vocabulary = vocabulary
        self._cache: dict[wq.Query, list[str]] = {}

    def words(self, node: wq.MultiTerm) -> list[str]:
        """The first ``MAX_EXPANSIONS + 1`` terms the node stands for (one more tells a cut)."""
        if node not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[node] = self._expand(node)
        return self._cache[node]

    def _expand(self, node: wq.MultiTerm) -> list[str]:
        limit = MAX_EXPANSIONS + 1
        if isinstance(node, wq.FuzzyTerm):
            return self._terms_of(node.fieldname, self._spellings(node), [])[:limit]
        terms = [_text(term) for term in islice(node._btexts(self.reader), limit)]
        if isinstance(node, wq.Prefix) and len(terms) < limit:
            # ``evacuat*`` must find "evacuate" although its stem is "evacu".
            terms = self._terms_of(node.fieldname, self._starting(node), terms)[:limit]
        return terms

    def _terms_of(self, fieldname: str, spellings: list[str], terms: list[str]) -> list[str]:
        """``terms`` followed by the field's terms for unstemmed ``spellings`` (analysed)."""
        field_type = self.reader.schema[fieldname]
        found = dict.fromkeys(terms)
        for spelling in spellings:
            found.update(dict.fromkeys(field_type.process_text(spelling, mode="query")))
        return list(found)

    def _starting(self, node: wq.Prefix) -> list[str]:
        """The field's unstemmed words starting with the prefix, at most the cap + 1."""
        limit = MAX_EXPANSIONS + 1
        if self.vocabulary is not None:
            return self.vocabulary.starting(node.text, node.fieldname, limit)
        spelling_field = SPELL_PREFIX + node.fieldname
        if spelling_field not in self.reader.schema:
            return []
        words = islice(self.reader.expand_prefix(spelling_field, node.text), limit)
        return [_text(word) for word in words]

    def _spellings(self, node: wq.FuzzyTerm) -> list[str]:
        limit = MAX_EXPANSIONS + 1
        if self.vocabulary is not None:
            return self.vocabulary.within(
                node.text, node.fieldname, node.maxdist, node.prefixlength, limit
            )
        found: list[str] = []
        for leaf, _ in self.reader.leaf_readers():
            words = leaf.terms_within(node.fieldname, node.text, node.maxdist, node.prefixlength)
            found.extend(islice(words, limit))
        return found

    def bound(self, query: wq.Query, allowance: Allowance | None = None) -> wq.Query:
        """The query with every expanding node replaced by an ``Or`` of its terms, as many as
        the request's ``allowance`` gives (a fresh one when none is passed)."""
        allowance = allowance if allowance is not None else Allowance()

        def bound(node: wq.Query) -> wq.Query:
            fieldname = node.field()
            if isinstance(node, wq.MultiTerm) and fieldname:
                kept = allowance.grant(node, self.words(node))
                boost = getattr(node, "boost", 1.0)
                terms = [wq.Term(fieldname, word, boost=boost) for word in kept]
                return wq.Or(terms) if terms else wq.NullQuery
            if node.is_leaf():
                return node
            return node.apply(bound)

        return bound(query)


class Allowance:
    """One request's expansion budget, shared by every pass over it (the query, "search
    within", the ranking and where-matched passes, suggestions).

    A pattern in a field is granted its words once, at most ``MAX_EXPANSIONS``, while the
    request has any of its ``total`` left; asked again (a later pass re-reads the same
    query), it gets the same words at no further cost.
    """

    def __init__(self, total: int = MAX_QUERY_EXPANSIONS) -> None:
        self.left = total
        self._granted: dict[wq.Query, list[str]] = {}
        self._over_each: dict[str, None] = {}
        self._over_all: dict[str, None] = {}

    def grant(self, node: wq.MultiTerm, words: list[str]) -> list[str]:
        """The words ``node`` may search (``words`` holds one more than the cap when cut)."""
        key = node.with_boost(1.0)
        if key not in self._granted:
            if len(words) > MAX_EXPANSIONS:
                self._over_each[_shown(node)] = None
            kept = words[: min(MAX_EXPANSIONS, self.left)]
            if len(kept) < min(len(words), MAX_EXPANSIONS):
                self._over_all[_shown(node)] = None
            self.left -= len(kept)
            self._granted[key] = kept
        return self._granted[key]

    @property
    def granted(self) -> int:
        """Words granted so far, to all patterns together."""
        return sum(len(words) for words in self._granted.values())

    @property
    def notices(self) -> tuple[str, ...]:
        """What was cut, in at most two notices however many patterns were."""
        return _notices(list(self._over_each), list(self._over_all))


def _listed(patterns: list[str], shown: int = 3) -> str:
    """``a*``, ``a* and b*``, ``a*, b*, c* and 4 more``."""
    if len(patterns) <= shown:
        return (
            patterns[0] if len(patterns) == 1 else ", ".join(patterns[:-1]) + " and " + patterns[-1]
        )
    return f"{', '.join(patterns[:shown])} and {len(patterns) - shown} more"


def _notices(over_each: list[str], over_all: list[str]) -> tuple[str, ...]:
    """At most two notices however many patterns were cut: one per kind of limit."""
    notices = []
    if len(over_each) == 1:
        notices.append(
            f"{over_each[0]} matches more than {MAX_EXPANSIONS} words; "
            f"only the first {MAX_EXPANSIONS} were searched."
        )
    elif over_each:
        notices.append(
            f"{_listed(over_each)} match more than {MAX_EXPANSIONS} words each; "
            f"only the first {MAX_EXPANSIONS} of each were searched."
        )
    if over_all:
        notices.append(
            f"The query's patterns match more than {MAX_QUERY_EXPANSIONS} words in all; "
            f"the first {MAX_QUERY_EXPANSIONS} were searched, so {_listed(over_all)} "
            "got fewer words or none."
        )
    return tuple(notices)
