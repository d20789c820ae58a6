"""Search-engine adapters: one class per engine with the same build/open/search calls.

Each adapter imports its library in ``__init__``, so a missing library shows
up as an ImportError when the adapter is made (the harness then skips it).
"""

from __future__ import annotations

import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from bench.machine import git_revision
from index.smart import Record, write_feed

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lower-cased alphanumeric runs of ``text``: a query with no syntax left in it."""
    return _WORD.findall(text.lower())


class Engine(ABC):
    """A search engine under test."""

    name: ClassVar[str]

    def prepare(self, docs: Sequence[Record], scratch: Path) -> None:
        """Untimed set-up before ``build`` (e.g. writing input files); none by default."""
        return None

    @abstractmethod
    def build(self, docs: Sequence[Record], folder: Path) -> int:
        """Index ``docs`` into the empty ``folder``; return how many were indexed."""

    @abstractmethod
    def open(self, folder: Path) -> None:
        """Open the index in ``folder`` for searching."""

    @abstractmethod
    def search(self, query_text: str, k: int = 10) -> list[str]:
        """Return the ids of the top ``k`` documents for a natural-language query."""

    def close(self) -> None:
        """Release what ``open`` acquired; nothing by default."""
        return None

    @classmethod
    def result_id(cls, doc_id: str) -> str:
        """The id ``search`` returns for corpus document ``doc_id`` (the same by default)."""
        return doc_id

    @abstractmethod
    def version(self) -> str:
        """The version of the engine's library."""


class SqliteEngine(Engine):
    """SQLite FTS5 (stdlib sqlite3): porter + unicode61 tokenizer, bm25() ranking."""

    name = "sqlite"
    _FILE = "index.sqlite"

    def __init__(self) -> None:
        self._conn: sqlite3.Connection | None = None

    def build(self, docs: Sequence[Record], folder: Path) -> int:
        conn = sqlite3.connect(folder / self._FILE)
        try:
            conn.execute(
                "CREATE VIRTUAL TABLE docs USING fts5("
                "id UNINDEXED, title, body, tokenize = 'porter unicode61')"
            )
            with conn:
                conn.executemany(
                    "INSERT INTO docs (id, title, body) VALUES (?, ?, ?)",
                    ((d.id, d.title, d.text) for d in docs),
                )
        finally:
            conn.close()
        return len(docs)

    def open(self, folder: Path) -> None:
        self._conn = sqlite3.connect(folder / self._FILE)

    def search(self, query_text: str, k: int = 10) -> list[str]:
        assert self._conn is not None, "open() first"
        match = " OR ".join(f'"{word}"' for word in words(query_text))
        if not match:
            return []
        rows = self._conn.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k)
        )
        return [row[0] for row in rows]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def version(self) -> str:
        return sqlite3.sqlite_version


class TantivyEngine(Engine):
    """tantivy (Rust, via the ``tantivy`` package): en_stem tokenizer, BM25, default writer."""

    name = "tantivy"

    def __init__(self) -> None:
        import tantivy

        self._tantivy = tantivy
        self._index: Any = None
        self._searcher: Any = None

    def _schema(self) -> Any:
        builder = self._tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
        return builder.build()

    def build(self, docs: Sequence[Record], folder: Path) -> int:
        index = self._tantivy.Index(self._schema(), path=str(folder))
        writer = index.writer()
        for d in docs:
            writer.add_document(self._tantivy.Document(id=d.id, title=d.title, text=d.text))
        writer.commit()
        writer.wait_merging_threads()
        return len(docs)

    def open(self, folder: Path) -> None:
        self._index = self._tantivy.Index.open(str(folder))
        self._searcher = self._index.searcher()

    def search(self, query_text: str, k: int = 10) -> list[str]:
        assert self._searcher is not None, "open() first"
        cleaned = " ".join(words(query_text))
        if not cleaned:
            return []
        query = self._index.parse_query(cleaned, ["title", "text"])
        hits = self._searcher.search(query, limit=k).hits
        return [self._searcher.doc(address)["id"][0] for _score, address in hits]

    def version(self) -> str:
        return metadata.version("tantivy")


class WhooshTextbookEngine(Engine):
    """Whoosh as its tutorial shows it: StemmingAnalyzer, add_document, MultifieldParser/OrGroup."""

    name = "whoosh-textbook"

    def __init__(self) -> None:
        import whoosh.analysis
        import whoosh.fields
        import whoosh.index
        import whoosh.qparser

        self._analysis = whoosh.analysis
        self._fields = whoosh.fields
        self._index_module = whoosh.index
        self._qparser = whoosh.qparser
        self._searcher: Any = None
        self._parser: Any = None

    def build(self, docs: Sequence[Record], folder: Path) -> int:
        fields = self._fields
        schema = fields.Schema(
            id=fields.ID(stored=True),
            title=fields.TEXT(stored=True, analyzer=self._analysis.StemmingAnalyzer()),
            body=fields.TEXT(stored=True, analyzer=self._analysis.StemmingAnalyzer()),
        )
        ix = self._index_module.create_in(str(folder), schema)
        writer = ix.writer()
        for d in docs:
            writer.add_document(id=d.id, title=d.title, body=d.text)
        writer.commit()
        return len(docs)

    def open(self, folder: Path) -> None:
        ix = self._index_module.open_dir(str(folder))
        self._searcher = ix.searcher()
        self._parser = self._qparser.MultifieldParser(
            ["title", "body"], schema=ix.schema, group=self._qparser.OrGroup
        )

    def search(self, query_text: str, k: int = 10) -> list[str]:
        assert self._searcher is not None, "open() first"
        results = self._searcher.search(self._parser.parse(query_text), limit=k)
        return [hit["id"] for hit in results]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def version(self) -> str:
        import whoosh

        return str(whoosh.versionstring())  # the package is whoosh3 or Whoosh, the module whoosh


class InMemoryEngine(Engine):
    """A peer that ranks in memory (rank_bm25, bm25s): ``build`` keeps the documents'
    tokens, ``search`` ranks the documents with a positive score, best first."""

    def __init__(self) -> None:
        self._ids: list[str] = []

    @abstractmethod
    def _index(self, docs: Sequence[Record]) -> None:
        """Index the documents' title and text."""

    @abstractmethod
    def _scores(self, query_text: str) -> Any:
        """Every document's score for the query (a numpy array), or None for no terms."""

    def build(self, docs: Sequence[Record], folder: Path) -> int:
        self._ids = [d.id for d in docs]
        self._index(docs)
        return len(docs)

    def open(self, folder: Path) -> None:
        return None

    def search(self, query_text: str, k: int = 10) -> list[str]:
        import numpy as np

        scores = self._scores(query_text)
        if scores is None:
            return []
        order = np.argsort(-scores, kind="stable")[:k]
        return [self._ids[i] for i in order if scores[i] > 0]


class RankBm25Engine(InMemoryEngine):
    """rank_bm25's BM25Okapi (k1 1.5, b 0.75, its idf floor) over title and text, lower-cased
    words Porter-stemmed (PyStemmer's ``porter``)."""

    name = "rank_bm25"

    def __init__(self) -> None:
        super().__init__()
        import rank_bm25
        import Stemmer

        self._okapi = rank_bm25.BM25Okapi
        self._stemmer = Stemmer.Stemmer("porter")
        self._bm25: Any = None

    def _tokens(self, text: str) -> list[str]:
        return list(self._stemmer.stemWords(words(text)))

    def _index(self, docs: Sequence[Record]) -> None:
        self._bm25 = self._okapi([self._tokens(f"{d.title} {d.text}") for d in docs])

    def _scores(self, query_text: str) -> Any:
        tokens = self._tokens(query_text)
        return self._bm25.get_scores(tokens) if tokens else None

    def version(self) -> str:
        return metadata.version("rank-bm25")


class Bm25sEngine(InMemoryEngine):
    """bm25s with its defaults (Lucene's BM25, k1 1.5, b 0.75) and its tokenizer: English
    stop words removed, PyStemmer's English Snowball stemmer; title and text as one."""

    name = "bm25s"

    def __init__(self) -> None:
        super().__init__()
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("english")
        self._retriever: Any = None

    def _tokenize(self, texts: list[str]) -> Any:
        return self._bm25s.tokenize(
            texts, stopwords="en", stemmer=self._stemmer, show_progress=False
        )

    def _index(self, docs: Sequence[Record]) -> None:
        self._retriever = self._bm25s.BM25()
        self._retriever.index(
            self._tokenize([f"{d.title} {d.text}" for d in docs]), show_progress=False
        )

    def _scores(self, query_text: str) -> Any:
        tokens = self._bm25s.tokenize(
            [query_text],
            stopwords="en",
            stemmer=self._stemmer,
            show_progress=False,
            return_ids=False,
        )[0]
        return self._retriever.get_scores(tokens) if tokens else None

    def version(self) -> str:
        return metadata.version("bm25s")


class ScoopEngine(Engine):
    """Scoop itself: ``index.build.build_index`` over a JSON Lines file, ``search.engine``.

    Documents are written as a feed by ``index.smart.write_feed`` (an untitled record
    gets the headline ``-``, which yields no index terms); queries longer than Scoop's
    request limit are cut at a word boundary below it. Scoop derives its own article
    ids from the record ids: ``result_id`` maps them.
    """

    name = "scoop"
    _INPUT = "corpus.jsonl"

    def __init__(self) -> None:
        from index.build import build_index
        from search.engine import Searcher
        from search.request import MAX_QUERY_CHARS, SearchRequest

        self._build_index = build_index
        self._request = SearchRequest
        self._max_chars = MAX_QUERY_CHARS
        self._searcher_class = Searcher
        self._searcher: Any = None
        self._input: Path | None = None

    @classmethod
    def result_id(cls, doc_id: str) -> str:
        from index.articles import article_id

        return article_id(f"id:{doc_id}")

    def prepare(self, docs: Sequence[Record], scratch: Path) -> None:
        self._input = scratch / self._INPUT
        write_feed(list(docs), self._input)

    def build(self, docs: Sequence[Record], folder: Path) -> int:
        assert self._input is not None, "prepare() first"
        report = self._build_index([self._input], folder)
        return int(report.indexed)

    def open(self, folder: Path) -> None:
        self._searcher = self._searcher_class(folder)

    def search(self, query_text: str, k: int = 10) -> list[str]:
        assert self._searcher is not None, "open() first"
        if len(query_text) > self._max_chars:
            query_text = query_text[: self._max_chars + 1].rsplit(maxsplit=1)[0]
        response = self._searcher.search(self._request(query=query_text, per_page=k))
        return [hit.id for hit in response.hits]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def version(self) -> str:
        return f"git {git_revision()}"


ENGINES: dict[str, type[Engine]] = {
    cls.name: cls for cls in (ScoopEngine, SqliteEngine, TantivyEngine, WhooshTextbookEngine)
}
