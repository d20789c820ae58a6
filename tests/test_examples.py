"""The examples users are shown work on the data Scoop ships with: the README's query
language table and the front page's search tips, each searched on the bundled samples."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engine import Searcher
from search.request import SearchRequest
from web import create_app

README = Path(__file__).resolve().parents[1] / "README.md"
FIELD_ONLY = re.compile(r"^[a-z]+:$")


def readme_examples() -> list[str]:
    """The queries in the first column of the README's "you type | finds" table."""
    text = README.read_text(encoding="utf-8")
    table = text.split("| you type | finds |", 1)[1].split("\n\n", 1)[0]
    cells = [row.split("|")[1] for row in table.splitlines()[2:] if row.startswith("|")]
    return [code for cell in cells for code in re.findall(r"`([^`]+)`", cell)]


def tips(sample_index: Path) -> list[str]:
    """The queries the front page offers as search tips (its ``<dt><code>`` items)."""
    app = create_app({"INDEX": str(sample_index), "TESTING": True})
    page = app.test_client().get("/").get_data(as_text=True)
    tips_box = page.split('class="tips-box"', 1)[1].split("</section>", 1)[0]
    terms = re.findall(r"<dt>(.*?)</dt>", tips_box, re.S)
    return [code for term in terms for code in re.findall(r"<code>(.*?)</code>", term)]


@pytest.fixture(scope="module")
def searcher(sample_index: Path) -> Iterator[Searcher]:
    engine = Searcher(sample_index)
    yield engine
    engine.close()


def total(searcher: Searcher, query: str) -> int:
    return searcher.search(SearchRequest(query=query)).total


def test_readme_has_examples() -> None:
    examples = readme_examples()
    assert "flood -levee" in examples and len(examples) >= 15


@pytest.mark.parametrize("query", readme_examples())
def test_readme_example_finds_articles(searcher: Searcher, query: str) -> None:
    assert not FIELD_ONLY.match(query), f"{query!r} is a field name, not a runnable example"
    assert total(searcher, query) > 0, f"the README's example {query!r} finds nothing"


def test_front_page_tips_find_articles(searcher: Searcher, sample_index: Path) -> None:
    shown = tips(sample_index)
    assert "evacuat*" in shown and len(shown) >= 6
    for query in shown:
        assert total(searcher, query) > 0, f"the front page's tip {query!r} finds nothing"


def test_a_prefix_matches_the_words_as_written(searcher: Searcher) -> None:
    """``evacuat*`` stops inside the stem ("evacu"), yet finds what ``evacuate*`` finds."""
    assert total(searcher, "evacuat*") == total(searcher, "evacuate*") > 0
    assert total(searcher, "title:evacuat*") == total(searcher, "title:evacuate") > 0
