"""Plain-word queries are built directly, and must be exactly what Whoosh's parser makes."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.qparser import AndGroup, OrGroup

from index.schema import build_schema
from search.query import SCOPE_FIELDS, _parser, phrase_query, plain_query
from search.ranking import FIELD_WEIGHTS, repeat_weight
from search.request import Scope

SCHEMA = build_schema()
WORD = st.sampled_from(
    "harbour bridge Bridges korean-chinese 150,000 3.5 São Zürich pyŏngyang the of "
    "o'brien china's U.S. e-mail — x mid-2017 ﬁne".split()
) | st.text(alphabet="abcdeé-'’.,0123", min_size=1, max_size=8)


@given(
    words=st.lists(WORD, min_size=1, max_size=8), every=st.booleans(), scope=st.sampled_from(Scope)
)
def test_plain_query_equals_the_parsers_tree(words: list[str], every: bool, scope: Scope) -> None:
    fields = SCOPE_FIELDS[scope]
    parser = _parser(SCHEMA, fields, AndGroup if every else OrGroup)
    text = " ".join(word.strip(".,'’-—") for word in words if word.strip(".,'’-—"))
    if not text.strip():
        return
    if not every:  # a repeated word (or stem) counts more than the parser's tree says
        terms = [tuple(SCHEMA["body"].process_text(w, mode="query")) for w in text.split()]
        assume(len(set(terms)) == len(terms))
    assert plain_query(text.lower().split(), SCHEMA, fields, every) == parser.parse(text.lower())


def test_a_repeated_word_counts_about_as_often_as_said_up_to_a_saturation() -> None:
    assert repeat_weight(1) == 1.0
    assert [repeat_weight(n) for n in (2, 5, 20)] == pytest.approx([2, 5, 20], rel=0.02)
    assert repeat_weight(10**6) < 1001


def test_words_sharing_a_stem_are_one_term_that_counts_for_each() -> None:
    fields = ("title", "body")
    built = plain_query("bridge Bridges harbour bridge".lower().split(), SCHEMA, fields)
    assert built == wq.Or(
        [
            wq.Term("title", "bridg", boost=FIELD_WEIGHTS["title"] * repeat_weight(3)),
            wq.Term("body", "bridg", boost=FIELD_WEIGHTS["body"] * repeat_weight(3)),
            wq.Term("title", "harbour", boost=FIELD_WEIGHTS["title"]),
            wq.Term("body", "harbour", boost=FIELD_WEIGHTS["body"]),
        ]
    )


@given(words=st.lists(WORD, min_size=1, max_size=8))
def test_phrase_query_equals_the_parsers_phrase(words: list[str]) -> None:
    text = " ".join(words).replace('"', " ")
    expected = _parser(SCHEMA, ("title",)).parse(f'"{text}"')
    assert phrase_query(text, SCHEMA, "title") == expected
