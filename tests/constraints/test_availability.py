"""availability: an agent with windows works only shifts wholly inside their availability,
where windows that meet or overlap (across midnight, Sunday into Monday) form one span."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from planner.data.roster_io import FAIRNESS_KINDS
from planner.domain import AvailabilityWindow, BreakPolicy, Config, Horizon, Window
from planner.roster import timing
from planner.verify.fairness import eligible
from tests.support.model import (
    WEEK,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
    shifts_of,
    solve_checked,
)


def test_only_shifts_inside_the_window_of_their_weekday() -> None:
    # Tuesday (weekday 1) 12:00-22:00 only; 8 h + 30 min meal fits from 12:00 to 13:30.
    windows = [AvailabilityWindow("A1", 1, Window(12 * 60, 22 * 60))]
    problem = make_problem(
        [make_agent()], make_config(), Horizon(WEEK, 1), availability_rows=windows
    )
    cands = problem.cands
    assert set(cands.day.tolist()) == {2}  # WEEK is a Sunday: Tuesday is day 2
    assert sorted(cands.local_start.tolist()) == [720, 750, 780, 810]


def test_a_window_past_midnight_allows_a_late_shift() -> None:
    windows = [AvailabilityWindow("A1", 4, Window(17 * 60, 26 * 60))]  # Fri 17:00-02:00
    problem = make_problem(
        [make_agent()], make_config(), Horizon(WEEK, 1), availability_rows=windows
    )
    assert sorted(problem.cands.local_start.tolist()) == [1020, 1050]
    assert problem.cands.local_end.max() == 26 * 60


def test_windows_meeting_at_midnight_form_one_span() -> None:
    # Fri 16:00-24:00 + Sat 00:00-00:30 is one span, Fri 16:00 to Sat 00:30. A 6 h shift with
    # a paid meal lasts 6 h: from Fri 16:00 through Fri 18:30 (which ends Sat 00:30) it fits;
    # Fri 19:00 would end Sat 01:00, poking out of the span; nothing fits on Saturday.
    windows = [
        AvailabilityWindow("A1", 4, Window(16 * 60, 24 * 60)),
        AvailabilityWindow("A1", 5, Window(0, 30)),
    ]
    problem = make_problem(
        [make_agent(shift_hours=(6,))],
        paid_meal_config(),
        Horizon(WEEK, 1),
        availability_rows=windows,
    )
    cands = problem.cands
    assert set(cands.day.tolist()) == {5}  # Friday only
    assert sorted(cands.local_start.tolist()) == [960, 990, 1020, 1050, 1080, 1110]
    assert cands.local_end.max() == 24 * 60 + 30


def test_the_shift_across_midnight_can_be_rostered() -> None:
    # The agent must work 6 h in the week; phone needs one agent Fri 18:30 to Sat 00:30
    # (business zone = agent zone). The only shift covering all of it is Fri 18:30-Sat 00:30,
    # and the independent checker accepts it (solve_checked).
    windows = [
        AvailabilityWindow("A1", 4, Window(16 * 60, 24 * 60)),
        AvailabilityWindow("A1", 5, Window(0, 24 * 60)),
    ]
    agent = make_agent(min_hours=6, shift_hours=(6,), skills=("phone",))
    friday = WEEK + timedelta(days=5)

    def need(local: datetime, channel: str) -> int:
        start = datetime.combine(friday, time(18, 30), tzinfo=local.tzinfo)
        inside = start <= local < start + timedelta(hours=6)
        return int(channel == "phone" and inside)

    config = paid_meal_config(rules=relaxed_rules())
    result, checked = solve_checked([agent], config, Horizon(WEEK, 1), need, availability=windows)
    assert checked is not None
    (shift,) = shifts_of(result, "A1")
    assert (f"{shift.start_local:%a %H:%M}", f"{shift.end_local:%a %H:%M}") == (
        "Fri 18:30",
        "Sat 00:30",
    )
    # Short only while the agent is on a break: the paid 30-min meal and one 15-min rest,
    # x phone priority 3 = 135 (any other start would leave more of the need uncovered).
    assert result.terms["under_staffing"].raw == 3 * (30 + 15)


def test_sunday_wraps_to_monday_in_candidates() -> None:
    # Sun 16:00-24:00 + Mon 00:00-02:00 (Monday is the week's first weekday): WEEK is a
    # Sunday, so its 8.5 h shifts from 16:00 through 17:30 (ending Mon 02:00) fit.
    windows = [
        AvailabilityWindow("A1", 6, Window(16 * 60, 24 * 60)),
        AvailabilityWindow("A1", 0, Window(0, 2 * 60)),
    ]
    problem = make_problem(
        [make_agent()], make_config(), Horizon(WEEK, 1), availability_rows=windows
    )
    day0 = problem.candidates_of(0, 0)
    assert sorted(problem.cands.local_start[day0.start : day0.stop].tolist()) == [
        960,
        990,
        1020,
        1050,
    ]
    # Monday's window alone (00:00-02:00) holds no shift starting Monday.
    assert set(problem.cands.day.tolist()) == {0}


def test_availability_spans_merge_over_the_cyclic_week() -> None:
    def rows(*spec: tuple[int, int, int]) -> list[AvailabilityWindow]:
        return [AvailabilityWindow("A1", d, Window(s, e)) for d, s, e in spec]

    fri, sat, sun, mon = 4 * 1440, 5 * 1440, 6 * 1440, 0
    assert timing.availability_spans(rows(), "A1") is None
    merged = timing.availability_spans(rows((4, 960, 1440), (5, 0, 1440)), "A1")
    assert merged == ((fri + 960, sat + 1440),)
    # Sunday 22:00-02:00 (end before start) runs into Monday 00:00-03:00: one span.
    wrap = timing.availability_spans(rows((6, 1320, 120), (0, 0, 180)), "A1")
    assert wrap == ((sun + 1320, sun + 1440 + 180),)
    assert timing.fits_availability(wrap, 6, 1320, 1440 + 180)  # Sun 22:00-Mon 03:00
    assert timing.fits_availability(wrap, 0, 60, 120)  # Mon 01:00-02:00
    assert not timing.fits_availability(wrap, 0, 60, 240)  # Mon 01:00-04:00
    assert timing.may_start_on(wrap, mon // 1440)
    assert not timing.may_start_on(wrap, 1)
    everything = timing.availability_spans(rows(*((d, 0, 1440) for d in range(7))), "A1")
    assert everything is not None
    assert timing.fits_availability(everything, 6, 1200, 1440 + 600)


def test_fairness_eligibility_is_unchanged_by_the_merge() -> None:
    # Fri 16:00-24:00 + Sat: weekend (a Saturday window), evening (ends after 20:00) and
    # closer (Friday's window runs on into Saturday's from 00:00).
    windows = [
        AvailabilityWindow("A1", 4, Window(16 * 60, 24 * 60)),
        AvailabilityWindow("A1", 5, Window(0, 24 * 60)),
    ]
    agent = make_agent()
    problem = make_problem([agent], make_config(), Horizon(WEEK, 1), availability_rows=windows)
    assert problem.fairness_eligible[0].tolist() == [True, True, True, True]
    assert all(eligible(agent, kind, windows, make_config()) for kind in FAIRNESS_KINDS)


def paid_meal_config(**changes: object) -> Config:
    """Meals paid: a 6 h shift lasts exactly 6 h."""
    return make_config(breaks=BreakPolicy(meal_paid=True), **changes)


def test_a_fall_back_night_is_judged_by_the_wall_clock() -> None:
    # New York falls back on Sunday 2026-11-01. Sat 18:00 EDT + 8.5 h of real time shows
    # 01:30 on the clock, inside Sat 18:00-24:00 + Sun 00:00-01:30; 18:30 shows 02:00.
    windows = [
        AvailabilityWindow("A1", 5, Window(18 * 60, 24 * 60)),
        AvailabilityWindow("A1", 6, Window(0, 90)),
    ]
    problem = make_problem(
        [make_agent()], make_config(), Horizon(date(2026, 10, 25), 1), availability_rows=windows
    )
    cands = problem.cands
    assert set(cands.day.tolist()) == {6}  # the Saturday
    assert cands.local_start.tolist() == [18 * 60]
    assert cands.local_end.tolist() == [24 * 60 + 90]
    assert int(cands.end[0] - cands.start[0]) == 8 * 60 + 30  # real minutes
