"""DST nights and split-zone agents: real durations from UTC, local dates from zoneinfo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from planner.data.roster_io import local_window, shift_flags
from planner.domain import AvailabilityWindow, Horizon, Roster, RulesConfig, TimeOff, Window
from planner.verify.check import check_roster
from tests.support.roster import (
    WEEK,
    calendar_for,
    make_agent,
    make_config,
    make_shift,
    night_config,
    standard_breaks,
)

FALL_BACK = date(2026, 11, 1)  # Sunday; 02:00 -> 01:00
SPRING_FORWARD = date(2027, 3, 14)  # Sunday; 02:00 -> 03:00


@pytest.mark.parametrize(
    ("night", "zone", "clock_end", "clock_span"),
    [
        (FALL_BACK, "America/New_York", "07:30", 7.5 * 60),
        (SPRING_FORWARD, "America/New_York", "09:30", 9.5 * 60),
        (FALL_BACK, "America/Los_Angeles", "07:30", 7.5 * 60),
        (SPRING_FORWARD, "America/Denver", "09:30", 9.5 * 60),
    ],
)
def test_eight_hour_shift_across_two_am_passes(
    night: date, zone: str, clock_end: str, clock_span: float
) -> None:
    state = {"America/New_York": "GA", "America/Los_Angeles": "WA", "America/Denver": "TX"}[zone]
    agent = make_agent(state=state, timezone=zone, shift_hours=(7, 8, 9))
    shift = make_shift(agent, night, "00:00")  # 8 h paid + 30-min unpaid meal
    assert shift.elapsed_hours == 8.5  # real time
    assert f"{shift.end_local:%H:%M}" == clock_end
    assert local_window(shift).minutes == clock_span  # the wall clock
    config = night_config()
    roster = Roster((shift,), tuple(standard_breaks(shift)))
    result = check_roster(roster, [agent], config, Horizon(night, 1), calendar_for(config))
    assert result.violations == []


@pytest.mark.parametrize(("night", "wrong_paid"), [(FALL_BACK, 7), (SPRING_FORWARD, 9)])
def test_paid_hours_from_the_wall_clock_fail_on_a_dst_night(night: date, wrong_paid: int) -> None:
    """Clock span minus the meal (7 h in fall, 9 h in spring) is not what the agent is paid."""
    agent = make_agent(shift_hours=(7, 8, 9))
    shift = make_shift(agent, night, "00:00")
    claimed = replace(shift, paid_hours=wrong_paid)
    config = night_config()
    roster = Roster((claimed,), tuple(standard_breaks(shift)))
    result = check_roster(roster, [agent], config, Horizon(night, 1), calendar_for(config))
    assert [(v.rule, v.agent_id) for v in result.violations] == [("shift_shape", "A1")]
    assert f"pays 8 h, not the {wrong_paid} h written" in result.violations[0].message


def test_rest_over_the_fall_back_night_counts_the_extra_hour() -> None:
    """A Saturday 17:30 EDT shift lasts 8.5 h real and ends at 01:00 EST (a 7.5-h clock
    span); the rest after it is measured in real time from that instant."""
    agent = make_agent()
    config = make_config()
    saturday = make_shift(agent, FALL_BACK - timedelta(days=1), "17:30")
    assert f"{saturday.end_local:%H:%M %Z}" == "01:00 EST"
    sunday = make_shift(agent, FALL_BACK, "11:00")  # 10 h after 01:00 EST
    horizon = Horizon(FALL_BACK - timedelta(days=7), 2)
    roster = Roster((saturday, sunday), tuple(standard_breaks(saturday) + standard_breaks(sunday)))
    assert check_roster(roster, [agent], config, horizon, calendar_for(config)).ok
    early = make_shift(agent, FALL_BACK, "10:30")
    roster = Roster((saturday, early), tuple(standard_breaks(saturday) + standard_breaks(early)))
    result = check_roster(roster, [agent], config, horizon, calendar_for(config))
    assert [(v.rule, v.agent_id) for v in result.violations] == [("min_rest", "A1")]
    assert "rests 9.5 h" in result.violations[0].message


# --------------------------------------------------------------------------- split zones


def test_texas_denver_agent_local_dates_and_weekdays() -> None:
    """An El Paso agent (America/Denver): a Friday 15:00-23:30 shift is 01:30 Saturday in
    New York, yet it is a Friday shift, not a weekend one, and Saturday stays free."""
    agent = make_agent("T1", state="TX", timezone="America/Denver")
    friday = WEEK + timedelta(days=5)
    shift = make_shift(agent, friday, "15:00")
    assert shift.end_utc.astimezone(make_agent().zone).date() == friday + timedelta(days=1)
    config = make_config()
    flags = shift_flags(shift, agent, config, calendar_for(config))
    assert (flags.weekend, flags.evening) == (False, True)
    saturday_off = [TimeOff("T1", friday + timedelta(days=1))]
    friday_window = [AvailabilityWindow("T1", 4, Window(15 * 60, 23 * 60 + 30))]
    roster = Roster((shift,), tuple(standard_breaks(shift)))
    result = check_roster(
        roster,
        [agent],
        config,
        Horizon(WEEK, 1),
        calendar_for(config),
        time_off=saturday_off,
        availability=friday_window,
    )
    assert result.ok, result.violations
    # The same instants for a Chicago agent end at 00:30 Saturday local: time off broken.
    chicago = make_agent("T2", state="TX", timezone="America/Chicago")
    moved = replace(shift, agent_id="T2", timezone="America/Chicago")
    moved = replace(moved, date=moved.start_local.date())
    roster = Roster((moved,), tuple(replace(b, agent_id="T2") for b in standard_breaks(shift)))
    result = check_roster(
        roster,
        [chicago],
        config,
        Horizon(WEEK, 1),
        calendar_for(config),
        time_off=[TimeOff("T2", friday + timedelta(days=1))],
    )
    assert [(v.rule, v.agent_id) for v in result.violations] == [("time_off", "T2")]


def test_denver_agent_consecutive_days_and_days_off_by_local_date() -> None:
    """Six evening shifts 17:30-02:00 Denver: six local dates (Sun-Fri) even though each
    ends on the next UTC and Eastern date; Saturday is free locally."""
    agent = make_agent("T1", state="TX", timezone="America/Denver", max_hours=48)
    config = make_config()
    rules = RulesConfig(
        min_rest_hours=10,
        max_consecutive_days=5,
        min_days_off_per_week=1,
        overtime_allowed=True,
        max_overtime_hours_per_week=8,
    )
    config = replace(config, rules=rules)
    shifts = [make_shift(agent, WEEK + timedelta(days=i), "17:30") for i in range(6)]
    breaks = tuple(b for s in shifts for b in standard_breaks(s))
    result = check_roster(
        Roster(tuple(shifts), breaks), [agent], config, Horizon(WEEK, 1), calendar_for(config)
    )
    assert [(v.rule, v.date) for v in result.violations] == [
        ("max_consecutive_days", WEEK + timedelta(days=5))
    ]
    assert "6 consecutive days" in result.violations[0].message
