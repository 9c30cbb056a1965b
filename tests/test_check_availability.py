"""The checker's availability rule (planner/verify/shift_rules.py ``check_availability``):
windows that meet at midnight form one span, a past-midnight window runs into the next day,
Sunday runs on into Monday, and DST nights are judged by the wall clock. Both ways."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain import Agent, AvailabilityWindow, Config, Horizon, Shift, Window
from planner.roster import timing
from planner.verify.check import check_roster
from planner.verify.context import Violation, clock_text
from planner.verify.shift_rules import _free_minutes
from tests.support.roster import (
    WEEK,
    calendar_for,
    make_agent,
    make_config,
    make_shift,
    night_config,
    roster_with_breaks,
)

MON, FRI, SAT = WEEK + timedelta(days=1), WEEK + timedelta(days=5), WEEK + timedelta(days=6)
A1 = make_agent()


def hhmm(text: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    return hours * 60 + minutes


def window(weekday: int, start: str, end: str) -> AvailabilityWindow:
    """A window as availability.csv gives it (``24:00`` allowed; end <= start wraps)."""
    return AvailabilityWindow("A1", weekday, Window(hhmm(start), hhmm(end)))


def availability_faults(
    shifts: list[Shift],
    windows: list[AvailabilityWindow],
    *,
    agent: Agent = A1,
    config: Config | None = None,
    start: date = WEEK,
) -> list[Violation]:
    config = config or make_config()
    result = check_roster(
        roster_with_breaks(shifts),
        [agent],
        config,
        Horizon(start, 1),
        calendar_for(config),
        availability=windows,
    )
    return [v for v in result.violations if v.rule == "availability"]


def test_windows_meeting_at_midnight_hold_a_shift_across_it() -> None:
    # Fri 16:00-24:00 and Sat 00:00-24:00: one span, Fri 16:00 to Sat 24:00. An 8 h shift
    # with its 30-min meal from Fri 16:00 ends Sat 00:30, and a Fri 18:30 one ends 03:00.
    windows = [window(4, "16:00", "24:00"), window(5, "00:00", "24:00")]
    assert availability_faults([make_shift(A1, FRI, "16:00")], windows) == []
    assert availability_faults([make_shift(A1, FRI, "18:30")], windows) == []


def test_a_shift_past_the_window_is_refused_and_24_00_prints_as_24_00() -> None:
    windows = [window(4, "16:00", "24:00")]  # Friday only: the shift ends Sat 00:30
    (fault,) = availability_faults([make_shift(A1, FRI, "16:00")], windows)
    assert (fault.agent_id, fault.date) == ("A1", FRI)
    assert fault.message == (
        "A1's shift 2026-12-11 16:00–2026-12-12 00:30 is outside their availability "
        "(Fri 16:00–24:00)"
    )


def test_a_span_across_days_is_described_with_both_days() -> None:
    # Fri 16:00-24:00 + Sat 00:00-00:15 make Fri 16:00 to Sat 00:15; the shift ends 00:30.
    windows = [window(4, "16:00", "24:00"), window(5, "00:00", "00:15")]
    (fault,) = availability_faults([make_shift(A1, FRI, "16:00")], windows)
    assert fault.message.endswith("is outside their availability (Fri 16:00–Sat 00:15)")


def test_a_day_without_any_window_says_so() -> None:
    (fault,) = availability_faults([make_shift(A1, MON, "09:00")], [window(4, "16:00", "24:00")])
    assert fault.message == "A1 works 2026-12-07 09:00–17:30 but is not available on Mon"


def test_sunday_runs_on_into_monday() -> None:
    # The week of week-minutes starts on Monday; Sunday 16:00-24:00 + Monday 00:00-02:00 still
    # make one span. WEEK is a Sunday: 17:30 + 8.5 h ends Monday 02:00.
    sunday_night = make_shift(A1, WEEK, "17:30")
    windows = [window(6, "16:00", "24:00"), window(0, "00:00", "02:00")]
    assert availability_faults([sunday_night], windows) == []
    short = [window(6, "16:00", "24:00"), window(0, "00:00", "01:00")]
    (fault,) = availability_faults([sunday_night], short)
    assert fault.message.endswith("(Sun 16:00–Mon 01:00)")


def test_past_midnight_windows_run_into_the_next_day() -> None:
    # Fri 22:00-02:00 (end before start) then Sat 02:00-08:00: one span Fri 22:00 to Sat
    # 08:00, in both spellings of the past-midnight end (as read, 26:00; as written, 02:00).
    night = make_shift(A1, FRI, "22:00")  # ends Sat 06:30
    for end in (Window(22 * 60, 26 * 60), Window(22 * 60, 2 * 60)):
        windows = [AvailabilityWindow("A1", 4, end), window(5, "02:00", "08:00")]
        assert availability_faults([night], windows, config=night_config()) == []
    alone = [AvailabilityWindow("A1", 4, Window(22 * 60, 2 * 60))]
    (fault,) = availability_faults([night], alone, config=night_config())
    assert fault.message.endswith("(Fri 22:00–Sat 02:00)")


def test_sunday_past_midnight_window_wraps_to_monday() -> None:
    # Sun 16:00-02:00 (end before start) runs into Monday 00:00-02:00 of the next week.
    windows = [AvailabilityWindow("A1", 6, Window(16 * 60, 2 * 60))]
    assert availability_faults([make_shift(A1, WEEK, "17:30")], windows) == []
    (fault,) = availability_faults([make_shift(A1, WEEK, "18:00")], windows)
    assert fault.message.endswith("(Sun 16:00–Mon 02:00)")


def test_fall_back_night_is_judged_by_the_wall_clock() -> None:
    # New York falls back on Sunday 2026-11-01. Sat 18:00 EDT + 8.5 h of real time is
    # 01:30 EST on the clock: the shift needs Sat 18:00 to Sun 01:30, not 02:30.
    week, saturday = date(2026, 10, 25), date(2026, 10, 31)
    shift = make_shift(A1, saturday, "18:00")
    assert f"{shift.end_local:%H:%M}" == "01:30"
    windows = [window(5, "18:00", "24:00"), window(6, "00:00", "01:30")]
    assert availability_faults([shift], windows, config=night_config(), start=week) == []
    early = [window(5, "18:00", "24:00"), window(6, "00:00", "01:00")]
    (fault,) = availability_faults([shift], early, config=night_config(), start=week)
    assert fault.message.endswith("(Sat 18:00–Sun 01:00)")


def test_spring_forward_night_is_judged_by_the_wall_clock() -> None:
    # New York springs forward on Sunday 2026-03-08: Sat 18:00 EST + 8.5 h is 03:30 EDT.
    week, saturday = date(2026, 3, 1), date(2026, 3, 7)
    shift = make_shift(A1, saturday, "18:00")
    assert f"{shift.end_local:%H:%M}" == "03:30"
    windows = [window(5, "18:00", "24:00"), window(6, "00:00", "03:30")]
    assert availability_faults([shift], windows, config=night_config(), start=week) == []
    short = [window(5, "18:00", "24:00"), window(6, "00:00", "03:00")]
    (fault,) = availability_faults([shift], short, config=night_config(), start=week)
    assert fault.message.endswith("(Sat 18:00–Sun 03:00)")


def test_a_window_all_week_round_allows_everything() -> None:
    windows = [window(d, "00:00", "24:00") for d in range(7)]
    shifts = [make_shift(A1, WEEK, "17:30"), make_shift(A1, FRI, "16:00")]
    assert availability_faults(shifts, windows) == []


def test_overlapping_windows_merge() -> None:
    # Fri 12:00-20:00 and Fri 18:00-24:00 and Sat 00:00-01:00 overlap/touch: one span.
    windows = [
        window(4, "12:00", "20:00"),
        window(4, "18:00", "24:00"),
        window(5, "00:00", "01:00"),
    ]
    assert availability_faults([make_shift(A1, FRI, "16:00")], windows) == []
    (fault,) = availability_faults([make_shift(A1, SAT, "00:00")], windows, config=night_config())
    assert fault.message.endswith("(Fri 12:00–Sat 01:00)")


def test_clock_text_midnight_at_the_end_of_the_day() -> None:
    assert [clock_text(m) for m in (0, 1440, 1500)] == ["00:00", "24:00", "01:00 next day"]


windows_strategy = st.lists(
    st.builds(
        lambda d, s, e: AvailabilityWindow("A1", d, Window(s * 30, e * 30)),
        st.integers(0, 6),
        st.integers(0, 47),
        st.integers(0, 48),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    windows=windows_strategy,
    weekday=st.integers(0, 6),
    start=st.integers(0, 47),
    length=st.integers(1, 40),
)
def test_solver_and_checker_read_availability_alike(
    windows: list[AvailabilityWindow], weekday: int, start: int, length: int
) -> None:
    """The candidates' helper (planner/roster/timing.py) and the checker's own reading agree
    on every clock span, on half-hour windows that touch, overlap and wrap."""
    local_start, local_end = start * 30, (start + length) * 30
    spans = timing.availability_spans(windows, "A1")
    assert spans is not None
    solver = timing.fits_availability(spans, weekday, local_start, local_end)
    free = _free_minutes(windows)
    minutes = np.arange(weekday * 1440 + local_start, weekday * 1440 + local_end)
    assert solver == bool(free[minutes % (7 * 1440)].all())
