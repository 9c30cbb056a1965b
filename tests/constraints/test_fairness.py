"""fairness: each agent's count of closers, weekends, holidays (weighted) and evenings against
their share at the team's rate, by exposure, with carry-over; solver and checker agree."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from constraints import fairness as rule
from planner.data.roster_io import FAIRNESS_KINDS, FairnessCarry, shift_flags
from planner.domain import (
    AvailabilityWindow,
    FairnessConfig,
    FairnessKindWeights,
    Horizon,
    ShiftConfig,
    TimeOff,
    Window,
)
from planner.roster.bounds import fairness_bound
from planner.roster.model import build_model, evaluate_incumbent, solve_model, total
from planner.roster.variables import Incumbent, Scope
from planner.verify.fairness import eligible
from planner.verify.kpi import fairness_kpis
from tests.support.model import (
    WEEK,
    calendar_for,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
    shifts_of,
    solve_checked,
)

SATURDAY = WEEK + timedelta(days=6)
WEDNESDAY = WEEK + timedelta(days=3)
CHRISTMAS_WEEK = date(2026, 12, 20)  # Sunday; Friday 25 December is Christmas Day


def need(t, channel):  # type: ignore[no-untyped-def]
    """Phone needs 1 from 10:00 to 18:30 on Wednesday and on Saturday."""
    hour = t.hour + t.minute / 60
    return int(channel == "phone" and t.date() in (WEDNESDAY, SATURDAY) and 10 <= hour < 18.5)


def agents() -> list:  # type: ignore[type-arg]
    """Two full-timers of exactly one 8 h shift a week (equal exposure, 480 minutes)."""
    return [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("A1", "A2")]


def test_one_weekend_shift_between_two_agents() -> None:
    # One works Saturday, the other Wednesday: weekend counts 1 and 0, T = 1, shares 0.5:
    # |1 - 0.5| + |0 - 0.5| = 1 shift -> 100. No evening, closer or holiday (ends 18:30).
    result, _ = solve_checked(agents(), make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["fairness"].raw == 100


def test_carried_over_weekend_evens_it_out() -> None:
    # Both were here last week (8 h); A2 worked a weekend then: A1 takes this Saturday,
    # counts 1 and 1 over equal exposure: 0.
    history = {
        "A1": FairnessCarry({}, weeks=1, minutes=480),
        "A2": FairnessCarry({"weekend": 1}, weeks=1, minutes=480),
    }
    result, _ = solve_checked(
        agents(),
        make_config(rules=relaxed_rules()),
        Horizon(WEEK, 1),
        need,
        fairness_history=history,
    )
    assert result.terms["fairness"].raw == 0
    assert [s.date for s in shifts_of(result, "A1")] == [SATURDAY]


def test_part_timers_form_their_own_group() -> None:
    # A part-timer alone in their group adds nothing, whatever they work: still 100.
    team = [*agents(), make_agent("P1", contract="part_time", max_hours=8, skills=("email",))]
    result, _ = solve_checked(team, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need)
    assert result.terms["fairness"].raw == 100


def closing_need(t, channel):  # type: ignore[no-untyped-def]
    """Phone needs 1 from 16:00 to 00:30 after Sun 20, Wed 23, Fri 25 (Christmas Day) and
    Sat 26 December, and from 08:00 to 16:30 on Tue 22."""
    if channel != "phone":
        return 0
    minute = t.hour * 60 + t.minute
    day = t.date() if minute >= 30 else t.date() - timedelta(days=1)
    offset = (day - CHRISTMAS_WEEK).days
    late = minute >= 16 * 60 or minute < 30
    early = 8 * 60 <= minute < 16 * 60 + 30
    return int((late and offset in (0, 3, 5, 6)) or (early and t.date().day == 22))


def test_three_agents_by_hand_solver_and_checker() -> None:
    """Christmas week. Shifts start at 08:00 or later and end by 00:30. Time off leaves A1
    (8 h) Fri 25 and Sat 26, A2 (16 h) Sun 20, Mon 21 and Sat 26, A3 (16 h) Tue 22 to Thu 24:
    the demand and the weekly maxima make A1 close Christmas Day, A2 close Sun 20 and Sat 26,
    A3 work Tue 22 08:00-16:30 and close Wed 23. Exposure 8, 16, 16 h (E = 40 h).

    weekend: 0, 2, 0; T = 2, shares 0.4, 0.8, 0.8: 0.4 + 1.2 + 0.8 = 2.4 -> 240
    evening: 1, 2, 1; T = 4, shares 0.8, 1.6, 1.6: 0.2 + 0.4 + 0.6 = 1.2 -> 120 (closer too)
    holiday: Christmas Day counts 3: 3, 0, 0; T = 3, shares 0.6, 1.2, 1.2: 2.4 + 1.2 + 1.2
    -> 480
    Kind weights evening 0, closer 3: 240 + 0 + 3 x 120 + 480 = 1080.
    """
    free = {"A1": (5, 6), "A2": (0, 1, 6), "A3": (2, 3, 4)}
    hours = {"A1": 8, "A2": 16, "A3": 16}
    team = [
        make_agent(a, min_hours=0, max_hours=hours[a], skills=("phone",), shift_hours=(8,))
        for a in free
    ]
    time_off = [
        TimeOff(a, CHRISTMAS_WEEK + timedelta(days=d))
        for a in free
        for d in range(7)
        if d not in free[a]
    ]
    weights = FairnessKindWeights(evening=0, closer=3)
    config = make_config(
        rules=relaxed_rules(),
        shifts=ShiftConfig(earliest_start=8 * 60, latest_end=24 * 60 + 30),
        fairness=FairnessConfig(kind_weights=weights),
    )
    horizon = Horizon(CHRISTMAS_WEEK, 1)
    result, checked = solve_checked(team, config, horizon, closing_need, time_off=time_off)
    assert checked is not None
    worked = {a: [(s.date.day, s.start_local.hour) for s in shifts_of(result, a)] for a in free}
    assert worked == {"A1": [(25, 16)], "A2": [(20, 16), (26, 16)], "A3": [(22, 8), (23, 16)]}
    assert result.terms["fairness"].raw == 240 + 3 * 120 + 480 == 1080
    assert checked.terms["fairness"] == 1080
    problem = make_problem(team, config, horizon, closing_need, time_off_rows=time_off, prune=False)
    assert 0 <= fairness_bound(problem) <= 1080
    assert result.roster is not None
    kpis = fairness_kpis(
        result.roster,
        {a.agent_id: a for a in team},
        config,
        horizon,
        calendar_for(config, horizon),
        time_off=time_off,
    )
    a1 = kpis["agents"]["A1"]
    assert a1["holidays"] == [{"date": "2026-12-25", "name": "Christmas Day", "weight": 3}]
    assert (a1["count"]["holiday"], a1["share"]["holiday"], a1["deviation"]["holiday"]) == (
        3,
        0.6,
        2.4,
    )
    assert kpis["groups"]["full_time"]["weekend"]["penalty"] == 240


def new_hire_need(t, channel):  # type: ignore[no-untyped-def]
    """Phone needs 1 from 10:00 to 18:30 every Wednesday, Saturday and Sunday."""
    hour = t.hour + t.minute / 60
    return int(channel == "phone" and t.weekday() in (2, 5, 6) and 10 <= hour < 18.5)


def test_a_new_hire_takes_their_share_of_weekends_not_the_backlog() -> None:
    """Three agents of one 8 h shift a week; every week needs Wednesday, Saturday and Sunday,
    so two of each week's three shifts are weekends. V1 and V2 worked 24 weeks at that same
    rate (16 weekends each); N is new. Over 4 weeks (8 weekend shifts) the team's total is
    T = 40 over E = 28 + 28 + 4 = 60 weeks of 8 h: N's share is 40 x 4 / 60 = 2.67.

    The old rule (max - min of raw counts) gave N every weekend (4): N = 2 or 3 now, with
    deviations |2.67 - N| + 2 x |V - 18.67| both 1.33; N = 4 would cost 2.67."""
    team = [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("V1", "V2", "N")]
    veteran = FairnessCarry({"weekend": 16}, weeks=24, minutes=24 * 480)
    history = {"V1": veteran, "V2": veteran}
    config = make_config(rules=relaxed_rules())
    result, checked = solve_checked(
        team, config, Horizon(WEEK, 4), new_hire_need, fairness_history=history, time_limit=20
    )
    assert checked is not None
    assert result.terms["under_staffing"].raw == checked.terms["under_staffing"]
    weekends = {
        a.agent_id: sum(s.date.weekday() >= 5 for s in shifts_of(result, a.agent_id)) for a in team
    }
    assert sum(weekends.values()) == 8
    assert weekends["N"] in (2, 3)
    assert result.terms["fairness"].raw == 133  # round(100 x 1.3333)


def test_candidate_kinds_equal_the_checkers_flags_across_dst_nights() -> None:
    """Every candidate's units (weekend, evening, holiday weight, closer) equal what the
    checker reads from the same shift, for agents in New York and Los Angeles over the
    spring-forward and fall-back weekends and Thanksgiving."""
    team = [
        make_agent("NY", max_hours=40, shift_hours=(4, 8, 10)),
        make_agent("LA", state="WA", timezone="America/Los_Angeles", shift_hours=(4, 8, 10)),
    ]
    config = make_config(rules=relaxed_rules(), shifts=ShiftConfig(latest_end=26 * 60))
    calendar_weeks = [date(2026, 3, 1), date(2026, 10, 25), date(2026, 11, 22)]
    for start in calendar_weeks:
        horizon = Horizon(start, 2)
        problem = make_problem(team, config, horizon, None, prune=False)
        calendar = calendar_for(config, horizon)
        cands = problem.cands
        assert len(cands) > 1000
        assert cands.kinds[:, FAIRNESS_KINDS.index("closer")].any()
        for j in range(len(cands)):
            agent = team[int(cands.agent[j])]
            flags = shift_flags(problem.to_shift(j), agent, config, calendar)
            expected = [flags.units(k) for k in FAIRNESS_KINDS]
            assert cands.kinds[j].tolist() == expected, (start, j, problem.to_shift(j))
    thanksgiving = make_problem(team, config, Horizon(date(2026, 11, 22), 1), None)
    assert set(np.unique(thanksgiving.cands.kinds[:, FAIRNESS_KINDS.index("holiday")])) == {0, 3}


@pytest.mark.parametrize("kind", FAIRNESS_KINDS)
def test_value_formula_matches_the_definition(kind: str) -> None:
    """group_raw = floor(100 x sum |c - T e / E| + 1/2) on a random small case, exposures
    reduced or not."""
    rng = np.random.default_rng(FAIRNESS_KINDS.index(kind))
    counts = rng.integers(0, 9, size=5).tolist()
    exposure = (rng.integers(1, 6, size=5) * 480).tolist()
    from fractions import Fraction

    total, big_e = sum(counts), sum(exposure)
    dev = sum(abs(c - Fraction(total * e, big_e)) for c, e in zip(counts, exposure, strict=True))
    expected = int(100 * dev + Fraction(1, 2))
    assert rule.group_raw(counts, exposure) == expected
    assert rule.group_raw(counts, rule.reduced(np.array(exposure))) == expected


def test_fixed_members_pieces_equal_the_spread_at_every_total() -> None:
    """The fixed members' part, max over lines, equals sum |c E - T e| at every whole T."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 6))
        counts = rng.integers(0, 30, size=n).tolist()
        exposure = rng.integers(1, 9, size=n).tolist()
        big_e = sum(exposure) + int(rng.integers(0, 9))
        low = int(rng.integers(0, 40))
        high = low + int(rng.integers(0, 40))
        lines = rule.fixed_pieces(counts, exposure, big_e, low, high)
        for team in range(low, high + 1):
            exact = sum(abs(c * big_e - team * e) for c, e in zip(counts, exposure, strict=True))
            assert max(v + s * (team - t) for t, v, s in lines) == exact


@pytest.mark.parametrize("free", [(0,), (2,), (0, 1)])
def test_a_neighbourhood_model_prices_the_incumbent_exactly(free: tuple[int, ...]) -> None:
    """With some agents free and the others fixed (their deviations folded into one piecewise
    function of the team total), the model forced to the incumbent costs exactly what the
    exact evaluation says, and its optimum is no worse."""
    team = [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("V1", "V2", "N")]
    veteran = FairnessCarry({"weekend": 16, "evening": 3, "closer": 5}, weeks=24, minutes=24 * 480)
    config = make_config(rules=relaxed_rules())
    problem = make_problem(
        team, config, Horizon(WEEK, 2), new_hire_need, fairness_history={"V1": veteran}
    )
    rng = np.random.default_rng(sum(free))
    incumbent = Incumbent.empty(problem)
    for a in range(3):  # one random shift a week each: a valid roster
        for week in range(2):
            day = 7 * week + int(rng.integers(0, 7))
            ids = problem.candidates_of(a, day)
            incumbent.update(problem, [int(rng.integers(ids.start, ids.stop))], on=True)
    exact = total(evaluate_incumbent(problem, incumbent))
    forced = build_model(problem, Scope(free, range(problem.n_days)), incumbent)
    for j, var in forced.variables.free_vars().items():
        forced.model.add(var == int(incumbent.chosen[j]))
    outcome = solve_model(forced, time_limit=10)
    assert outcome.status == "OPTIMAL"
    assert outcome.objective == exact
    best = solve_model(
        build_model(problem, Scope(free, range(problem.n_days)), incumbent), time_limit=10
    )
    assert best.objective is not None
    assert best.objective <= exact


def test_eligibility_is_the_same_for_solver_and_checker() -> None:
    """Random availability (windows ending before, at and after midnight, some continued by
    the next day's 00:00 window): the prepared eligibility equals the checker's, and a Friday
    16:00-24:00 window continued by Saturday 00:00-02:00 makes a closer."""
    rng = np.random.default_rng(11)
    team = [make_agent(f"A{i}", max_hours=40) for i in range(12)]
    windows = []
    for agent in team[1:]:
        for day in rng.choice(7, size=int(rng.integers(1, 4)), replace=False).tolist():
            start = int(rng.choice([0, 6 * 60, 12 * 60, 16 * 60]))
            end = int(rng.choice([14 * 60, 20 * 60, 24 * 60, 26 * 60]))
            windows.append(
                AvailabilityWindow(agent.agent_id, day, Window(start, max(end, start + 60)))
            )
    windows += [
        AvailabilityWindow("A1", 4, Window(16 * 60, 24 * 60)),
        AvailabilityWindow("A1", 5, Window(0, 2 * 60)),
    ]
    config = make_config(rules=relaxed_rules())
    problem = make_problem(team, config, Horizon(WEEK, 1), None, availability_rows=windows)
    for a, agent in enumerate(team):
        own = [w for w in windows if w.agent_id == agent.agent_id]
        expected = [eligible(agent, kind, own, config) for kind in FAIRNESS_KINDS]
        assert problem.fairness_eligible[a].tolist() == expected, agent.agent_id
    assert eligible(team[1], "closer", [w for w in windows if w.agent_id == "A1"], config)
