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


BUSY_NOTICE = "The search service is busy with other searches; try again in a moment."


class SearchBusy(Exception):
    """No search could start within its time budget: the worker is busy with others.

    The web layer answers 503 with ``Retry-After: retry_after`` rather than queue the
    request past the time it would have been given anyway.
    """

    def __init__(self, retry_after: int) -> None:
        super().__init__(BUSY_NOTICE)
        self.retry_after = retry_after


@dataclass
class Deadline:
    """When a search must stop starting work, and whether it had to.

    ``gone`` tells whether the client that asked has gone away (the web layer peeks at its
    connection); a search for nobody stops at its next check like one out of time.
    """

    seconds: float
    clock: Callable[[], float] = time.perf_counter
    gone: Callable[[], bool] | None = None
    started: float = field(init=False)
    ran_out: bool = field(init=False, default=False)
    abandoned: bool = field(init=False, default=False)
    """True when the search stopped because its client had gone."""

    def __post_init__(self) -> None:
        self.started = self.clock()

    def passed(self) -> bool:
        """True from the first check after the budget is spent or the client left (it stays
        spent)."""
        if not self.ran_out:
            if self.clock() - self.started > self.seconds:
                self.ran_out = True
            elif self.gone is not None and self.gone():
                self.ran_out = self.abandoned = True
        return self.ran_out

    def remaining(self) -> float:
        """Seconds left of the budget (0 once spent)."""
        return max(0.0, self.seconds - (self.clock() - self.started))


def unlimited() -> Deadline:
    """A deadline that never passes (relevance runs, exports, the reference path)."""
    return Deadline(float("inf"))
