"""min_consecutive_days_off: a run of days off between two working dates is long enough."""

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


def works(problem, days, off):  # type: ignore[no-untyped-def]
    idle = [j for d in off for j in problem.candidates_of(0, d)]
    return feasible(problem, [named(problem, d, "E") for d in days], idle)


def test_days_off_come_in_twos() -> None:
    problem = make_problem(
        [make_agent()], named_config(min_consecutive_days_off=2), Horizon(WEEK, 1)
    )
    assert not works(problem, [1, 3], [2])
    assert works(problem, [1, 4], [2, 3])
    assert works(problem, [1], [0])  # a day off on the first date may follow others


def test_an_agent_row_overrides_the_config() -> None:
    rules = [AgentRules("A1", min_consecutive_days_off=3)]
    problem = make_problem([make_agent()], named_config(), Horizon(WEEK, 1), agent_rules=rules)
    assert not works(problem, [1, 4], [2, 3])
    assert works(problem, [1, 5], [2, 3, 4])


def test_checker_finds_the_lone_day_off() -> None:
    agent = make_agent()
    config = named_config(min_consecutive_days_off=2)
    horizon = Horizon(WEEK, 1)

    def shifts(days):  # type: ignore[no-untyped-def]
        return [named_shift(agent, WEEK + timedelta(days=d), "E") for d in days]

    assert "min_consecutive_days_off" in violated([agent], config, horizon, shifts([1, 3]))
    assert "min_consecutive_days_off" not in violated([agent], config, horizon, shifts([1, 4]))
