"""Highlighting: which words of a hit matched, and readable fragments around them.

Match positions come from the character offsets stored in the index postings
(``chars=True`` in the schema), so a hit is highlighted without re-analysing its
article. Output is HTML-safe by construction: the article's text is escaped and
only ``<mark>`` tags are added.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

import numpy as np
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index.analysis import news_analyzer
from index.schema import SECTION_SEPARATOR
from search import postings
from search.request import BodyFragment, CaptionMatch, Fragment
from search.scoring import Impacts

FRAGMENT_CHARS = 200
"""Target length of a body fragment that is cut out of a longer sentence."""
MAX_SENTENCE_CHARS = 260
"""A whole sentence up to this long is shown as it is rather than cut."""
MAX_FRAGMENTS = 3
MAX_EXPANSIONS = 64
"""At most this many index terms are marked for one prefix or fuzzy query term."""
ELLIPSIS = "…"

Span = tuple[int, int]
PhraseKey = tuple[str, tuple[bytes, ...]]

_ANALYZER = news_analyzer()
"""Turns a marked word back into its index term, to look up the term's weight."""


@dataclass
class MatchTerms:
    """The terms a query can mark, per field, and the phrases it asks for.

    ``slops`` holds the slop of each phrase that allows gaps (``"a b"~2``); a phrase
    not in it must match word for word.
    """

    terms: dict[str, set[bytes]] = field(default_factory=dict)
    phrases: list[PhraseKey] = field(default_factory=list)
    slops: dict[PhraseKey, int] = field(default_factory=dict)

    def fields(self) -> set[str]:
        return set(self.terms) | {name for name, _ in self.phrases}

    def only_phrases(self) -> MatchTerms:
        """The phrases alone (with their slops), without the single terms."""
        return MatchTerms(phrases=list(self.phrases), slops=dict(self.slops))

    def without(self, glue: frozenset[bytes]) -> MatchTerms:
        """These terms less the ``glue`` ones, when any other term or a phrase remains:
        fragments of "what happened to the cannery" are chosen and marked by "cannery"."""
        kept = {name: texts - glue for name, texts in self.terms.items()}
        if not self.phrases and not any(kept.values()):
            return self
        return MatchTerms(
            {name: texts for name, texts in kept.items() if texts}, self.phrases, self.slops
        )


def match_terms(query: wq.Query, reader: IndexReader) -> MatchTerms:
    """Collect the positive terms and phrases of a query; excluded words are never marked.

    Only fields that store character offsets (the highlightable text fields) are
    collected; terms of date, keyword and id fields cannot be marked.
    """
    found = MatchTerms()
    schema = reader.schema

    def markable(fieldname: str | None) -> bool:
        if not fieldname or fieldname not in schema:
            return False
        field_format = schema[fieldname].format
        return bool(field_format and field_format.supports("characters"))

    def to_bytes(fieldname: str, text: str | bytes) -> bytes | None:
        if isinstance(text, bytes):
            return text
        try:
            return bytes(schema[fieldname].to_bytes(text))
        except ValueError:
            return None

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, wq.Phrase):
            if markable(node.fieldname):
                words = tuple(to_bytes(node.fieldname, word) for word in node.words)
                if words and all(word is not None for word in words):
                    key = (node.fieldname, tuple(word for word in words if word is not None))
                    found.phrases.append(key)
                    if node.slop > 1:
                        found.slops[key] = node.slop
            return
        if isinstance(node, wq.Term):
            text = to_bytes(node.fieldname, node.text) if markable(node.fieldname) else None
            if text is not None:
                found.terms.setdefault(node.fieldname, set()).add(text)
            return
        if isinstance(node, wq.MultiTerm):
            fieldname = node.field()
            if fieldname and markable(fieldname):
                # Fuzzy terms expand to str, prefixes and wildcards to bytes.
                for count, expanded in enumerate(node._btexts(reader)):
                    if count >= MAX_EXPANSIONS:
                        break
                    text = to_bytes(fieldname, expanded)
                    if text is not None:
                        found.terms.setdefault(fieldname, set()).add(text)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return found


def term_weights(
    searcher: Searcher, terms: MatchTerms, fieldname: str = "body"
) -> dict[str, float]:
    """The weight of every term and phrase word a query can mark: its idf in ``fieldname``.

    This is the ``term_weight`` that :func:`body_fragments` expects. Each term is weighed
    in the one field the fragments come from: a term's idf in a field that lacks it
    (often the credits) is the highest there is and would make every term look rare.
    """
    texts = {text for field_terms in terms.terms.values() for text in field_terms}
    texts.update(word for _, words in terms.phrases for word in words)
    return {
        text.decode("utf-8", "replace"): float(searcher.idf(fieldname, text))
        for text in sorted(texts)
    }


Occurrence = tuple[int, int, int]
"""(position, startchar, endchar) of one occurrence of a term."""


class Occurrences:
    """Term occurrences in a page of documents, read with one postings pass per term.

    A page of hits asks for the same terms in every hit; walking each term's
    postings once, in document order, replaces one lookup per term per hit. With the
    generation's ``impacts``, postings are read only for the hits that hold the term.
    """

    def __init__(
        self, reader: IndexReader, docnums: Iterable[int], impacts: Impacts | None = None
    ) -> None:
        self.reader = reader
        self.docnums = sorted(set(docnums))
        self.impacts = impacts
        self._loaded: dict[tuple[str, bytes], dict[int, list[Occurrence]]] = {}

    def of(self, fieldname: str, text: bytes, docnum: int) -> list[Occurrence]:
        """Every occurrence of a term in one of the page's documents."""
        key = (fieldname, text)
        if key not in self._loaded:
            self._loaded[key] = self._load(fieldname, text)
        return self._loaded[key].get(docnum, [])

    def _holding(self, fieldname: str, text: bytes) -> list[int]:
        """The page's documents that hold the term (all of them without impacts to ask)."""
        column = self.impacts.column(fieldname, text) if self.impacts is not None else None
        if column is None:
            return self.docnums
        holders = column[0]
        docs = np.asarray(self.docnums, dtype=holders.dtype)
        places = np.minimum(np.searchsorted(holders, docs), max(len(holders) - 1, 0))
        return docs[holders[places] == docs].tolist() if len(holders) else []

    def _load(self, fieldname: str, text: bytes) -> dict[int, list[Occurrence]]:
        holding = self._holding(fieldname, text)
        if not holding:
            return {}
        fmt = self.reader.schema[fieldname].format
        if fmt is None:  # a field without postings holds no occurrences
            return {}
        decode = fmt.decoder("characters")
        return {
            docnum: list(decode(value))
            for docnum, value in postings.values(self.reader, fieldname, text, holding)
        }


def match_spans(
    reader: IndexReader,
    docnum: int,
    fieldname: str,
    terms: MatchTerms,
    occurrences: Occurrences | None = None,
) -> list[Span]:
    """Character spans of the matches in one field of one document, merged and sorted.

    A phrase marks each complete occurrence of the phrase, from its first word to
    its last, not its words elsewhere. Pass the page's ``occurrences`` to share
    postings reads between hits.
    """
    found = occurrences or Occurrences(reader, [docnum])
    spans: set[Span] = set()
    for text in terms.terms.get(fieldname, ()):
        spans.update((start, end) for _, start, end in found.of(fieldname, text, docnum))
    for key in terms.phrases:
        phrase_field, words = key
        if phrase_field != fieldname or not words:
            continue
        slop = max(1, terms.slops.get(key, 1))
        per_word = [
            {pos: (start, end) for pos, start, end in found.of(fieldname, word, docnum)}
            for word in words
        ]
        for first_pos, (start, first_end) in per_word[0].items():
            pos, end = first_pos, first_end
            for occurrence in per_word[1:]:
                following = next(
                    (pos + gap for gap in range(1, slop + 1) if pos + gap in occurrence), None
                )
                if following is None:
                    break
                pos, end = following, occurrence[following][1]
            else:
                spans.add((start, end))
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
    """Escape ``text`` and wrap each span in ``<mark>``; spans are relative to ``text``.

    Spans must be sorted and must not overlap. ``prefix`` and ``suffix`` (an
    ellipsis where text was cut) are added around the text, escaped and unmarked.
    """
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


def _by_section(text: str, spans: Iterable[Span]) -> dict[int, list[Span]]:
    """The spans in each section (by 1-based number), clipped to it and relative to its start.

    ``spans`` must be sorted. A phrase can match across a paragraph break; each side is
    marked in its own section. Sections without a span are left out.
    """
    sections = _sections(text)
    starts = [offset for offset, _ in sections]
    found: dict[int, list[Span]] = {}
    for start, end in spans:
        index = max(0, bisect_right(starts, start) - 1)
        while index < len(sections) and sections[index][0] < end:
            offset, section = sections[index]
            clipped = (max(start, offset) - offset, min(end, offset + len(section)) - offset)
            if clipped[0] < clipped[1]:
                found.setdefault(index + 1, []).append(clipped)
            index += 1
    return found


def matched_sections(text: str, spans: Iterable[Span]) -> tuple[int, ...]:
    """The 1-based numbers of the sections (paragraphs or captions, one per line) with a match.

    ``spans`` are sorted character spans into ``text``, as from :func:`match_spans`.
    """
    return tuple(sorted(_by_section(text, spans)))


def section_fragments(text: str, spans: Iterable[Span]) -> tuple[Fragment, ...]:
    """Every section of ``text`` (one per line), whole, with the spans that fall in it marked.

    For showing a whole article; an empty ``text`` has no sections.
    """
    if not text:
        return ()
    in_sections = _by_section(text, spans)
    return tuple(
        render(section, in_sections.get(number, ()))
        for number, (_, section) in enumerate(_sections(text), start=1)
    )


_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+")
_SENTENCE_CLOSE = re.compile(r"[.!?…][\"”’')\]]*$")
_SPACE = re.compile(r"\s")


def _sentence_bounds(paragraph: str, start: int, end: int, floor: int = 0) -> Span:
    """The bounds of the sentence(s) of ``paragraph`` that contain ``start:end``.

    A sentence ends after its full stop (or ``!``, ``?``, ``…``) and any closing
    quotes or brackets that follow it. Nothing before ``floor`` is read, and a sentence
    end is looked for only up to ``MAX_SENTENCE_CHARS`` past ``end`` (a longer sentence
    is cut anyway), so a long paragraph is read about once for all its windows.
    """
    left = floor
    for match in _SENTENCE_END.finditer(paragraph, floor, start):
        left = match.end()
    limit = end + MAX_SENTENCE_CHARS + 1
    right_match = _SENTENCE_END.search(paragraph, end, limit)
    if right_match:
        return left, right_match.start() + len(right_match.group().rstrip())
    return left, min(limit, len(paragraph))


def _is_punctuation(char: str) -> bool:
    return not char.isspace() and not char.isalnum()


def _word_start(paragraph: str, left: int, limit: int, floor: int) -> int:
    """``left`` moved to the start of a word (not beyond ``limit`` nor before ``floor``).

    Inside a word, the next word is taken; if there is none before ``limit`` (the first
    match), the punctuation just before it (an opening quote) is taken in instead.
    """
    if left == 0 or paragraph[left - 1].isspace():
        return left
    space = _SPACE.search(paragraph, left, limit)
    if space:
        return space.end()
    while left > floor and _is_punctuation(paragraph[left - 1]):
        left -= 1
    return left


def _word_end(paragraph: str, right: int, limit: int) -> int:
    """``right`` moved to the end of a word (not before ``limit``, the end of the last match).

    Inside a word, the previous word is taken; if there is none after ``limit``, the
    punctuation just after it (a comma, a closing quote) is taken in instead.
    """
    if right >= len(paragraph) or paragraph[right].isspace():
        return right
    for index in range(right - 1, limit - 1, -1):
        if paragraph[index].isspace():
            return index
    while right < len(paragraph) and _is_punctuation(paragraph[right]):
        right += 1
    return right


def _window(paragraph: str, spans: Sequence[Span], first: int, floor: int) -> tuple[int, int, int]:
    """A window from span ``first`` on: a whole sentence, or ~200 chars cut at words.

    The window starts at or after ``floor`` (the end of the previous window) and covers
    every span it reaches in full. Returns its start and end and the index of the first
    span after it.
    """
    begin, last = spans[first], spans[first]
    index = first + 1
    while index < len(spans) and spans[index][1] - begin[0] <= FRAGMENT_CHARS:
        last = spans[index]
        index += 1
    left, right = _sentence_bounds(paragraph, begin[0], last[1], floor)
    if right - left > MAX_SENTENCE_CHARS:
        middle = (begin[0] + last[1]) // 2
        left = max(0, min(begin[0], middle - FRAGMENT_CHARS // 2))
        right = max(last[1], left + FRAGMENT_CHARS)
        if right > len(paragraph):
            right = len(paragraph)
            left = max(0, min(begin[0], right - FRAGMENT_CHARS))
        right = _word_end(paragraph, right, last[1])
    left = _word_start(paragraph, max(left, floor), begin[0], floor)
    index = first
    while index < len(spans) and spans[index][0] < right:
        if spans[index][1] > right:  # a match the window cuts: take the rest of its word
            space = _SPACE.search(paragraph, spans[index][1])
            right = space.start() if space else len(paragraph)
        index += 1
    return left, right, index


def _windows(paragraph: str, spans: Sequence[Span]) -> list[tuple[int, int, tuple[Span, ...]]]:
    """Non-overlapping windows over all of a paragraph's spans: (start, end, spans inside)."""
    windows = []
    index = floor = 0
    while index < len(spans):
        start, end, following = _window(paragraph, spans, index, floor)
        windows.append((start, end, tuple(spans[index:following])))
        index, floor = following, end
    return windows


@lru_cache(maxsize=4096)
def _terms_of(words: str) -> tuple[str, ...]:
    """The index terms of a marked piece of text (the text lower-cased if it has none)."""
    return tuple(token.text for token in _ANALYZER(words)) or (words.lower(),)


def _weights(words: str, term_weight: dict[str, float]) -> dict[str, float]:
    """The index terms of a marked piece of text and their weights (1.0 when unknown)."""
    surface = term_weight.get(words.lower(), 1.0)
    return {term: term_weight.get(term, surface) for term in _terms_of(words)}


@dataclass(frozen=True)
class _Candidate:
    paragraph: int
    start: int
    end: int
    spans: tuple[Span, ...]
    score: float


def _number(candidate: _Candidate) -> int:
    return candidate.paragraph


def _fragment(paragraph: str, windows: Sequence[_Candidate]) -> Fragment:
    """One paragraph's chosen windows as one fragment: joined where only spaces part them,
    an ellipsis between them elsewhere and around them where the paragraph goes on (but
    not after a sentence's full stop)."""
    text, cursor = "", windows[0].start
    spans: list[Span] = []
    for window in windows:
        gap = paragraph[cursor : window.start]
        joiner = gap if not gap.strip() else f" {ELLIPSIS} "
        base = len(text) + len(joiner)
        text += joiner + paragraph[window.start : window.end]
        spans.extend((base + start, base + end) for start, end in window.spans)
        cursor = window.end
    ends_sentence = _SENTENCE_CLOSE.search(text) is not None
    return render(
        text,
        spans,
        ELLIPSIS if windows[0].start > 0 else "",
        ELLIPSIS if cursor < len(paragraph) and not ends_sentence else "",
    )


def body_fragments(
    text: str, spans: Sequence[Span], term_weight: dict[str, float]
) -> tuple[list[BodyFragment], int, int]:
    """Pick up to three fragments for the most and rarest matched words.

    ``term_weight`` maps a matched index term (as analysed, e.g. ``"prepar"``) to its
    weight, e.g. its idf; a lower-cased word as written is looked up too. A fragment
    scores the weights of the distinct terms it shows plus a little per match.
    Returns the fragments in reading order, how many matches the fragments leave
    out, and how many paragraphs hold those left-out matches.
    """
    sections = _sections(text)
    candidates: list[_Candidate] = []
    matches: dict[int, int] = {}
    for number, local in _by_section(text, spans).items():
        _, paragraph = sections[number - 1]
        matches[number] = len(local)
        for start, end, inside in _windows(paragraph, local):
            terms: dict[str, float] = {}
            for s, e in inside:
                terms.update(_weights(paragraph[s:e], term_weight))
            score = sum(terms.values()) + 0.1 * len(inside)
            shifted = tuple((s - start, e - start) for s, e in inside)
            candidates.append(_Candidate(number, start, end, shifted, score))
    chosen = sorted(candidates, key=lambda c: (-c.score, c.paragraph, c.start))[:MAX_FRAGMENTS]
    fragments = []
    shown: Counter[int] = Counter()
    for number, group in groupby(sorted(chosen, key=lambda c: (c.paragraph, c.start)), _number):
        _, paragraph = sections[number - 1]
        fragment = _fragment(paragraph, list(group))
        fragments.append(BodyFragment(fragment.html, fragment.text, fragment.marks, number))
        shown[number] += len(fragment.marks)
    more_matches = sum(matches.values()) - sum(shown.values())
    more_paragraphs = sum(1 for number, count in matches.items() if count > shown[number])
    return fragments, more_matches, more_paragraphs


def caption_matches(
    captions: str, credits: str, caption_spans: Sequence[Span], credit_spans: Sequence[Span]
) -> list[CaptionMatch]:
    """Every caption that matched, whole, with its credit and its 1-based position.

    A caption whose credit matched is listed too (its text unmarked).
    """
    credit_lines = credits.split(SECTION_SEPARATOR) if credits else []
    in_captions = _by_section(captions, caption_spans)
    in_credits = _by_section(credits, credit_spans)
    matches = []
    for number, (_, caption) in enumerate(_sections(captions), start=1):
        if number not in in_captions and number not in in_credits:
            continue
        credit = credit_lines[number - 1] if number <= len(credit_lines) else ""
        piece = render(caption, in_captions.get(number, ()))
        matches.append(CaptionMatch(piece.html, piece.text, piece.marks, number, credit or None))
    return matches
