"""min_days_off: at least N dates without a shift in each horizon week."""

from __future__ import annotations

from planner.domain import Horizon
from tests.support.model import (
    WEEK,
    feasible,
    find,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
)


def test_two_days_off_a_week() -> None:
    config = make_config(rules=relaxed_rules(min_days_off_per_week=2, max_consecutive_days=20))
    problem = make_problem([make_agent(max_hours=60, shift_hours=(4,))], config, Horizon(WEEK, 2))
    week1 = [find(problem, 0, d, "09:00", 4) for d in range(7)]
    assert feasible(problem, week1[:5])
    assert not feasible(problem, week1[:6])
    # Week 2 is counted on its own: five days there too is fine.
    week2 = [find(problem, 0, d, "09:00", 4) for d in range(7, 12)]
    assert feasible(problem, week1[2:7] + week2)
