"""The long-lived searcher: opens the current index generation once and answers requests."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from index import generations
from index.generations import Generation, IndexUnavailable
from index.model import Article, Caption
from index.schema import SECTION_SEPARATOR
from search import highlight
from search.query import parse_query
from search.ranking import weighting
from search.request import Hit, SearchRequest, SearchResponse, Sort

HIGHLIGHT_FIELDS = ("title", "body", "captions", "credits", "bio", "author")


def _date(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


class Searcher:
    """Answers search requests against the current generation of an index root.

    Open one per process and reuse it: it keeps the Whoosh searcher open and
    moves to a new generation on the first request after a reindex switched.
    """

    def __init__(self, index_root: Path) -> None:
        self.index_root = Path(index_root)
        self._lock = threading.RLock()
        self._generation: Generation | None = None
        self._searcher: WhooshSearcher | None = None

    def _current(self) -> tuple[Generation, WhooshSearcher]:
        """The open searcher for the current generation, reopened if a reindex switched."""
        name = generations.current_name(self.index_root)
        if self._generation is None or self._searcher is None or name != self._generation.name:
            generation = generations.current_generation(self.index_root)
            try:
                ix = whoosh_index.open_dir(str(generation.path))
            except (OSError, whoosh_index.EmptyIndexError) as error:
                raise IndexUnavailable(
                    f"cannot open the index at {generation.path}: {error}"
                ) from None
            self.close()
            self._generation = generation
            self._searcher = ix.searcher(weighting=weighting())
        return self._generation, self._searcher

    @property
    def generation(self) -> Generation:
        """The generation now serving (raises ``IndexUnavailable`` when there is none)."""
        with self._lock:
            return self._current()[0]

    def close(self) -> None:
        """Release the open index files."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._generation = None

    def search(self, request: SearchRequest) -> SearchResponse:
        """Run one search request and assemble the page of highlighted hits."""
        started = time.perf_counter()
        with self._lock:
            generation, searcher = self._current()
            parsed = parse_query(request.query, searcher.schema, request.scope)
            sortedby = None
            reverse = False
            if request.sort is not Sort.RELEVANCE:
                sortedby = "published"
                reverse = request.sort is Sort.NEWEST
            if parsed.query is wq.NullQuery:
                results = searcher.search_page(
                    wq.Every(), request.page, request.per_page, sortedby="published", reverse=True
                )
            else:
                results = searcher.search_page(
                    parsed.query,
                    request.page,
                    request.per_page,
                    sortedby=sortedby,
                    reverse=reverse,
                    terms=True,
                )
            terms = highlight.match_terms(parsed.query, searcher.reader())
            hits = tuple(self._hit(searcher, hit, terms) for hit in results)
            total = results.total
        return SearchResponse(
            request=request,
            query=parsed.read_as,
            total=total,
            hits=hits,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            generation=generation.name,
            notices=parsed.notices,
        )

    def _hit(self, searcher: WhooshSearcher, result: Any, terms: highlight.MatchTerms) -> Hit:
        stored = result.fields()
        docnum = result.docnum
        reader = searcher.reader()
        spans = {
            name: highlight.match_spans(reader, docnum, name, terms) for name in HIGHLIGHT_FIELDS
        }
        weights = {}
        for fieldname, texts in terms.terms.items():
            for text in texts:
                weights[text.decode("utf-8")] = searcher.idf(fieldname, text)
        body, more_matches, more_paragraphs = highlight.body_fragments(
            stored.get("body", ""), spans["body"], weights
        )
        title = highlight.render(stored.get("title", ""), spans["title"])
        captions = highlight.caption_matches(
            stored.get("captions", ""),
            stored.get("credits", ""),
            spans["captions"],
            spans["credits"],
        )
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            title_html=title.html,
            authors=tuple(filter(None, stored.get("authors", "").split(","))),
            published=_date(stored.get("published")),
            updated=_date(stored.get("updated")),
            score=round(float(result.score or 0.0), 4),
            body=tuple(body),
            captions=tuple(captions),
            matched_in=tuple(name for name in HIGHLIGHT_FIELDS if spans[name]),
            more_matches=more_matches,
            more_paragraphs=more_paragraphs,
            url=stored.get("url"),
        )

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        with self._lock:
            _, searcher = self._current()
            stored = searcher.document(id=article_id)
        if stored is None:
            return None
        credits = stored.get("credits", "").split(SECTION_SEPARATOR)
        captions = [
            Caption(text, credits[i] if i < len(credits) and credits[i] else None)
            for i, text in enumerate(
                filter(None, stored.get("captions", "").split(SECTION_SEPARATOR))
            )
        ]
        return Article(
            id=stored["id"],
            title=stored.get("title", ""),
            authors=tuple(filter(None, stored.get("authors", "").split(","))),
            published=_date(stored.get("published")),
            updated=_date(stored.get("updated")),
            paragraphs=tuple(filter(None, stored.get("body", "").split(SECTION_SEPARATOR))),
            captions=tuple(captions),
            bio=stored.get("bio", ""),
            source=stored.get("source", ""),
            url=stored.get("url"),
            content_hash=stored.get("content_hash", ""),
        )
