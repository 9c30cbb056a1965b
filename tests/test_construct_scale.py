"""The engine's answers to large teams: the constructive start's thinned shifts and break
placement that stops at the solve's deadline. Small instances stand in for large ones by
lowering the threshold; every roster goes through the independent checker."""

from __future__ import annotations

import time

import numpy as np
import pytest

from planner.domain import Agent, Config, Horizon
from planner.roster import construct as construct_module
from planner.roster.construct import construct, thin
from planner.roster.solve import SolveOptions, finish_roster
from planner.verify.check import check_roster
from tests.support.model import (
    WEEK,
    Need,
    calendar_for,
    make_agent,
    make_config,
    make_problem,
    make_requirements,
    relaxed_rules,
    solve_checked,
    window_need,
)


def _team() -> tuple[list[Agent], Config, Horizon, Need]:
    agents = [make_agent(f"A{i}", min_hours=16, max_hours=24) for i in range(3)]
    config = make_config(rules=relaxed_rules())
    need = window_need(WEEK, 9, 21, {"phone": 1, "sms": 1})
    return agents, config, Horizon(WEEK, 1), need


def test_small_teams_are_not_thinned() -> None:
    agents, config, horizon, need = _team()
    problem = make_problem(agents, config, horizon, need)
    assert len(problem.cands) <= construct_module.THIN_ABOVE
    assert thin(problem) is None


def test_thinned_starts_are_every_other_step_plus_each_buckets_first_and_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(construct_module, "THIN_ABOVE", 0)
    agents, config, horizon, need = _team()
    problem = make_problem(agents, config, horizon, need)
    keep = thin(problem)
    assert keep is not None
    cands = problem.cands
    step = config.shifts.start_step_minutes
    # 30-minute steps: the starts on the hour are kept, half past only at a bucket's ends.
    assert keep[(cands.local_start // step) % 2 == 0].all()
    for a in range(problem.n_agents):
        for day in range(problem.n_days):
            ids = problem.candidates_of(a, day)
            for paid in set(cands.paid[ids.start : ids.stop].tolist()):
                bucket = [j for j in ids if cands.paid[j] == paid]
                assert keep[bucket[0]]
                assert keep[bucket[-1]]
    assert 0 < keep.sum() < len(keep)


def test_a_thinned_constructive_start_keeps_every_hard_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The whole solve on a "large" team (threshold 0): construct on the thinned shifts, then
    # the search over all of them; the checker accepts the roster and agrees on every term.
    monkeypatch.setattr(construct_module, "THIN_ABOVE", 0)
    agents, config, horizon, need = _team()
    problem = make_problem(agents, config, horizon, need)
    keep = thin(problem)
    assert keep is not None
    made = construct(problem)
    assert made.complete
    assert made.incumbent is not None
    # Only thinned shifts were taken.
    assert not (made.incumbent.chosen & ~keep).any()
    result, checked = solve_checked(
        agents, config, horizon, need, options=SolveOptions(time_limit=5, workers=1)
    )
    assert checked is not None
    assert result.roster is not None


def test_an_agent_the_thinned_shifts_cannot_schedule_gets_all_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Keep nothing of agent 0's shifts: their minimum hours cannot hold among them, so they
    # are scheduled again over every candidate.
    agents, config, horizon, need = _team()
    problem = make_problem(agents, config, horizon, need)
    keep = np.ones(len(problem.cands), dtype=bool)
    own = problem.candidates_of_agent(0)
    keep[own.start : own.stop] = False
    monkeypatch.setattr(construct_module, "thin", lambda _problem: keep)
    made = construct(problem)
    assert made.complete
    assert made.incumbent is not None
    assert made.incumbent.chosen[own.start : own.stop].any()


def test_breaks_stop_moving_at_the_deadline() -> None:
    # A deadline already past: no break moves, the roster keeps its default breaks and is
    # still valid, with the checker's terms.
    agents, config, horizon, need = _team()
    problem = make_problem(agents, config, horizon, need)
    made = construct(problem)
    assert made.incumbent is not None
    late, _, late_presence = finish_roster(problem, made.incumbent, time.perf_counter() - 1)
    assert (late_presence == made.incumbent.group_presence).all()
    free, _, _ = finish_roster(problem, made.incumbent)
    assert len(late.breaks) == len(free.breaks)
    for roster in (late, free):
        checked = check_roster(
            roster,
            agents,
            config,
            horizon,
            calendar_for(config, horizon),
            requirements=make_requirements(config, horizon, need),
        )
        assert checked.ok, [str(v) for v in checked.violations]
