"""Shift shape: every shift pays one of the agent's shift lengths, starts on the start-step
grid of local time no earlier than the earliest start, and ends no later than the latest end.

In a manager's words: "Dana works 8- or 10-hour shifts, starting on the half hour, never
before 06:00, and is done by 02:00 at the latest."

Config keys: ``shifts.earliest_start``, ``shifts.start_step_minutes``, ``shifts.latest_end``;
``agents.csv`` ``shift_hours``.
Penalty: none (hard rule). It acts by candidate generation: :mod:`planner.roster.candidates` only
creates shifts of an allowed shape, so :func:`add` puts nothing in the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "shift_shape"


def add(v: Variables) -> None:
    """Nothing to add: only shifts of an allowed shape are candidates."""
    del v
