"""Spelling help from the index vocabulary: "did you mean" corrections and autocomplete.

Both work on the unstemmed, folded words Whoosh keeps for the ``spelling=True`` fields
(``spell_title`` and ``spell_body``), so suggestions are real words, not stems. A word's
document frequency there is the number of articles that contain it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index.analysis import news_analyzer
from search.query import FIELD_ALIASES
from search.request import MAX_QUERY_CHARS
from search.vocabulary import Vocabulary

SPELL_FIELDS = {"title": "spell_title", "body": "spell_body"}
"""The fields with a spelling field, and its name."""

SUGGEST_BELOW = 3
"""A query with fewer results than this may get a "did you mean"."""
MAX_WORDS = 5
"""At most this many words of a query are looked up for a correction."""
MAX_QUERY_WORDS = 64
"""Words after this many are left as they are."""
MIN_WORD_CHARS = 3
MAX_WORD_CHARS = 30
"""Shorter words are too ambiguous to correct, longer ones not worth the automaton."""
SHORT_WORD_CHARS = 4
"""Words up to this long are corrected by one edit at most, longer ones by up to two."""
SAME_START = 1
"""Spellings two edits away must start with this many of the word's letters: Whoosh's
automaton then skips most of the vocabulary (about 4 times faster)."""
RARE_DF = 2
"""A word in at most this many articles may be a misspelling even though it is indexed..."""
RARE_FACTOR = 10
"""...and is replaced only by a spelling at least this many times as common."""
MAX_CANDIDATES = 50
"""Spellings considered per word, field and edit distance."""

MAX_COMPLETIONS = 10
MAX_PREFIX_CHARS = 50
"""The longest last word (or run of characters without a space) that is completed."""
TITLE_WEIGHT = 3
"""A title containing a word counts this many times as much as a body containing it."""
COMPLETION_WEIGHTS = {"title": TITLE_WEIGHT, "body": 1}

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_PATTERN_CHARS = frozenset("*?~")
_FIELD_BEFORE = re.compile(r"([A-Za-z_]+):$")
_NEGATED_BEFORE = re.compile(r"(?:[\s(]-|\bNOT\s+|\bANDNOT\s+)(?:[A-Za-z_]+:)?$")
_CONTEXT_CHARS = 40
"""How far before a word to look for its field prefix or negation."""

_ANALYZER = news_analyzer()

_Span = tuple[str, int, int]
"""A folded, unstemmed word and where it is in the text: (word, start, end)."""


def _words(text: str) -> Iterator[_Span]:
    """The words of ``text`` as the index sees them (folded, not stemmed), with offsets."""
    for token in _ANALYZER(text, chars=True, no_morph=True):
        yield token.text, token.startchar, token.endchar


def _cased(typed: str, word: str) -> str:
    """``word`` in the case style of what the user typed: UPPER, Capitalised or lower."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _doc_frequency(reader: IndexReader, fields: tuple[str, ...], word: str) -> int:
    return sum(reader.doc_frequency(field, word) for field in fields)


def _within(
    reader: IndexReader, fields: tuple[str, ...], word: str, maxdist: int, prefix: int
) -> set[str]:
    """Indexed words at most ``maxdist`` plain Levenshtein edits from ``word`` that share
    its first ``prefix`` letters, capped.

    Asks each segment: ``MultiReader`` lacks the automaton-based ``terms_within`` and would
    compute the distance to every word of the field.
    """
    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        for field in fields:
            found.update(islice(leaf.terms_within(field, word, maxdist, prefix), MAX_CANDIDATES))
    return found


def _transpositions(word: str) -> set[str]:
    """``word`` with two neighbouring letters swapped, every way (Whoosh's automaton counts
    a swap as two edits, so "teh" is not one edit from "the")."""
    return {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    }


def _correction(
    reader: IndexReader, fields: tuple[str, ...], word: str, frequency: int
) -> str | None:
    """The most common indexed spelling closest to ``word``, which is in ``frequency``
    articles; None when there is none common enough."""
    needed = max(1, frequency * RARE_FACTOR)
    maxdist = 1 if len(word) <= SHORT_WORD_CHARS else 2
    for distance in range(1, maxdist + 1):
        if distance == 1:
            candidates = _within(reader, fields, word, 1, 0) | _transpositions(word)
        else:
            candidates = _within(reader, fields, word, distance, SAME_START)
        candidates.discard(word)
        scored = [(_doc_frequency(reader, fields, c), c) for c in candidates]
        good = [(-count, c) for count, c in scored if count >= needed]
        if good:
            return min(good)[1]
    return None


def _spell_fields(text: str, start: int, end: int) -> tuple[str, ...]:
    """The spelling fields to correct the word at ``start:end`` against; () to leave it.

    Left alone: field names, operators, wildcard and fuzzy terms, excluded words and words
    searched in a field without spelling data (``author:``).
    """
    before = " " + text[max(0, start - _CONTEXT_CHARS) : start]
    after = text[end : end + 1]
    if after == ":" or text[start:end] in OPERATORS:
        return ()
    if after in _PATTERN_CHARS or before[-1:] in _PATTERN_CHARS:
        return ()
    if _NEGATED_BEFORE.search(before):
        return ()
    prefix = _FIELD_BEFORE.search(before)
    if prefix is None:
        return tuple(SPELL_FIELDS.values())
    name = prefix.group(1).lower()
    name = next((field for field, aliases in FIELD_ALIASES.items() if name in aliases), name)
    return (SPELL_FIELDS[name],) if name in SPELL_FIELDS else ()


def did_you_mean(
    searcher: Searcher, text: str, total: int, count: Callable[[str], int]
) -> str | None:
    """A respelling of query ``text`` that finds more than its ``total`` results, or None.

    None when ``total`` is :data:`SUGGEST_BELOW` or more. Each plain word that is not
    indexed (or is rare) is replaced by the closest, then most common, indexed spelling;
    syntax and the other words stay as typed. ``count`` returns the number of results of
    a query string and is called once, on the corrected query.
    """
    reader = searcher.reader()
    fields = tuple(name for name in SPELL_FIELDS.values() if name in searcher.schema)
    if total >= SUGGEST_BELOW or len(text) > MAX_QUERY_CHARS or not fields:
        return None
    if reader.doc_count_all() == 0:  # an empty index has no segment to ask
        return None
    replacements: dict[tuple[int, int], str] = {}
    corrections: dict[tuple[str, tuple[str, ...]], str | None] = {}
    looked_up = 0
    for word, start, end in islice(_words(text), MAX_QUERY_WORDS):
        if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS or any(c.isdigit() for c in word):
            continue
        word_fields = tuple(f for f in _spell_fields(text, start, end) if f in fields)
        if not word_fields:
            continue
        key = (word, word_fields)
        if key not in corrections:
            corrections[key] = None
            frequency = _doc_frequency(reader, word_fields, word)
            if frequency <= RARE_DF and looked_up < MAX_WORDS:
                looked_up += 1
                corrections[key] = _correction(reader, word_fields, word, frequency)
        correction = corrections[key]
        if correction is not None:
            replacements[start, end] = _cased(text[start:end], correction)
    if not replacements:
        return None
    corrected = text
    for (start, end), replacement in sorted(replacements.items(), reverse=True):
        corrected = corrected[:start] + replacement + corrected[end:]
    return corrected if count(corrected) > total else None


def complete(vocabulary: Vocabulary, prefix: str, limit: int = MAX_COMPLETIONS) -> list[str]:
    """Up to ``limit`` (at most 10) completions of the last word of ``prefix``.

    Each is the whole query: the text before the last word as typed, then an indexed word
    starting with it (folded, so "pyŏ" gives "pyongyang"; "Pyo" gives "Pyongyang" as the
    case style of the typed word is kept). Ranked by articles containing the word, titles counting
    :data:`TITLE_WEIGHT` times; ties alphabetical. The typed word itself is offered only
    when nothing longer is indexed. Every indexed word with the prefix is considered: the
    generation's vocabulary holds them as one sorted range with their counts.
    """
    limit = min(limit, MAX_COMPLETIONS)
    if limit <= 0 or not prefix or prefix[-1].isspace():
        return []
    chunk = prefix.rsplit(None, 1)[-1]
    if len(chunk) > MAX_PREFIX_CHARS:
        return []
    words = list(_words(chunk))
    if not words or words[-1][2] != len(chunk):
        return []
    word, start, _ = words[-1]
    found = [text for text, _ in vocabulary.completions(word, COMPLETION_WEIGHTS, limit + 1)]
    longer = [text for text in found if text != word]
    head = prefix[: len(prefix) - len(chunk) + start]
    typed = chunk[start:]
    return [head + _cased(typed, text) for text in (longer or found)[:limit]]
