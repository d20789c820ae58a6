"""The JSON form of a search response: what the JSON endpoint sends and `search --json` prints."""

from __future__ import annotations

from typing import Any

from index.model import Article, web_link
from search.request import Hit, Related, SearchResponse, Suggestions, Version


def article_path(article_id: str) -> str:
    """The article page's path in the web service."""
    return f"/articles/{article_id}"


def _head(item: Hit | Article) -> dict[str, Any]:
    """What a hit and a whole article share: id, links, headline, byline and dates."""
    return {
        "id": item.id,
        "url": article_path(item.id),
        "source_url": web_link(item.url),
        "title": item.title,
        "authors": list(item.authors),
        "published": item.published.isoformat() if item.published else None,
        "updated": item.updated.isoformat() if item.updated else None,
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit as JSON data, with its highlights and why it matched."""
    return {
        **_head(hit),
        "title_html": hit.title_html,
        "score": hit.score,
        "highlights": {
            "body": [
                {
                    "html": f.html,
                    "text": f.text,
                    "marks": [list(m) for m in f.marks],
                    "paragraph": f.paragraph,
                }
                for f in hit.body
            ],
            "captions": [
                {
                    "html": c.html,
                    "text": c.text,
                    "marks": [list(m) for m in c.marks],
                    "credit": c.credit,
                    "index": c.index,
                }
                for c in hit.captions
            ],
        },
        "match": {
            "sections": list(hit.matched_in),
            "paragraphs": list(hit.matched_paragraphs),
            "captions": list(hit.matched_captions),
            "phrase": hit.phrase,
            "weak": hit.weak,
            "more_matches": hit.more_matches,
            "more_paragraphs": hit.more_paragraphs,
        },
        "versions": hit.versions,
        "other_versions": [version_json(version) for version in hit.other_versions],
    }


def version_json(version: Version) -> dict[str, Any]:
    """Another version of a story."""
    return {
        "id": version.id,
        "url": article_path(version.id),
        "title": version.title,
        "published": version.published.isoformat() if version.published else None,
        "matched": version.matched,
    }


def response_json(response: SearchResponse) -> dict[str, Any]:
    """The whole response as JSON data (the JSON endpoint's body)."""
    return {
        "query": response.query,
        "total": response.total,
        "articles": response.articles,
        "versions": response.request.versions.value,
        "all_words_total": response.all_words_total,
        "total_exact": response.total_exact,
        "page": response.request.page,
        "per_page": response.request.per_page,
        "took_ms": response.took_ms,
        "generation": response.generation,
        "hits": [hit_json(hit) for hit in response.hits],
        "facets": {
            name: [{"value": v.value, "count": v.count, "articles": v.articles} for v in values]
            for name, values in response.facets.items()
        },
        "suggestion": response.suggestion,
        "notices": list(response.notices),
    }


def article_json(article: Article) -> dict[str, Any]:
    """A whole article as JSON data (the article endpoint's body)."""
    return {
        **_head(article),
        "dek": article.dek,
        "paragraphs": list(article.paragraphs),
        "captions": [
            {"index": number, "text": caption.text, "credit": caption.credit}
            for number, caption in enumerate(article.captions, start=1)
        ],
        "bio": article.bio,
    }


def suggestions_json(suggestions: Suggestions) -> dict[str, Any]:
    """Autocomplete as JSON: completions, bylines (with their search) and headlines."""
    return {
        "query": suggestions.query,
        "completions": list(suggestions.completions),
        "authors": list(suggestions.authors),
        "headlines": [
            {"id": item.id, "title": item.title, "url": article_path(item.id)}
            for item in suggestions.headlines
        ],
    }


def related_json(article_id: str, found: tuple[Related, ...]) -> dict[str, Any]:
    """The articles like ``article_id``, most alike first."""
    return {
        "id": article_id,
        "related": [
            {
                "id": item.id,
                "url": article_path(item.id),
                "title": item.title,
                "authors": list(item.authors),
                "published": item.published.isoformat() if item.published else None,
            }
            for item in found
        ],
    }
