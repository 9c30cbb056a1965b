"""Breaks: every shift has the breaks the company policy requires and, for agents in
Washington, the breaks state law requires, inside the shift and not overlapping.

In a manager's words: "an 8-hour shift gets a 30-minute unpaid lunch and two paid 15-minute
breaks; nobody goes on break in their first or last hour; in Washington, lunch starts between
the 2nd and 5th hour and nobody works more than 3 hours straight without a break."

The rules (docs/OBJECTIVE.md, "Break rules"):

- one meal of ``breaks.meal_minutes`` in every shift of at least
  ``breaks.meal_min_shift_hours`` paid hours (in Washington: of more than 5 paid hours, at
  least 30 minutes, starting 2 to 5 hours after the shift starts, and no more than 5 hours
  from the shift start or the meal's end to the next meal or the shift end);
- ``floor(paid hours / breaks.rest_every_hours)`` rests of ``breaks.rest_minutes`` (in
  Washington also at least one of 10 minutes or more per 4 paid hours, and as many as it
  takes so that no stretch of work between breaks is longer than 3 hours);
- every break starts on a 15-minute boundary, lies wholly inside the shift, none starts in
  the first hour or ends in the last hour, and breaks do not overlap.

Elapsed shift length = paid minutes + unpaid break minutes (``meal_paid``/``rest_paid``).

Config keys: ``breaks.meal_minutes``, ``breaks.meal_min_shift_hours``, ``breaks.meal_paid``,
``breaks.rest_minutes``, ``breaks.rest_every_hours``, ``breaks.rest_paid``.
Penalty: none (hard rule). It acts by candidate generation (a shift length for which no valid
placement exists is not a candidate) and by :mod:`planner.roster.breaks`, which places the breaks of
the chosen roster; :func:`add` puts nothing in the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "breaks"


def add(v: Variables) -> None:
    """Nothing to add: every candidate has a valid break placement, and
    :mod:`planner.roster.breaks` places the chosen shifts' breaks."""
    del v
