"""Engines of the archive benchmark: each builds from the archive's JSON Lines file and answers
one entry of the query mix (a ``SearchRequest``'s parameters) with its top 10.

Scoop answers with its full search call (ranking, exact total, facets, highlights). The
peers apply what they can natively: each class lists the request features it ``supports``;
an entry's other features are reduced (``fuzzy`` words are searched as plain words, filters
they cannot apply are dropped) and the report says how many entries that was. Peers return
the top 10 with a snippet (SQLite FTS5 ``snippet()``, tantivy's ``SnippetGenerator``,
textbook Whoosh's ``hit.highlights``); bm25s ranks only. Every build streams the JSON
Lines file inside the timed section (reading and decoding it is part of indexing for all).
"""

from __future__ import annotations

import json
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from bench.engines import words
from bench.machine import git_revision

K = 10
Progress = Callable[[int], None]
"""Called with the number of documents indexed so far (every few hundred)."""
PROGRESS_EVERY = 500

FEATURES = ("phrase", "prefix", "fuzzy", "fields", "exclude", "authors", "dates", "sort", "scope")
"""Request features beyond plain words that an entry can use."""
FIELD_NAMES = {
    "title": "title",
    "headline": "title",
    "caption": "captions",
    "captions": "captions",
    "author": "author",
    "by": "author",
}
SCOPE_FIELDS = {
    "all": ("title", "body", "captions", "author"),
    "body": ("body",),
    "captions": ("captions",),
    "titles": ("title",),
}
"""The peers' fields for each scope (Scoop's ``all`` also searches bio and credits, weakly)."""
_TOKEN = re.compile(r'-?(?:\w+:)?"[^"]*"|\S+')


@dataclass(frozen=True)
class Clause:
    """One token of a query in the mix's syntax."""

    text: str
    """The words (for a phrase, space-separated)."""
    kind: str = "word"
    """``word``, ``phrase``, ``prefix`` or ``fuzzy``."""
    field: str | None = None
    negated: bool = False


def clauses(query: str) -> list[Clause]:
    """Split a query into clauses; anything that is not syntax becomes plain words."""
    found: list[Clause] = []
    for token in _TOKEN.findall(query):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        field = None
        name, colon, rest = body.partition(":")
        if colon and name.lower() in FIELD_NAMES and rest:
            field, body = FIELD_NAMES[name.lower()], rest
        if body.startswith('"') and body.endswith('"') and len(body) > 1:
            text = " ".join(words(body))
            if text:
                found.append(Clause(text, "phrase" if " " in text else "word", field, negated))
            continue
        kind = "prefix" if body.endswith("*") else "fuzzy" if body.endswith("~") else "word"
        parts = words(body)
        if kind != "word" and len(parts) == 1:
            found.append(Clause(parts[0], kind, field, negated))
            continue
        found += [Clause(word, "word", field, negated) for word in parts]
    return found


def features(entry: dict[str, Any]) -> set[str]:
    """The features of a mix entry beyond plain words."""
    used: set[str] = set()
    for clause in clauses(entry["query"]):
        if clause.kind != "word":
            used.add(clause.kind)
        if clause.field:
            used.add("fields")
        if clause.negated:
            used.add("exclude")
    if entry.get("authors"):
        used.add("authors")
    if entry.get("since") or entry.get("until") or entry.get("year"):
        used.add("dates")
    if entry.get("sort", "relevance") != "relevance":
        used.add("sort")
    if entry.get("scope", "all") != "all":
        used.add("scope")
    return used


def date_bounds(entry: dict[str, Any]) -> tuple[date | None, date | None]:
    """The entry's date filter as one inclusive range (``year`` is Jan 1 to Dec 31)."""
    since = date.fromisoformat(entry["since"]) if entry.get("since") else None
    until = date.fromisoformat(entry["until"]) if entry.get("until") else None
    if entry.get("year"):
        start, end = date(entry["year"], 1, 1), date(entry["year"], 12, 31)
        since = max(since, start) if since else start
        until = min(until, end) if until else end
    return since, until


def read_records(jsonl: Path) -> Iterator[dict[str, Any]]:
    """The archive's records, streamed."""
    with jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _captions(record: dict[str, Any]) -> str:
    return "\n".join(c["text"] for c in record["captions"])


class ArchiveEngine(ABC):
    """An engine under test."""

    name: ClassVar[str]
    supports: ClassVar[frozenset[str]] = frozenset()
    browses: ClassVar[bool] = True
    """Whether it can answer an entry with no words (the front page, browsing by filter)."""

    @abstractmethod
    def build(self, jsonl: Path, folder: Path, progress: Progress) -> int:
        """Index the archive into the empty ``folder``; return how many articles."""

    @abstractmethod
    def open(self, folder: Path) -> None:
        """Open the index for searching."""

    @abstractmethod
    def search(self, entry: dict[str, Any]) -> tuple[list[str], int | None]:
        """The top 10 ids for a mix entry, and the total if the engine computes it."""

    def close(self) -> None:
        return None

    @abstractmethod
    def version(self) -> str:
        """The engine library's version."""


class ScoopArchive(ArchiveEngine):
    """Scoop: ``build_index([jsonl], root)``; ``Searcher(root).search(SearchRequest(...))``."""

    name = "scoop"
    supports = frozenset(FEATURES)

    def __init__(self) -> None:
        from index.build import build_index
        from search.engine import Searcher
        from search.request import Scope, SearchRequest, Sort

        self._build_index = build_index
        self._searcher_class = Searcher
        self._request, self._scope, self._sort = SearchRequest, Scope, Sort
        self.searcher: Any = None

    def build(self, jsonl: Path, folder: Path, progress: Progress) -> int:
        done = [0]

        def each(_item: Any) -> None:
            done[0] += 1
            if done[0] % PROGRESS_EVERY == 0:
                progress(done[0])

        return int(self._build_index([jsonl], folder, each).indexed)

    def open(self, folder: Path) -> None:
        self.searcher = self._searcher_class(folder)
        _ = self.searcher.generation  # opens the current generation now

    def request(self, entry: dict[str, Any]) -> Any:
        """The ``SearchRequest`` of a mix entry (what ``/api/search`` builds from its URL)."""
        return self._request(
            query=entry["query"],
            per_page=K,
            authors=tuple(entry.get("authors") or ()),
            since=date.fromisoformat(entry["since"]) if entry.get("since") else None,
            until=date.fromisoformat(entry["until"]) if entry.get("until") else None,
            year=entry.get("year"),
            sort=self._sort(entry.get("sort", "relevance")),
            scope=self._scope(entry.get("scope", "all")),
        )

    def search(self, entry: dict[str, Any]) -> tuple[list[str], int | None]:
        response = self.searcher.search(self.request(entry))
        return [hit.id for hit in response.hits], response.total

    def complete(self, prefix: str) -> list[str]:
        return list(self.searcher.complete(prefix))

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None

    def version(self) -> str:
        return f"git {git_revision()}"


class SqliteArchive(ArchiveEngine):
    """SQLite FTS5: porter unicode61, ``ORDER BY rank`` (bm25), ``snippet()`` for the top 10."""

    name = "sqlite"
    supports = frozenset(FEATURES) - {"fuzzy"}
    _FILE = "index.sqlite"

    def __init__(self) -> None:
        self._conn: sqlite3.Connection | None = None
        self.snippets: dict[str, str] = {}
        """The last search's snippet per hit id."""

    def build(self, jsonl: Path, folder: Path, progress: Progress) -> int:
        conn = sqlite3.connect(folder / self._FILE)
        count = 0
        try:
            conn.execute(
                "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, published UNINDEXED,"
                " authors UNINDEXED, title, body, captions, author,"
                " tokenize = 'porter unicode61')"
            )
            with conn:
                for r in read_records(jsonl):
                    conn.execute(
                        "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            r["id"],
                            r["published"],
                            "".join(f"\x1f{a}" for a in r["authors"]) + "\x1f",
                            r["title"],
                            "\n".join(r["body"]),
                            _captions(r),
                            " ".join(r["authors"]),
                        ),
                    )
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        progress(count)
        finally:
            conn.close()
        return count

    def open(self, folder: Path) -> None:
        self._conn = sqlite3.connect(folder / self._FILE)

    @staticmethod
    def match(entry: dict[str, Any]) -> str:
        """The FTS5 query: positive clauses OR-ed (any word matches, as in Scoop), NOT the rest."""

        def expr(c: Clause) -> str:
            quoted = '"' + c.text + '"'
            text = quoted + " *" if c.kind == "prefix" else quoted
            return f"{c.field} : {text}" if c.field else text

        parts = clauses(entry["query"])
        positive = [expr(c) for c in parts if not c.negated]
        negative = [expr(c) for c in parts if c.negated]
        if not positive:
            return ""
        text = "(" + " OR ".join(positive) + ")"
        if negative:
            text += " NOT (" + " OR ".join(negative) + ")"
        fields = SCOPE_FIELDS[entry.get("scope", "all")]
        if entry.get("scope", "all") != "all":
            text = "{" + " ".join(fields) + "} : (" + text + ")"
        return text

    def search(self, entry: dict[str, Any]) -> tuple[list[str], int | None]:
        assert self._conn is not None, "open() first"
        where, args = [], []
        if entry.get("authors"):
            where.append("(" + " OR ".join("instr(authors, ?) > 0" for _ in entry["authors"]) + ")")
            args += [f"\x1f{a}\x1f" for a in entry["authors"]]
        since, until = date_bounds(entry)
        if since:
            where.append("published >= ?")
            args.append(since.isoformat())
        if until:
            where.append("published <= ?")
            args.append(until.isoformat())
        sort = entry.get("sort", "relevance")
        match = self.match(entry)
        if not match:
            order = "published ASC" if sort == "oldest" else "published DESC"
            sql = "SELECT id FROM docs" + (" WHERE " + " AND ".join(where) if where else "")
            rows = self._conn.execute(f"{sql} ORDER BY {order} LIMIT {K}", args).fetchall()
            return [row[0] for row in rows], None
        order = {"newest": "published DESC", "oldest": "published ASC"}.get(sort, "rank")
        sql = " AND ".join(["docs MATCH ?", *where])
        found = self._conn.execute(
            f"SELECT rowid, id FROM docs WHERE {sql} ORDER BY {order} LIMIT {K}", [match, *args]
        ).fetchall()
        self.snippets = {}
        if found:
            marks = ",".join(str(row[0]) for row in found)
            rows = self._conn.execute(
                "SELECT id, snippet(docs, -1, '<mark>', '</mark>', '…', 24) FROM docs"
                f" WHERE docs MATCH ? AND rowid IN ({marks})",
                [match],
            ).fetchall()
            self.snippets = dict(rows)
        return [row[1] for row in found], None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def version(self) -> str:
        return sqlite3.sqlite_version


def _day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


class TantivyArchive(ArchiveEngine):
    """tantivy: en_stem text fields, BM25; ``SnippetGenerator`` on the body for the top 10."""

    name = "tantivy"
    supports = frozenset(FEATURES)
    _TEXT = ("title", "body", "captions", "author")

    def __init__(self) -> None:
        import tantivy

        self._t = tantivy
        self._index: Any = None
        self._searcher: Any = None
        self._schema: Any = None

    def _make_schema(self) -> Any:
        builder = self._t.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for name in self._TEXT:
            builder.add_text_field(name, stored=name != "author", tokenizer_name="en_stem")
        builder.add_text_field("authors", stored=True, tokenizer_name="raw")
        builder.add_integer_field("published", stored=True, indexed=True, fast=True)
        return builder.build()

    def build(self, jsonl: Path, folder: Path, progress: Progress) -> int:
        index = self._t.Index(self._make_schema(), path=str(folder))
        writer = index.writer()
        count = 0
        for r in read_records(jsonl):
            writer.add_document(
                self._t.Document(
                    id=r["id"],
                    title=r["title"],
                    body="\n".join(r["body"]),
                    captions=_captions(r),
                    author=" ".join(r["authors"]),
                    authors=list(r["authors"]),
                    published=_day_number(date.fromisoformat(r["published"])),
                )
            )
            count += 1
            if count % PROGRESS_EVERY == 0:
                progress(count)
        writer.commit()
        writer.wait_merging_threads()
        return count

    def open(self, folder: Path) -> None:
        self._index = self._t.Index.open(str(folder))
        self._schema = self._index.schema
        self._searcher = self._index.searcher()

    def _clause(self, c: Clause, fields: tuple[str, ...]) -> Any:
        q, schema = self._t.Query, self._schema
        targets = (c.field,) if c.field else fields
        if c.kind == "prefix":
            subs = [q.regex_query(schema, f, re.escape(c.text.lower()) + ".*") for f in targets]
        elif c.kind == "fuzzy":
            distance = 2 if len(c.text) >= 6 else 1
            subs = [q.fuzzy_term_query(schema, f, c.text.lower(), distance) for f in targets]
        else:
            text = f'"{c.text}"' if c.kind == "phrase" else c.text
            return self._index.parse_query(text, list(targets))
        return q.boolean_query([(self._t.Occur.Should, s) for s in subs])

    def query(self, entry: dict[str, Any]) -> tuple[Any, bool]:
        """The tantivy query of an entry and whether it has words to rank by."""
        t = self._t
        fields = SCOPE_FIELDS[entry.get("scope", "all")]
        parts = clauses(entry["query"])
        positive = [(t.Occur.Should, self._clause(c, fields)) for c in parts if not c.negated]
        negative = [(t.Occur.MustNot, self._clause(c, fields)) for c in parts if c.negated]
        filters = []
        if entry.get("authors"):
            names = [t.Query.term_query(self._schema, "authors", a) for a in entry["authors"]]
            either = t.Query.boolean_query([(t.Occur.Should, n) for n in names])
            filters.append(t.Query.const_score_query(either, 0.0))
        since, until = date_bounds(entry)
        if since or until:
            span = t.Query.range_query(
                self._schema,
                "published",
                t.FieldType.Integer,
                _day_number(since) if since else None,
                _day_number(until) if until else None,
            )
            filters.append(t.Query.const_score_query(span, 0.0))
        base = t.Query.boolean_query(positive + negative) if positive else t.Query.all_query()
        if not filters:
            return base, bool(positive)
        musts = [(t.Occur.Must, base)] + [(t.Occur.Must, f) for f in filters]
        return t.Query.boolean_query(musts), bool(positive)

    def search(self, entry: dict[str, Any]) -> tuple[list[str], int | None]:
        query, ranked = self.query(entry)
        sort = entry.get("sort", "relevance")
        if sort == "relevance" and ranked:
            result = self._searcher.search(query, K)
        else:
            order = self._t.Order.Asc if sort == "oldest" else self._t.Order.Desc
            result = self._searcher.search(query, K, order_by_field="published", order=order)
        docs = [self._searcher.doc(address) for _key, address in result.hits]
        if ranked and docs:
            snippets = self._t.SnippetGenerator.create(self._searcher, query, self._schema, "body")
            for doc in docs:
                snippets.snippet_from_doc(doc).to_html()
        return [doc["id"][0] for doc in docs], result.count

    def version(self) -> str:
        return metadata.version("tantivy")


class WhooshTextbookArchive(ArchiveEngine):
    """Whoosh as its tutorial shows it: StemmingAnalyzer fields, ``MultifieldParser`` (OrGroup,
    plus the tutorial's FuzzyTermPlugin), ``filter=`` and ``sortedby=``, ``hit.highlights``."""

    name = "whoosh-textbook"
    supports = frozenset(FEATURES)

    def __init__(self) -> None:
        import whoosh.analysis
        import whoosh.fields
        import whoosh.index
        import whoosh.qparser
        import whoosh.query

        self._w = whoosh
        self._searcher: Any = None
        self._parsers: dict[str, Any] = {}

    def build(self, jsonl: Path, folder: Path, progress: Progress) -> int:
        f = self._w.fields

        def text() -> Any:
            return f.TEXT(stored=True, analyzer=self._w.analysis.StemmingAnalyzer())

        schema = f.Schema(
            id=f.ID(stored=True),
            title=text(),
            body=text(),
            captions=text(),
            author=f.TEXT(analyzer=self._w.analysis.StemmingAnalyzer()),
            authors=f.KEYWORD(stored=True, commas=True),
            published=f.DATETIME(stored=True, sortable=True),
        )
        ix = self._w.index.create_in(str(folder), schema)
        writer = ix.writer()
        count = 0
        for r in read_records(jsonl):
            writer.add_document(
                id=r["id"],
                title=r["title"],
                body="\n".join(r["body"]),
                captions=_captions(r),
                author=" ".join(r["authors"]),
                authors=",".join(r["authors"]),
                published=datetime.fromisoformat(r["published"]),
            )
            count += 1
            if count % PROGRESS_EVERY == 0:
                progress(count)
        writer.commit()
        return count

    def open(self, folder: Path) -> None:
        qp = self._w.qparser
        ix = self._w.index.open_dir(str(folder))
        self._searcher = ix.searcher()
        for scope, fields in SCOPE_FIELDS.items():
            parser = qp.MultifieldParser(list(fields), schema=ix.schema, group=qp.OrGroup)
            parser.add_plugin(qp.FuzzyTermPlugin())
            self._parsers[scope] = parser

    @staticmethod
    def query_text(entry: dict[str, Any]) -> str:
        """The entry in Whoosh's syntax (``caption:`` is ``captions:``, ``-b`` is ``NOT b``)."""
        out = []
        for c in clauses(entry["query"]):
            text = {"phrase": f'"{c.text}"', "prefix": c.text + "*", "fuzzy": c.text + "~"}.get(
                c.kind, c.text
            )
            if c.field:
                text = f"{c.field}:{text}"
            out.append(f"NOT {text}" if c.negated else text)
        return " ".join(out)

    def search(self, entry: dict[str, Any]) -> tuple[list[str], int | None]:
        wq = self._w.query
        filters = []
        if entry.get("authors"):
            filters.append(wq.Or([wq.Term("authors", a) for a in entry["authors"]]))
        since, until = date_bounds(entry)
        if since or until:
            start = datetime.combine(since, dt_time.min) if since else None
            end = datetime.combine(until, dt_time.max) if until else None
            filters.append(wq.DateRange("published", start, end))
        text = self.query_text(entry)
        query = self._parsers[entry.get("scope", "all")].parse(text) if text else wq.Every()
        sort = entry.get("sort", "relevance")
        options: dict[str, Any] = {"limit": K}
        if filters:
            options["filter"] = wq.And(filters) if len(filters) > 1 else filters[0]
        if sort != "relevance" or not text:
            options["sortedby"] = "published"
            options["reverse"] = sort != "oldest"
        results = self._searcher.search(query, **options)
        ids = []
        for hit in results:
            ids.append(hit["id"])
            if text:
                hit.highlights("body")
        return ids, None

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def version(self) -> str:
        return str(self._w.versionstring())


class Bm25sArchive(ArchiveEngine):
    """bm25s: ranking only, over headline, body and captions as one text; its own tokenizer
    (``bm25s.tokenize``: lower-cased, English stop words removed, PyStemmer's English
    Snowball stemmer). Queries are reduced to their words; no filters, no snippets."""

    name = "bm25s"
    browses = False
    _IDS = "ids.json"

    def __init__(self) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("english")
        self._retriever: Any = None
        self._ids: list[str] = []

    def _tokens(self, texts: list[str]) -> Any:
        return self._bm25s.tokenize(
            texts, stopwords="en", stemmer=self._stemmer, show_progress=False
        )

    def build(self, jsonl: Path, folder: Path, progress: Progress) -> int:
        ids, texts = [], []
        for r in read_records(jsonl):
            ids.append(r["id"])
            texts.append("\n".join([r["title"], *r["body"], _captions(r)]))
            if len(ids) % PROGRESS_EVERY == 0:
                progress(len(ids))
        retriever = self._bm25s.BM25()
        retriever.index(self._tokens(texts), show_progress=False)
        retriever.save(str(folder))
        (folder / self._IDS).write_text(json.dumps(ids), encoding="utf-8")
        return len(ids)

    def open(self, folder: Path) -> None:
        self._retriever = self._bm25s.BM25.load(str(folder), mmap=True)
        self._ids = json.loads((folder / self._IDS).read_text(encoding="utf-8"))

    def search(self, entry: dict[str, Any]) -> tuple[list[str], int | None]:
        text = " ".join(c.text for c in clauses(entry["query"]) if not c.negated)
        tokens = self._bm25s.tokenize(
            [text], stopwords="en", stemmer=self._stemmer, show_progress=False, return_ids=False
        )
        if not tokens[0]:
            return [], None
        k = min(K, len(self._ids))
        docs, scores = self._retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [self._ids[d] for d, s in zip(docs[0], scores[0], strict=True) if s > 0], None

    def version(self) -> str:
        return metadata.version("bm25s")


ENGINES: dict[str, type[ArchiveEngine]] = {
    cls.name: cls
    for cls in (ScoopArchive, SqliteArchive, TantivyArchive, WhooshTextbookArchive, Bm25sArchive)
}
