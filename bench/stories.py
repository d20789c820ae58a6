"""How well story grouping tells one story from two: precision and recall of "linked"
over the labelled pairs of ``tests/fixtures/story_pairs.jsonl.gz`` at each threshold.

``python -m bench.stories [--pairs PATH] [--out FILE]`` signs both bodies of every pair
as the index does (``index.stories.body_words`` and ``signature``) and calls a pair
linked when both are signed (not too short to group) and the estimated similarity
reaches the threshold. For each threshold from 0.30 to 0.90 it prints precision, recall
and F1 against the pairs' ``same``, the recall of each kind of same-story pair and the
false-positive rate of each kind of different-story pair, and marks the threshold of
best F1 (ties: the middle of the tied run) and the highest with recall at its best while
precision stays at or above ``PRECISION_FLOOR``. It also prints, per kind, the exact
shingle Jaccard similarity beside the MinHash estimate (min / median / max).

The threshold is chosen on the tuning half (pairs on even line numbers, counted from 0)
and confirmed on the other half (odd), so the value is not judged on the pairs it was
fitted to. ``tests/test_story_pairs.py`` holds ``index.stories.DEFAULT_THRESHOLD`` to its
floors on all the pairs.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.story_pairs import FIXTURE, KINDS, read_pairs
from index.stories import SHINGLE_WORDS, UNSIGNED, body_words, signature, similarity

THRESHOLDS = tuple(round(0.30 + 0.05 * step, 2) for step in range(13))
PRECISION_FLOOR = 0.99
POSITIVE = ("edited", "print-online", "update", "rewrite")
NEGATIVE = ("same-topic", "template")


@dataclass(frozen=True)
class Measured:
    """Every pair's kind, label, estimated and exact similarity, and whether both are signed."""

    kinds: np.ndarray
    same: np.ndarray
    estimate: np.ndarray
    exact: np.ndarray
    signed: np.ndarray

    def half(self, parity: int) -> Measured:
        keep = slice(parity, None, 2)
        return Measured(
            self.kinds[keep], self.same[keep], self.estimate[keep], self.exact[keep],
            self.signed[keep],
        )  # fmt: skip

    def linked(self, threshold: float) -> np.ndarray:
        return self.signed & (self.estimate >= threshold)


def _shingles(words: Sequence[str]) -> set[str]:
    return {
        " ".join(words[start : start + SHINGLE_WORDS])
        for start in range(len(words) - SHINGLE_WORDS + 1)
    }


def measure(pairs: Sequence[dict]) -> Measured:
    """Sign both sides of every pair and compare them."""
    rows, exact, signed = [], [], []
    for pair in pairs:
        words = [body_words("\n".join(pair[side]["body"])) for side in ("a", "b")]
        both = [signature(w) for w in words]
        rows += both
        one, two = (_shingles(w) for w in words)
        exact.append(len(one & two) / len(one | two) if one | two else 0.0)
        signed.append(all(np.any(row != UNSIGNED) for row in both))
    signatures = np.stack(rows)
    first = np.arange(0, len(rows), 2)
    return Measured(
        np.array([pair["kind"] for pair in pairs]),
        np.array([bool(pair["same"]) for pair in pairs]),
        similarity(signatures, first, first + 1),
        np.array(exact),
        np.array(signed),
    )


@dataclass(frozen=True)
class Score:
    threshold: float
    precision: float
    recall: float
    f1: float
    by_kind: dict[str, float]
    """Recall of each positive kind, false-positive rate of each negative kind."""


def score(measured: Measured, threshold: float) -> Score:
    linked = measured.linked(threshold)
    hits = int(np.sum(linked & measured.same))
    precision = hits / int(np.sum(linked)) if linked.any() else 1.0
    recall = hits / int(np.sum(measured.same)) if measured.same.any() else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_kind = {
        kind: float(np.mean(linked[measured.kinds == kind]))
        for kind in KINDS
        if np.any(measured.kinds == kind)
    }
    return Score(threshold, precision, recall, f1, by_kind)


def best_f1(scores: Sequence[Score]) -> Score:
    """The threshold of best F1; of a tied run, the middle one (the most room either way)."""
    top = max(round(s.f1, 9) for s in scores)
    tied = [s for s in scores if round(s.f1, 9) == top]
    return tied[(len(tied) - 1) // 2]


def best_recall(scores: Sequence[Score], floor: float = PRECISION_FLOOR) -> Score | None:
    """The highest threshold among those of best recall with precision at ``floor`` or more."""
    good = [s for s in scores if s.precision >= floor]
    if not good:
        return None
    top = max(s.recall for s in good)
    return max((s for s in good if s.recall == top), key=lambda s: s.threshold)


def table(measured: Measured, title: str) -> tuple[str, list[Score], Score, Score | None]:
    scores = [score(measured, t) for t in THRESHOLDS]
    f1, recall = best_f1(scores), best_recall(scores)
    kinds = [k for k in KINDS if np.any(measured.kinds == k)]
    counts = {k: int(np.sum(measured.kinds == k)) for k in kinds}
    head = ["threshold", "precision", "recall", "F1"] + [
        f"{'recall' if k in POSITIVE else 'FP rate'} {k} ({counts[k]})" for k in kinds
    ]
    lines = [
        f"### {title}: {len(measured.same)} pairs, {int(measured.same.sum())} same story",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---:|" * len(head),
    ]
    for s in scores:
        mark = (" ★" if s is f1 else "") + (" †" if s is recall else "")
        cells = [f"{s.threshold:.2f}{mark}", f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"]
        cells += [f"{s.by_kind[k]:.3f}" for k in kinds]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"★ best F1: {f1.threshold:.2f} (F1 {f1.f1:.3f}); † best recall at precision ≥ "
        + (
            f"{PRECISION_FLOOR}: {recall.threshold:.2f} (recall {recall.recall:.3f})"
            if recall
            else f"{PRECISION_FLOOR}: none"
        ),
        "",
    ]
    return "\n".join(lines), scores, f1, recall


def distribution(measured: Measured) -> str:
    lines = [
        "### Similarity per kind: exact shingle Jaccard and MinHash estimate (min / median / max)",
        "",
        "| kind | same | pairs | exact | estimate | largest error |",
        "|---|---|---:|---|---|---:|",
    ]
    for kind in KINDS:
        chosen = measured.kinds == kind
        if not chosen.any():
            continue
        exact, estimate = measured.exact[chosen], measured.estimate[chosen]

        def spread(values: np.ndarray) -> str:
            return f"{values.min():.2f} / {statistics.median(values):.2f} / {values.max():.2f}"

        lines.append(
            f"| {kind} | {bool(measured.same[chosen][0])} | {int(chosen.sum())} | "
            f"{spread(exact)} | {spread(estimate)} | {np.abs(estimate - exact).max():.2f} |"
        )
    return "\n".join(lines) + "\n"


def report(pairs: Sequence[dict]) -> str:
    measured = measure(pairs)
    tuning_text, _, chosen, _ = table(measured.half(0), "Tuning half (even lines)")
    confirm_text, confirm_scores, _, _ = table(measured.half(1), "Confirmation half (odd lines)")
    confirmed = next(s for s in confirm_scores if s.threshold == chosen.threshold)
    all_text, _, _, _ = table(measured, "All pairs")
    summary = (
        f"Chosen on the tuning half: {chosen.threshold:.2f} (best F1 {chosen.f1:.3f}); on the "
        f"confirmation half it has precision {confirmed.precision:.3f}, recall "
        f"{confirmed.recall:.3f}, F1 {confirmed.f1:.3f}.\n"
    )
    return "\n".join(
        ["## Story grouping: linked pairs by threshold", "", tuning_text, confirm_text,
         summary, all_text, distribution(measured)]
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=FIXTURE)
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    arguments = parser.parse_args()
    text = report(read_pairs(arguments.pairs))
    print(text)
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
