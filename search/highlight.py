"""Highlighting: which words of a hit matched, and readable fragments around them.

Match positions come from the character offsets stored in the index postings
(``chars=True`` in the schema), so a hit is highlighted without re-analysing its
article. Output is HTML-safe by construction: the article's text is escaped and
only ``<mark>`` tags are added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import IndexReader

from index.schema import SECTION_SEPARATOR
from search.request import BodyFragment, CaptionMatch, Fragment

FRAGMENT_CHARS = 200
"""Target length of a body fragment that is cut out of a longer sentence."""
MAX_SENTENCE_CHARS = 260
"""A whole sentence up to this long is shown as it is rather than cut."""
MAX_FRAGMENTS = 3
MAX_EXPANSIONS = 64
"""At most this many index terms are marked for one prefix or fuzzy query term."""
ELLIPSIS = "…"

Span = tuple[int, int]


@dataclass
class MatchTerms:
    """The terms a query can mark, per field, and the phrases it asks for."""

    terms: dict[str, set[bytes]] = field(default_factory=dict)
    phrases: list[tuple[str, tuple[bytes, ...]]] = field(default_factory=list)

    def fields(self) -> set[str]:
        return set(self.terms) | {name for name, _ in self.phrases}


def match_terms(query: wq.Query, reader: IndexReader) -> MatchTerms:
    """Collect the positive terms and phrases of a query; excluded words are never marked."""
    found = MatchTerms()

    def add(fieldname: str, text: bytes) -> None:
        found.terms.setdefault(fieldname, set()).add(text)

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, wq.Phrase):
            field_type = reader.schema[node.fieldname]
            words = tuple(field_type.to_bytes(word) for word in node.words)
            found.phrases.append((node.fieldname, words))
            return
        if isinstance(node, wq.Term):
            field_type = reader.schema[node.fieldname]
            add(node.fieldname, field_type.to_bytes(node.text))
            return
        if isinstance(node, wq.MultiTerm) and node.field():
            for count, text in enumerate(node._btexts(reader)):
                if count >= MAX_EXPANSIONS:
                    break
                add(node.field(), text)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return found


def _positions(
    reader: IndexReader, docnum: int, fieldname: str, text: bytes
) -> list[tuple[int, int, int]]:
    """(position, startchar, endchar) of every occurrence of a term in one document."""
    if (fieldname, text) not in reader:
        return []
    matcher = reader.postings(fieldname, text)
    matcher.skip_to(docnum)
    if not matcher.is_active() or matcher.id() != docnum:
        return []
    return list(matcher.value_as("characters"))


def match_spans(reader: IndexReader, docnum: int, fieldname: str, terms: MatchTerms) -> list[Span]:
    """Character spans of the matches in one field of one document, merged and sorted.

    A phrase marks each complete occurrence of the phrase, not its words elsewhere.
    """
    spans: set[Span] = set()
    for text in terms.terms.get(fieldname, ()):
        spans.update((start, end) for _, start, end in _positions(reader, docnum, fieldname, text))
    for phrase_field, words in terms.phrases:
        if phrase_field != fieldname or not words:
            continue
        occurrences = [
            {pos: (start, end) for pos, start, end in _positions(reader, docnum, fieldname, word)}
            for word in words
        ]
        for first_pos, (start, _) in occurrences[0].items():
            chain = [occ.get(first_pos + offset) for offset, occ in enumerate(occurrences)]
            last = chain[-1]
            if all(chain) and last is not None:
                spans.add((start, last[1]))
    return _merge(sorted(spans))


def _merge(spans: Sequence[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def render(text: str, spans: Iterable[Span], prefix: str = "", suffix: str = "") -> Fragment:
    """Escape ``text`` and wrap each span in ``<mark>``; spans are relative to ``text``."""
    out: list[str] = [html.escape(prefix)]
    marks: list[Span] = []
    cursor = 0
    for start, end in spans:
        out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        marks.append((len(prefix) + start, len(prefix) + end))
        cursor = end
    out.append(html.escape(text[cursor:]))
    out.append(html.escape(suffix))
    return Fragment(html="".join(out), text=prefix + text + suffix, marks=tuple(marks))


def _sections(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each paragraph or caption stored one per line."""
    sections = []
    offset = 0
    for line in text.split(SECTION_SEPARATOR):
        sections.append((offset, line))
        offset += len(line) + len(SECTION_SEPARATOR)
    return sections


def _in_section(spans: Sequence[Span], start: int, length: int) -> list[Span]:
    return [(s - start, e - start) for s, e in spans if start <= s and e <= start + length]


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")


def _sentence_bounds(paragraph: str, start: int, end: int) -> Span:
    """The bounds of the sentence(s) of ``paragraph`` that contain ``start:end``."""
    left = 0
    for match in _SENTENCE_END.finditer(paragraph, 0, start):
        left = match.end()
    right_match = _SENTENCE_END.search(paragraph, end)
    right = right_match.start() + 1 if right_match else len(paragraph)
    return left, len(paragraph[:right].rstrip()) if right_match else right


def _window(paragraph: str, spans: Sequence[Span]) -> Span:
    """A window around the first span cluster: a whole sentence, or ~200 chars cut at words."""
    first, last = spans[0], spans[0]
    for span in spans[1:]:
        if span[1] - first[0] > FRAGMENT_CHARS:
            break
        last = span
    left, right = _sentence_bounds(paragraph, first[0], last[1])
    if right - left <= MAX_SENTENCE_CHARS:
        return left, right
    middle = (first[0] + last[1]) // 2
    left = max(0, min(first[0], middle - FRAGMENT_CHARS // 2))
    right = min(len(paragraph), max(last[1], left + FRAGMENT_CHARS))
    if left > 0:
        space = paragraph.find(" ", left, first[0])
        left = space + 1 if space != -1 else left
    if right < len(paragraph):
        space = paragraph.rfind(" ", last[1], right)
        right = space if space != -1 else right
    return left, right


@dataclass(frozen=True)
class _Candidate:
    paragraph: int
    start: int
    end: int
    spans: tuple[Span, ...]
    score: float


def body_fragments(
    text: str, spans: Sequence[Span], term_weight: dict[str, float]
) -> tuple[list[BodyFragment], int, int]:
    """Pick up to three fragments for the most and rarest matched words.

    ``term_weight`` maps a matched word (lower-cased) to its weight, e.g. its idf.
    Returns the fragments in reading order, and how many matches in how many
    paragraphs are left beyond them.
    """
    candidates: list[_Candidate] = []
    for number, (offset, paragraph) in enumerate(_sections(text), start=1):
        local = _in_section(spans, offset, len(paragraph))
        if not local:
            continue
        start, end = _window(paragraph, local)
        inside = tuple((s - start, e - start) for s, e in local if s >= start and e <= end)
        words = {paragraph[s + start : e + start].lower() for s, e in inside}
        score = sum(term_weight.get(word, 1.0) for word in words) + 0.1 * len(inside)
        candidates.append(_Candidate(number, start, end, inside, score))
    chosen = sorted(candidates, key=lambda c: (-c.score, c.paragraph))[:MAX_FRAGMENTS]
    fragments = []
    shown = 0
    for candidate in sorted(chosen, key=lambda c: c.paragraph):
        offset, paragraph = _sections(text)[candidate.paragraph - 1]
        piece = render(
            paragraph[candidate.start : candidate.end],
            candidate.spans,
            ELLIPSIS if candidate.start > 0 else "",
            ELLIPSIS if candidate.end < len(paragraph) else "",
        )
        fragments.append(BodyFragment(piece.html, piece.text, piece.marks, candidate.paragraph))
        shown += len(candidate.spans)
    more_paragraphs = len({c.paragraph for c in candidates} - {c.paragraph for c in chosen})
    more_matches = len(spans) - shown
    return fragments, more_matches, more_paragraphs


def caption_matches(
    captions: str, credits: str, caption_spans: Sequence[Span], credit_spans: Sequence[Span]
) -> list[CaptionMatch]:
    """Every caption that matched, whole, with its credit and its 1-based position."""
    credit_lines = credits.split(SECTION_SEPARATOR) if credits else []
    credit_sections = _sections(credits) if credits else []
    matches = []
    for number, (offset, caption) in enumerate(_sections(captions), start=1):
        local = _in_section(caption_spans, offset, len(caption))
        credit_local: list[Span] = []
        if number <= len(credit_sections):
            credit_offset, credit_text = credit_sections[number - 1]
            credit_local = _in_section(credit_spans, credit_offset, len(credit_text))
        if not local and not credit_local:
            continue
        piece = render(caption, local)
        credit = credit_lines[number - 1] if number <= len(credit_lines) else ""
        matches.append(CaptionMatch(piece.html, piece.text, piece.marks, number, credit or None))
    return matches
