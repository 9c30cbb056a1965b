"""FLSA workweeks (rules weekly_hours and overtime): hours belong to the workweek in which they
are worked (29 CFR 778.104); a shift over the workweek start splits its paid hours. Solver and
checker, exact by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from planner.domain import (
    AvailabilityWindow,
    Break,
    BreakPolicy,
    Horizon,
    Roster,
    RulesConfig,
    ShiftConfig,
    TimeOff,
    Window,
)
from planner.roster.break_rules import BreakSlot
from planner.roster.problem import Grid, RosterProblem
from planner.roster.workweeks import start_minutes
from planner.verify.check import check_roster
from planner.verify.workweek import split_shift, workweek_hours, workweek_start
from tests.support.model import (
    LOS_ANGELES,
    WEEK,
    calendar_for,
    find,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
    solve_checked,
    window_need,
)
from tests.support.roster import make_shift

SATURDAY = WEEK + timedelta(days=6)  # 2026-12-12
NEXT_SUNDAY = WEEK + timedelta(days=7)  # 2026-12-13: a workweek starts at 00:00 (business)
NO_MEAL = BreakPolicy(meal_min_shift_hours=9)  # 8 h shifts: rests only, paid: 8 h elapsed


def _windows(agent_id: str, days: range, start: int, end: int) -> list[AvailabilityWindow]:
    return [AvailabilityWindow(agent_id, d, Window(start, end)) for d in days]


def _saturday_then_forty(zone: str = "America/New_York", start_hour: int = 18) -> dict:
    """One agent, two weeks: days off Sunday to Friday of week 0, then a Saturday night shift
    from ``start_hour`` local (8 h) and five 09:00-17:00 days, Sunday to Thursday, which the
    demand asks for (in business time, New York)."""
    agent = make_agent(min_hours=40, max_hours=40, timezone=zone, skills=("phone",))
    offset = 0 if zone == "America/New_York" else 3  # Los Angeles is 3 h behind
    availability = [
        *_windows("A1", range(6, 7), 9 * 60, 17 * 60),  # Sunday (Mon = 0)
        *_windows("A1", range(4), 9 * 60, 17 * 60),  # Monday to Thursday
        AvailabilityWindow("A1", 5, Window(start_hour * 60, (start_hour + 8) * 60)),  # Sat
    ]
    night_begins = datetime(2026, 12, 12, start_hour + offset)

    def need(local: datetime, channel: str) -> int:
        if channel != "phone":
            return 0
        wall = local.replace(tzinfo=None)
        if night_begins <= wall < night_begins + timedelta(hours=8):
            return 1
        day_shift = NEXT_SUNDAY <= wall.date() <= NEXT_SUNDAY + timedelta(days=4)
        return int(day_shift and 9 + offset <= wall.hour < 17 + offset)

    off = [TimeOff("A1", WEEK + timedelta(days=d)) for d in range(6)]
    return {"agent": agent, "availability": availability, "time_off": off, "need": need}


def _solve(case: dict, rules: RulesConfig, **kwargs: object) -> tuple:
    config = make_config(rules=rules, breaks=NO_MEAL)
    return solve_checked(
        [case["agent"]],
        config,
        Horizon(WEEK, 2),
        case["need"],
        availability=case["availability"],
        time_off=case["time_off"],
        **kwargs,  # type: ignore[arg-type]
    )


def test_saturday_night_before_a_forty_hour_week_is_two_hours_of_overtime() -> None:
    # Saturday 18:00-02:00 puts 2 h after Sunday 00:00 (business time), in the workweek of
    # the next five 8 h days: 2 + 40 = 42 h, 2 h over 40 = 120 minutes.
    case = _saturday_then_forty()
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    result, checked = _solve(case, rules)
    assert result.terms["overtime"].raw == 120
    assert checked is not None
    assert checked.terms["overtime"] == 120
    assert result.roster is not None
    night = [s for s in result.roster.shifts if s.date == SATURDAY]
    assert [f"{s.start_local:%H:%M}-{s.end_local:%H:%M}" for s in night] == ["18:00-02:00"]


def test_without_overtime_the_solver_avoids_it() -> None:
    # Not allowed: the workweek may hold 40 h. Dropping the Saturday night (8 h of phone need
    # short) beats dropping a weekday of the 40 h week (also 8 h short, and the contract's
    # 40 h would then need the next Saturday night, idle).
    case = _saturday_then_forty()
    result, checked = _solve(case, relaxed_rules())
    assert checked is not None
    assert checked.ok
    assert result.terms["overtime"].raw == 0
    assert result.roster is not None
    assert not [s for s in result.roster.shifts if s.date == SATURDAY]


def test_with_an_unpaid_meal_the_checker_agrees_with_or_without_breaks() -> None:
    # The default policy: 8 h shifts have a 30 min unpaid meal, so Saturday 17:30-02:00 is
    # 6.5 h before Sunday 00:00 and 2 h after. The solver keeps the meal in the larger,
    # earlier part, so 2 h are paid after midnight, as the checker reads it from breaks.csv
    # and, without a breaks file, by its convention (unpaid minutes in the larger part):
    # 2 + 5 x 8 = 42 h, 120 minutes of overtime.
    agent = make_agent(min_hours=40, max_hours=40, skills=("phone",))
    days = [*range(4), 6]  # Monday to Thursday, Sunday
    availability = [
        *[AvailabilityWindow("A1", d, Window(9 * 60, 17 * 60 + 30)) for d in days],
        AvailabilityWindow("A1", 5, Window(17 * 60 + 30, 26 * 60)),
    ]
    night = datetime(2026, 12, 12, 17, 30)

    def need(local: datetime, channel: str) -> int:
        wall = local.replace(tzinfo=None)
        if channel != "phone":
            return 0
        if night <= wall < night + timedelta(hours=8, minutes=30):
            return 1
        weekday = NEXT_SUNDAY <= wall.date() <= NEXT_SUNDAY + timedelta(days=4)
        return int(weekday and 9 * 60 <= wall.hour * 60 + wall.minute < 17 * 60 + 30)

    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    config = make_config(rules=rules)
    horizon = Horizon(WEEK, 2)
    off = [TimeOff("A1", WEEK + timedelta(days=d)) for d in range(6)]
    result, _ = solve_checked(
        [agent], config, horizon, need, availability=availability, time_off=off
    )
    assert result.terms["overtime"].raw == 120
    assert result.roster is not None
    bare = check_roster(
        Roster(result.roster.shifts),
        [agent],
        config,
        horizon,
        calendar_for(config, horizon),
        availability=availability,
        time_off=off,
        breaks_given=False,
    )
    assert bare.ok, [str(v) for v in bare.violations]
    assert bare.terms["overtime"] == 120


def test_the_checker_flags_a_roster_that_has_it() -> None:
    agent = make_agent(min_hours=0, max_hours=40)
    night = make_shift(agent, SATURDAY, "18:00", 8, unpaid_minutes=0)
    days = [
        make_shift(agent, NEXT_SUNDAY + timedelta(days=d), "09:00", 8, unpaid_minutes=0)
        for d in range(5)
    ]
    roster = Roster((night, *days))
    horizon = Horizon(WEEK, 2)
    for allowed, expected in ((False, 1), (True, 0)):
        rules = relaxed_rules(overtime_allowed=allowed, max_overtime_hours_per_week=8)
        config = make_config(rules=rules, breaks=NO_MEAL)
        result = check_roster(
            roster, [agent], config, horizon, calendar_for(config, horizon), breaks_given=False
        )
        assert len(result.violations) == expected, [str(v) for v in result.violations]
        assert result.terms["overtime"] == 120
    violation = check_roster(
        roster,
        [agent],
        make_config(rules=relaxed_rules(), breaks=NO_MEAL),
        horizon,
        calendar_for(make_config(), horizon),
        breaks_given=False,
    ).violations[0]
    assert violation.rule == "weekly_hours"
    assert violation.date == NEXT_SUNDAY
    assert "paid 42 h in the workweek from Sun 2026-12-13 00:00" in violation.message
    assert "overtime is not allowed" in violation.message


def test_the_previous_rosters_saturday_night_counts_in_the_first_workweek() -> None:
    # --previous holds Saturday 2026-12-05 18:00-02:00; its last 2 h lie in the horizon's
    # first workweek, whose five 8 h days make 2 + 40 = 42 h: 120 minutes of overtime.
    agent = make_agent(min_hours=40, max_hours=40, skills=("phone",))
    previous = [make_shift(agent, WEEK - timedelta(days=1), "18:00", 8, unpaid_minutes=0)]
    availability = [
        *_windows("A1", range(6, 7), 9 * 60, 17 * 60),
        *_windows("A1", range(4), 9 * 60, 17 * 60),
    ]
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    config = make_config(rules=rules, breaks=NO_MEAL)
    result, _ = solve_checked(
        [agent], config, Horizon(WEEK, 1), availability=availability, previous=previous
    )
    assert result.terms["overtime"].raw == 120
    # Without overtime the 40 h week cannot follow that night: no roster.
    strict, _ = solve_checked(
        [agent],
        make_config(rules=relaxed_rules(), breaks=NO_MEAL),
        Horizon(WEEK, 1),
        availability=availability,
        previous=previous,
    )
    assert strict.status == "infeasible"


def test_a_previous_shift_over_a_workweek_start_before_the_requirement_grid() -> None:
    # Workweeks from Saturday 22:00 (business time), before the first requirement interval
    # (Sunday 00:00): the previous roster's Saturday 14:00-00:30 (10 h + a 30 min meal in
    # the earlier, larger part) holds 2.5 h of the first workweek, leaving 37.5 h: three of
    # the agent's 10 h shifts, not four, though the demand asks for every evening.
    rules = relaxed_rules(workweek_start_day="Sat", workweek_start_time=22 * 60)
    config = make_config(rules=rules)
    agent = make_agent(max_hours=40, shift_hours=(10,), skills=("phone",))
    previous = [make_shift(agent, WEEK - timedelta(days=1), "14:00", 10, unpaid_minutes=30)]
    off = [TimeOff("A1", WEEK)]
    problem = make_problem([agent], config, Horizon(WEEK, 1), previous=previous, time_off_rows=off)
    assert problem.workweeks.starts[0] < 0  # before the grid's origin
    assert problem.workweeks.carried[0, 0] == 150
    need = window_need(None, 16, 26, {"phone": 1})
    result, _ = solve_checked(
        [agent], config, Horizon(WEEK, 1), need, previous=previous, time_off=off
    )
    assert result.roster is not None
    hours = workweek_hours(result.roster, config, Horizon(WEEK, 1), previous)
    assert hours[0].previous == 150
    assert hours[0].roster <= 2250


def test_a_monday_six_oclock_workweek() -> None:
    # 56 h in the local week Sunday to Saturday (seven 8 h days; shifts end by 02:00, so
    # none reaches Monday 06:00). With workweeks from Monday 06:00 (business time) Sunday's
    # 8 h belong to the workweek before: 48 h in this one, 8 h over = 480 minutes, the cap.
    # With the default (Sunday 00:00) the week holds at least 54 h: over the cap, no roster.
    monday = relaxed_rules(
        overtime_allowed=True,
        max_overtime_hours_per_week=8,
        workweek_start_day="Mon",
        workweek_start_time=6 * 60,
    )
    agent = make_agent(min_hours=56, max_hours=56)
    result, _ = solve_checked([agent], make_config(rules=monday), Horizon(WEEK, 1))
    assert result.terms["overtime"].raw == 480
    sunday = replace(monday, workweek_start_day=None, workweek_start_time=0)
    strict, _ = solve_checked([agent], make_config(rules=sunday), Horizon(WEEK, 1))
    assert strict.status == "infeasible"


def test_a_shift_over_monday_six_oclock_splits_with_its_meal_in_the_larger_part() -> None:
    rules = relaxed_rules(workweek_start_day="Mon", workweek_start_time=6 * 60)
    config = make_config(rules=rules, shifts=ShiftConfig(earliest_start=0, latest_end=34 * 60))
    agent = make_agent()
    problem = make_problem([agent], config, Horizon(WEEK, 1))
    weeks = problem.workweeks
    cut = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # Monday 06:00 New York
    # 00:00-08:30 (8 h + 30 min meal): 6 h before the cut, 2.5 h after; the meal lies in the
    # earlier, larger part: 330 paid minutes before, 150 after.
    # 02:00-10:30: 4 h before, 4.5 h after; the meal after: 240 and 240.
    for start, before in (("00:00", 330), ("02:00", 240)):
        j = find(problem, 0, 1, start, 8)
        assert weeks.crosses[j]
        assert int(weeks.first[j]) == before
        assert problem.grid.instant(int(weeks.starts[weeks.index[j] + 1])) == cut
        shift = problem.to_shift(j)
        meal = next(b for b in problem.cands.default_breaks(j) if b.kind == "meal")
        assert (problem.grid.instant(meal.start) >= cut) == (before == 240)
        # The checker, from the solver's breaks and with no breaks at all, agrees.
        breaks = [_as_break(problem, b, "A1") for b in problem.cands.default_breaks(j)]
        assert split_shift(shift, breaks, config)[1] == (cut, 480 - before)
        assert split_shift(shift, (), config) == [
            (cut - timedelta(days=7), before),
            (cut, 480 - before),
        ]


def test_an_agent_three_hours_behind_the_business_zone() -> None:
    # Los Angeles, Saturday 16:00-24:00 = 19:00-03:00 New York: the workweek starts at 21:00
    # Los Angeles time, so 3 h fall in the next workweek with the five 8 h days: 43 h, 3 h over
    # = 180 minutes.
    case = _saturday_then_forty(LOS_ANGELES, start_hour=16)
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    result, _ = _solve(case, rules)
    assert result.terms["overtime"].raw == 180


def test_a_workweek_start_the_clock_skips_is_read_before_the_change() -> None:
    # Sunday 2026-03-08 02:30 does not exist in New York (02:00 -> 03:00): read with the
    # offset before the change, -05:00, it is 07:30 UTC (03:30 daylight time), for both.
    rules = RulesConfig(workweek_start_time=2 * 60 + 30)
    config = make_config(rules=rules)
    expected = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert workweek_start(datetime(2026, 3, 9, tzinfo=UTC), config) == expected
    origin = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    empty = np.zeros((0, 3), dtype=np.int64)
    grid = Grid(origin, 30, config.channel_names, empty, np.ones(3), empty, np.zeros(0, bool))
    starts = start_minutes(config, grid, grid.minute(expected) + 60, grid.minute(expected) + 120)
    assert grid.instant(int(starts[0])) == expected


def _as_break(problem: RosterProblem, slot: BreakSlot, agent_id: str) -> Break:
    grid = problem.grid
    return Break(agent_id, grid.instant(slot.start), grid.instant(slot.end), slot.kind, slot.paid)
