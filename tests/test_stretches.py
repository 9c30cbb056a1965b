"""The stretch automaton (planner/roster/stretches.py): its paths are exactly the sequences
of worked dates that max_consecutive_days, min_consecutive_days and
min_consecutive_days_off allow (horizon edges free, days before the horizon counting towards
the maximum), both as an automaton and as the flow posted in a CP-SAT model."""

from __future__ import annotations

import itertools
from datetime import timedelta

from ortools.sat.python import cp_model

from constraints import one_shift_per_day
from planner.domain import Horizon
from planner.roster.stretches import _Rules, add_stretch_flow
from planner.roster.variables import Incumbent, Scope, Variables
from tests.support.model import WEEK, make_agent, make_problem, named_config, named_shift


def allowed(seq: tuple[int, ...], most: int, least: int, least_off: int, before: int) -> bool:
    """The three rules read directly: every run, its length, whether it touches an edge."""
    runs: list[list[int]] = []  # [worked, first date, last date]
    for d, w in enumerate(seq):
        if runs and runs[-1][0] == w:
            runs[-1][2] = d
        else:
            runs.append([w, d, d])
    for k, (w, first, last) in enumerate(runs):
        length = last - first + 1 + (before if w and first == 0 else 0)
        inner = 0 < k < len(runs) - 1
        if w and (length > most or (inner and length < least)):
            return False
        if not w and inner and length < least_off:
            return False
    return True


def accepted(seq: tuple[int, ...], rules: _Rules, before: int) -> bool:
    state: tuple[bool, int, bool] | None = (False, -before, True)
    for w in seq:
        assert state is not None
        state = rules.step(state, bool(w))
        if state is None:
            return False
    return True


def test_the_automaton_accepts_exactly_the_allowed_sequences() -> None:
    for most, least, least_off in itertools.product(range(1, 5), range(1, 4), range(1, 4)):
        rules = _Rules(most, least, least_off)
        for before in range(most + 1):
            for n in range(1, 8):
                for seq in itertools.product((0, 1), repeat=n):
                    assert accepted(seq, rules, before) == allowed(
                        seq, most, least, least_off, before
                    ), (most, least, least_off, before, seq)


def flow_allows(problem, seq) -> bool:  # type: ignore[no-untyped-def]
    """The flow alone (with one shift a day), each date's worked flag forced to ``seq``."""
    model = cp_model.CpModel()
    v = Variables(model, problem, Scope.everything(problem), Incumbent.empty(problem))
    one_shift_per_day.add(v)
    add_stretch_flow(v, 0)
    for d, w in enumerate(seq):
        model.add(v.works(0, d) == w)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return status == cp_model.OPTIMAL


def test_the_flow_in_a_model_allows_exactly_the_allowed_weeks() -> None:
    agent = make_agent()
    config = named_config(
        max_consecutive_days=3, min_consecutive_days=2, min_consecutive_days_off=2
    )
    previous = [named_shift(agent, WEEK - timedelta(days=k), "E") for k in (1, 2)]
    problem = make_problem([agent], config, Horizon(WEEK, 1), previous=previous)
    for seq in itertools.product((0, 1), repeat=7):
        assert flow_allows(problem, seq) == allowed(seq, 3, 2, 2, before=2), seq


def test_no_flow_without_a_minimum() -> None:
    problem = make_problem([make_agent()], named_config(max_consecutive_days=3), Horizon(WEEK, 1))
    model = cp_model.CpModel()
    v = Variables(model, problem, Scope.everything(problem), Incumbent.empty(problem))
    add_stretch_flow(v, 0)
    assert len(model.proto.constraints) == 0
