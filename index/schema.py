"""The Whoosh schema of an article index, and its version."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from index.analysed import SectionText
from index.analysis import SECTION_BREAK, news_analyzer

SCHEMA_VERSION = 3
"""Bump whenever a change here (or in the analysis chain) makes old indexes unreadable
or wrong; an index of another version is refused with a request to reindex."""

SECTION_SEPARATOR = SECTION_BREAK
"""Paragraphs, captions, credits and authors are one per line in their field, so a
match's character offset tells which paragraph or caption it is in, and no phrase
matches across two of them (the analyzer leaves a gap in the positions)."""


def build_schema() -> Schema:
    """The article schema: one stored, highlightable field per section of an article.

    Text fields store character offsets (``chars=True``) so the highlighter reads
    match positions from the index instead of re-analysing whole articles per hit.
    Each text field also indexes its unstemmed words (``spelling=True``, in
    ``spell_<field>``) for "did you mean", autocomplete and fuzzy matching of
    what the user typed rather than its stem.
    """
    analyzer = news_analyzer()

    def text(stored: bool = True) -> TEXT:
        # A hyphenated query word (``korean-chinese``) must match as a phrase, not
        # as its parts anywhere in the article.
        return SectionText(
            analyzer=analyzer,
            stored=stored,
            phrase=True,
            chars=True,
            multitoken_query="phrase",
            spelling=True,
        )

    return Schema(
        id=ID(stored=True, unique=True),
        title=text(),
        dek=text(),
        authors=KEYWORD(stored=True, commas=True, scorable=False, lowercase=False, sortable=True),
        author=text(stored=False),
        published=DATETIME(stored=True, sortable=True),
        updated=DATETIME(stored=True, sortable=True),
        year=ID(stored=False, sortable=True),
        month=ID(stored=False, sortable=True),
        body=text(),
        captions=text(),
        credits=text(),
        bio=text(),
        url=STORED(),
        source=STORED(),
        content_hash=ID(stored=True),
    )
