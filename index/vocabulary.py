"""The spelling vocabulary of a generation: every unstemmed, folded word of the text fields,
with the number of articles holding it in each field.

Whoosh keeps these words in its ``spell_<field>`` fields for "did you mean"; reading them
there means walking its term dictionary in Python. Written once per generation as a sorted
word list and one frequency column per field, they serve fuzzy matching (edit distance over
the whole list in C, ``rapidfuzz``) and autocomplete (a prefix is a range of the list).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from index.impacts import ARRAYS_DIR
from index.segments import SegmentStats

WORDS_FILE = "vocabulary.json"
SPELL_PREFIX = "spell_"


def spelling_fields(reader: IndexReader) -> tuple[str, ...]:
    """The text fields that keep spelling words, by their names (``body`` for ``spell_body``)."""
    return tuple(
        name[len(SPELL_PREFIX) :]
        for name in reader.schema.names()
        if name.startswith(SPELL_PREFIX) and name[len(SPELL_PREFIX) :] in reader.schema
    )


def frequency_file(folder: Path, fieldname: str) -> Path:
    return folder / ARRAYS_DIR / f"vocabulary.{fieldname}.npy"


Counts = dict[str, dict[str, int]]
"""Word → field → articles holding the word in that field."""


def reader_counts(reader: IndexReader) -> Counts:
    """The spelling words of a committed Whoosh index, from its ``spell_<field>`` fields."""
    counts: Counts = {}
    for fieldname in spelling_fields(reader):
        for term, info in reader.iter_field(SPELL_PREFIX + fieldname):
            counts.setdefault(term.decode("utf-8"), {})[fieldname] = info.doc_frequency()
    return counts


def gathered_counts(segments: Sequence[SegmentStats]) -> Counts:
    """The spelling words a build's indexing gathered, summed over its segments."""
    counts: Counts = {}
    for segment in segments:
        for fieldname, stats in segment.fields.items():
            for word, articles in stats.spelling.items():
                per_field = counts.setdefault(word, {})
                per_field[fieldname] = per_field.get(fieldname, 0) + articles
    return counts


def write_vocabulary(counts: Counts, fields: Sequence[str], folder: Path) -> int:
    """Write the sorted words and their per-field article counts; returns the word count."""
    words = sorted(counts)
    (folder / ARRAYS_DIR).mkdir(exist_ok=True)
    (folder / ARRAYS_DIR / WORDS_FILE).write_text(
        json.dumps({"fields": list(fields), "words": words}, ensure_ascii=False), encoding="utf-8"
    )
    for fieldname in fields:
        column = np.array([counts[word].get(fieldname, 0) for word in words], dtype=np.int32)
        np.save(frequency_file(folder, fieldname), column, allow_pickle=False)
    return len(words)


def stored_counts(folder: Path) -> Counts:
    """The spelling words' article counts a generation's vocabulary arrays hold."""
    listing = json.loads((folder / ARRAYS_DIR / WORDS_FILE).read_text(encoding="utf-8"))
    counts: Counts = {word: {} for word in listing["words"]}
    for fieldname in listing["fields"]:
        column = np.load(frequency_file(folder, fieldname), allow_pickle=False)
        for word, articles in zip(listing["words"], column.tolist(), strict=True):
            if articles:
                counts[word][fieldname] = articles
    return counts


def added_counts(counts: Counts, more: Counts) -> Counts:
    """``counts`` with ``more`` added, word by word and field by field."""
    total = {word: dict(fields) for word, fields in counts.items()}
    for word, fields in more.items():
        per_field = total.setdefault(word, {})
        for fieldname, articles in fields.items():
            per_field[fieldname] = per_field.get(fieldname, 0) + articles
    return total


def commonest_words(folder: Path, fieldname: str, count: int) -> list[str]:
    """The ``count`` words of ``fieldname`` held by the most articles (ties alphabetical)."""
    listing = json.loads((folder / ARRAYS_DIR / WORDS_FILE).read_text(encoding="utf-8"))
    column = np.load(frequency_file(folder, fieldname), allow_pickle=False)
    order = np.lexsort((np.arange(len(column)), -column))[:count]
    return [listing["words"][i] for i in order.tolist() if column[i] > 0]
