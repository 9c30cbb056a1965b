"""Maximum consecutive days: no more than ``rules.max_consecutive_days`` local dates in a row
with a shift (``agent_rules.csv`` ``max_consecutive_days`` for that agent when given),
counting the days before the horizon when ``--previous`` gives them.

In a manager's words: "nobody works a seventh day in a row; Sam, on his contract, not a
fifth."

Config keys: ``rules.max_consecutive_days``; ``agent_rules.csv`` ``max_consecutive_days``.
Penalty: none (hard rule).
Model: in every window of ``max + 1`` consecutive dates, ``sum works <= max``.

Checker twin: :func:`planner.verify.hours_rules.check_max_consecutive_days`.
Test: ``tests/constraints/test_max_consecutive_days.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "max_consecutive_days"


def add(v: Variables) -> None:
    """Sliding windows of ``max + 1`` days over ``works`` (previous roster included)."""
    if not len(v.days):
        return
    for agent in v.agents:
        limit = int(v.problem.contract.max_consecutive[agent])
        if limit <= 0:
            continue
        span = limit + 1
        first = v.days.start - limit
        last = min(v.days.stop - 1, v.problem.n_days - span)
        for begin in range(max(first, -limit), last + 1):
            window = range(begin, begin + span)
            if not any(d in v.days for d in window):
                continue
            total = sum((v.works(agent, d) for d in window), start=0)
            if isinstance(total, int):
                continue  # nothing free in it
            v.add_hard(NAME, agent, total <= limit)
