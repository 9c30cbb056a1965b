"""Shift shape: every shift pays one of the agent's shift lengths, starts on the start-step
grid of local time no earlier than the earliest start, and ends no later than the latest end.

In a manager's words: "Dana works 8- or 10-hour shifts, starting on the half hour, never
before 06:00, and is done by 02:00 at the latest."

With named shifts configured (``[shift_types.NAME]``), every shift is one of them (its start
and paid length), of a length the agent works; their starts replace the start grid and the
earliest start, the latest end still holds.

The latest end is an instant, not a clock reading: the shift's end instant is compared with
the instant of ``shifts.latest_end`` local time on the right date
(:func:`planner.roster.timing.ends_in_time`). On the spring-forward night 02:00 does not exist
and the limit is the instant the clock jumps (a shift may end at 03:00 daylight time); a time
the fall-back night repeats is its later occurrence.

Config keys: ``shifts.earliest_start``, ``shifts.start_step_minutes``, ``shifts.latest_end``,
``[shift_types.NAME] start, hours``; ``agents.csv`` ``shift_hours``.
Penalty: none (hard rule). It acts by candidate generation: :mod:`planner.roster.candidates` only
creates shifts of an allowed shape, so :func:`add` puts nothing in the model.

Checker twin: :func:`planner.verify.shift_rules.check_shift_shape` (latest end:
:func:`planner.verify.shift_rules.latest_end_instant`). Tests:
``tests/constraints/test_shift_shape.py``, ``tests/test_latest_end_dst.py`` (DST nights, solver
and checker), ``tests/test_check.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "shift_shape"


def add(v: Variables) -> None:
    """Nothing to add: only shifts of an allowed shape are candidates."""
    del v
