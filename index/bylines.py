"""Bylines: who wrote an article, read from ``By Ana Silva and Tom Reed, Staff Writers``."""

from __future__ import annotations

import re

from index.text import clean_text, memoised

MAX_BYLINE_CHARS = 200
MAX_NAME_WORDS = 5
_BY = re.compile(r"^(?:(?:written|words|story|posted|reported)\s+)?by\s+", re.IGNORECASE)
_JOINERS = re.compile(r"\s*[,;|]\s*(?:and\s+)?|\s+(?:and|y|e|und|et)\s+|\s*&\s*", re.IGNORECASE)
_AFFILIATION = re.compile(r"\s+(?:for|in)\s+(?:the\s+)?[^\W\d_].*$", re.IGNORECASE)
"""``Ana Silva for Scoop``, ``Li Wei in Seoul``: the name is what comes before."""
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
ROLE_WORDS = frozenset(
    """staff writer writers reporter reporters correspondent correspondents editor editors
    columnist columnists contributor contributors contributing senior chief special foreign
    political business science national international investigative associate deputy managing
    bureau photographer photographers producer producers freelance wire services desk news
    the scoop data visual video""".split()
)
"""Words of a job title in a byline (``Staff Writer``, ``Senior Correspondent``): dropped."""
PARTICLES = frozenset(
    "al bin binti da das de del della der des di do dos du el ibn la le van von y zu".split()
)
"""Lower-case words inside names (``Ana de la Cruz``, ``Ludwig van Beethoven``)."""


def _is_name_word(word: str) -> bool:
    """A capitalised (or uncased, e.g. CJK) word, an initial, or a particle; no digits."""
    core = word.strip("‘’'\"()")
    if not core or any(c.isdigit() for c in core) or core.lower() in PARTICLES:
        return bool(core) and not any(c.isdigit() for c in core)
    if core.endswith(".") and len(core) > 4:
        return False
    first = next((c for c in core if c.isalpha()), "")
    return bool(first) and not first.islower() and all(c.isalpha() or c in ".-'’" for c in core)


def name_like(text: str) -> bool:
    """One person's or agency's name: 1–5 name words (``José María Pérez``, ``Reuters``)."""
    words = text.split()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and not (len(words) == 1 and words[0].lower().strip(",.") in WEEKDAYS)
        and all(_is_name_word(word) for word in words)
        and words[0].lower() not in PARTICLES
    )


def _is_role(part: str) -> bool:
    words = re.sub(r"^(?:for|special to)\s+", "the ", part, flags=re.IGNORECASE).lower().split()
    return bool(words) and all(word.strip(".") in ROLE_WORDS for word in words)


def _without_affiliation(part: str) -> str:
    name = _AFFILIATION.sub("", part)
    return name if name and name_like(name) else part


@memoised
def byline_names(line: str) -> tuple[str, ...] | None:
    """The names in a byline, or None when ``line`` does not read as one.

    ``By Ana Silva, Tom Reed and Li Wei`` gives three names; ``By Ana Silva, Staff
    Writer`` gives one (job titles are dropped); ``Reuters`` gives ``("Reuters",)``. A
    line with a word that is not part of a name (a sentence, a caption, a date) gives None.
    """
    text = clean_text(line)
    if not text or len(text) > MAX_BYLINE_CHARS:
        return None
    text = _BY.sub("", text).rstrip(" ,;|")
    parts = [part.strip() for part in _JOINERS.split(text) if part and part.strip()]
    names = tuple(_without_affiliation(part) for part in parts if not _is_role(part))
    if not names or not all(name_like(name) for name in names):
        return None
    return names


def is_role_line(line: str) -> bool:
    """A line holding only a job title (``Staff Writer``), printed under a byline."""
    return _is_role(clean_text(line))


def split_authors(byline: str) -> tuple[str, ...]:
    """The names of a byline, or none when it does not read as one (never a garbled list)."""
    return byline_names(byline) or ()
