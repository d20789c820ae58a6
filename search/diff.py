"""What differs between two versions of a story: a word-level diff of their bodies.

Paragraph breaks count as words of their own (``¶``), so a moved or split paragraph shows.
Long unchanged runs keep a few words of context on each side; both bodies are cut to
``MAX_WORDS`` words, which bounds the work of one article page.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from search.request import DiffPiece

MAX_WORDS = 5000
"""Words of each version compared (the rest is not)."""
CONTEXT = 12
"""Unchanged words kept before and after a change."""
PARAGRAPH = "¶"


def words(body: str) -> list[str]:
    """The body's words, a ``¶`` between paragraphs."""
    out: list[str] = []
    for number, paragraph in enumerate(body.split("\n")):
        if number:
            out.append(PARAGRAPH)
        out.extend(paragraph.split())
    return out


def word_diff(before: str, after: str) -> tuple[DiffPiece, ...]:
    """The changes from body ``before`` to body ``after``: removed, added and (shortened)
    unchanged runs of words, in order."""
    old, new = words(before)[:MAX_WORDS], words(after)[:MAX_WORDS]
    pieces: list[DiffPiece] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    for number, (tag, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        if tag == "equal":
            pieces.append(_unchanged(old[old_start:old_end], number, len(opcodes)))
            continue
        if old_end > old_start:
            pieces.append(DiffPiece("removed", " ".join(old[old_start:old_end])))
        if new_end > new_start:
            pieces.append(DiffPiece("added", " ".join(new[new_start:new_end])))
    return tuple(pieces)


def _unchanged(run: list[str], number: int, count: int) -> DiffPiece:
    """An unchanged run, with only ``CONTEXT`` words next to each change it touches."""
    keep_before = CONTEXT if number > 0 else 0
    keep_after = CONTEXT if number < count - 1 else 0
    if len(run) <= keep_before + keep_after + 1:
        return DiffPiece("same", " ".join(run))
    head, tail = run[:keep_before], run[len(run) - keep_after :]
    skipped = len(run) - len(head) - len(tail)
    return DiffPiece("same", " ".join(head), skipped=skipped, after=" ".join(tail))
