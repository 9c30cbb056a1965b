"""The model as a whole: registry names, linearity, and the model's terms against the exact
evaluation and the independent checker."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from ortools.sat.python import cp_model

from constraints.registry import HARD_RULE_NAMES, SOFT_RULE_NAMES
from planner.domain import Horizon
from planner.roster.lp_bound import lp_relaxation_bound
from planner.roster.model import build_model, evaluate_incumbent, solve_model, total
from planner.roster.search import under_staffed_hours
from planner.roster.variables import Incumbent, Scope, Solution
from planner.verify.check import HARD_RULE_CHECKS
from planner.verify.terms import TERM_NAMES
from tests.support.model import (
    LOS_ANGELES,
    WEEK,
    feasible,
    find,
    make_agent,
    make_config,
    make_problem,
    make_requirements,
    relaxed_rules,
    window_need,
)


def test_hard_rule_names_match_the_checker() -> None:
    assert set(HARD_RULE_NAMES) == set(HARD_RULE_CHECKS)
    assert len(HARD_RULE_NAMES) == len(set(HARD_RULE_NAMES)) == 17


def test_soft_rule_names_are_the_objective_terms_in_order() -> None:
    assert SOFT_RULE_NAMES == TERM_NAMES


def _small_problem():  # type: ignore[no-untyped-def]
    agents = [
        make_agent("A1", skills=("phone", "sms"), max_hours=16),
        make_agent("A2", skills=("email",), max_hours=16, shift_hours=(4, 8)),
        make_agent("W1", state="WA", timezone=LOS_ANGELES, max_hours=16),
    ]
    need = window_need(None, 17, 23, {"phone": 1, "sms": 1, "email": 1})
    config = make_config(rules=relaxed_rules(min_rest_hours=10))
    return make_problem(agents, config, Horizon(WEEK, 1), need)


def test_the_model_is_linear_so_its_lp_relaxation_is_a_bound() -> None:
    problem = _small_problem()
    built = build_model(problem, hints=False)
    constraints = list(built.model.proto.constraints)
    assert constraints
    assert all(c.has_linear() for c in constraints)
    assert not any(len(c.enforcement_literal) for c in constraints)
    outcome = solve_model(built, time_limit=20, workers=1)
    assert outcome.status == "OPTIMAL"
    bound = lp_relaxation_bound(built.model, time_limit=30)
    assert bound.status == "optimal"
    assert bound.bound is not None
    assert outcome.objective is not None
    assert bound.bound <= outcome.objective


def test_model_terms_equal_the_exact_evaluation_at_the_optimum() -> None:
    problem = _small_problem()
    built = build_model(problem, hints=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    solver.parameters.linearization_level = 2
    assert solver.solve(built.model) == cp_model.OPTIMAL
    chosen = built.variables.values(solver.response_proto.solution)
    incumbent = Incumbent.empty(problem)
    incumbent.update(problem, chosen, on=True)
    exact = evaluate_incumbent(problem, incumbent)
    for term in built.terms:
        value = term.expr if isinstance(term.expr, int) else solver.value(term.expr)
        assert value == exact[term.name].raw, term.name
    assert total(exact) == round(solver.objective_value)


def test_one_agent_models_price_coverage_exactly() -> None:
    # The constructive start prices a lone agent's shifts per candidate ("marginal"); the
    # optimum must equal the one of the same model with coverage variables.
    problem = _small_problem()
    others = Incumbent.empty(problem)
    first = problem.candidates_of(0, 0)
    others.update(problem, [first.start + 10], on=True)
    marginal = build_model(problem, Scope((1,), range(problem.n_days)), others, hints=False)
    assert marginal.variables.marginal
    exact = build_model(
        problem, Scope((1, 2), range(problem.n_days)), others, hints=False
    )  # two free agents: exact coverage variables
    # Fix agent 2 (W1) to not work in the exact model so both decide agent 1 alone.
    for j in range(*problem.day_offsets[2, [0, -1]]):
        exact.model.add(exact.variables.var(j) == 0)
    a = solve_model(marginal, time_limit=20)
    b = solve_model(exact, time_limit=20)
    assert a.status == b.status == "OPTIMAL"
    assert a.objective == b.objective


def test_incremental_coverage_bookkeeping() -> None:
    problem = _small_problem()
    rng = np.random.default_rng(3)
    chosen = rng.random(len(problem.cands)) < 0.05
    built_up = Incumbent.empty(problem)
    built_up.update(problem, np.flatnonzero(chosen), on=True)
    drop = np.flatnonzero(chosen)[::2]
    built_up.update(problem, drop, on=False)
    chosen[drop] = False
    fresh = Incumbent.from_chosen(problem, chosen)
    assert (built_up.group_presence == fresh.group_presence).all()
    assert under_staffed_hours(problem, fresh) >= 0


def test_fall_back_night_candidates_keep_their_real_length() -> None:
    # 2026-11-01 02:00 EDT falls back to 01:00 EST; a shift may start at 00:30 here.
    from planner.domain import ShiftConfig

    config = make_config(shifts=ShiftConfig(earliest_start=0, latest_end=34 * 60))
    problem = make_problem([make_agent()], config, Horizon(WEEK - timedelta(days=35), 1))
    cands = problem.cands
    day0 = problem.candidates_of(0, 0)
    starts = cands.local_start[day0.start : day0.stop].tolist()
    j = day0.start + starts.index(30)
    assert cands.end[j] - cands.start[j] == 510  # real elapsed: 8 h + 30 min meal
    assert cands.local_end[j] == 8 * 60  # the clock shows 00:30 -> 08:00 (7.5 h)


def test_pruning_drops_useless_shifts_but_not_a_days_only_options() -> None:
    # Demand only on Sunday evening: Sunday shifts that cover none of it go (except the
    # earliest and latest of each length); Monday has no demand, so all its shifts stay.
    need = window_need(WEEK, 20, 22, {"phone": 1})
    config = make_config()
    pruned = make_problem([make_agent()], config, Horizon(WEEK, 1), need)
    full = make_problem([make_agent()], config, Horizon(WEEK, 1), need, prune=False)
    sunday_pruned = len(pruned.candidates_of(0, 0))
    sunday_full = len(full.candidates_of(0, 0))
    assert sunday_pruned < sunday_full
    # 8 h + 30 min shifts that reach 20:00: starting 12:00 .. 17:30 (12), plus the earliest.
    assert sunday_pruned == 12 + 1
    assert len(pruned.candidates_of(0, 1)) == len(full.candidates_of(0, 1))


def test_default_breaks_leave_the_presence_the_model_counts() -> None:
    problem = _small_problem()
    j = problem.candidates_of(0, 0).start
    row = problem.cands.presence[[j]].toarray().ravel()
    elapsed = int(problem.cands.end[j] - problem.cands.start[j])
    away = sum(b.end - b.start for b in problem.cands.default_breaks(j))
    assert row.sum() == elapsed - away == problem.cands.total[j]
    solution = Solution(
        problem,
        np.zeros(len(problem.cands), bool),
        np.zeros((problem.grid.n_intervals, 3), np.int64),
    )
    assert solution.group_presence.sum() == 0


# Tests of the shared builders in tests/support/model.py


def test_requirements_cover_the_horizon_in_business_time() -> None:
    config = make_config()
    horizon = Horizon(WEEK, 1)
    frame = make_requirements(config, horizon, window_need(None, 18, 20, {"phone": 2}))
    # 7 days x 48 half hours + 4 hours past the last midnight, 3 channels each.
    assert len(frame) == (7 * 48 + 8) * 3
    assert frame["staff_needed"].sum() == 7 * 4 * 2


def test_find_and_feasible_agree_on_a_single_agent() -> None:
    config = make_config(rules=relaxed_rules())
    problem = make_problem([make_agent(max_hours=8)], config, Horizon(WEEK, 1))
    first = find(problem, 0, 0, "09:00", 8)
    second = find(problem, 0, 1, "09:00", 8)
    assert feasible(problem, [first])
    # 16 paid hours break the 8-hour weekly maximum.
    assert not feasible(problem, [first, second])
    assert int(np.asarray(problem.cands.paid)[first]) == 480
