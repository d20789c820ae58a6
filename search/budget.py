"""A search's time budget: past it, a search stops adding work and answers with what it has.

The per-shape limits (expansions, phrase checks, distinct words) bound each part of a
search; the deadline bounds their sum on a loaded machine, so a worker is never held
for the server's timeout. What stopping keeps is always a subset of the full answer:
an ``Or`` keeps the words it had scored, any other node still to start is empty, and a
negation whose exclusion was cut short is empty rather than let excluded articles through
(``search.matching``). The response then says so (``TIME_NOTICE``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

SEARCH_SECONDS = 2.0
"""Default time budget of one search (``SCOOP_SEARCH_SECONDS`` for the web app)."""

TIME_NOTICE = (
    "The search stopped at its time limit: these are the matches it found in time, and the "
    "total counts only those. A more specific query answers in full."
)


@dataclass
class Deadline:
    """When a search must stop starting work, and whether it had to."""

    seconds: float
    clock: Callable[[], float] = time.perf_counter
    started: float = field(init=False)
    ran_out: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def passed(self) -> bool:
        """True from the first check after the budget is spent (it stays spent)."""
        if not self.ran_out and self.clock() - self.started > self.seconds:
            self.ran_out = True
        return self.ran_out


def unlimited() -> Deadline:
    """A deadline that never passes (relevance runs, exports, the reference path)."""
    return Deadline(float("inf"))
