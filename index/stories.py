"""Story groups: articles whose text is nearly the same (wire copy carried with small
edits, print and online versions, updates and corrections) are one story.

Each article's body gets a MinHash signature over its word shingles when it is
indexed (``datasketch``); at the end of a build or update, LSH banding over the
signatures of the live articles finds candidate pairs, a pair whose estimated Jaccard
similarity reaches the ``STORY_THRESHOLD`` setting is linked, and the linked
components are the groups. Each group's versions are ordered most complete (most
words) first, then earliest. Everything is stored with the generation as arrays, so
the read side collapses results and lists versions without touching stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from datasketch import MinHash
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

SHINGLE_WORDS = 3
"""Words per shingle: an edited word changes three shingles of the article's."""
PERMUTATIONS = 128
"""Hash functions per signature: the Jaccard estimate's error is about 0.04 at 0.5."""
SEED = 1
MIN_SHINGLES = 20
"""Bodies with fewer different shingles are never grouped: two briefs that share a
dateline and a stock sentence are not the same story, and a few shingles (or one line
repeated) estimate nothing."""
DEFAULT_THRESHOLD = 0.4
"""The default ``STORY_THRESHOLD`` (docs/decisions.md: measured on
tests/fixtures/story_pairs.jsonl.gz with ``python -m bench.stories``)."""
CANDIDATE_RECALL = 0.9
"""How likely a pair exactly at the threshold is to share a band (and be checked); at
0.4 that is 42 bands of 3 rows (0.94). datasketch's own choice, 32 bands of 4, weighs
misses and extra candidates alike and misses 44% of the pairs at the threshold."""
UNSIGNED = np.iinfo(np.uint32).max
"""Every value of the signature of a body too short to group."""
WORD = re.compile(r"\w+")

_TEMPLATE = MinHash(num_perm=PERMUTATIONS, seed=SEED)


def body_words(body: str) -> list[str]:
    """The body's words as the grouping compares them: case-folded, punctuation dropped."""
    return WORD.findall(body.casefold())


def signature(words: Sequence[str]) -> np.ndarray:
    """The MinHash signature (``PERMUTATIONS`` uint32) of a body's word shingles; all
    ``UNSIGNED`` when it has fewer than ``MIN_SHINGLES`` different ones."""
    shingles = {
        " ".join(words[start : start + SHINGLE_WORDS]).encode()
        for start in range(len(words) - SHINGLE_WORDS + 1)
    }
    if len(shingles) < MIN_SHINGLES:
        return np.full(PERMUTATIONS, UNSIGNED, dtype=np.uint32)
    minhash = MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    minhash.update_batch(shingles)
    return minhash.hashvalues.astype(np.uint32)


def similarity(signatures: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of each (first, second) pair of documents."""
    return np.mean(signatures[first] == signatures[second], axis=1)


def bands(threshold: float) -> tuple[int, int]:
    """LSH bands and rows per band: the most rows (the fewest candidates to check) that
    still make a pair at ``threshold`` a candidate with ``CANDIDATE_RECALL``."""
    for rows in range(PERMUTATIONS, 0, -1):
        count = PERMUTATIONS // rows
        if 1 - (1 - threshold**rows) ** count >= CANDIDATE_RECALL:
            return count, rows
    return PERMUTATIONS, 1


def _band_keys(rows: np.ndarray) -> np.ndarray:
    """A 64-bit key per row of a band (a collision only adds a pair to check)."""
    key = np.zeros(len(rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in rows.T.astype(np.uint64):
            key = key * np.uint64(0x100000001B3) ^ column
    return key


def candidate_pairs(signatures: np.ndarray, docs: np.ndarray, threshold: float) -> np.ndarray:
    """Pairs of ``docs`` that share a band: within each bucket, each member with the next."""
    count, width = bands(threshold)
    pairs = [np.zeros((0, 2), dtype=np.int64)]
    for band in range(count):
        keys = _band_keys(signatures[docs, band * width : (band + 1) * width])
        order = np.argsort(keys, kind="stable")
        same = np.flatnonzero(keys[order][1:] == keys[order][:-1])
        pairs.append(np.stack([docs[order[same]], docs[order[same + 1]]], axis=1))
    return np.unique(np.concatenate(pairs), axis=0)


@dataclass(frozen=True)
class Stories:
    """A generation's story groups: each document's group (-1: alone) and place in it
    (0: the lead version), and the members of each group in order."""

    groups: np.ndarray
    order: np.ndarray
    members: np.ndarray
    starts: np.ndarray
    """Group ``g``'s members are ``members[starts[g]:starts[g + 1]]``."""

    @property
    def count(self) -> int:
        return len(self.starts) - 1


def group(
    signatures: np.ndarray,
    words: np.ndarray,
    days: np.ndarray,
    live: np.ndarray,
    threshold: float,
) -> Stories:
    """The story groups of the live, signed documents at ``threshold``; versions ordered
    by most ``words``, then earliest published (``days``), then document number."""
    size = len(signatures)
    docs = np.flatnonzero(live & (signatures != UNSIGNED).any(axis=1))
    pairs = candidate_pairs(signatures, docs, threshold)
    linked = pairs[similarity(signatures, pairs[:, 0], pairs[:, 1]) >= threshold]
    graph = coo_matrix(
        (np.ones(len(linked), dtype=np.int8), (linked[:, 0], linked[:, 1])), shape=(size, size)
    )
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    grouped = np.flatnonzero(sizes[labels] > 1)
    by_group = grouped[np.lexsort([grouped, days[grouped], -words[grouped], labels[grouped]])]
    labels_sorted = labels[by_group]
    first = np.r_[True, labels_sorted[1:] != labels_sorted[:-1]][: len(by_group)]
    numbers = np.cumsum(first) - 1
    starts = np.r_[np.flatnonzero(first), len(by_group)]
    groups = np.full(size, -1, dtype=np.int32)
    groups[by_group] = numbers
    order = np.full(size, -1, dtype=np.int32)
    order[by_group] = np.arange(len(by_group)) - starts[numbers]
    return Stories(groups, order, by_group.astype(np.int32), starts.astype(np.int32))


def write(
    arrays: Path, signatures: np.ndarray, words: np.ndarray, stories: Stories
) -> dict[str, int]:
    """Store the signatures, word counts and groups in a generation's ``arrays`` folder;
    returns the manifest entry (groups, and articles in them)."""
    arrays.mkdir(exist_ok=True)
    parts = {
        "signatures": signatures,
        "story_words": words,
        "stories": stories.groups,
        "story_order": stories.order,
        "story_members": stories.members,
        "story_starts": stories.starts,
    }
    for name, values in parts.items():
        np.save(arrays / f"{name}.npy", values, allow_pickle=False)
    return {"groups": stories.count, "grouped": len(stories.members)}


def read_signatures(arrays: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """A generation's signatures and word counts (from its ``arrays`` folder); None when
    it has none."""
    try:
        return (
            np.load(arrays / "signatures.npy", allow_pickle=False),
            np.load(arrays / "story_words.npy", allow_pickle=False),
        )
    except FileNotFoundError:
        return None


def read(arrays: Path) -> Stories | None:
    """A generation's story groups (from its ``arrays`` folder), memory-mapped; None when
    it has none."""
    try:
        load = {
            name: np.load(arrays / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in ("stories", "story_order", "story_members", "story_starts")
        }
    except FileNotFoundError:
        return None
    return Stories(
        load["stories"], load["story_order"], load["story_members"], load["story_starts"]
    )


def signed(bodies: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """The signatures and word counts of ``bodies`` (for documents read back from an index)."""
    rows, counts = [], []
    for body in bodies:
        words = body_words(body)
        rows.append(signature(words))
        counts.append(len(words))
    return _stacked(rows), np.array(counts, dtype=np.int32)


def _stacked(rows: list[np.ndarray]) -> np.ndarray:
    return np.stack(rows) if rows else np.zeros((0, PERMUTATIONS), dtype=np.uint32)
