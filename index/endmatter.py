"""What follows the story: the author's bio, and the junk a scrape leaves (share links,
sign-offs, advertisement markers), removed before paragraphs are joined."""

from __future__ import annotations

import re

JUNK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        (
            "share links",
            # one way only to split a line into words: no backtracking blow-up on long lines
            r"^(?:(?:share|tweet|email|e-mail|print|twitter|facebook|whatsapp|linkedin|reddit"
            r"|telegram|pinterest|copy|link|x|comments?|flipboard|bluesky)(?:[\s|/·•,]+|$))+$",
        ),
        (
            "share prompt",
            r"^(?:share (?:this|the) (?:article|story|page)|share on \w+|click to share\b.*"
            r"|link copied|copied to clipboard)\W*$",
        ),
        (
            "advertisement",
            r"^(?:advertisement|advertising|sponsored(?: content)?|ad|story continues below"
            r"(?: advertisement)?|scroll (?:down )?to continue(?: with content)?"
            r"|continue reading(?: below)?)\W*$",
        ),
        (
            "sign-off",
            r"^\(?(?:[-–—]+\s*)?(?:(?:additional )?reporting|writing|editing|compiled|produced"
            r"|fact-checking|graphics) by\s+(?-i:[A-Z])[^()]{0,300}\)?$",
        ),
        ("newsletter prompt", r"^(?:sign up|subscribe) (?:for|to) (?:our|the) [\w\s’'-]{0,40}$"),
        (
            "read more",
            r"^(?:read more|more on this story|related(?: articles| stories| coverage)?|see also"
            r"|most read|recommended(?: for you)?|more from [\w\s]{1,30})(?:\s*:.{0,150})?$",
        ),
        ("copyright", r"^(?:©|\(c\)|copyright\b).{0,150}$"),
        ("end mark", r"^(?:#{3}|-30-|\(?end\)?)$"),
    )
)
"""Lines that are never part of an article, each with the reason it is reported as junk."""
_GLUED = re.compile(
    r"(?<=[.!?”\"’)])\s*(?P<junk>(?:\((?:reporting|writing|editing)\s+by\b[^()]*\)\s*)?"
    r"(?:\b(?:share|tweet|email|print|twitter|facebook|whatsapp|linkedin|copy link)\b"
    r"[\s|/·•,]*)*)$",
    re.IGNORECASE,
)
_BIO_VERB = re.compile(
    r"^\s*(?:is|was|has|covers|writes|reports|edits|lives|joined|works|served|spent|"
    r"previously|contributed|can be reached)\b"
)
_JOURNALIST = re.compile(
    r"^\s*(?:covers|reports on|writes about|can be reached|(?:is|was) (?:a|an|the)\b.{0,80}?"
    r"\b(?:reporter|writer|correspondent|editor|journalist|columnist|photographer|critic"
    r"|contributor|producer)\b)",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"^about the authors?\b", re.IGNORECASE)


def junk_reason(line: str) -> str | None:
    """Why ``line`` is junk (see ``JUNK_PATTERNS``), or None for a line of the article."""
    return next((reason for reason, pattern in JUNK_PATTERNS if pattern.match(line)), None)


def split_glued_junk(line: str) -> tuple[str, str]:
    """Split share-link words or a sign-off glued to the end of a sentence:
    ``… in 2020.twitter facebook`` → ("… in 2020.", "twitter facebook")."""
    match = _GLUED.search(line)
    if not match or not match.group("junk").strip():
        return line, ""
    return line[: match.start()].rstrip(), match.group("junk").strip()


def is_bio(paragraph: str, authors: tuple[str, ...]) -> bool:
    """A bio is about an author of the byline: it starts with the author's full name and a
    verb (``Tom Reed is …``), or with their name or surname and what a journalist does
    (``Park covers …``, ``Park is a reporter …``). "Park is not sure …" is not one."""
    if _ABOUT.match(paragraph):
        return True
    for name in authors:
        if paragraph.startswith(name) and _BIO_VERB.match(paragraph[len(name) :]):
            return True
        surname = name.split()[-1]
        if paragraph.startswith(surname) and _JOURNALIST.match(paragraph[len(surname) :]):
            return True
    return False
