"""Prefix, wildcard, fuzzy and range query nodes turned into terms, bounded."""

from __future__ import annotations

from itertools import islice

from whoosh import query as wq
from whoosh.reading import IndexReader

from search.vocabulary import Vocabulary

MAX_EXPANSIONS = 200
"""At most this many index words are searched for one prefix, wildcard, fuzzy term or range."""
MAX_QUERY_EXPANSIONS = 2000
"""...and at most this many for all of a query's patterns in all fields together, so many
short prefixes (``aa* ae* … go*``) cannot make one request score thousands of terms."""
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
        if not isinstance(node, wq.FuzzyTerm):
            return [
                text.decode("utf-8") if isinstance(text, bytes) else text
                for text in islice(node._btexts(self.reader), MAX_EXPANSIONS + 1)
            ]
        # The typed word is compared with the field's unstemmed spelling words; the
        # spellings found are then analysed into the field's own terms.
        field_type = self.reader.schema[node.fieldname]
        found: dict[str, None] = {}
        for spelling in self._spellings(node):
            for term in field_type.process_text(spelling, mode="query"):
                found[term] = None
        return list(found)[: MAX_EXPANSIONS + 1]

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

    def bound(self, query: wq.Query) -> tuple[wq.Query, tuple[str, ...]]:
        """The query with every expanding node replaced by an ``Or`` of its terms (at most
        ``MAX_EXPANSIONS`` each, ``MAX_QUERY_EXPANSIONS`` in all), and a notice for each cut."""
        over_each: dict[str, None] = {}
        over_all: dict[str, None] = {}
        left = MAX_QUERY_EXPANSIONS

        def bound(node: wq.Query) -> wq.Query:
            nonlocal left
            fieldname = node.field()
            if isinstance(node, wq.MultiTerm) and fieldname:
                words = self.words(node)
                if len(words) > MAX_EXPANSIONS:
                    over_each[_shown(node)] = None
                kept = words[: min(MAX_EXPANSIONS, left)]
                if len(kept) < min(len(words), MAX_EXPANSIONS):
                    over_all[_shown(node)] = None
                left -= len(kept)
                boost = getattr(node, "boost", 1.0)
                terms = [wq.Term(fieldname, word, boost=boost) for word in kept]
                return wq.Or(terms) if terms else wq.NullQuery
            if node.is_leaf():
                return node
            return node.apply(bound)

        return bound(query), _notices(list(over_each), list(over_all))


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
