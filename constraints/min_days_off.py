"""Minimum days off: at least ``rules.min_days_off_per_week`` dates without a shift in each
week of the horizon.

In a manager's words: "everyone gets two days off a week."

Config keys: ``rules.min_days_off_per_week``, ``site.week_starts`` (horizon weeks).
Penalty: none (hard rule).
Model: ``sum works over the week's 7 dates <= 7 - min_days_off``.

Checker twin: :func:`planner.verify.hours_rules.check_min_days_off`.
Test: ``tests/constraints/test_min_days_off.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "min_days_off"


def add(v: Variables) -> None:
    """At most ``7 - min_days_off`` working dates per horizon week."""
    days_off = v.problem.config.rules.min_days_off_per_week
    if days_off <= 0:
        return
    for agent in v.agents:
        for week in v.weeks():
            total = sum((v.works(agent, d) for d in range(week * 7, week * 7 + 7)), start=0)
            if isinstance(total, int):
                continue
            v.add_hard(NAME, agent, total <= 7 - days_off)
