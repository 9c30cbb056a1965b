"""Availability: an agent with availability rows works only shifts lying wholly inside one
of the windows of the weekday on which the shift starts.

In a manager's words: "Sam told us Tuesdays 12:00-22:00 only; a Tuesday shift must fit in
there." An agent without rows may work any shift the config allows.

Input: ``availability.csv`` (``agent_id, weekday, start, end``; an end at or before the start
runs past midnight). Config keys: none.
Penalty: none (hard rule). It acts by candidate generation; :func:`add` puts nothing in the
model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from planner.domain import AvailabilityWindow, Window

if TYPE_CHECKING:
    from planner.variables import Variables

NAME = "availability"


def windows_by_weekday(
    rows: Iterable[AvailabilityWindow], agent_id: str
) -> dict[int, tuple[Window, ...]] | None:
    """The agent's windows per weekday (Mon = 0), or ``None`` when the agent has no rows
    (then every shift is allowed)."""
    result: dict[int, list[Window]] = {}
    for row in rows:
        if row.agent_id == agent_id:
            result.setdefault(row.weekday, []).append(row.window)
    if not result:
        return None
    return {day: tuple(ws) for day, ws in result.items()}


def fits(windows: Sequence[Window], local_start: int, local_end: int) -> bool:
    """True when the local clock span ``[local_start, local_end]`` lies in one window."""
    return any(w.start <= local_start and local_end <= w.end for w in windows)


def add(v: Variables) -> None:
    """Nothing to add: only shifts inside a window are candidates."""
    del v
