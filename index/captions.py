"""Photo captions: a line of text ending in a photo credit, in one of the forms in the table."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.bylines import name_like
from index.model import Caption
from index.text import memoised

MAX_CREDIT_CHARS = 120
_PARENTHESISED = re.compile(rf"^(?P<text>.*\S)\s*\((?P<credit>[^()]{{2,{MAX_CREDIT_CHARS}}})\)$")
_TRAILING = re.compile(
    r"^(?P<text>.*\S)\s+(?:[|–—]\s+)?(?P<credit>(?:(?:photo(?:graph)?|picture|image|credit"
    r"|illustration)s?\s*:|(?:photo\s+)?courtesy\s+of\b|photo\s+by\b)\s*[^\s()].{1,100})$",
    re.IGNORECASE,
)
"""A credit printed without brackets: ``… on May 3. Photograph: Lena Ortiz/Scoop``."""
PICTURE_AGENCIES = frozenset(
    """ap afp epa reuters getty images xinhua yonhap kyodo anadolu dpa efe ansa aap pa
    shutterstock alamy istock pool handout""".split()
)
"""Words that alone make a credit: ``(Reuters)``, ``(AP)``, ``(Getty Images)``."""


def _agency(credit: str) -> bool:
    words = re.sub(r"\b(?:photos?|images?)\b", " ", credit.lower()).split()
    return bool(words) and all(word.strip(".") in PICTURE_AGENCIES for word in words)


def _name_for_outlet(credit: str) -> bool:
    """``Hannah Park for Scoop``, ``Ana Silva for The New York Times``."""
    who, sep, outlet = credit.partition(" for ")
    return bool(sep) and len(who.split()) >= 2 and name_like(who) and name_like(outlet)


def _via(credit: str) -> bool:
    """``Yonhap via Reuters``, ``Handout via AFP``; ``via Bloomberg`` alone is a source, not a
    photo credit."""
    who, sep, through = credit.partition(" via ")
    return bool(sep) and name_like(who) and name_like(through)


CREDIT_FORMS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    # JOHANNES EISELE/AFP/Getty Images, AP Photo/Ahn Young-joon; not (and/or), (km/h), (24/7)
    ("agency slashes", lambda c: re.search(r"[^\W\d_]\s?/\s?[A-Z]", c) is not None),
    (
        "photo words",
        lambda c: (
            re.search(
                r"^(?:photo(?:graph)?s?|pictures?|images?|illustration|video)\s*(?:by\b|:)"
                r"|\bphoto(?:graph)?s?\b|\bgetty images\b|\bphotographer\b|\bhandout\b",
                c,
                re.IGNORECASE,
            )
            is not None
        ),
    ),
    ("courtesy", lambda c: re.match(r"^courtesy\b", c, re.IGNORECASE) is not None),
    ("name for outlet", _name_for_outlet),
    ("via", _via),
    ("picture agency", _agency),
)
"""Which bracketed endings are photo credits. ``(NATO)``, ``(VIDEO)``, ``(file)`` and
``(via Bloomberg)`` match none: they end ordinary paragraphs."""


LONE_CREDIT = "a photo credit with no caption above it"
"""The junk reason of a credit line that follows no caption."""
_CREDIT_LINE = re.compile(
    r"^(?:(?:photo(?:graph)?|picture|image|credit|illustration)s?\s*:\s*|photo\s+by\s+"
    r"|(?:photo\s+)?courtesy\s+of\s+)\S.{0,100}$",
    re.IGNORECASE,
)


def credit_line(line: str) -> str | None:
    """The credit when ``line`` is nothing but a photo credit (``Photo: Lena Ortiz``,
    ``(GREG BAKER/AFP/Getty Images)``): printed under its caption, it is that caption's."""
    line = line.strip()
    if line.startswith("(") and line.endswith(")") and credit_form(line[1:-1]):
        return line[1:-1].strip()
    return line if _CREDIT_LINE.match(line) else None


def credit_form(credit: str) -> str | None:
    """The name of the form ``credit`` takes (see ``CREDIT_FORMS``), or None."""
    credit = credit.strip()
    return next((name for name, matches in CREDIT_FORMS if matches(credit)), None)


@memoised
def split_caption(line: str) -> Caption | None:
    """The caption if ``line`` ends in a photo credit: ``… 2016. (GREG BAKER/AFP/Getty
    Images)``, ``… (Photo by Lena Ortiz)``, ``… Courtesy of Hillcrest Observatory``."""
    match = _PARENTHESISED.match(line.strip())
    if not (match and credit_form(match.group("credit"))):
        match = _TRAILING.match(line.strip())
    if not match:
        return None
    text, credit = match.group("text"), match.group("credit")
    text = text.strip()
    if not any(c.isalpha() for c in text):
        return None
    return Caption(text, credit.strip())
