"""max_consecutive_days: no more than N dates in a row, counting the previous roster."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Horizon
from tests.support.model import (
    WEEK,
    feasible,
    find,
    make_agent,
    make_config,
    make_problem,
    make_shift,
    relaxed_rules,
)


def test_three_days_in_a_row_at_most() -> None:
    config = make_config(rules=relaxed_rules(max_consecutive_days=3))
    problem = make_problem([make_agent()], config, Horizon(WEEK, 1))
    days = [find(problem, 0, d, "09:00", 8) for d in range(5)]
    assert feasible(problem, days[:3])
    assert feasible(problem, [days[0], days[1], days[2], days[4]])  # a day off in between
    assert not feasible(problem, days[:4])


def test_days_before_the_horizon_count() -> None:
    config = make_config(rules=relaxed_rules(max_consecutive_days=3))
    agent = make_agent()
    previous = [make_shift(agent, WEEK - timedelta(days=k), "09:00", 8) for k in (1, 2)]
    problem = make_problem([agent], config, Horizon(WEEK, 1), previous=previous)
    assert feasible(problem, [find(problem, 0, 0, "09:00", 8)])  # Fri, Sat, Sun
    assert not feasible(problem, [find(problem, 0, d, "09:00", 8) for d in range(2)])
