"""The fast read path against the reference (plain Whoosh) path: same answers, array work.

The corpus is seeded and written in two Whoosh segments with one document deleted, so
segment offsets and the live-document mask are exercised as an incremental update would.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.reading import IndexReader

from index import generations
from index.build import article_fields, write_arrays
from index.jsonl import parse_record
from index.schema import build_schema
from search import buckets, facets, filters, postings
from search.engine import Searcher
from search.query import read_query
from search.reference import ReferenceSearcher
from search.request import Recency, Scope, SearchRequest, SearchResponse, Sort

WORDS = (
    "harbour bridge ferry council budget flood river maren evacuations volunteers cannery "
    "closes housing light rail tunnel comet observatory glacier study bees decline jazz "
    "festival pianist fishing quota museum reopens dockworkers cranes earthquake sensors "
    "korea china pyongyang documentary prize security border food bank demand levee"
).split()
GLUE = "the a of to in and what after".split()
AUTHORS = ["Ana Silva", "Tom Reed", "Li Wei", "Grace Liang", "Omar Haddad", "Eva Novak"]
CREDITS = ["ANA SILVA/Scoop", "AFP/Getty Images", "HARBOUR PHOTOS", None]


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(GLUE) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def _record(rng: random.Random, number: int) -> dict[str, object]:
    record: dict[str, object] = {
        "id": f"doc-{number}",
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).title(),
        "authors": rng.sample(AUTHORS, rng.randint(1, 2)),
        "body": [_sentence(rng, rng.randint(5, 25)) for _ in range(rng.randint(1, 5))],
        "captions": [
            {"text": _sentence(rng, 6), "credit": rng.choice(CREDITS)}
            for _ in range(rng.randint(0, 2))
        ],
        "bio": f"{AUTHORS[number % len(AUTHORS)]} covers the {rng.choice(WORDS)} beat.",
    }
    if number % 9:  # a few undated articles
        record["published"] = date(2010 + rng.randint(0, 9), rng.randint(1, 12), 1).isoformat()
    return record


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generation written in two segments, one document deleted, arrays derived after."""
    rng = random.Random(20261202)
    records = [_record(rng, number) for number in range(240)]
    articles = [parse_record(record, "fixture.jsonl", line) for line, record in enumerate(records)]
    root = tmp_path_factory.mktemp("fast-path")
    path = generations.new_generation_path(root)
    ix = whoosh_index.create_in(str(path), build_schema())
    for first, last in ((0, 150), (150, 240)):
        writer = ix.writer()
        for article in articles[first:last]:
            writer.add_document(**article_fields(article))
        if first:
            writer.delete_by_term("id", articles[7].id)
        writer.commit(merge=False)
    assert len(ix.reader().leaf_readers()) == 2
    count = len(records) - 1
    generations.write_manifest(path, count, write_arrays(path, count))
    generations.switch_to(root, path)
    return root


@pytest.fixture(scope="module")
def fast(corpus_root: Path) -> Iterator[Searcher]:
    opened = Searcher(corpus_root)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def reference(corpus_root: Path) -> Iterator[ReferenceSearcher]:
    opened = ReferenceSearcher(corpus_root)
    yield opened
    opened.close()


QUERIES = [
    "",
    "bridge",
    "harbour bridge",
    "flood river evacuations",
    "Harbour Bridge",
    '"harbour bridge"',
    '"the harbour"',
    '"bridge ferry"~3',
    "bridge -ferry",
    "harbour NOT bridge",
    "harbour AND NOT bridge",
    "ferry OR council",
    "(flood OR river) AND maren",
    "light ANDMAYBE rail",
    "title:bridge",
    "caption:volunteers",
    "author:silva",
    "bio:covers",
    "credit:afp",
    "bridg*",
    "evacu*",
    "pyongyng~",
    "documentery~2",
    "published:2015",
    "bridge published:[2012-01-01 TO 2016-12-31]",
    "body:[harbour TO housing]",
    "what happened to the cannery after the flood",
    "the",
    "zzzz nothing matches",
    '"unclosed quote',
    "korea china pyongyang border security documentary prize food bank demand levee",
]
OPTIONS: list[dict[str, object]] = [
    {},
    {"sort": Sort.NEWEST},
    {"sort": Sort.OLDEST, "page": 2, "per_page": 5},
    {"authors": ("Ana Silva", "Li Wei")},
    {"since": date(2012, 1, 1), "until": date(2015, 6, 30)},
    {"year": 2014},
    {"year": 2016, "month": 3},
    {"scope": Scope.BODY},
    {"scope": Scope.CAPTIONS},
    {"scope": Scope.TITLES},
    {"caption_only": True},
    {"within": "harbour"},
    {"recency": Recency.STRONG},
    {"recency": Recency.GENTLE, "authors": ("Ana Silva",)},
]


def _summary(response: SearchResponse) -> dict[str, object]:
    """Everything a user sees of a response except timing (scores to float precision)."""
    return {
        "total": response.total,
        "ids": [hit.id for hit in response.hits],
        "scores": [pytest.approx(hit.score, rel=1e-5, abs=2e-4) for hit in response.hits],
        "flags": [(hit.phrase, hit.weak, hit.matched_in) for hit in response.hits],
        "facets": response.facets,
        "all_words_total": response.all_words_total,
        "suggestion": response.suggestion,
        "notices": response.notices,
    }


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(map(str, o)) or "default")
@pytest.mark.parametrize("query", QUERIES)
def test_fast_path_answers_like_the_reference(
    fast: Searcher, reference: ReferenceSearcher, query: str, options: dict[str, object]
) -> None:
    request = SearchRequest(query=query, **options)  # type: ignore[arg-type]
    assert _summary(fast.search(request)) == _summary(reference.search(request))


def test_the_table_exercises_every_bucket_and_facet(fast: Searcher) -> None:
    """The equality test means something only if the answers it compares are not empty."""
    seen_weak = seen_headline = False
    for query in QUERIES:
        response = fast.search(SearchRequest(query=query, per_page=50))
        seen_weak |= any(hit.weak for hit in response.hits)
        seen_headline |= any(hit.phrase for hit in response.hits)
    assert seen_weak and seen_headline
    browse = fast.search(SearchRequest())
    assert browse.total == 239  # 240 written, one deleted
    assert {value.value for value in browse.facets["author"]} == set(AUTHORS)


@pytest.mark.parametrize("query", QUERIES)
def test_no_query_form_walks_whoosh_matchers(fast: Searcher, query: str) -> None:
    """Every query form is answered by array operations; only phrase candidates are checked
    against Whoosh positions, and never more candidates than hold every word of the phrase."""
    opened = fast._current()
    evaluator = opened.evaluator()
    parsed = read_query(opened.searcher, query, Scope.ALL)
    request = SearchRequest(query=query, within="harbour", caption_only=True)
    within = opened.read(request.within, Scope.ALL)
    allowed = filters.allowed(evaluator, request, parsed, within)
    ranked = buckets.rank(evaluator, parsed, allowed)
    facets.where_matched(evaluator, parsed, ranked.mask)
    assert evaluator.work.fallbacks == []
    if '"' not in query and not parsed.plain:
        assert evaluator.work.verified == 0


def test_ranked_ids_match_the_reference_order(fast: Searcher, reference: ReferenceSearcher) -> None:
    for query in ("harbour bridge flood", "what happened to the cannery after the flood"):
        assert fast.ranked_ids(query) == reference.ranked_ids(query)


def _every_posting(reader: IndexReader, fieldname: str, text: bytes) -> dict[int, bytes]:
    """Whoosh's own walk of a term's postings (deleted documents filtered out)."""
    matcher = reader.postings(fieldname, text)
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.value()
        matcher.next()
    return found


@pytest.mark.parametrize("word", ["the", "harbour", "flood", "jazz", "tunnel"])
def test_seeking_postings_reads_what_whoosh_walks(fast: Searcher, word: str) -> None:
    """``search.postings`` bisects inside Whoosh's blocks; over both segments (the deleted
    document among them) it yields exactly Whoosh's values for the documents asked."""
    reader = fast._current().searcher.reader()
    text = reader.schema["body"].to_bytes(word)
    expected = _every_posting(reader, "body", text)
    if word == "the":  # in most documents: its postings span Whoosh's 128-posting blocks
        assert len(expected) > 128
    live = [docnum for docnum in range(reader.doc_count_all()) if not reader.is_deleted(docnum)]
    rng = random.Random(word)
    for size in (1, 3, 17, len(live)):
        asked = sorted(rng.sample(live, size))
        got = dict(postings.values(reader, "body", text, asked))
        assert got == {docnum: expected[docnum] for docnum in asked if docnum in expected}


def test_a_fuzzy_word_scans_the_vocabulary_once_for_every_field(corpus_root: Path) -> None:
    searcher = Searcher(corpus_root)
    vocabulary = searcher._current().vocabulary
    response = searcher.search(SearchRequest(query="harbuor~ cannerry~"))
    searcher.close()
    assert response.total
    assert sorted(word for word, _, _ in vocabulary._nearby) == ["cannerry", "harbuor"]
