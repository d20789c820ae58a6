"""English analysis chain shared by every text field, at index time and at query time.

The chain is ``NewsTokenizer | FoldFilter | StopFilter (length cap only) | StemFilter``:

* :class:`NewsTokenizer` finds words in the original text. A word is a run of letters and digits
  whose pieces may be joined by hyphens (``-`` U+2010 U+2011, soft hyphen), apostrophes, dots or
  underscores; any other character, including every Unicode space and the en/em dash, separates
  words. A trailing possessive ``'s`` is dropped and each joined piece becomes its own token, so
  ``Korean-Chinese`` is ``korean`` + ``chinese``. Only when indexing is the whole word (joiners
  removed) added at the position of its last piece, so ``koreanchinese`` finds it too while
  phrases across the pieces still line up. Digits may carry a decimal point (``3.5``) and
  thousands commas, which are dropped (``150,000`` is ``150000``).
* :func:`fold` normalises each token: compatibility forms, case, quotes, accents.
* Tokens longer than :data:`MAX_TOKEN_LENGTH` characters (and empty ones) are dropped.
* Snowball English stemming (porter2, which keeps ``news`` apart from ``new``).

Stop words are kept, so phrases such as ``"end the isolated state"`` match. Every token carries
``startchar``/``endchar`` into the original text for the highlighter.

Whoosh pickles the analyzer into the index's schema: renaming the classes below makes existing
indexes unreadable, and changing what they emit requires a reindex.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import (
    Analyzer,
    Filter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)

MAX_TOKEN_LENGTH = 60
SECTION_BREAK = "\n"
"""What separates the sections a field holds (paragraphs, captions, credits, authors)..."""
SECTION_GAP = 100
"""...and how many positions the indexer skips at each, far beyond any phrase's slop."""

# ``\w`` does not match combining marks (decomposed accents, Indic vowel signs), so they are
# allowed after a letter or digit. Planes 2 and up hold no combining marks apart from variation
# selectors. All marks are above U+02FF: the lookahead rejects other characters cheaply (the long
# character class alone makes the tokenizer several times slower).
COMBINING_MARKS = "".join(
    chr(c) for c in range(0x20000) if unicodedata.category(chr(c)).startswith("M")
)
"""Every combining mark (accents, Indic vowel signs, …), for regular-expression classes."""
_COMBINING = rf"(?![\x00-\u02ff])[{COMBINING_MARKS}]++"
# Letters: word characters except digits, "_" and U+02BC (an apostrophe here, though category Lm).
_LETTERS = r"[^\W\d_\u02bc]++"
# "150,000.5" (commas only in groups of three), "3.5", "1.2.3", "2017".
_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)*+|\d++(?:\.\d+)*+"
_PART = rf"(?:{_LETTERS}|{_NUMBER})(?:{_LETTERS}|{_NUMBER}|{_COMBINING})*+"
_JOINER = "[-\u2010\u2011\u00ad_.'\u2018\u2019\u02bc]"

_PART_RE = re.compile(_PART)
_POSSESSIVE_RE = re.compile("['\u2018\u2019\u02bc][sS]$")
_WORDS = RegexTokenizer(re.compile(rf"{_PART}(?:{_JOINER}{_PART})*+"))

_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        # Latin letters that do not decompose into a base letter plus an accent.
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)
# Combining diacritics used by Latin, Greek and Cyrillic; marks that are part of other scripts
# (e.g. Indic vowel signs, the Japanese voicing mark) are kept.
_DIACRITICS_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Fold text for matching: NFKD, case-fold, straight quotes, no accents, then NFC.

    ``fold("Pyŏngyang’s ＣＡＦÉ")`` is ``"pyongyang's cafe"``.
    """
    if text.isascii():  # the common case, where the steps below amount to lower()
        return text.lower()
    text = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD_TABLE)
    return unicodedata.normalize("NFC", _DIACRITICS_RE.sub("", text))


class NewsTokenizer(Tokenizer):
    """Yields the pieces of each word (and, in ``mode="index"``, the whole joined word).

    Positions count pieces; the whole word shares the position of its last piece; when
    indexing, each section break (a new line) skips :data:`SECTION_GAP` positions. With
    ``tokenize=False`` (wildcard, prefix and range queries) the value is one token, as usual.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        start_pos: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        words = _WORDS(
            value,
            positions=positions,
            chars=True,
            keeporiginal=keeporiginal,
            start_pos=start_pos,
            tokenize=tokenize,
            mode=mode,
            **kwargs,
        )
        if not tokenize:
            yield from words
            return
        pos = start_pos
        section_end = value.find(SECTION_BREAK) if mode == "index" else -1
        for t in words:
            if 0 <= section_end < t.startchar:
                # A phrase never spans two paragraphs, captions or authors.
                pos += SECTION_GAP
                section_end = value.find(SECTION_BREAK, t.startchar)
            word = _POSSESSIVE_RE.sub("", t.text)
            pieces = [
                (m.group().replace(",", ""), m.start(), m.end(), pos + i)
                for i, m in enumerate(_PART_RE.finditer(word))
            ]
            pos += len(pieces)
            if mode == "index" and len(pieces) > 1:
                joined = "".join(p[0] for p in pieces)
                pieces.append((joined, pieces[0][1], pieces[-1][2], pos - 1))
            offset = t.startchar if chars else 0
            for text, start, end, piece_pos in pieces:
                t.text = text
                if keeporiginal:
                    t.original = word[start:end]  # type: ignore[attr-defined]
                if positions:
                    t.pos = piece_pos
                if chars:
                    t.startchar = offset + start
                    t.endchar = offset + end
                yield t


class FoldFilter(Filter):
    """Replaces each token's text with :func:`fold` of it."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            t.text = fold(t.text)
            yield t


def news_analyzer() -> Analyzer:
    """The analyzer for every text field (title, body, captions, bio), for indexing and queries."""
    return (
        NewsTokenizer()
        | FoldFilter()
        # No stop list: only drops empty tokens and over-long ones. renumber=False keeps the
        # positions NewsTokenizer assigned (whole words share their last piece's position).
        | StopFilter(stoplist=None, minsize=1, maxsize=MAX_TOKEN_LENGTH, renumber=False)
        | StemFilter(lang="en")
    )
