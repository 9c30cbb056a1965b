"""Breaks: every shift has the breaks the company policy requires and, for agents in
Washington, the breaks state law requires, inside the shift and not overlapping.

In a manager's words: "an 8-hour shift gets a 30-minute unpaid lunch and two paid 15-minute
breaks; nobody goes on break in their first or last hour; in Washington, lunch starts between
the 2nd and 5th hour, nobody works more than 5 hours without a meal (so a 12-hour shift gets
two lunches) and nobody works more than 3 hours straight without a break."

The rules (docs/OBJECTIVE.md, "Break rules"):

- company policy: one meal of ``breaks.meal_minutes`` in every shift of at least
  ``breaks.meal_min_shift_hours`` paid hours (none when ``meal_minutes`` is 0);
- Washington (WAC 296-126-092), whatever the policy: meals of at least 30 minutes, one in
  every shift of more than 5 paid hours, the first starting 2 to 5 hours after the shift
  starts, and as many as it takes that no stretch of work from the shift start or a meal's
  end to the next meal or the shift end is longer than 5 hours (``k`` meals cut the elapsed
  time less meal time into ``k + 1`` stretches: 10 paid hours need one meal, 10.5 to 12
  need two);
- ``floor(paid hours / breaks.rest_every_hours)`` rests of ``breaks.rest_minutes`` (in
  Washington also at least one of 10 minutes or more per 4 paid hours, and as many as it
  takes so that no stretch of work between breaks is longer than 3 hours);
- every break starts on the ``breaks.start_step_minutes`` grid of the clock (15 by
  default), lies wholly inside the shift, none starts in the first hour or ends in the last
  hour, and breaks do not overlap.

Elapsed shift length = paid minutes + unpaid break minutes (``meal_paid``/``rest_paid``;
federal law makes a rest of 20 minutes or less and a meal under 30 minutes paid time, so the
config refuses those unpaid: ``planner/data/config.py``).

Config keys: ``breaks.meal_minutes``, ``breaks.meal_min_shift_hours``, ``breaks.meal_paid``,
``breaks.rest_minutes``, ``breaks.rest_every_hours``, ``breaks.rest_paid``,
``breaks.start_step_minutes``.
Penalty: none (hard rule). It acts by candidate generation (a shift length for which no valid
placement exists is not a candidate) and by :mod:`planner.roster.breaks`, which places the
breaks of the chosen roster; :func:`add` puts nothing in the model. What a shift owes is
:func:`planner.roster.break_rules.needs_for`.

Checker twin: :func:`planner.verify.break_rules.check_breaks` (counts from
:func:`planner.verify.break_rules.meals_required`). Tests: ``tests/constraints/test_breaks.py``
(solver), ``tests/test_check_breaks.py`` and ``tests/test_check.py`` (checker).
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
