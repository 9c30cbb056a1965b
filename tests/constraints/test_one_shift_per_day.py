"""one_shift_per_day: at most max_shifts_per_day shifts per local date, never overlapping."""

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


def test_one_shift_a_day_allows_one_and_forbids_two() -> None:
    config = make_config(rules=relaxed_rules(max_shifts_per_day=1))
    problem = make_problem([make_agent(shift_hours=(4,))], config, Horizon(WEEK, 1))
    morning = find(problem, 0, 0, "06:00", 4)
    evening = find(problem, 0, 0, "16:00", 4)
    assert feasible(problem, [morning])
    assert not feasible(problem, [morning, evening])


def test_two_shifts_a_day_may_not_overlap() -> None:
    config = make_config(rules=relaxed_rules(max_shifts_per_day=2))
    problem = make_problem([make_agent(shift_hours=(4,))], config, Horizon(WEEK, 1))
    morning = find(problem, 0, 0, "06:00", 4)  # 06:00-10:00 (a 4 h shift has no meal)
    later = find(problem, 0, 0, "10:00", 4)  # starts as the first ends: allowed
    overlapping = find(problem, 0, 0, "09:30", 4)
    assert feasible(problem, [morning, later])
    assert not feasible(problem, [morning, overlapping])
    third = find(problem, 0, 0, "16:00", 4)
    assert not feasible(problem, [morning, later, third])  # three on one date
