"""Analysing a section's text once for everything the index keeps of it.

Whoosh, left to itself, runs a text field's analyzer twice per document: once for the
stemmed postings, once more (``no_morph=True``) for the unstemmed spelling words. Here one
pass of the analyzer without its stemmer gives the tokens; the spelling words are their
texts, the postings are the same tokens stemmed. :class:`SectionText` fields take the
result (an :class:`Analysed`) in place of the text, and the indexer reads the term
frequencies and field length for the search arrays from the same object.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.analysis import StemFilter
from whoosh.fields import TEXT, FieldType

from index.completions import section_pairs

Posting = tuple[bytes, int, float, bytes]
"""What a Whoosh field's ``index()`` yields per term: (term, frequency, weight, value)."""


@dataclass(frozen=True)
class Analysed:
    """A section's postings (Whoosh's ``index()`` items) and unstemmed spelling words."""

    postings: tuple[Posting, ...]
    spelling: tuple[str, ...]
    """Sorted and unique, as Whoosh's ``spellable_words`` gives them."""
    pairs: np.ndarray | None = None
    """The distinct keys of the word pairs side by side (``index.completions``), if asked."""
    shown: tuple[tuple[str, str], ...] = ()
    """(folded word, written form lower-cased) where folding changed more than case."""

    @property
    def length(self) -> int:
        """The field length Whoosh records: the number of tokens."""
        return sum(frequency for _, frequency, _, _ in self.postings)


class SectionText(TEXT):
    """A text field that also accepts an :class:`Analysed` value (already analysed)."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:  # type: ignore[override]
        if isinstance(value, Analysed):
            return iter(value.postings)
        return super().index(value, **kwargs)

    def spellable_words(self, value: Any) -> Iterator[str]:
        if isinstance(value, Analysed):
            return iter(value.spelling)
        return super().spellable_words(value)


def stemmer(field: FieldType) -> Callable[[str], str]:
    """The (cached) stemming function of the field's analyzer."""
    for item in getattr(field.analyzer, "items", ()):
        if isinstance(item, StemFilter):
            return item._stem  # the filter's own cache around its stemmer
    return lambda text: text


def analyse(field: FieldType, text: str, completions: bool = False) -> Analysed:
    """``text`` analysed for ``field`` (a text field storing positions and characters).

    The result is what ``field.index(text)`` and ``field.spellable_words(text)`` give,
    from one run of the analyzer. A whole hyphenated word (``koreanchinese``, emitted
    at its last piece's position when indexing) is a posting but not a spelling word,
    as the spelling pass (which does not join pieces) would have it. With
    ``completions``, the word pairs and written forms autocomplete needs too.
    """
    stem = stemmer(field)
    analyzer, field_format = field.analyzer, field.format
    assert analyzer is not None and field_format is not None, "a text field"
    places: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    spelling: set[str] = set()
    runs: list[list[str]] = [[]]
    shown: set[tuple[str, str]] = set()
    keep_forms = completions and not text.isascii()
    previous = -1
    for token in analyzer(text, positions=True, chars=True, no_morph=True, mode="index"):
        if token.stopped:
            continue
        if token.pos != previous:
            spelling.add(token.text)
            if token.pos != previous + 1:
                runs.append([])
            runs[-1].append(token.text)
            if keep_forms and (form := text[token.startchar : token.endchar].lower()) != token.text:
                shown.add((token.text, form))
        previous = token.pos
        places[stem(token.text)].append((token.pos, token.startchar, token.endchar))
    boost = field_format.field_boost
    encode = field_format.encode  # type: ignore[attr-defined]  # Characters
    postings = tuple(
        (term.encode("utf-8"), len(where), len(where) * boost, encode(where))
        for term, where in places.items()
    )
    if not completions:
        return Analysed(postings, tuple(sorted(spelling)))
    pairs = np.unique(np.concatenate([section_pairs(run) for run in runs]))
    return Analysed(postings, tuple(sorted(spelling)), pairs, tuple(sorted(shown)))
