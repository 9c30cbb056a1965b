"""Time off: no shift of an agent overlaps a local date they have off.

In a manager's words: "Lee is off on the 24th, so no shift that day, and no shift of the
23rd running past midnight into it either."

Input: ``time_off.csv`` (``agent_id, date``). Config keys: none. (A week's time off also lowers
that week's minimum hours: see :mod:`constraints.weekly_hours`.)
Penalty: none (hard rule). It acts by candidate generation; :func:`add` puts nothing in the
model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.variables import Variables

NAME = "time_off"


def fits(off_spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when the shift ``[start, end)`` overlaps none of the days off ``[s, e)``
    (all in the same real-time minutes)."""
    return all(end <= s or start >= e for s, e in off_spans)


def add(v: Variables) -> None:
    """Nothing to add: no candidate overlaps a day off."""
    del v
