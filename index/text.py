"""Text normalisation shared by the readers: cleaning for storage, folding for comparison."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

T = TypeVar("T")
CACHED_CHARS = 400
"""Only texts this short are memoised: a cache must not keep a 5 MB line alive."""

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_QUOTES = re.compile(r"[\"'`´‘’‚‛“”„‟′″«»‹›]")
_DASHES = re.compile(r"[‐‑‒–—―−]")


def memoised(function: Callable[[str], T]) -> Callable[[str], T]:
    """Memoise a pure function of one short text (the parser asks the same questions of the
    same lines several times: is it a date, a caption, a byline; its folded form)."""
    cached = lru_cache(maxsize=4096)(function)

    @wraps(function)
    def call(text: str) -> T:
        return cached(text) if len(text) <= CACHED_CHARS else function(text)

    return call


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC) and collapse every kind of whitespace to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@memoised
def fold(text: str) -> str:
    """A comparison key: case, quote style, dash style, spacing and a final full stop ignored.

    Two lines that fold alike are the same line printed twice (a repeated headline
    with curly quotes, a caption repeated without its final full stop).
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DASHES.sub("-", _QUOTES.sub("", text))
    return _SPACES.sub(" ", text).strip(" .")
