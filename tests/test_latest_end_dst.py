"""``shifts.latest_end`` on DST nights: the shift's end instant against the instant of the
latest end local time, in the solver (planner/roster/timing.py ``ends_in_time``, used by the
candidates) and in the checker (planner/verify/shift_rules.py ``check_shift_shape``).

Nights: spring forward on Sunday 2026-03-08 (02:00 does not exist: the limit is the instant
the clock jumps, 02:00 standard time = 03:00 daylight time) and fall back on Sunday
2026-11-01 (02:00 standard time, an hour later in real time than the day before; 01:30
happens twice and the limit is its later occurrence).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.domain import Horizon, Roster, ShiftConfig
from planner.roster.timing import ends_in_time, latest_end_instant
from planner.verify.check import check_roster
from planner.verify.shift_rules import latest_end_instant as checker_latest_end_instant
from tests.support import model
from tests.support.roster import calendar_for, make_agent, make_config, make_shift, standard_breaks

NEW_YORK = "America/New_York"
LOS_ANGELES = "America/Los_Angeles"
SPRING_EVE = date(2026, 3, 7)  # Saturday; the night into Sunday 8 March springs forward
FALL_EVE = date(2026, 10, 31)  # Saturday; the night into Sunday 1 November falls back
TWO_AM = 26 * 60
HALF_ONE = 25 * 60 + 30

# zone, shift date, latest_end, the limit's UTC instant, the limit as the wall clock shows it
CASES = [
    (NEW_YORK, SPRING_EVE, TWO_AM, datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "03:00 EDT"),
    (LOS_ANGELES, SPRING_EVE, TWO_AM, datetime(2026, 3, 8, 10, 0, tzinfo=UTC), "03:00 PDT"),
    (NEW_YORK, FALL_EVE, TWO_AM, datetime(2026, 11, 1, 7, 0, tzinfo=UTC), "02:00 EST"),
    (LOS_ANGELES, FALL_EVE, TWO_AM, datetime(2026, 11, 1, 10, 0, tzinfo=UTC), "02:00 PST"),
    # 01:30 happens twice that night: the later one (standard time) is the limit
    (NEW_YORK, FALL_EVE, HALF_ONE, datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "01:30 EST"),
    (LOS_ANGELES, FALL_EVE, HALF_ONE, datetime(2026, 11, 1, 9, 30, tzinfo=UTC), "01:30 PST"),
]
IDS = [
    f"{zone.split('/')[1]}-{day}-{latest // 60 % 24:02d}{latest % 60:02d}"
    for zone, day, latest, _, _ in CASES
]


def _state(zone: str) -> str:
    return "GA" if zone == NEW_YORK else "WA"


@pytest.mark.parametrize(("zone", "day", "latest", "limit", "wall"), CASES, ids=IDS)
def test_solver_and_checker_read_the_same_limit_instant(
    zone: str, day: date, latest: int, limit: datetime, wall: str
) -> None:
    tz = ZoneInfo(zone)
    assert latest_end_instant(day, tz, latest) == limit
    assert checker_latest_end_instant(day, zone, latest) == limit
    assert f"{limit.astimezone(tz):%H:%M %Z}" == wall
    shifts = ShiftConfig(latest_end=latest)
    assert ends_in_time(limit, day, tz, shifts)
    assert not ends_in_time(limit + timedelta(minutes=1), day, tz, shifts)


def test_the_clock_reading_would_have_refused_the_spring_night_end() -> None:
    # 8 paid hours + 30 min meal from 17:30 EST end at 03:00 EDT by the clock, past "02:00",
    # yet at the very instant 02:00 EST would have been: the shift ends in time.
    limit = latest_end_instant(SPRING_EVE, ZoneInfo(NEW_YORK), TWO_AM)
    start = datetime(2026, 3, 7, 17, 30, tzinfo=ZoneInfo(NEW_YORK)).astimezone(UTC)
    end = start + timedelta(hours=8, minutes=30)
    assert f"{end.astimezone(ZoneInfo(NEW_YORK)):%H:%M}" == "03:00"
    assert end == limit


def _check(zone: str, day: date, latest: int, start: str, step: int = 30) -> list[str]:
    agent = make_agent(state=_state(zone), timezone=zone)
    shift = make_shift(agent, day, start, 8)  # 8.5 h elapsed
    config = make_config(shifts=ShiftConfig(latest_end=latest, start_step_minutes=step))
    result = check_roster(
        Roster((shift,), tuple(standard_breaks(shift))),
        [agent],
        config,
        Horizon(day - timedelta(days=day.weekday() + 1), 1),
        calendar_for(config),
    )
    return [v.message for v in result.violations]


@pytest.mark.parametrize(("zone", "day", "latest", "limit", "wall"), CASES, ids=IDS)
def test_checker_allows_an_end_at_the_limit_and_refuses_one_later(
    zone: str, day: date, latest: int, limit: datetime, wall: str
) -> None:
    tz = ZoneInfo(zone)
    at_limit = (limit - timedelta(hours=8, minutes=30)).astimezone(tz)
    assert at_limit.date() == day
    assert _check(zone, day, latest, f"{at_limit:%H:%M}") == []
    later = at_limit + timedelta(minutes=30)
    messages = _check(zone, day, latest, f"{later:%H:%M}")
    assert len(messages) == 1
    assert f"after the latest end {latest // 60 % 24:02d}:{latest % 60:02d}" in messages[0]
    assert f"({limit.astimezone(tz):%Y-%m-%d %H:%M %Z})" in messages[0]


def test_checker_allows_ends_before_the_second_half_past_one_on_the_fall_night() -> None:
    # latest_end 01:30 on the fall-back night: 01:15 EST (06:15 UTC, the clock's second
    # pass) is before the limit by the clock and in real time; 01:45 EDT (05:45 UTC, the
    # first pass) reads later on the clock but is three quarters of an hour earlier in real
    # time, so it ends in time too.
    assert _check(NEW_YORK, FALL_EVE, HALF_ONE, "17:45", step=15) == []  # ends 01:15 EST
    assert _check(NEW_YORK, FALL_EVE, HALF_ONE, "17:15", step=15) == []  # ends 01:45 EDT
    assert _check(NEW_YORK, FALL_EVE, HALF_ONE, "18:15", step=15) != []  # ends 01:45 EST


@pytest.mark.parametrize(("zone", "day", "latest", "limit", "wall"), CASES, ids=IDS)
def test_solver_rosters_the_shift_that_ends_at_the_limit(
    zone: str, day: date, latest: int, limit: datetime, wall: str
) -> None:
    # One phone agent is needed in the half hour before the limit instant and nowhere else:
    # only a shift ending exactly at the limit covers it, and the checker accepts it.
    agent = model.make_agent(state=_state(zone), timezone=zone, skills=("phone",))
    config = model.make_config(rules=model.relaxed_rules(), shifts=ShiftConfig(latest_end=latest))
    needed = limit - timedelta(minutes=30)

    def need(local: datetime, channel: str) -> int:
        return int(channel == "phone" and local.astimezone(UTC) == needed)

    sunday = day - timedelta(days=6)
    result, checked = model.solve_checked([agent], config, Horizon(sunday, 2), need)
    assert checked is not None
    assert result.roster is not None
    assert [s.end_utc for s in result.roster.shifts] == [limit]
    assert result.terms["under_staffing"].raw == 0
