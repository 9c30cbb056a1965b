"""Lower bounds of the objective, in total and per term (planner.roster.bounds): never above any
valid roster's model value, tight where the answer is known, and computed in a child process
that never outlives a solve."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from planner.data.roster_io import FairnessCarry
from planner.domain import (
    Agent,
    AvailabilityWindow,
    Config,
    CoverageConfig,
    Horizon,
    ShiftConfig,
    Window,
)
from planner.roster import search
from planner.roster.bounds import (
    TERM_NAMES,
    BoundInputs,
    BoundJob,
    Bounds,
    compute_bounds,
    fairness_bound,
    overtime_bound,
)
from planner.roster.construct import construct
from planner.roster.lp_bound import lp_relaxation_bound, model_proto, relax
from planner.roster.model import total
from planner.roster.solve import (
    CP_SAT_SOURCE,
    LP_SOURCE,
    SolveOptions,
    SolveResult,
    finish_roster,
)
from planner.verify.check import check_roster
from planner.verify.report import build_report
from tests.support.model import (
    CHANNELS,
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
from tests.test_solve_property import instances, solve_case

LIMIT = 30.0


def children() -> list[int]:
    """Processes whose parent is this one (running or zombie), from /proc."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == me:
            found.append(int(entry.name))
    return found


def assert_bounds_hold(bounds: Bounds, result: SolveResult) -> None:
    """Every bound is at most the roster's model value (term by term and in total)."""
    assert result.model_objective is not None
    assert bounds.total is not None
    assert bounds.total <= result.model_objective
    for name in TERM_NAMES:
        raw = bounds.terms[name]
        assert raw is not None, name
        assert raw <= result.model_terms[name].raw, (name, raw, result.model_terms[name].raw)


def bounds_of(
    agents: list[Agent], config: Config, horizon: Horizon, need: Need, **kw: object
) -> Bounds:
    problem = make_problem(agents, config, horizon, need, prune=False, **kw)
    return compute_bounds(problem, LIMIT)


def two_agents() -> tuple[list[Agent], Config, Horizon, Need]:
    agents = [
        make_agent("A1", max_hours=16, skills=("phone", "sms")),
        make_agent("A2", max_hours=16, shift_hours=(4, 8), skills=("email",)),
    ]
    need = window_need(None, 16, 22, {"phone": 1, "email": 1})
    return agents, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need


# --- values --------------------------------------------------------------------------------


def test_bounds_are_tight_on_an_unavoidable_shortage() -> None:
    # Three phone agents needed 16:00-22:00 every day, one agent who may work 16 h a week:
    # the shortage is forced, and the LP sees exactly how much.
    agents = [make_agent("A1", max_hours=16, skills=("phone",))]
    need = window_need(None, 16, 22, {"phone": 3})
    config = make_config(rules=relaxed_rules())
    result, _ = solve_checked(agents, config, Horizon(WEEK, 1), need, time_limit=20)
    assert result.status == "optimal"

    bounds = bounds_of(agents, config, Horizon(WEEK, 1), need)

    assert_bounds_hold(bounds, result)
    assert bounds.complete
    assert bounds.terms["under_staffing"] == result.model_terms["under_staffing"].raw
    assert bounds.total == result.model_objective


def test_bounds_hold_over_two_weeks_with_overnight_need() -> None:
    # Need past midnight on every day; shifts may end at 02:00, so Saturday's late shifts
    # reach Sunday's first intervals: the split by week must still bound the whole.
    agents = [
        make_agent("N1", max_hours=24, skills=("phone", "sms")),
        make_agent("N2", max_hours=24, skills=("phone",), timezone="America/Los_Angeles"),
    ]
    need = window_need(None, 18, 26, {"phone": 1, "sms": 1})
    config = make_config(rules=relaxed_rules())
    horizon = Horizon(WEEK, 2)
    result, _ = solve_checked(agents, config, horizon, need, time_limit=20)

    bounds = bounds_of(agents, config, horizon, need)

    assert_bounds_hold(bounds, result)
    assert bounds.total is not None
    assert bounds.total > 0


def test_overtime_bound_is_the_forced_minimum() -> None:
    # 44 hours a week at least, overtime above 40: 4 hours (240 min) are forced (shifts end
    # by midnight, so the week's hours all fall in its FLSA workweek).
    agents = [make_agent("O1", min_hours=44, max_hours=48, shift_hours=(8,))]
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    config = make_config(rules=rules, shifts=ShiftConfig(latest_end=24 * 60))
    problem = make_problem(agents, config, Horizon(WEEK, 1), None, prune=False)
    assert overtime_bound(problem) == 4 * 60
    result, _ = solve_checked(agents, config, Horizon(WEEK, 1), None, time_limit=20)
    assert result.model_terms["overtime"].raw >= 4 * 60


def test_overtime_bound_lets_saturday_night_spill_into_the_next_workweek() -> None:
    # Shifts may end at 02:00: Saturday's 17:30-02:00 puts up to 2 h in the next workweek,
    # so only 44 - 2 - 40 = 2 h (120 min) are forced. (Six 8 h shifts make 48 h: the least
    # overtime is 46 - 40 = 6 h.)
    agents = [make_agent("O1", min_hours=44, max_hours=48, shift_hours=(8,))]
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    config = make_config(rules=rules)
    problem = make_problem(agents, config, Horizon(WEEK, 1), None, prune=False)
    assert overtime_bound(problem) == 2 * 60
    result, _ = solve_checked(agents, config, Horizon(WEEK, 1), None, time_limit=20)
    assert result.model_terms["overtime"].raw == 6 * 60


def test_floor_bounds_count_the_open_intervals_no_shift_reaches() -> None:
    # Open Monday to Friday 18:00-20:00 with one phone agent and one lead wanted; the only
    # agent, not a lead, is available 06:00-12:00: every open minute is short of both
    # floors, 5 x 120 = 600 each, and the bounds know it.
    agents = [make_agent("M1", skills=("phone",))]
    availability = [AvailabilityWindow("M1", d, Window(6 * 60, 12 * 60)) for d in range(5)]
    channels = (replace(CHANNELS[0], min_staff=1), *CHANNELS[1:])
    coverage = CoverageConfig(
        weekday=Window(18 * 60, 20 * 60), weekend=None, holiday=None, min_leads=1
    )
    config = make_config(rules=relaxed_rules(), channels=channels, coverage=coverage)
    bounds = bounds_of(agents, config, Horizon(WEEK, 1), None, availability_rows=availability)
    assert bounds.terms["min_staff"] == 600
    assert bounds.terms["min_leads"] == 600
    assert bounds.methods["min_staff"] == "intervals no shift can reach"
    result, _ = solve_checked(
        agents, config, Horizon(WEEK, 1), None, time_limit=20, availability=availability
    )
    assert_bounds_hold(bounds, result)
    assert result.model_terms["min_staff"].raw == 600


def test_fairness_bound_from_carried_over_counts() -> None:
    # Two weekend-eligible full-timers of equal exposure; B carries 6 weekend shifts, A none.
    # In a week A can work at most 2 weekend shifts (Sat, Sun), B at least 0 more: at best
    # A 2, B 6, T = 8, shares 4 and 4: |2 - 4| + |6 - 4| = 4 shifts -> 400.
    agents = [make_agent("A", max_hours=40), make_agent("B", max_hours=40)]
    config = make_config(rules=relaxed_rules())
    history = {"A": FairnessCarry({"weekend": 0}), "B": FairnessCarry({"weekend": 6})}
    problem = make_problem(agents, config, Horizon(WEEK, 1), None, fairness_history=history)
    assert fairness_bound(problem) == 400
    result, _ = solve_checked(
        agents, config, Horizon(WEEK, 1), None, time_limit=20, fairness_history=history
    )
    assert result.model_terms["fairness"].raw >= 400


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_bounds_never_exceed_a_valid_roster(case: dict) -> None:  # type: ignore[type-arg]
    result, _ = solve_case(case)
    if result.roster is None:
        return
    horizon = Horizon(WEEK, 1)
    bounds = bounds_of(
        case["agents"],
        case["config"],
        horizon,
        case["need"],
        availability_rows=case["availability"],
        time_off_rows=case["time_off"],
        preferences=case["preferences"],
        previous=case["previous"],
        contacts=case["contacts"],
    )
    assert_bounds_hold(bounds, result)


def test_bounds_hold_with_an_email_backlog() -> None:
    # Email arrives all afternoon and evening; A (phone, email) and B (email) may work 16 h.
    # The week's LP may serve all the email arrived since the grid's start with the week's
    # presence, so its idle time and shortage stay below every roster's; the backlog term
    # has no bound (0).
    agents = [
        make_agent("A", max_hours=16, skills=("phone", "email")),
        make_agent("B", max_hours=16, shift_hours=(4, 8), skills=("email",)),
    ]

    def emails(local, channel):  # type: ignore[no-untyped-def]
        return 4 if channel == "email" and 12 <= local.hour < 22 and not local.minute else 0

    need = window_need(None, 16, 22, {"phone": 1})
    config = make_config(rules=relaxed_rules())
    horizon = Horizon(WEEK, 1)
    result, _ = solve_checked(agents, config, horizon, need, time_limit=20, contacts=emails)
    bounds = bounds_of(agents, config, horizon, need, contacts=emails)
    assert_bounds_hold(bounds, result)
    assert bounds.terms["deferred_overdue"] == 0
    assert bounds.methods["deferred_overdue"] == "none (0)"


def test_a_tiny_time_limit_still_gives_valid_bounds() -> None:
    agents, config, horizon, need = two_agents()
    problem = make_problem(agents, config, horizon, need, prune=False)

    bounds = compute_bounds(problem, 1e-3)

    assert not bounds.complete
    assert bounds.methods["under_staffing"] == "intervals no shift can reach"
    assert bounds.methods["over_staffing"] == "none (0)"
    weights = config.weights
    assert bounds.total == sum(getattr(weights, n) * raw for n, raw in bounds.terms.items())
    again = Bounds.from_json(bounds.to_json())
    assert (again.total, again.terms, again.methods, again.notes) == (
        bounds.total,
        bounds.terms,
        bounds.methods,
        bounds.notes,
    )
    result, _ = solve_checked(agents, config, horizon, need, time_limit=20)
    assert_bounds_hold(bounds, result)


# --- weak duality ----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=3))
def test_any_multipliers_give_a_valid_bound(multipliers: list[float]) -> None:
    # min x + y + z, x + y >= 1, y + z >= 1, x + z >= 1 over [0, 1]: the LP optimum is 1.5.
    model = cp_model.CpModel()
    x, y, z = (model.new_bool_var(n) for n in "xyz")
    model.add(x + y >= 1)
    model.add(y + z >= 1)
    model.add(x + z >= 1)
    model.minimize(x + y + z)
    relaxation = relax(model_proto(model))

    bound = relaxation.weak_dual(relaxation.objective.c, np.asarray(multipliers))

    assert bound is not None
    assert bound <= 1.5 + 1e-9
    assert relaxation.weak_dual(relaxation.objective.c, np.array([0.5, 0.5, 0.5])) == pytest.approx(
        1.5
    )
    assert lp_relaxation_bound(model, time_limit=10).bound == 2


# --- in a solve and in the report ------------------------------------------------------------


def test_solve_reports_a_bound_per_term() -> None:
    agents, config, horizon, need = two_agents()
    options = SolveOptions(time_limit=30, workers=1, lp_bound_seconds=30)
    result, _ = solve_checked(agents, config, horizon, need, options=options)

    # The whole model is proven optimal here: CP-SAT's bound may beat the LP's (B, email
    # only, has no email to answer; A's whole shifts leave idle time fractional LP shifts
    # do not); the per-term bounds come from the LP either way.
    assert result.bound_source in (LP_SOURCE, CP_SAT_SOURCE)
    assert result.bound is not None
    assert result.model_objective is not None
    assert result.bound <= result.model_objective
    assert set(result.term_bounds) == set(TERM_NAMES)
    report = build_report(result)
    for name, row in report["terms"].items():
        assert row["bound"] is not None, name
        assert row["bound"] <= row["model_cost"]
        assert 0 <= row["gap"] <= 1
    assert total(result.model_terms) == result.model_objective


# --- the child process -----------------------------------------------------------------------


def inputs_of(agents: list[Agent], config: Config, horizon: Horizon, need: Need) -> BoundInputs:
    requirements = make_requirements(config, horizon, need)
    return BoundInputs(
        tuple(agents), requirements, config, horizon, {"calendar": calendar_for(config, horizon)}
    )


def test_child_process_gives_the_in_process_bounds_and_is_reaped() -> None:
    agents, config, horizon, need = two_agents()
    inputs = inputs_of(agents, config, horizon, need)
    expected = compute_bounds(inputs.problem(), LIMIT)
    with BoundJob(inputs, LIMIT) as job:
        process = job.process
        assert process is not None
        deadline = time.perf_counter() + 90
        while job.running and time.perf_counter() < deadline:
            time.sleep(0.1)
        bounds, note = job.finish()
    assert bounds is not None
    assert bounds.complete, note
    assert (bounds.total, bounds.terms) == (expected.total, expected.terms)
    assert process.returncode == 0
    assert process.pid not in children()


def test_finish_kills_a_running_child() -> None:
    agents, config, horizon, need = two_agents()
    job = BoundJob(inputs_of(agents, config, horizon, need), LIMIT)
    process = job.process
    assert process is not None
    bounds, note = job.finish()  # at once: the child is still starting Python
    assert bounds is None
    assert "no bound" in note
    assert process.returncode is not None
    assert process.pid not in children()
    job.close()  # idempotent


def test_no_child_left_after_solve_in_every_mode() -> None:
    agents, config, horizon, need = two_agents()
    for mode in ("full", "plain", "hinted"):
        options = SolveOptions(time_limit=20, workers=1, lp_bound_seconds=20, mode=mode)  # type: ignore[arg-type]
        result, _ = solve_checked(agents, config, horizon, need, options=options)
        assert result.roster is not None, mode
        assert children() == [], mode


def test_no_child_left_after_a_cancelled_solve() -> None:
    agents, config, horizon, need = two_agents()
    cancel = threading.Event()
    options = SolveOptions(
        time_limit=30, workers=1, lp_bound_seconds=30, mode="plain", cancel=cancel
    )
    cancel.set()  # cancelled before CP-SAT starts: the child has started and must be stopped
    result, _ = solve_checked(agents, config, horizon, need, options=options)
    assert result.status in {"cancelled_with_roster", "no_roster"}
    assert children() == []


def test_the_search_takes_each_better_bound_as_it_arrives(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bounds arrive in steps (closed forms, then each phase of LPs): the search keeps the best.
    monkeypatch.setattr(search, "WHOLE_MODEL_CANDIDATES", 0)  # go straight to the LNS loop
    agents, config, horizon, need = two_agents()
    problem = make_problem(agents, config, horizon, need)
    start = construct(problem).incumbent
    assert start is not None
    arrivals = iter([None, 10.0, 5.0, 20.0])

    # Long enough for four polls even on a loaded machine (2 s was flaky there).
    result = search.lns(
        problem,
        start,
        deadline=time.perf_counter() + 6,
        workers=1,
        seed=0,
        cancel=None,
        progress=None,
        began=time.perf_counter(),
        poll_bound=lambda: next(arrivals, 15.0),
    )

    assert result.bound == 20.0
    # The roster the search returns passes the independent check, with the same terms.
    roster, terms, _ = finish_roster(problem, result.incumbent)
    checked = check_roster(
        roster,
        agents,
        config,
        horizon,
        calendar_for(config, horizon),
        requirements=make_requirements(config, horizon, need),
    )
    assert checked.ok, [str(v) for v in checked.violations]
    assert {name: t.raw for name, t in terms.items()} == {n: checked.terms[n] for n in terms}
