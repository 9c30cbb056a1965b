"""breaks: policy and Washington breaks, valid on every candidate and placed by the solver."""

from __future__ import annotations

from planner.domain import BreakPolicy, Horizon
from planner.roster.break_rules import BreakSlot, needs_for, placement_problems
from planner.roster.breaks import default_placement
from tests.support.model import (
    LOS_ANGELES,
    WEEK,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
    solve_checked,
    window_need,
)

POLICY = BreakPolicy()


def test_policy_counts_and_elapsed_length() -> None:
    eight = needs_for(480, "GA", POLICY)
    assert (eight.meal_minutes, eight.rests, eight.unpaid_minutes) == (30, 2, 30)
    four = needs_for(240, "GA", POLICY)
    assert (four.meal_minutes, four.rests) == (0, 1)
    five_and_a_half_wa = needs_for(330, "WA", POLICY)  # WA: a meal over 5 paid hours
    assert five_and_a_half_wa.meal_minutes == 30


def test_washington_ten_hours_meal_sits_at_five_hours() -> None:
    needs = needs_for(600, "WA", POLICY)
    slots = default_placement(0, 630, needs)
    assert slots is not None
    meal = next(s for s in slots if s.kind == "meal")
    # 630 min elapsed: meal must start by 5 h and end no earlier than 5 h before the end.
    assert meal.start == 300
    assert not placement_problems(0, 630, slots, needs)


def test_placement_problems_name_each_broken_rule() -> None:
    needs = needs_for(480, "WA", POLICY)
    slots = [
        BreakSlot(30, 45, "rest", True),  # in the first hour
        BreakSlot(100, 130, "meal", False),  # starts 1 h 40 in: before 2 h (WA)
    ]
    found = placement_problems(0, 510, slots, needs)
    assert "1 rest(s), 2 required" in found
    assert "rest starts in the first hour or ends in the last hour" in found
    assert "WA: the meal must start 2 to 5 hours into the shift" in found
    assert "rest does not start on a 15-minute boundary" not in found


def test_every_candidate_default_placement_is_valid() -> None:
    agents = [
        make_agent("A1"),
        make_agent("W1", state="WA", timezone=LOS_ANGELES, shift_hours=(6, 10)),
    ]
    problem = make_problem(agents, make_config(), Horizon(WEEK, 1))
    offset = problem.grid.epoch_minute
    for j in range(0, len(problem.cands), 7):
        slots = problem.cands.default_breaks(j)
        s, e = int(problem.cands.start[j]), int(problem.cands.end[j])
        assert not placement_problems(s, e, slots, problem.needs(j), offset)


def test_solver_places_breaks_the_checker_accepts_and_staggers_them() -> None:
    # Two phone agents who must each work one 8 h shift; one phone agent is needed from
    # 09:00 to 17:30 on Sunday. Both work then, and their breaks never overlap, so someone
    # is always there: no shortage at all.
    agents = [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("A1", "A2")]
    config = make_config(rules=relaxed_rules())
    need = window_need(WEEK, 9, 17.5, {"phone": 1})
    result, checked = solve_checked(agents, config, Horizon(WEEK, 1), need)
    assert checked is not None
    assert result.roster is not None
    assert result.terms["under_staffing"].raw == 0
    spans = [(b.start_utc, b.end_utc) for b in result.roster.breaks]
    assert len(spans) == 2 * 3  # a meal and two rests each
    by_agent = {
        a: [(b.start_utc, b.end_utc) for b in result.roster.breaks if b.agent_id == a]
        for a in ("A1", "A2")
    }
    for s1, e1 in by_agent["A1"]:
        for s2, e2 in by_agent["A2"]:
            assert e1 <= s2 or e2 <= s1


def test_washington_twelve_hours_owes_two_meals_other_states_one() -> None:
    # WA: no more than 5 h of work without a meal. 12 paid hours with unpaid meals leave
    # 12 h of non-meal time: one meal cuts it into two stretches (10 h at most), two meals
    # into three (15 h at most), so two meals. 10 h fit around one meal (5 + 5), 10.5 h not.
    twelve = needs_for(720, "WA", POLICY)
    assert (twelve.meals, twelve.meal_minutes, twelve.unpaid_minutes) == (2, 30, 60)
    assert needs_for(600, "WA", POLICY).meals == 1
    assert needs_for(630, "WA", POLICY).meals == 2
    assert needs_for(720, "GA", POLICY).meals == 1  # company policy: one meal
    slots = default_placement(0, 780, twelve)
    assert slots is not None
    assert not placement_problems(0, 780, slots, twelve)
    meals = [s for s in slots if s.kind == "meal"]
    assert len(meals) == 2
    assert 120 <= meals[0].start <= 300  # the first meal 2 to 5 h in
    edges = [0, meals[0].start, meals[0].end, meals[1].start, meals[1].end, 780]
    assert all(b - a <= 300 for a, b in zip(edges[::2], edges[1::2], strict=True))
    one_meal = [s for s in slots if s != meals[1]]
    assert "1 meal(s), 2 required" in placement_problems(0, 780, one_meal, twelve)


def test_washington_agent_gets_twelve_hour_shifts_with_two_meals() -> None:
    # A WA agent who only works 12 h shifts and must work 24 h: two 12 h shifts (13 h
    # elapsed with two unpaid 30 min meals), each with two meals, and the checker agrees.
    agent = make_agent(
        "W1",
        state="WA",
        timezone=LOS_ANGELES,
        min_hours=24,
        max_hours=24,
        shift_hours=(12,),
        skills=("phone",),
    )
    config = make_config(rules=relaxed_rules())
    need = window_need(None, 12, 23, {"phone": 1})
    result, checked = solve_checked([agent], config, Horizon(WEEK, 1), need)
    assert checked is not None
    assert result.roster is not None
    assert [s.paid_hours for s in result.roster.shifts] == [12, 12]
    for shift in result.roster.shifts:
        assert shift.elapsed_hours == 13
        kinds = sorted(
            b.kind
            for b in result.roster.breaks
            if shift.start_utc <= b.start_utc and b.end_utc <= shift.end_utc
        )
        assert kinds == ["meal", "meal", "rest", "rest", "rest"]


def test_solver_places_breaks_on_the_configured_start_grid() -> None:
    # breaks.start_step_minutes = 20: every break starts at :00, :20 or :40, and some at
    # :20 or :40, which the default 15-minute grid never gives.
    agents = [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("A1", "A2")]
    config = make_config(rules=relaxed_rules(), breaks=BreakPolicy(start_step_minutes=20))
    need = window_need(WEEK, 9, 17.5, {"phone": 1})
    result, checked = solve_checked(agents, config, Horizon(WEEK, 1), need)
    assert checked is not None
    assert result.roster is not None
    minutes = {b.start_utc.minute for b in result.roster.breaks}
    assert minutes <= {0, 20, 40}
    assert minutes & {20, 40}
    assert needs_for(480, "GA", config.breaks).step == 20
