""" "Autocomplete from the index vocabulary: what the last typed word may become.

Works on the generation's vocabulary (``search.vocabulary``): unstemmed, folded words
with the number of articles holding each, so completions are real words, not stems.
"""

from __future__ import annotations

import re

from search.query import MIN_PREFIX_CHARS
from search.spelling import cased, typed_words
from search.vocabulary import Vocabulary

MAX_COMPLETIONS = 10
MAX_PREFIX_CHARS = 50
"""The longest last word (or run of characters without a space) that is completed."""
TITLE_WEIGHT = 3
"""A title containing a word counts this many times as much as a body containing it."""
COMPLETION_WEIGHTS = {"title": TITLE_WEIGHT, "body": 1}
MAX_AUTHORS = 3
MAX_HEADLINES = 3
"""Bylines and headlines offered beside the completions."""
_PLAIN_WORD = re.compile(r"\w+", re.UNICODE)
CANDIDATES = 1000
"""The commonest words with the typed prefix that are ranked by how often they follow."""


def complete(vocabulary: Vocabulary, prefix: str, limit: int = MAX_COMPLETIONS) -> list[str]:
    """Up to ``limit`` (at most 10) completions of the last word of ``prefix``.

    Each is the whole query: the text before the last word as typed, then an indexed word
    starting with it, as the archive writes it ("zu" gives "zürich") in the case style of
    the typed word ("Pyŏ" gives "Pyongyang"). After an earlier word, the words that follow
    it in the most articles come first ("harbour b": "harbour bridge" before "harbour
    by"); then, and for a first word, the words held by the most articles, titles counting
    :data:`TITLE_WEIGHT` times; ties alphabetical. Every indexed word with the prefix is
    considered (the vocabulary holds them as one sorted range with their counts); the
    :data:`CANDIDATES` commonest are ranked by what follows. The typed word itself is
    offered only when nothing longer is indexed.
    """
    limit = min(limit, MAX_COMPLETIONS)
    if limit <= 0 or not prefix or prefix[-1].isspace():
        return []
    chunk = prefix.rsplit(None, 1)[-1]
    if len(chunk) > MAX_PREFIX_CHARS:
        return []
    words = list(typed_words(chunk))
    if not words or words[-1][2] != len(chunk):
        return []
    word, start, _ = words[-1]
    head = prefix[: len(prefix) - len(chunk) + start]
    found = [text for text, _ in vocabulary.completions(word, COMPLETION_WEIGHTS, CANDIDATES)]
    found = _after(vocabulary, head, found)
    longer = [text for text in found if text != word]
    typed = chunk[start:]
    return [
        head + cased(typed, vocabulary.forms.get(text, text)) for text in (longer or found)[:limit]
    ]


def _after(vocabulary: Vocabulary, head: str, found: list[str]) -> list[str]:
    """``found`` (commonest first) with the words that follow the last word of ``head``
    in the most articles first."""
    before = list(typed_words(head[-MAX_PREFIX_CHARS:]))
    if not before or not vocabulary.pairs:
        return found
    follows = vocabulary.following(before[-1][0], found, COMPLETION_WEIGHTS)
    order = sorted(range(len(found)), key=lambda place: (-follows[place], place))
    return [found[place] for place in order]


def headline_query(prefix: str) -> str:
    """The query for headlines holding every typed word, the last as a beginning
    (``harbour AND bri*``); "" when what was typed is not plain words."""
    words = prefix.split()[:MAX_PREFIX_CHARS]
    if not words or not all(_PLAIN_WORD.fullmatch(word) for word in words):
        return ""
    if prefix[-1].isspace() or len(words[-1]) >= MIN_PREFIX_CHARS:
        last = words[-1] if prefix[-1].isspace() else words[-1] + "*"
        return " AND ".join([*words[:-1], last])
    return " AND ".join(words[:-1])
