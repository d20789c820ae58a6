"""Ranking settings in one place: BM25F parameters and per-field weights."""

from __future__ import annotations

from whoosh import scoring

BM25_K1 = 1.2
"""Term-frequency saturation."""

BM25_B = 0.9
"""Length normalisation for long fields (body); tuned, see docs/decisions.md."""

FIELD_B = {"title": 0.3, "captions": 0.5, "credits": 0.0, "author": 0.0}
"""Per-field length normalisation: short fields are normalised less."""

FIELD_WEIGHTS = {
    "title": 0.7,
    "dek": 0.7,
    "body": 1.0,
    "captions": 1.0,
    "author": 0.4,
    "bio": 0.2,
    "credits": 0.2,
}
"""How much a match in each section counts; byline, bio and credit matches count little.
The dek counts as the headline does (measured with each abstract's lead as a dek, see
docs/decisions.md).
A headline holding the whole query still ranks first through the headline bucket
(search/engine.py), so the title weight only tunes partial matches; tuned on the
Cranfield and CISI collections and confirmed on Medline (docs/decisions.md)."""

LOW_WEIGHT_FIELDS = frozenset({"bio", "credits"})
"""Sections whose matches alone mark a hit as a weak, labelled match (ranked below others)."""


def weighting() -> scoring.BM25F:
    """The BM25F weighting model built from the settings above."""
    per_field = {f"{name}_B": value for name, value in FIELD_B.items()}
    return scoring.BM25F(B=BM25_B, K1=BM25_K1, **per_field)
