""" "Autocomplete from the index vocabulary: what the last typed word may become.

Works on the generation's vocabulary (``search.vocabulary``): unstemmed, folded words
with the number of articles holding each, so completions are real words, not stems.
"""

from __future__ import annotations

from search.spelling import cased, typed_words
from search.vocabulary import Vocabulary

MAX_COMPLETIONS = 10
MAX_PREFIX_CHARS = 50
"""The longest last word (or run of characters without a space) that is completed."""
TITLE_WEIGHT = 3
"""A title containing a word counts this many times as much as a body containing it."""
COMPLETION_WEIGHTS = {"title": TITLE_WEIGHT, "body": 1}


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
    words = list(typed_words(chunk))
    if not words or words[-1][2] != len(chunk):
        return []
    word, start, _ = words[-1]
    found = [text for text, _ in vocabulary.completions(word, COMPLETION_WEIGHTS, limit + 1)]
    longer = [text for text in found if text != word]
    head = prefix[: len(prefix) - len(chunk) + start]
    typed = chunk[start:]
    return [head + cased(typed, text) for text in (longer or found)[:limit]]
