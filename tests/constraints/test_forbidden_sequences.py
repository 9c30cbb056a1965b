"""forbidden_sequences: no E the date after an L ([shift_types.L] forbidden_next)."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Horizon
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


def test_no_early_after_a_late() -> None:
    problem = make_problem([make_agent()], named_config(), Horizon(WEEK, 1))
    assert not feasible(problem, [named(problem, 1, "L"), named(problem, 2, "E")])
    assert feasible(problem, [named(problem, 1, "L"), named(problem, 2, "L")])
    assert feasible(problem, [named(problem, 1, "E"), named(problem, 2, "L")])
    assert feasible(problem, [named(problem, 1, "L"), named(problem, 3, "E")])


def test_checker_names_the_pair() -> None:
    agent = make_agent()
    horizon = Horizon(WEEK, 1)
    bad = [named_shift(agent, WEEK, "L"), named_shift(agent, WEEK + timedelta(days=1), "E")]
    good = [named_shift(agent, WEEK, "E"), named_shift(agent, WEEK + timedelta(days=1), "L")]
    assert "forbidden_sequences" in violated([agent], named_config(), horizon, bad)
    assert "forbidden_sequences" not in violated([agent], named_config(), horizon, good)
