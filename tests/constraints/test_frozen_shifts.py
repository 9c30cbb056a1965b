"""frozen_shifts: with frozen_is_hard, published shifts in the freeze window stay exactly."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.domain import Horizon, StabilityConfig
from tests.support.model import (
    WEEK,
    feasible,
    find,
    make_agent,
    make_config,
    make_problem,
    make_shift,
    relaxed_rules,
    solve_checked,
    window_need,
)


def test_published_shift_is_kept_and_nothing_added_in_the_window() -> None:
    agent = make_agent()
    config = make_config(
        rules=relaxed_rules(), stability=StabilityConfig(freeze_days=3, frozen_is_hard=True)
    )
    published = make_shift(agent, WEEK + timedelta(days=1), "09:00", 8)
    problem = make_problem([agent], config, Horizon(WEEK, 1), previous=[published])
    kept = find(problem, 0, 1, "09:00", 8)
    assert feasible(problem, [kept])
    assert not feasible(problem, [], idle=[kept])  # dropping it
    assert not feasible(problem, [kept, find(problem, 0, 0, "09:00", 8)])  # adding in window
    assert feasible(problem, [kept, find(problem, 0, 3, "09:00", 8)])  # after the window


def test_solver_keeps_the_frozen_shift_even_without_demand() -> None:
    agent = make_agent()
    config = make_config(
        rules=relaxed_rules(), stability=StabilityConfig(freeze_days=3, frozen_is_hard=True)
    )
    published = make_shift(agent, WEEK + timedelta(days=1), "09:00", 8)
    need = window_need(WEEK + timedelta(days=4), 9, 17.5, {"phone": 1})
    result, _ = solve_checked([agent], config, Horizon(WEEK, 1), need, previous=[published])
    assert result.roster is not None
    starts = sorted(s.start_utc for s in result.roster.shifts)
    assert published.start_utc in starts
    assert len(starts) == 2  # the frozen one and the one meeting Thursday's demand
    assert replace(config.stability, frozen_is_hard=False).frozen_is_hard is False
