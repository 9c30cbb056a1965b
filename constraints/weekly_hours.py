"""Weekly hours: each week of the horizon, an agent's paid hours lie within their contract
minimum (lowered by time off) and maximum; hours over the overtime threshold only where config
allows overtime, and then at most the overtime cap.

In a manager's words: "Ana is contracted 32 to 40 hours; with a day off this week she may work
8 hours less; nobody goes past 40 unless overtime is on, and then at most 5 extra hours."

A shift counts in the week of its local date. Each time-off date in a week lowers that week's
minimum by the agent's longest shift length (never below 0).

Config keys: ``rules.overtime_allowed``, ``rules.overtime_threshold_hours``,
``rules.max_overtime_hours_per_week``; ``agents.csv`` ``min_weekly_hours``,
``max_weekly_hours``, ``shift_hours``; ``time_off.csv``.
Penalty: none (hard rule); the cost of overtime is :mod:`constraints.overtime`.
Model: ``low <= sum paid_minutes x <= high`` per agent and week (bounds prepared in
:func:`planner.roster.candidates.prepare`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "weekly_hours"


def add(v: Variables) -> None:
    """Paid minutes per agent and week between the prepared bounds."""
    problem = v.problem
    for agent in v.agents:
        for week in v.weeks():
            low = int(problem.min_minutes[agent, week])
            high = int(problem.max_minutes[agent, week])
            paid = v.paid_minutes(agent, week)
            if low > 0:
                v.add_hard(NAME, agent, paid >= low)
            v.add_hard(NAME, agent, paid <= high)
