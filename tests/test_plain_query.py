"""Plain-word queries are built directly, and must be exactly what Whoosh's parser makes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from whoosh.qparser import AndGroup, OrGroup

from index.schema import build_schema
from search.query import SCOPE_FIELDS, _parser, phrase_query, plain_query
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
    assert plain_query(text.lower().split(), SCHEMA, fields, every) == parser.parse(text.lower())


@given(words=st.lists(WORD, min_size=1, max_size=8))
def test_phrase_query_equals_the_parsers_phrase(words: list[str]) -> None:
    text = " ".join(words).replace('"', " ")
    expected = _parser(SCHEMA, ("title",)).parse(f'"{text}"')
    assert phrase_query(text, SCHEMA, "title") == expected
