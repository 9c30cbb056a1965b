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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "availability"


def add(v: Variables) -> None:
    """Nothing to add: only shifts inside a window are candidates."""
    del v
