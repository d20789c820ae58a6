"""Reading one plain-text scrape: the header (see ``index.header``), then the body line by
line into paragraphs, captions, the bio and junk, keeping where every line went."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from index.captions import LONE_CREDIT, credit_line, split_caption
from index.endmatter import is_bio, junk_reason, split_glued_junk
from index.header import Header, read_header
from index.model import Article, Caption, Line, ParseWarning, Problem, article_id
from index.text import clean_text, fold

WRAP_CHARS = 100
"""Lines of a block shorter than this without a final stop are one hard-wrapped paragraph."""
CREDIT_OF = "the credit of line "
"""How a credit line's note starts: it credits the caption on the line named."""
JUNK_CUT = "junk cut from its end: "
"""How a line's note starts when share links or a sign-off were cut from its end."""
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")


@dataclass(frozen=True)
class Reading:
    """How a scrape was read: the article (or the problem that stopped it) and where each
    non-blank line went."""

    article: Article | None
    problem: Problem | None = None
    lines: tuple[Line, ...] = ()


class _Captions:
    """The article's captions in order; a caption printed again is the same caption."""

    def __init__(self) -> None:
        self.items: list[Caption] = []
        self._at: dict[str, int] = {}

    def add(self, caption: Caption) -> tuple[int, bool]:
        """Its 1-based number, and whether it was seen before (keeping a credit if any)."""
        key = fold(caption.text)
        if key in self._at:
            at = self._at[key]
            if caption.credit and not self.items[at].credit:
                self.items[at] = caption
            return at + 1, True
        self._at[key] = len(self.items)
        self.items.append(caption)
        return len(self.items), False

    def known(self, text: str) -> bool:
        return fold(text) in self._at


@dataclass
class _Paragraph:
    lines: list[int]
    text: str


def _blocks(indexes: list[int]) -> list[list[int]]:
    """Runs of consecutive line indexes (a blank or another section ends a run)."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _paragraphs(lines: list[str], candidates: list[int]) -> list[_Paragraph]:
    """One paragraph per line, or one per block of hard-wrapped lines."""
    paragraphs = []
    for block in _blocks(candidates):
        texts = [lines[i] for i in block]
        wrapped = len(block) > 1 and all(
            not _SENTENCE_END.search(text) and len(text) < WRAP_CHARS for text in texts[:-1]
        )
        if wrapped:
            paragraphs.append(_Paragraph(block, " ".join(texts)))
        else:
            paragraphs.extend(_Paragraph([i], lines[i]) for i in block)
    return paragraphs


class _Body:
    """Sorts the lines below the header into sections, in line order."""

    def __init__(self, lines: list[str], printed: list[str], header: Header) -> None:
        self.lines = lines
        self.printed = printed
        self.header = header
        self.captions = _Captions()
        self.placed: dict[int, Line] = {}
        self.candidates: list[int] = []
        self.credited: set[str] = set()
        """Folded texts of the captions printed with a credit anywhere below the header."""

    def place(self, index: int, section: str, number: int | None = None, note: str = "") -> None:
        self.placed[index] = Line(index + 1, self.printed[index], section, number, note)

    def caption(self, index: int, caption: Caption, note: str = "") -> None:
        number, seen = self.captions.add(caption)
        self.place(index, "caption", number, "repeated" if seen else note)

    def read(self, indexes: list[int]) -> None:
        for index in sorted(self.header.roles):
            role = self.header.roles[index]
            if role.caption:
                self.caption(index, role.caption, role.note)
            else:
                self.place(index, role.section, note=role.note)
        for index in indexes:
            if caption := split_caption(self.lines[index]):
                self.credited.add(fold(caption.text))
        for position, index in enumerate(indexes):
            self._read_line(index, indexes, position)

    def _repeats_a_caption(self, line: str, neighbours: list[int]) -> bool:
        """A caption printed elsewhere (with a credit or not), or a line printed twice in a row."""
        key = fold(line)
        return (
            key in self.credited
            or self.captions.known(line)
            or any(fold(self.lines[other]) == key for other in neighbours)
        )

    def _read_line(self, index: int, indexes: list[int], position: int) -> None:
        line = self.lines[index]
        neighbours = indexes[max(0, position - 1) : position] + indexes[position + 1 : position + 2]
        if reason := junk_reason(line):
            self.place(index, "junk", note=reason)
        elif fold(line) == fold(self.header.title):
            self.place(index, "headline", note="repeated")
        elif self.header.dek and fold(line) == fold(self.header.dek):
            self.place(index, "dek", note="repeated")
        elif caption := split_caption(line):
            self.caption(index, caption)
        elif self._repeats_a_caption(line, neighbours):
            self.caption(index, Caption(line), "no credit")
        elif credit_line(line):
            self.place(index, "junk", note=LONE_CREDIT)
        else:
            self.candidates.append(index)


def _glued_junk(lines: list[str], indexes: list[int]) -> tuple[int, str] | None:
    """Cut share-link words or a sign-off glued to the last line of text: (its index, what
    was cut)."""
    last = next((i for i in reversed(indexes) if not junk_reason(lines[i])), None)
    if last is None:
        return None
    kept, junk = split_glued_junk(lines[last])
    if not junk or not kept:
        return None
    lines[last] = kept
    return last, junk


def _credit_lines(lines: list[str]) -> dict[int, int]:
    """Join each credit printed on its own line to the uncredited line just above it (the
    caption it credits; never the headline): {credit line: caption line}. A credit line
    is blanked."""
    joined: dict[int, int] = {}
    headline = next((i for i, line in enumerate(lines) if line), len(lines))
    for index in range(headline + 2, len(lines)):
        above = lines[index - 1]
        credit = credit_line(lines[index])
        if credit and above and not split_caption(above) and not credit_line(above):
            lines[index - 1] = f"{above} ({credit.strip('()')})"
            lines[index] = ""
            joined[index] = index - 1
    return joined


def _split_bio(
    paragraphs: list[_Paragraph], authors: tuple[str, ...]
) -> tuple[list[_Paragraph], list[_Paragraph]]:
    """The bio paragraphs (at the end, about an author of the byline) and the others."""
    tail = paragraphs[-(len(authors) + 1) :] if authors else paragraphs[-1:]
    bios = [p for p in tail if is_bio(p.text, authors)]
    return [p for p in paragraphs if p not in bios], bios


def _repeat_key(line: str) -> str:
    """What a line is compared by to find repeats: a caption's text without its credit."""
    caption = split_caption(line)
    return fold(caption.text if caption else line)


def _place_sections(
    body: _Body,
    paragraphs: list[_Paragraph],
    bios: list[_Paragraph],
    glued: tuple[int, str] | None,
    credits: dict[int, int],
) -> tuple[Line, ...]:
    """Every placed line in line order: paragraphs numbered, bios, cut junk and credit lines
    noted."""
    for number, paragraph in enumerate(paragraphs, start=1):
        for index in paragraph.lines:
            body.place(index, "paragraph", number, "joined" if len(paragraph.lines) > 1 else "")
    for paragraph in bios:
        for index in paragraph.lines:
            body.place(index, "bio")
    if glued:
        index, junk = glued
        line = body.placed[index]
        body.placed[index] = Line(line.number, line.text, line.section, line.index, JUNK_CUT + junk)
    for index, above in credits.items():
        line = body.placed[above]
        body.placed[index] = Line(
            index + 1, body.printed[index], line.section, line.index, f"{CREDIT_OF}{above + 1}"
        )
    return tuple(body.placed[i] for i in sorted(body.placed))


def parse_text(
    text: str, source: str, key: str, notes: Iterable[tuple[int | None, str]] = ()
) -> Reading:
    """Read one plain-text scrape. Never raises: a file that cannot be read as an article
    gives a ``Reading`` with a ``Problem``. ``notes`` are warnings from decoding."""
    printed = [clean_text(line) for line in text.split("\n")]
    lines = list(printed)
    credits = _credit_lines(lines)
    counts = Counter(_repeat_key(line) for line in lines if line)
    try:
        header = read_header(lines, counts)
    except ValueError as error:
        return Reading(None, Problem(source, str(error)))
    rest = [i for i, line in enumerate(lines) if line and i not in header.roles]
    glued = _glued_junk(lines, rest)
    body = _Body(lines, printed, header)
    body.read(rest)
    paragraphs, bios = _split_bio(_paragraphs(lines, body.candidates), header.authors)
    placed = _place_sections(body, paragraphs, bios, glued, credits)
    if not paragraphs and not body.captions.items:
        return Reading(None, Problem(source, "no body text after the header"), placed)
    warnings = [ParseWarning(source, reason, line) for line, reason in [*notes, *header.warnings]]
    article = Article(
        id=article_id(key),
        title=header.title,
        dek=header.dek,
        authors=header.authors,
        published=header.published,
        updated=header.updated,
        paragraphs=tuple(p.text for p in paragraphs),
        captions=tuple(body.captions.items),
        bio=" ".join(p.text for p in bios),
        source=source,
        warnings=tuple(warnings),
    ).with_hash()
    return Reading(article, None, placed)
