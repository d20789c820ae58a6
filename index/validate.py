"""The checks a new generation must pass before it replaces the serving one.

A build or update that ran but went wrong (the wrong folder, a feed cut short, a parser
regression) still produces a complete index; these checks catch the ones that would
silently lose most of the archive. A failed check keeps the old generation serving;
``--force`` switches anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher

from index.analysed import stemmer
from index.generations import Generation
from index.vocabulary import commonest_words

MIN_SHARE_OF_PREVIOUS = 0.5
"""A new generation must hold at least this share of the articles the serving one holds."""
MAX_SKIPPED_SHARE = 0.5
"""At most this share of what the sources held may have been skipped as problems."""
CANARY_WORDS = 5
"""Default canaries: this many of the commonest headline words of the new generation."""


class ValidationFailed(Exception):
    """The new generation failed a check; the message says which and how to override."""


def validate(
    path: Path,
    indexed: int,
    skipped: int,
    previous: Generation | None,
    canaries: Sequence[str] = (),
) -> list[str]:
    """Check the generation at ``path`` against the ``previous`` one it would replace;
    returns what was checked, raises ``ValidationFailed`` naming every check that
    failed. A first build (nothing serves) is only held to its canaries: refusing it
    would leave nothing to serve."""
    failed = []
    read = indexed + skipped
    if previous is not None and skipped > MAX_SKIPPED_SHARE * read:
        failed.append(f"{skipped} of {read} source items could not be indexed")
    if previous is not None and indexed < MIN_SHARE_OF_PREVIOUS * previous.article_count:
        failed.append(
            f"it holds {indexed} articles, the serving generation {previous.article_count}"
        )
    words, missing = _canaries(path, canaries, previous)
    if missing:
        failed.append(f"canary queries found nothing: {', '.join(missing)}")
    if failed:
        raise ValidationFailed(
            "the new generation failed validation (" + "; ".join(failed) + "); the old one "
            "still serves. Check the sources, or pass --force to switch anyway"
        )
    return [f"{indexed} articles", f"canaries found: {', '.join(words)}"]


def _canaries(
    path: Path, asked: Sequence[str], previous: Generation | None
) -> tuple[list[str], list[str]]:
    """The canary words and those of them the new generation finds nothing for. By
    default, the commonest headline words of the serving generation (a build from the
    wrong folder loses them), or of the new one when nothing serves yet."""
    with whoosh_index.open_dir(str(path)).searcher() as searcher:
        if asked:
            words = list(asked)
            missing = [word for word in words if not _finds(searcher, _analysed(searcher, word))]
        else:
            words = _common_headline_words(previous.path if previous else path)
            # A headline word is a token before stemming: its stem is an indexed term
            # (analysing the folded word again could split it differently).
            stem = stemmer(searcher.schema["title"])
            missing = [w for w in words if not _finds(searcher, [wq.Term("title", stem(w))])]
    return words, missing


def _analysed(searcher: Searcher, word: str) -> list[wq.Query]:
    """A typed word as the headline and body terms it searches."""
    return [
        wq.Term(name, term)
        for name in ("title", "body")
        for term in searcher.schema[name].process_text(word, mode="query")
    ]


def _finds(searcher: Searcher, terms: list[wq.Query]) -> bool:
    return bool(terms) and bool(searcher.search(wq.Or(terms), limit=1))


def _common_headline_words(path: Path) -> list[str]:
    """The commonest headline words, from the generation's vocabulary arrays."""
    return commonest_words(path, "title", CANARY_WORDS)
