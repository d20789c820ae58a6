"""How good "did you mean" is: precision and recall over a committed set of misspellings.

``python -m bench.spelling`` indexes the bundled samples and the MED, CISI and
Cranfield documents (committed in ``tests/fixtures/ir``) in a temporary folder, asks
the search core for a suggestion on every line of ``tests/fixtures/misspellings.tsv``
and prints the figures per kind of mistake. ``tests/test_spelling.py`` holds the same
measurement to its floor.

Precision: of the suggestions made, the share that are the expected correction (a
suggestion on a query that was right counts against it). Recall: of the misspellings,
the share corrected as expected.
"""

from __future__ import annotations

import csv
import gzip
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.build import build_index
from index.smart import read_records, write_feed
from search.engine import Searcher
from search.request import SearchRequest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "misspellings.tsv"
FIXTURES = ROOT / "tests" / "fixtures" / "ir"
COLLECTIONS = {
    "med": FIXTURES / "MED.ALL.gz",
    "cisi": FIXTURES / "CISI.ALL.gz",
    "cran": FIXTURES / "cran.all.1400.gz",
}
"""The collections' documents, committed (``tests/fixtures/ir/README.md``)."""
RIGHT = "-"
"""The expected correction of a query that is spelt right: none."""


@dataclass(frozen=True)
class Case:
    set: str
    """"tuning" (the rules were shaped on it) or "held-out" (only measured)."""
    collection: str
    kind: str
    typed: str
    expected: tuple[str, ...]
    """The corrections that count as right (equivalent: they search the same); none
    when the query was right."""


@dataclass(frozen=True)
class Score:
    cases: int
    misspelt: int
    suggested: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.misspelt if self.misspelt else 1.0


def read_cases(path: Path = CASES) -> list[Case]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return [
        Case(
            row["set"],
            row["collection"],
            row["kind"],
            row["typed"],
            () if row["expected"] == RIGHT else tuple(row["expected"].split("|")),
        )
        for row in csv.DictReader(lines, delimiter="\t")
    ]


def _right(case: Case, found: str | None) -> bool:
    return found in case.expected if case.expected else found is None


def score(cases: Iterable[Case], suggest: Callable[[Case], str | None]) -> Score:
    """Ask ``suggest`` for each case and count what came back."""
    counted = [(case, suggest(case)) for case in cases]
    return Score(
        cases=len(counted),
        misspelt=sum(1 for case, _ in counted if case.expected),
        suggested=sum(1 for _, found in counted if found is not None),
        correct=sum(1 for case, found in counted if found in case.expected),
    )


def index_collection(name: str, folder: Path) -> Path:
    """An index of a shared SMART collection (or of the samples) under ``folder``."""
    if name == "samples":
        sources = [ROOT / "samples"]
    else:
        documents = folder / COLLECTIONS[name].stem
        documents.write_bytes(gzip.decompress(COLLECTIONS[name].read_bytes()))
        feed = folder / f"{name}.jsonl"
        write_feed(read_records(documents), feed)
        sources = [feed]
    build_index(sources, folder / f"{name}-index")
    return folder / f"{name}-index"


def suggester(roots: dict[str, Path]) -> Callable[[Case], str | None]:
    """The search core's suggestion for a case, on its collection's index."""
    searchers = {name: Searcher(root) for name, root in roots.items()}

    def suggest(case: Case) -> str | None:
        return searchers[case.collection].search(SearchRequest(query=case.typed)).suggestion

    return suggest


def report(cases: list[Case], suggest: Callable[[Case], str | None]) -> str:
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        groups[case.kind].append(case)
    lines = [f"{'kind':10} {'cases':>5} {'precision':>9} {'recall':>6}"]
    for kind, chosen in sorted(groups.items()):
        found = score(chosen, suggest)
        lines.append(f"{kind:10} {found.cases:5} {found.precision:9.2f} {found.recall:6.2f}")
    for name in ("tuning", "held-out"):
        found = score([case for case in cases if case.set == name], suggest)
        lines.append(f"{name:10} {found.cases:5} {found.precision:9.2f} {found.recall:6.2f}")
    total = score(cases, suggest)
    lines.append(f"{'all':10} {total.cases:5} {total.precision:9.2f} {total.recall:6.2f}")
    misses = [
        f"  {c.collection}: {c.typed!r} -> {suggest(c)!r} (expected {c.expected!r})"
        for c in cases
        if not _right(c, suggest(c))
    ]
    return "\n".join([*lines, "misses:" if misses else "no misses", *misses])


def main() -> None:
    cases = read_cases()
    with tempfile.TemporaryDirectory() as folder:
        names = sorted({case.collection for case in cases})
        roots = {name: index_collection(name, Path(folder)) for name in names}
        print(report(cases, suggester(roots)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
