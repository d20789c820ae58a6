"""Relevance judgements (qrels) in the layouts test collections ship them in, detected.

- ``trec``: ``query 0 document grade`` (TREC qrels; Medline's ``MED.REL``); grades ≤ 0
  are not relevant.
- ``smart``: ``query document 0 0.0`` (CISI's and ADI's ``.REL``): every listed pair
  is relevant, gain 1.
- ``cranfield``: ``query document grade`` with Cleverdon's grades, 1 (complete answer)
  … 4 (minimal interest), -1 (of no interest): gains 4 … 1, and 0.

Query and document ids are compared as the files write them, without leading zeros
(``001`` is ``1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.smart import plain_id

LAYOUTS = ("trec", "smart", "cranfield")
DESCRIPTIONS = {
    "trec": "TREC qrels (query 0 document grade)",
    "smart": "SMART .REL (query document 0 0.0, every pair relevant)",
    "cranfield": "Cranfield (query document grade, 1 = best … 4, -1 = not relevant)",
}

Grades = dict[str, dict[str, int]]
"""Query id -> document id -> gain (0 = judged not relevant)."""


class BadJudgements(ValueError):
    """A judgements file that is in none of the layouts, or does not fit the queries."""


@dataclass(frozen=True)
class Judgements:
    """The judgements of a collection and the layout they were read in."""

    layout: str
    grades: Grades


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        columns = line.split()
        if columns and not columns[0].startswith("#"):
            rows.append((number, columns))
    if not rows:
        raise BadJudgements(f"{path}: no judgements in it")
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def detect_layout(rows: Sequence[tuple[int, list[str]]]) -> str:
    """The layout every row fits (``BadJudgements`` naming the first row that fits none)."""
    widths = {len(columns) for _, columns in rows}
    if widths == {3} and all(_is_number(columns[2]) for _, columns in rows):
        return "cranfield"
    if widths == {4}:
        if all(columns[1] in ("0", "Q0") and _is_number(columns[3]) for _, columns in rows):
            return "trec"
        if all(_is_number(columns[2]) and _is_number(columns[3]) for _, columns in rows):
            return "smart"
    first_width = len(rows[0][1])
    number, columns = next(
        ((n, c) for n, c in rows if len(c) != first_width or len(c) not in (3, 4)), rows[0]
    )
    raise BadJudgements(
        f"line {number}: {' '.join(columns)[:60]!r} fits none of the layouts "
        "(query 0 document grade; query document 0 0.0; query document grade)"
    )


def _gain(layout: str, columns: list[str]) -> tuple[str, str, int]:
    if layout == "trec":
        return columns[0], columns[2], max(0, round(float(columns[3])))
    if layout == "smart":
        return columns[0], columns[1], 1
    grade = round(float(columns[2]))
    return columns[0], columns[1], 5 - grade if 1 <= grade <= 4 else 0


def read_judgements(path: Path, layout: str | None = None) -> Judgements:
    """Read a judgements file in ``layout`` (detected when None)."""
    rows = _rows(path)
    layout = layout or detect_layout(rows)
    if layout not in LAYOUTS:
        raise BadJudgements(f"unknown layout {layout!r}: one of {', '.join(LAYOUTS)}")
    grades: Grades = {}
    for number, columns in rows:
        try:
            query, document, gain = _gain(layout, columns)
        except (IndexError, ValueError):
            raise BadJudgements(
                f"line {number}: {' '.join(columns)[:60]!r} is not {DESCRIPTIONS[layout]}"
            ) from None
        grades.setdefault(plain_id(query), {})[plain_id(document)] = gain
    return Judgements(layout, grades)


def query_numbers(query_ids: Sequence[str], grades: Grades) -> tuple[list[str], bool]:
    """The id each query has in the judgements, and whether they number queries by position.

    Judgements use the queries' ``.I`` ids when every judged query is one of them;
    Cranfield's number the queries 1, 2, … in file order instead (its ``.I`` ids skip).
    """
    ids = [plain_id(query) for query in query_ids]
    if set(grades) <= set(ids):
        return ids, False
    positions = [str(number) for number in range(1, len(ids) + 1)]
    if set(grades) <= set(positions):
        return positions, True
    unknown = sorted(set(grades) - set(ids), key=lambda q: (len(q), q))
    raise BadJudgements(
        f"the judgements name queries the queries file does not have: {', '.join(unknown[:5])}"
    )
