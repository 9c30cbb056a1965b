"""Weekly hours: each week of the horizon, an agent's paid hours lie within their contract
minimum (lowered by time off) and maximum; and in each FLSA workweek, hours over the overtime
threshold only where config allows overtime, and then at most the overtime cap.

In a manager's words: "Ana is contracted 32 to 40 hours; with a day off this week she may work
8 hours less; nobody goes past 40 in a workweek unless overtime is on, and then at most 5
extra hours."

Contract part: a shift counts in the week of its local date (CONTRACT.md). Each time-off date
in a week lowers that week's minimum by the agent's longest shift length (never below 0).

Overtime part: hours belong to the FLSA workweek in which they are worked (29 CFR 778.104;
docs/OBJECTIVE.md "Workweeks"): a shift over a workweek start splits its paid minutes. With
``--previous``, the previous roster's shifts dated before the horizon count in the workweeks
they share with this roster; a workweek may not go over the cap by this roster's hours (the
roster adds at most ``max(0, cap - previous)``; a workweek in which the roster pays nothing is
not its concern).

Config keys: ``rules.overtime_allowed``, ``rules.overtime_threshold_hours``,
``rules.max_overtime_hours_per_week``, ``rules.workweek_start_day``,
``rules.workweek_start_time``; ``agents.csv`` ``min_weekly_hours``, ``max_weekly_hours``,
``shift_hours``; ``time_off.csv``.
Penalty: none (hard rule); the cost of overtime is :mod:`constraints.overtime`.
Model: ``low <= sum paid_minutes x <= high`` per agent and week (bounds prepared in
:func:`planner.roster.candidates.prepare`); ``sum workweek paid minutes x <= max(0, cap -
previous)`` per agent and workweek in which a free candidate is paid.
Checker twin: :func:`planner.verify.hours_rules.check_weekly_hours`.
Tests: ``tests/constraints/test_weekly_hours.py``, ``tests/constraints/test_workweek.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.domain import Config
    from planner.roster.variables import Variables

NAME = "weekly_hours"


def overtime_cap(config: Config) -> int:
    """Paid minutes a workweek may hold: the threshold, plus the overtime cap when allowed."""
    rules = config.rules
    extra = rules.max_overtime_hours_per_week if rules.overtime_allowed else 0.0
    return round((rules.overtime_threshold_hours + extra) * 60)


def add(v: Variables) -> None:
    """Paid minutes per agent and week between the prepared bounds; per workweek under the
    overtime cap."""
    problem = v.problem
    cap = overtime_cap(problem.config)
    carried = problem.workweeks.carried
    for agent in v.agents:
        for week in v.weeks():
            low = int(problem.min_minutes[agent, week])
            high = int(problem.max_minutes[agent, week])
            paid = v.paid_minutes(agent, week)
            if low > 0:
                v.add_hard(NAME, agent, paid >= low)
            v.add_hard(NAME, agent, paid <= high)
        for workweek in v.free_workweeks(agent):
            room = max(0, cap - int(carried[agent, workweek]))
            v.add_hard(NAME, agent, v.workweek_paid(agent, workweek) <= room)
