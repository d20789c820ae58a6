"""The spelling vocabulary of a generation: every unstemmed, folded word of the text fields,
with the number of articles holding it in each field.

Whoosh keeps these words in its ``spell_<field>`` fields for "did you mean"; reading them
there means walking its term dictionary in Python. Written once per generation as a sorted
word list and one frequency column per field, they serve fuzzy matching (edit distance over
the whole list in C, ``rapidfuzz``) and autocomplete (a prefix is a range of the list).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from index.impacts import ARRAYS_DIR

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


def write_vocabulary(reader: IndexReader, folder: Path) -> int:
    """Write the sorted words and their per-field article counts; returns the word count."""
    fields = spelling_fields(reader)
    counts: dict[str, dict[str, int]] = {}
    for fieldname in fields:
        for term, info in reader.iter_field(SPELL_PREFIX + fieldname):
            counts.setdefault(term.decode("utf-8"), {})[fieldname] = info.doc_frequency()
    words = sorted(counts)
    (folder / ARRAYS_DIR).mkdir(exist_ok=True)
    (folder / ARRAYS_DIR / WORDS_FILE).write_text(
        json.dumps({"fields": list(fields), "words": words}, ensure_ascii=False), encoding="utf-8"
    )
    for fieldname in fields:
        column = np.array([counts[word].get(fieldname, 0) for word in words], dtype=np.int32)
        np.save(frequency_file(folder, fieldname), column, allow_pickle=False)
    return len(words)
