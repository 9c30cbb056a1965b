"""Time off: no shift of an agent overlaps a local date they have off.

In a manager's words: "Lee is off on the 24th, so no shift that day, and no shift of the
23rd running past midnight into it either."

Input: ``time_off.csv`` (``agent_id, date``). Config keys: none. (A week's time off also lowers
that week's minimum hours: see :mod:`constraints.weekly_hours`.)
Penalty: none (hard rule). It acts by candidate generation; :func:`add` puts nothing in the
model.

Checker twin: :func:`planner.verify.shift_rules.check_time_off`.
Test: ``tests/constraints/test_time_off.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "time_off"


def add(v: Variables) -> None:
    """Nothing to add: no candidate overlaps a day off."""
    del v
