"""Channel floor: at least ``channels.X.min_staff`` agents who can answer channel X on shift
in every interval the team is open, whatever the forecast says.

In a manager's words: "the emergency line is never unstaffed: even at 3 a.m. on a quiet
Tuesday, when the forecast says 0 calls, two people who can take a phone call are on."

Open intervals are those of the requirement grid whose start lies inside the ``[coverage]``
windows (business time, holidays and past-midnight spill as staffing reads them:
:func:`planner.demand.staffing.coverage_mask`), prepared once
(:class:`planner.roster.problem.Floors`). An agent counts toward a channel's floor for the
minutes they are on shift and not on a break, when the channel is among their skills; an agent
with several skills counts toward each of their channels' floors (the floor asks who *could*
answer; who does is the coverage allocation of ``under_staffing``).

Raw value: ``sum_{open t, c} max(0, min_staff_c x interval_minutes - present_{t, c})`` with
``present_{t, c}`` the minutes present in interval ``t`` of agents having skill ``c``.
Default ``min_staff = 0``: off.

Config keys: ``channels.X.min_staff``, ``weights.min_staff``, ``[coverage]``.
Unit: staff-minute short.
Model: a constant where no free shift is present; otherwise ``short >= floor - presence``,
``short >= 0`` per open (interval, channel) (:func:`planner.roster.floors.floor_expr`).
Checker twin: :func:`planner.verify.floors.floor_shortfalls` (``min_staff``).
Tests: ``tests/constraints/test_min_staff.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.roster.floors import floor_expr, shortfall
from planner.roster.variables import Term

if TYPE_CHECKING:
    from planner.roster.variables import Solution, Variables

NAME = "min_staff"


def penalty(v: Variables) -> Term:
    """Staff-minutes short of every channel's floor."""
    problem = v.problem
    expr = floor_expr(v, problem.floors.staff, problem.group_mask, NAME)
    return Term(NAME, expr, problem.config.weights.min_staff)


def value(s: Solution) -> int:
    """Exact raw value on a concrete roster."""
    problem = s.problem
    return int(shortfall(problem.floors.staff, s.group_presence, problem.group_mask).sum())
