""" "Did you mean": respelling the words of a query that the archive does not know.

Works on the generation's vocabulary (``search.vocabulary``): every unstemmed, folded
word of every text field with the number of articles holding it per field, so a
correction is a real word (or name) and "known" means known anywhere, bylines included.

A word is looked up when it is in no article, or (in an archive of at least
:data:`RARE_SHARE` articles per occurrence) in at most :data:`RARE_DF` of them — a typo
that made it into print. Its correction is the nearest word (a swap of two letters is
one edit; a short typed word may also be the start of a longer one, ``flo`` → ``flood``),
then the most common, and must be far more common than the word. The corrected query
is offered only when more articles hold all of its words than held all of the typed ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice

from whoosh.reading import IndexReader

from index.analysis import news_analyzer
from search.query import FIELD_ALIASES, STOP_WORDS
from search.request import MAX_QUERY_CHARS
from search.vocabulary import Vocabulary

MAX_WORDS = 5
"""At most this many words of a query are looked up for a correction."""
MAX_QUERY_WORDS = 64
"""Words after this many are left as they are."""
MIN_WORD_CHARS = 3
MAX_WORD_CHARS = 30
"""Shorter words are too ambiguous to correct, longer ones not worth the scan."""
SHORT_WORD_CHARS = 4
"""Words up to this long are corrected by one edit at most, longer ones by up to two."""
SAME_START = 1
"""Spellings two edits away must start with this many of the word's letters (a typo
rarely hits the first letter, and the scan reads a 26th of the vocabulary)."""
RARE_DF = 2
"""A word in at most this many articles may be a misspelling even though it is indexed..."""
RARE_SHARE = 1000
"""...when the archive holds at least this many articles per such article..."""
RARE_FACTOR = 10
"""...and is replaced only by a spelling at least this many times as common."""
MAX_CANDIDATES = 200
"""Spellings considered per word."""

TEXT_FIELDS = ("title", "dek", "body", "captions", "author", "bio", "credits")
"""Where a word counts as known; a field prefix narrows it to that field."""
NAME_FIELDS = frozenset({"author"})
"""A word found here is a name: never corrected, whatever its count."""
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_PATTERN_CHARS = frozenset("*?~")
_FIELD_BEFORE = re.compile(r"([A-Za-z_]+):$")
_NEGATED_BEFORE = re.compile(r"(?:[\s(]-|\bNOT\s+|\bANDNOT\s+)(?:[A-Za-z_]+:)?$")
_CONTEXT_CHARS = 40
"""How far before a word to look for its field prefix or negation."""

_ANALYZER = news_analyzer()

Span = tuple[str, int, int]
"""A folded, unstemmed word and where it is in the text: (word, start, end)."""


def typed_words(text: str) -> Iterator[Span]:
    """The words of ``text`` as the index sees them (folded, not stemmed), with offsets."""
    for token in _ANALYZER(text, chars=True, no_morph=True):
        yield token.text, token.startchar, token.endchar


def cased(typed: str, word: str) -> str:
    """``word`` in the case style of what the user typed: UPPER, Capitalised or lower."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _fields_of(text: str, start: int, end: int) -> tuple[str, ...]:
    """The fields to judge the word at ``start:end`` in; () to leave it as typed.

    Left alone: field names, operators, wildcard and fuzzy terms and excluded words.
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
        return TEXT_FIELDS
    name = prefix.group(1).lower()
    name = next((field for field, aliases in FIELD_ALIASES.items() if name in aliases), name)
    return (name,) if name in TEXT_FIELDS else ()


class Speller:
    """Corrections of words against one generation's vocabulary and index."""

    def __init__(self, vocabulary: Vocabulary, reader: IndexReader) -> None:
        self.vocabulary = vocabulary
        self.reader = reader
        self.articles = reader.doc_count()

    def doubtful(self, word: str, fields: tuple[str, ...]) -> bool:
        """Whether ``word`` may be misspelt: found nowhere (not even by its stem, as
        ``timetable`` finds "timetables"), or rare in a large archive (as itself or by
        its stem) and no name."""
        held = self.vocabulary.articles(word, fields) or self._stem_found(word, fields)
        if held == 0:
            return True
        return self._rare(held) and self.vocabulary.articles(word, NAME_FIELDS) == 0

    def _rare(self, held: int) -> bool:
        return held <= RARE_DF and self.articles >= held * RARE_SHARE

    def _stem_found(self, word: str, fields: tuple[str, ...]) -> int:
        """The most articles holding the word's stem in one of ``fields``."""
        schema = self.reader.schema
        return max(
            (
                self.reader.doc_frequency(name, term)
                for name in fields
                if name in schema
                for term in schema[name].process_text(word, mode="query")
            ),
            default=0,
        )

    def correction(self, word: str, fields: tuple[str, ...]) -> str | None:
        """The nearest, then most common, spelling of ``word`` that is far more common
        than it (and no glue word standing in for an indexed one); None if there is none."""
        held = self.vocabulary.articles(word, fields)
        needed = max(1, held * RARE_FACTOR)
        best: tuple[int, int, str] | None = None
        for candidate, edits in self._candidates(word):
            if candidate == word or (held and candidate in STOP_WORDS):
                continue
            common = self.vocabulary.articles(candidate, fields)
            if self._rare(common):  # a typo that made it into print is no correction
                continue
            if common >= needed and (best is None or (edits, -common, candidate) < best):
                best = (edits, -common, candidate)
        return best[2] if best else None

    def _candidates(self, word: str) -> list[tuple[str, int]]:
        """Spellings one edit away (two for longer words), and for a short word the words
        it begins (``flo`` → ``flood``, counted as one edit)."""
        if len(word) <= SHORT_WORD_CHARS:
            found = self.vocabulary.edits_away(word, 1, 0)
            longer = self.vocabulary.completions(word, {"title": 1, "body": 1}, MAX_CANDIDATES)
            found += [(text, 1) for text, _ in longer]
        else:
            found = self.vocabulary.edits_away(word, 1, 0)
            found += self.vocabulary.edits_away(word, 2, SAME_START)
        return found[: MAX_CANDIDATES * 2]


def did_you_mean(
    vocabulary: Vocabulary, reader: IndexReader, text: str, found: int, count: Callable[[str], int]
) -> str | None:
    """A respelling of query ``text`` under which more articles hold all its words than
    the ``found`` that hold all the typed ones, or None.

    Each plain word that is doubtful (see :class:`Speller`) is replaced by its correction;
    syntax and the other words stay as typed. ``count`` gives the number of articles
    holding all the words of a query string and is asked once, of the corrected query.
    """
    if len(text) > MAX_QUERY_CHARS or reader.doc_count() == 0:
        return None
    speller = Speller(vocabulary, reader)
    replacements: dict[tuple[int, int], str] = {}
    corrections: dict[tuple[str, tuple[str, ...]], str | None] = {}
    for word, start, end in islice(typed_words(text), MAX_QUERY_WORDS):
        if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS or any(c.isdigit() for c in word):
            continue
        fields = _fields_of(text, start, end)
        key = (word, fields)
        if fields and key not in corrections:
            doubtful = len(corrections) < MAX_WORDS and speller.doubtful(word, fields)
            corrections[key] = speller.correction(word, fields) if doubtful else None
        if corrections.get(key):
            replacements[start, end] = cased(text[start:end], corrections[key] or "")
    if not replacements:
        return None
    corrected = text
    for (start, end), replacement in sorted(replacements.items(), reverse=True):
        corrected = corrected[:start] + replacement + corrected[end:]
    return corrected if count(corrected) > found else None
