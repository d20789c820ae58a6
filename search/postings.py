"""Reading one term's postings for a few chosen documents: phrase checks and highlights.

Whoosh's ``skip_to`` finds a document inside a block of postings by stepping through
the block one posting at a time, each step a Python call; a page of hits or a
phrase's candidates ask for a handful of documents spread over the whole list. Here a
segment's postings are walked block by block on the block's largest id, and the
document is found inside the block by bisection. Callers ask only for live documents
(the arrays' candidates, the page's hits), so the segment's deleted-document filter is
not needed; ``tests/test_fast_path.py`` holds the values equal to Whoosh's own walk.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader


def values(
    reader: IndexReader, fieldname: str, text: bytes, docnums: Iterable[int]
) -> Iterator[tuple[int, Any]]:
    """``(docnum, raw postings value)`` for each of the ascending, live ``docnums`` that
    hold the term ``text`` in ``fieldname``."""
    wanted = list(docnums)
    leaves = reader.leaf_readers()
    ends = [offset for _, offset in leaves[1:]] + [reader.doc_count_all()]
    for (leaf, offset), end in zip(leaves, ends, strict=True):
        here = [docnum - offset for docnum in wanted if offset <= docnum < end]
        if not here or (fieldname, text) not in leaf:
            continue
        matcher = _unfiltered(leaf.postings(fieldname, text))
        for local in here:
            if not seek(matcher, local):
                if not matcher.is_active():
                    break
                continue
            yield local + offset, matcher.value()


def _unfiltered(matcher: Matcher) -> Matcher:
    """The segment's own postings, without the deleted-documents filter."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def seek(matcher: Matcher, target: int) -> bool:
    """Move ``matcher`` to the first posting at or after ``target``; whether it is there
    (any Whoosh matcher; a segment's own postings are bisected inside their blocks)."""
    if not matcher.is_active():
        return False
    if isinstance(matcher, W3LeafMatcher):
        return _seek_blocks(matcher, target)
    if matcher.id() < target:
        matcher.skip_to(target)
    return matcher.is_active() and matcher.id() == target


def _seek_blocks(matcher: W3LeafMatcher, target: int) -> bool:
    if target > matcher.block_max_id():
        matcher._skip_to_block(lambda: target > matcher.block_max_id())
        if not matcher.is_active():
            return False
    ids = _block_ids(matcher)
    matcher._i = bisect_left(ids, target, matcher._i)
    return ids[matcher._i] == target


def _block_ids(matcher: W3LeafMatcher) -> Any:
    if matcher._ids is None:
        matcher._read_ids()
    return matcher._ids
