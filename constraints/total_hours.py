"""Total hours: an agent's paid hours over the whole horizon lie between
``rules.min_total_hours`` and ``rules.max_total_hours`` (``agent_rules.csv``
``min_total_hours`` / ``max_total_hours`` for that agent when given).

In a manager's words: "over the four-week period Jo is contracted 140 to 160 hours, however
the weeks fall."

Config keys: ``rules.min_total_hours`` (0: off), ``rules.max_total_hours`` (absent: off);
``agent_rules.csv`` ``min_total_hours``, ``max_total_hours``.
Penalty: none (hard rule).
Model: ``low <= sum paid_minutes x <= high`` over the agent's candidates.

Checker twin: :func:`planner.verify.contract_rules.check_total_hours`.
Test: ``tests/constraints/test_total_hours.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "total_hours"


def add(v: Variables) -> None:
    """Paid minutes over the horizon between the agent's limits."""
    limits = v.problem.contract
    paid = v.problem.cands.paid
    for agent in v.agents:
        low, high = int(limits.min_total[agent]), int(limits.max_total[agent])
        if low <= 0 and high < 0:
            continue
        ids = v.problem.candidates_of_agent(agent)
        members = np.arange(ids.start, ids.stop)
        total = v.sum_x(members, paid[members])
        if low > 0:
            v.add_hard(NAME, agent, total >= low)
        if high >= 0:
            v.add_hard(NAME, agent, total <= high)
