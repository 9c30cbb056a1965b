"""Shift shape: every shift pays one of the agent's shift lengths, starts on the start-step
grid of local time no earlier than the earliest start, and ends no later than the latest end.

In a manager's words: "Dana works 8- or 10-hour shifts, starting on the half hour, never
before 06:00, and is done by 02:00 at the latest."

Config keys: ``shifts.earliest_start``, ``shifts.start_step_minutes``, ``shifts.latest_end``;
``agents.csv`` ``shift_hours``.
Penalty: none (hard rule). It acts by candidate generation: :mod:`planner.candidates` only
creates shifts of an allowed shape, so :func:`add` puts nothing in the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.domain import Agent, ShiftConfig

if TYPE_CHECKING:
    from planner.variables import Variables

NAME = "shift_shape"


def local_starts(shifts: ShiftConfig) -> range:
    """Allowed local start times (minutes after local midnight of the shift's date): the
    multiples of the start step (counted from midnight) from the earliest start on."""
    step = max(1, shifts.start_step_minutes)
    first = -(-shifts.earliest_start // step) * step
    return range(first, 24 * 60, step)


def paid_lengths(agent: Agent) -> tuple[int, ...]:
    """The agent's allowed paid shift lengths in whole minutes, shortest first."""
    return tuple(sorted({round(hours * 60) for hours in agent.shift_hours if hours > 0}))


def ends_in_time(local_end: int, shifts: ShiftConfig) -> bool:
    """True when a shift whose local clock end is ``local_end`` (minutes after the local
    midnight of its start date, past 1440 after midnight) ends no later than allowed."""
    return local_end <= shifts.latest_end


def add(v: Variables) -> None:
    """Nothing to add: only shifts of an allowed shape are candidates."""
    del v
