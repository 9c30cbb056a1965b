"""min_rest: at least min_rest_hours between shifts, also across the horizon start."""

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


def test_rest_between_a_closing_and_an_opening_shift() -> None:
    config = make_config(rules=relaxed_rules(min_rest_hours=10))
    problem = make_problem([make_agent()], config, Horizon(WEEK, 1))
    closing = find(problem, 0, 0, "17:30", 8)  # ends 02:00 (8 h + 30 min meal)
    assert feasible(problem, [closing, find(problem, 0, 1, "12:00", 8)])  # exactly 10 h
    assert not feasible(problem, [closing, find(problem, 0, 1, "11:30", 8)])  # 9.5 h


def test_rest_counts_the_previous_roster() -> None:
    config = make_config(rules=relaxed_rules(min_rest_hours=10))
    agent = make_agent()
    before = make_shift(agent, WEEK - timedelta(days=1), "17:30", 8)  # Saturday, ends 02:00
    problem = make_problem([agent], config, Horizon(WEEK, 1), previous=[before])
    assert feasible(problem, [find(problem, 0, 0, "12:00", 8)])
    assert not feasible(problem, [find(problem, 0, 0, "11:00", 8)])


def test_cliques_are_exact_for_two_shifts_a_day() -> None:
    # With two shifts a day, the rest rule must still allow split shifts far enough apart.
    config = make_config(rules=relaxed_rules(min_rest_hours=4, max_shifts_per_day=2))
    problem = make_problem([make_agent(shift_hours=(4,))], config, Horizon(WEEK, 1))
    first = find(problem, 0, 0, "06:00", 4)  # 06:00-10:00
    assert feasible(problem, [first, find(problem, 0, 0, "14:00", 4)])  # 4 h rest
    assert not feasible(problem, [first, find(problem, 0, 0, "13:30", 4)])  # 3.5 h
