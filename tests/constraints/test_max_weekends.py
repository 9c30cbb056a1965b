"""max_weekends: at most N weekends worked in any window of weekends (0: the horizon)."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import AgentRules, Horizon
from tests.support.model import (
    WEEK,
    feasible,
    make_agent,
    make_problem,
    named,
    named_config,
    named_shift,
    violated,
)

# Two weeks from Sunday 6 December 2026: weekends Sat 5 (outside) + Sun 6 (day 0),
# Sat 12 + Sun 13 (days 6, 7), Sat 19 (day 13) + Sun 20 (outside).


def test_one_weekend_over_the_horizon() -> None:
    config = named_config(max_weekends=1, weekend_window_weeks=0)
    problem = make_problem([make_agent()], config, Horizon(WEEK, 2))
    assert feasible(problem, [named(problem, 6, "E"), named(problem, 7, "E")])  # one weekend
    assert not feasible(problem, [named(problem, 0, "E"), named(problem, 13, "E")])


def test_a_sliding_window_of_two_weekends() -> None:
    config = named_config(max_weekends=1, weekend_window_weeks=2)
    problem = make_problem([make_agent()], config, Horizon(WEEK, 2))
    assert feasible(problem, [named(problem, 0, "E"), named(problem, 13, "E")])  # 2 apart
    assert not feasible(problem, [named(problem, 0, "E"), named(problem, 6, "E")])


def test_an_agent_row_overrides_the_config() -> None:
    config = named_config(max_weekends=1, weekend_window_weeks=0)
    rules = [AgentRules("A1", max_weekends=2)]
    problem = make_problem([make_agent()], config, Horizon(WEEK, 2), agent_rules=rules)
    assert feasible(problem, [named(problem, 0, "E"), named(problem, 13, "E")])


def test_checker_counts_weekends() -> None:
    agent = make_agent()
    config = named_config(max_weekends=1, weekend_window_weeks=0)
    horizon = Horizon(WEEK, 2)
    both = [named_shift(agent, WEEK + timedelta(days=d), "E") for d in (0, 13)]
    one = [named_shift(agent, WEEK + timedelta(days=d), "E") for d in (6, 7)]
    assert "max_weekends" in violated([agent], config, horizon, both)
    assert "max_weekends" not in violated([agent], config, horizon, one)
