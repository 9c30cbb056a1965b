"""Staffing requirements: coverage windows, channel kinds, email backlog, what-if, CLI."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.data.holiday_calendar import HolidayCalendar
from planner.demand import erlang
from planner.demand.staffing import (
    StaffingScenario,
    backlog_plan,
    compute_requirements,
    coverage_mask,
    outside_coverage,
)
from planner.domain import (
    ChannelConfig,
    Config,
    CoverageConfig,
    HolidayPolicy,
    SiteConfig,
    StaffingConfig,
    Window,
)

PHONE = ChannelConfig("phone", "live", service_level=0.8, answer_seconds=20)
SMS = ChannelConfig("sms", "concurrent", service_level=0.8, answer_seconds=20, concurrency=2)
EMAIL = ChannelConfig("email", "deferred", response_hours=1)
CONTRACT_COLUMNS = [
    "interval_start",
    "channel",
    "contacts",
    "aht_seconds",
    "agents_needed",
    "staff_needed",
    "service_level",
]
CALENDAR = HolidayCalendar(HolidayPolicy(), [2025, 2026, 2027])


def config(
    *channels: ChannelConfig,
    coverage: CoverageConfig | None = None,
    shrinkage: float = 0.25,
    max_occupancy: float = 0.85,
) -> Config:
    """Business time America/New_York, 30-minute intervals, default windows
    (weekday 16:00-02:00, weekend and holiday 08:00-02:00)."""
    return Config(
        site=SiteConfig(business_timezone="America/New_York", interval_minutes=30),
        coverage=coverage or CoverageConfig(),
        staffing=StaffingConfig(shrinkage=shrinkage, max_occupancy=max_occupancy),
        channels=channels or (PHONE, SMS, EMAIL),
    )


def forecast(*rows: tuple[str, str, float, float]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["interval_start", "channel", "contacts", "aht_seconds"])
    frame["interval_start"] = pd.to_datetime(frame["interval_start"], utc=True)
    return frame


def mask(stamps: list[str], cfg: Config | None = None) -> list[bool]:
    index = pd.DatetimeIndex(pd.to_datetime(stamps, utc=True))
    return [bool(v) for v in coverage_mask(index, cfg or config(), CALENDAR)]


# --------------------------------------------------------------------------- coverage windows


def test_window_past_midnight_belongs_to_the_day_it_starts() -> None:
    # Friday 4 Dec 2026, EST = UTC-5. Friday's 16:00-02:00 covers Saturday 00:00-02:00;
    # Saturday's own window only opens at 08:00.
    assert mask(
        [
            "2026-12-04T20:30Z",  # Fri 15:30: before the window
            "2026-12-04T21:00Z",  # Fri 16:00: opens
            "2026-12-05T06:30Z",  # Sat 01:30: Friday's window, past midnight
            "2026-12-05T07:00Z",  # Sat 02:00: closed
            "2026-12-05T12:30Z",  # Sat 07:30: closed
            "2026-12-05T13:00Z",  # Sat 08:00: Saturday's window
        ]
    ) == [False, True, True, False, False, True]


def test_the_previous_days_window_decides_after_midnight() -> None:
    coverage = CoverageConfig(weekday=Window(16 * 60, 27 * 60), weekend=Window(8 * 60, 25 * 60))
    assert mask(
        [
            "2026-12-05T07:30Z",  # Sat 02:30: inside Friday's 16:00-03:00
            "2026-12-06T05:30Z",  # Sun 00:30: inside Saturday's 08:00-01:00
            "2026-12-06T07:30Z",  # Sun 02:30: Saturday's window ended at 01:00
        ],
        config(coverage=coverage),
    ) == [True, True, False]


def test_closed_weekend() -> None:
    cfg = config(coverage=CoverageConfig(weekend=None))
    assert mask(
        [
            "2026-12-04T22:00Z",  # Fri 17:00
            "2026-12-05T06:00Z",  # Sat 01:00: still Friday's window
            "2026-12-05T17:00Z",  # Sat 12:00: closed
            "2026-12-07T06:00Z",  # Mon 01:00: Sunday was closed
        ],
        cfg,
    ) == [True, True, False, False]


def test_holiday_window_takes_precedence() -> None:
    coverage = CoverageConfig(holiday=None)  # closed on holidays
    cfg = config(coverage=coverage)
    assert mask(
        [
            "2026-12-24T22:00Z",  # Thu 24 Dec 17:00: a working weekday
            "2026-12-25T06:00Z",  # Fri 25 Dec 01:00: the 24th's window runs into Christmas
            "2026-12-25T22:00Z",  # Fri 25 Dec 17:00: Christmas, closed
            "2026-12-26T06:00Z",  # Sat 26 Dec 01:00: nothing spills from a closed day
        ],
        cfg,
    ) == [True, True, False, False]
    # A holiday on a weekend also uses the holiday window: Sat 4 July 2026.
    short = config(coverage=CoverageConfig(holiday=Window(10 * 60, 12 * 60)))
    assert mask(["2026-07-04T13:00Z", "2026-07-04T14:30Z"], short) == [False, True]
    # The holiday counts once: with holidays.observed = "actual" (the default) Friday 3 July
    # is a weekday (opens 16:00 = 20:00Z); with "observed" it is the holiday (10:00-12:00)
    # and Saturday 4 July a weekend day (08:00-02:00).
    friday = ["2026-07-03T14:00Z", "2026-07-03T20:00Z"]
    assert mask(friday, short) == [False, True]
    observed = HolidayCalendar(HolidayPolicy(observed="observed"), [2026])
    index = pd.DatetimeIndex(pd.to_datetime([*friday, "2026-07-04T13:00Z"], utc=True))
    assert list(coverage_mask(index, short, observed)) == [True, False, True]


def test_dst_weeks_land_on_the_right_utc_times() -> None:
    # 7 Mar 2026 (Sat, EST): 08:00 = 13:00Z. 8 Mar (Sun, EDT after 02:00): 08:00 = 12:00Z.
    assert mask(
        [
            "2026-03-07T12:00Z",
            "2026-03-07T13:00Z",
            "2026-03-08T06:30Z",  # Sun 01:30 EST: Saturday's window
            "2026-03-08T07:00Z",  # Sun 03:00 EDT: closed (02:00 never happened)
            "2026-03-08T11:30Z",
            "2026-03-08T12:00Z",
        ]
    ) == [False, True, True, False, False, True]
    # 31 Oct 2026 (Sat, EDT): 08:00 = 12:00Z. 1 Nov (Sun, EST): 08:00 = 13:00Z; the
    # repeated hour 01:00-02:00 is inside Saturday's window both times.
    assert mask(
        [
            "2026-10-31T12:00Z",
            "2026-11-01T05:30Z",  # 01:30 EDT
            "2026-11-01T06:30Z",  # 01:30 EST
            "2026-11-01T07:00Z",  # 02:00 EST: closed
            "2026-11-01T12:30Z",
            "2026-11-01T13:00Z",
        ]
    ) == [True, True, True, False, False, True]


def test_dst_week_requirements_follow_local_time() -> None:
    # A flat forecast over the spring-forward week (Sun 8 Mar 2026, 02:00 -> 03:00).
    grid = pd.date_range("2026-03-02T05:00Z", "2026-03-14T05:00Z", freq="30min", inclusive="left")
    frame = pd.DataFrame(
        {"interval_start": grid, "channel": "phone", "contacts": 20.0, "aht_seconds": 300.0}
    )
    result = compute_requirements(frame, config(PHONE))
    staffed = result[result["agents_needed"] > 0]["interval_start"]
    local = staffed.dt.tz_convert("America/New_York")
    daytime = staffed[local.dt.hour >= 8]
    opening = daytime.groupby(local[local.dt.hour >= 8].dt.date).min()
    night = staffed[local.dt.hour < 8]
    closing = night.groupby(local[local.dt.hour < 8].dt.date).max()

    def day(text: str) -> object:
        return pd.Timestamp(text).date()

    assert opening[day("2026-03-06")] == pd.Timestamp("2026-03-06T21:00Z")  # Fri 16:00 EST
    assert opening[day("2026-03-07")] == pd.Timestamp("2026-03-07T13:00Z")  # Sat 08:00 EST
    assert opening[day("2026-03-08")] == pd.Timestamp("2026-03-08T12:00Z")  # Sun 08:00 EDT
    assert opening[day("2026-03-09")] == pd.Timestamp("2026-03-09T20:00Z")  # Mon 16:00 EDT
    assert closing[day("2026-03-08")] == pd.Timestamp("2026-03-08T06:30Z")  # 01:30 EST
    assert closing[day("2026-03-09")] == pd.Timestamp("2026-03-09T05:30Z")  # 01:30 EDT
    # Saturday 7 Mar, 08:00-02:00: the clock jumps exactly at its end, 18 real hours.
    saturday = (staffed >= pd.Timestamp("2026-03-07T13:00Z")) & (
        staffed < pd.Timestamp("2026-03-08T12:00Z")
    )
    assert saturday.sum() == 2 * 18


def test_fall_back_saturday_window_is_an_hour_longer() -> None:
    # Sat 31 Oct 2026 08:00 EDT (12:00Z) to Sun 02:00 EST (07:00Z): 01:00-02:00 happens
    # twice, so the 18 wall-clock hours are 19 real ones.
    grid = pd.date_range("2026-10-31T10:00Z", "2026-11-01T10:00Z", freq="30min")
    inside = coverage_mask(grid, config(), CALENDAR)
    assert inside.sum() == 2 * 19
    assert grid[inside].min() == pd.Timestamp("2026-10-31T12:00Z")
    assert grid[inside].max() == pd.Timestamp("2026-11-01T06:30Z")


# --------------------------------------------------------------------------- live and concurrent

SATURDAY_NOON = "2026-12-05T17:00Z"  # Sat 12:00 EST: inside the weekend window
MONDAY_NOON = "2026-12-07T17:00Z"  # Mon 12:00 EST: outside (weekday opens at 16:00)


def test_columns_are_exactly_the_contract() -> None:
    result = compute_requirements(forecast((SATURDAY_NOON, "phone", 100, 180)), config(PHONE))
    assert list(result.columns) == CONTRACT_COLUMNS
    assert result["agents_needed"].dtype == np.int64
    assert result["staff_needed"].dtype == np.int64


def test_live_channel_domain_check_value() -> None:
    # 100 contacts x 180 s / 1800 s = 10 Erlangs, 80% in 20 s -> 14 agents, SL 0.8884;
    # staff = ceil(14 / 0.75) = ceil(18.67) = 19.
    row = compute_requirements(forecast((SATURDAY_NOON, "phone", 100, 180)), config(PHONE)).iloc[0]
    assert row["agents_needed"] == 14
    assert row["staff_needed"] == 19
    assert round(row["service_level"], 4) == 0.8884


def test_occupancy_cap_applies_to_live() -> None:
    # 250 x 300 / 1800 = 41.67 Erlangs, 90% in 30 s: 49 for the level, 50 for 0.85.
    phone = dataclasses.replace(PHONE, service_level=0.9, answer_seconds=30)
    row = forecast((SATURDAY_NOON, "phone", 250, 300))
    assert compute_requirements(row, config(phone)).iloc[0]["agents_needed"] == 50
    loose = config(phone, max_occupancy=1.0)
    assert compute_requirements(row, loose).iloc[0]["agents_needed"] == 49
    per_channel = config(dataclasses.replace(phone, max_occupancy=1.0))
    assert compute_requirements(row, per_channel).iloc[0]["agents_needed"] == 49


def test_zero_contacts_need_nobody() -> None:
    row = compute_requirements(forecast((SATURDAY_NOON, "phone", 0, 0)), config()).iloc[0]
    assert (row["agents_needed"], row["staff_needed"], row["service_level"]) == (0, 0, 1.0)


def test_outside_coverage_needs_nobody_from_this_team() -> None:
    frame = forecast((MONDAY_NOON, "phone", 100, 180), (MONDAY_NOON, "sms", 50, 300))
    result = compute_requirements(frame, config())
    assert list(result["agents_needed"]) == [0, 0]
    assert list(result["staff_needed"]) == [0, 0]
    assert result["service_level"].isna().all()
    assert list(result["contacts"]) == [100, 50]  # the forecast is still shown
    outside = {o.channel: o.contacts for o in outside_coverage(frame, config())}
    assert outside == {"phone": 100, "sms": 50}


def test_sms_concurrency_needs_fewer_agents_than_a_live_queue() -> None:
    frame = forecast((SATURDAY_NOON, "phone", 200, 360), (SATURDAY_NOON, "sms", 200, 360))
    phone, sms = compute_requirements(frame, config(PHONE, SMS))["agents_needed"]
    assert sms < phone
    # 40 Erlangs over servers: Erlang C servers, then two conversations per agent
    servers = int(erlang.required_agents_erlang_c(40.0, 360, 20, 0.8, max_occupancy=0.85))
    assert servers == phone
    assert sms == math.ceil(servers / 2)


def test_concurrent_service_level_is_projected_at_all_servers() -> None:
    row = compute_requirements(forecast((SATURDAY_NOON, "sms", 30, 300)), config(SMS)).iloc[0]
    load = 30 * 300 / 1800
    expected = erlang.service_level(2 * row["agents_needed"], load, 300, 20)
    assert row["service_level"] == pytest.approx(float(expected))
    assert row["service_level"] >= 0.8


def test_patience_switches_live_to_erlang_a() -> None:
    patient = dataclasses.replace(PHONE, patience_seconds=180, service_level=0.7)
    # 2 calls/min for 30 min = 60 calls, AHT 240 s: 8 Erlangs; Erlang A needs 9
    frame = forecast((SATURDAY_NOON, "phone", 60, 240))
    row = compute_requirements(frame, config(patient, max_occupancy=1.0)).iloc[0]
    assert row["agents_needed"] == 9
    assert round(row["service_level"], 4) == 0.7024
    erlang_c_row = compute_requirements(
        frame, config(dataclasses.replace(PHONE, service_level=0.7), max_occupancy=1.0)
    ).iloc[0]
    assert erlang_c_row["agents_needed"] > row["agents_needed"]


# --------------------------------------------------------------------------- email backlog


def test_backlog_ten_emails_within_an_hour() -> None:
    # 10 emails x 30 min = 300 agent-minutes, due within 2 half-hour intervals:
    # 5 agents in each.
    plan = backlog_plan([10, 0, 0, 0], [1800, 0, 0, 0], [True] * 4, 1800, 3600)
    assert list(plan.agents) == [5, 5, 0, 0]
    assert plan.on_time[0] == 1.0


def test_backlog_spreads_work_and_carries_fractions() -> None:
    # 10 emails over a 2-hour window (4 intervals): 2.5 a interval, as whole agents
    # 3, 2, 3, 2 (10 in all), never the 3, 3, 3, 3 of rounding each interval up.
    plan = backlog_plan([10, 0, 0, 0], [1800, 0, 0, 0], [True] * 4, 1800, 7200)
    assert list(plan.agents) == [3, 2, 3, 2]
    assert plan.on_time[0] == 1.0


def test_backlog_steady_arrivals_need_steady_staff() -> None:
    plan = backlog_plan([2] * 8, [1800] * 8, [True] * 8, 1800, 4 * 3600)
    assert list(plan.agents) == [2] * 8


def test_backlog_clock_waits_for_the_opening() -> None:
    # 2 + 2 emails while closed; they count as arriving at the opening, due within
    # the 1-hour window: 4 half-hours of work over 2 intervals.
    plan = backlog_plan([2, 2, 0, 0], [1800] * 4, [False, False, True, True], 1800, 3600)
    assert list(plan.agents) == [0, 0, 2, 2]
    assert list(plan.on_time[:2]) == [1.0, 1.0]


def test_backlog_is_cleared_by_the_end_of_the_horizon() -> None:
    plan = backlog_plan([0, 0, 3], [0, 0, 1800], [True] * 3, 1800, 3600)
    assert list(plan.agents) == [0, 0, 3]


def test_backlog_after_the_last_opening_is_carried() -> None:
    plan = backlog_plan([0, 4], [0, 1800], [True, False], 1800, 3600)
    assert list(plan.carried) == [False, True]
    assert list(plan.agents) == [0, 0]
    assert math.isnan(plan.on_time[1])


def test_backlog_clock_runs_through_unstaffable_intervals() -> None:
    # Open throughout, but no capacity may go in interval 1: 4 emails at 0 with a
    # 1-hour window are due when interval 2 starts, so all 4 go in interval 0.
    plan = backlog_plan(
        [4, 0, 0, 0], [1800] * 4, [True] * 4, 1800, 3600, staffable=[True, False, True, True]
    )
    assert list(plan.agents) == [4, 0, 0, 0]
    assert plan.on_time[0] == 1.0


def test_backlog_reports_contacts_that_cannot_be_answered_in_time() -> None:
    # The only interval inside the 30-minute window cannot be staffed: answered later.
    plan = backlog_plan([2, 0], [1800, 0], [True, True], 1800, 1800, staffable=[False, True])
    assert list(plan.agents) == [0, 2]
    assert plan.on_time[0] == 0.0


def test_email_forecast_gap_keeps_the_clock_running() -> None:
    frame = forecast(
        ("2026-12-05T17:00Z", "email", 4, 1800),
        ("2026-12-05T18:00Z", "email", 0, 0),  # 17:30 is missing from the forecast
    )
    result = compute_requirements(frame, config(EMAIL))
    assert list(result["agents_needed"]) == [4, 0]
    assert result["service_level"].iloc[0] == 1.0


def _max_density(work: list[float], is_open: list[bool], window: int) -> float:
    """The YDS lower bound: the most work that must be done inside any stretch of open
    intervals, per interval of that stretch (brute force)."""
    open_at = [i for i, o in enumerate(is_open) if o]
    m = len(open_at)
    batch = [0.0] * m
    for i, w in enumerate(work):
        later = [k for k, at in enumerate(open_at) if at >= i]
        if later:
            batch[later[0]] += w
    best = 0.0
    for s in range(m):
        for e in range(s + 1, m + 1):
            due = sum(batch[o] for o in range(s, m) if min(o + window, m) <= e)
            best = max(best, due / (e - s))
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.sampled_from([600.0, 900.0, 1800.0]), st.booleans()),
        min_size=1,
        max_size=14,
    ),
    st.integers(1, 5),
)
def test_backlog_meets_every_deadline_with_the_least_peak(
    rows: list[tuple[int, float, bool]], window: int
) -> None:
    contacts = [float(c) for c, _, _ in rows]
    aht = [h for _, h, _ in rows]
    is_open = [o for _, _, o in rows]
    plan = backlog_plan(contacts, aht, is_open, 1800, window * 1800)
    assert np.all(plan.agents[~np.asarray(is_open)] == 0)
    answered = plan.on_time[~np.isnan(plan.on_time)]
    assert np.all(answered == 1.0)
    work = [c * h / 1800 for c, h in zip(contacts, aht, strict=True)]
    if any(is_open):
        peak = int(plan.agents.max())
        assert peak == math.ceil(_max_density(work, is_open, window) - 1e-9)
        served = sum(w for w, carried in zip(work, plan.carried, strict=True) if not carried)
        assert plan.agents.sum() >= served - 1e-9


def test_email_through_compute_requirements() -> None:
    frame = forecast(
        ("2026-12-05T17:00Z", "email", 10, 1800),
        ("2026-12-05T17:30Z", "email", 0, 0),
        ("2026-12-05T18:00Z", "email", 0, 0),
    )
    result = compute_requirements(frame, config(EMAIL))
    assert list(result["agents_needed"]) == [5, 5, 0]
    assert list(result["staff_needed"]) == [7, 7, 0]  # ceil(5 / 0.75)
    assert result["service_level"].iloc[0] == 1.0


def test_email_outside_coverage_is_queued_not_dropped() -> None:
    # Monday: closed until 16:00 EST (21:00Z). 4 emails at 20:00Z and 20:30Z wait for
    # the opening; 1-hour window -> 2 agents at 21:00Z and 21:30Z.
    frame = forecast(
        ("2026-12-07T20:00Z", "email", 2, 1800),
        ("2026-12-07T20:30Z", "email", 2, 1800),
        ("2026-12-07T21:00Z", "email", 0, 0),
        ("2026-12-07T21:30Z", "email", 0, 0),
    )
    result = compute_requirements(frame, config(EMAIL))
    assert list(result["agents_needed"]) == [0, 0, 2, 2]
    assert list(result["service_level"].iloc[:2]) == [1.0, 1.0]
    (email,) = outside_coverage(frame, config(EMAIL))
    assert (email.contacts, email.carried) == (4, 0)


# --------------------------------------------------------------------------- what-if


def _busy_saturday() -> pd.DataFrame:
    rows = []
    for i, (phone, sms, email) in enumerate(
        [(40, 20, 10), (80, 30, 6), (120, 45, 14), (60, 10, 3)]
    ):
        stamp = (pd.Timestamp(SATURDAY_NOON) + pd.Timedelta(minutes=30 * i)).isoformat()
        rows += [
            (stamp, "phone", phone, 300),
            (stamp, "sms", sms, 400),
            (stamp, "email", email, 600),
        ]
    return forecast(*rows)


def test_baseline_scenario_changes_nothing() -> None:
    frame = _busy_saturday()
    base = compute_requirements(frame, config())
    same = compute_requirements(frame, config(), StaffingScenario())
    pd.testing.assert_frame_equal(base, same)
    assert list(base["contacts"]) == list(frame["contacts"].astype(float))


@pytest.mark.parametrize(
    "scenario",
    [StaffingScenario(volume_multiplier=1.5), StaffingScenario(aht_multiplier=1.4)],
)
def test_more_work_needs_more_agents(scenario: StaffingScenario) -> None:
    frame = _busy_saturday()
    base = compute_requirements(frame, config())
    more = compute_requirements(frame, config(), scenario)
    assert np.all(more["agents_needed"] >= base["agents_needed"])
    for channel in ("phone", "sms", "email"):
        mine = more["channel"] == channel
        assert more[mine]["agents_needed"].sum() > base[mine]["agents_needed"].sum()
    scaled = (more["contacts"] * more["aht_seconds"]) / (base["contacts"] * base["aht_seconds"])
    factor = scenario.volume_multiplier * scenario.aht_multiplier
    assert scaled.to_numpy() == pytest.approx(factor)


def test_tighter_service_level_needs_more_live_agents_only() -> None:
    frame = _busy_saturday()
    base = compute_requirements(frame, config())
    strict = compute_requirements(frame, config(), StaffingScenario(service_level_override=0.95))
    live = base["channel"] != "email"
    assert np.all(strict["agents_needed"] >= base["agents_needed"])
    assert strict[live]["agents_needed"].sum() > base[live]["agents_needed"].sum()
    assert list(strict[~live]["agents_needed"]) == list(base[~live]["agents_needed"])
    assert np.all(strict[live]["service_level"] >= 0.95)


def test_shrinkage_override_moves_staff_not_agents() -> None:
    frame = _busy_saturday()
    base = compute_requirements(frame, config())
    half = compute_requirements(frame, config(), StaffingScenario(shrinkage_override=0.5))
    assert list(half["agents_needed"]) == list(base["agents_needed"])
    assert list(half["staff_needed"]) == list(2 * base["agents_needed"])


def test_per_channel_shrinkage() -> None:
    email = dataclasses.replace(EMAIL, shrinkage=0.5)
    result = compute_requirements(_busy_saturday(), config(PHONE, SMS, email))
    mine = result["channel"] == "email"
    assert list(result[mine]["staff_needed"]) == list(2 * result[mine]["agents_needed"])
    others = result[~mine]
    expected = erlang.staff_with_shrinkage(others["agents_needed"].to_numpy(), 0.25)
    assert list(others["staff_needed"]) == list(expected)


def test_scenario_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="volume"):
        StaffingScenario(volume_multiplier=-1)
    with pytest.raises(ValueError, match="service_level"):
        StaffingScenario(service_level_override=1.0)


# --------------------------------------------------------------------------- command line

CONFIG_TOML = """
[site]
business_timezone = "America/New_York"
interval_minutes = 30

[coverage]
weekday = "16:00-02:00"
weekend = "08:00-02:00"
holiday = "08:00-02:00"

[staffing]
shrinkage = 0.25
max_occupancy = 0.85

[channels.phone]
kind = "live"
service_level = 0.8
answer_seconds = 20

[channels.email]
kind = "deferred"
response_hours = 1
"""

FORECAST_CSV = """interval_start,channel,contacts,aht_seconds
2026-12-05T12:00:00-05:00,phone,100,180
2026-12-05T12:00:00-05:00,email,10,1800
2026-12-05T17:30:00Z,phone,0,0
2026-12-05T17:30:00Z,email,0,0
2026-12-07T17:00:00Z,phone,30,200
2026-12-07T17:00:00Z,email,0,0
"""


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text(CONFIG_TOML)
    (tmp_path / "forecast.csv").write_text(FORECAST_CSV)
    return tmp_path


def _staff(folder: Path, *options: str) -> int:
    return main(
        [
            "staff",
            "--forecast",
            str(folder / "forecast.csv"),
            "--config",
            str(folder / "config.toml"),
            "--out",
            str(folder / "requirements.csv"),
            *options,
        ]
    )


def test_staff_command_writes_requirements(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _staff(inputs) == 0
    lines = (inputs / "requirements.csv").read_text().splitlines()
    assert lines[0] == ",".join(CONTRACT_COLUMNS)
    assert lines[1].startswith("2026-12-05T17:00:00Z,")
    written = pd.read_csv(inputs / "requirements.csv")
    phone = written[written["channel"] == "phone"].set_index("interval_start")
    assert phone.loc["2026-12-05T17:00:00Z", "agents_needed"] == 14
    assert phone.loc["2026-12-05T17:00:00Z", "staff_needed"] == 19
    assert np.isnan(phone.loc["2026-12-07T17:00:00Z", "service_level"])  # Monday noon
    email = written[written["channel"] == "email"]
    assert list(email["agents_needed"]) == [5, 5, 0]
    out = capsys.readouterr().out
    assert "phone: 30 contacts, handled elsewhere" in out


def test_staff_command_what_if(inputs: Path) -> None:
    assert _staff(inputs, "--volume-multiplier", "2", "--shrinkage", "0.5") == 0
    written = pd.read_csv(inputs / "requirements.csv")
    assert written["contacts"].sum() == 2 * (100 + 10 + 30)
    assert list(written["staff_needed"]) == list(2 * written["agents_needed"])


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (("--service-level", "1.5"), "--service-level"),
        (("--shrinkage", "1"), "--shrinkage"),
        (("--aht-multiplier", "0"), "--aht-multiplier"),
    ],
)
def test_staff_command_bad_option_writes_nothing(
    inputs: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], named: str
) -> None:
    assert _staff(inputs, *options) == 2
    assert not (inputs / "requirements.csv").exists()
    assert named in capsys.readouterr().err


def test_staff_command_bad_forecast_writes_nothing(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inputs / "forecast.csv").write_text(
        "interval_start,channel,contacts,aht_seconds\n2026-12-05T17:00:00Z,fax,3,100\n"
        "2026-12-05T17:00:00Z,phone,-2,100\n"
    )
    assert _staff(inputs, "--service-level", "2") == 2
    assert not (inputs / "requirements.csv").exists()
    err = capsys.readouterr().err
    # every problem in one go: the option, and both rows of the file
    assert "--service-level" in err
    assert "row 1, column channel: channel fax" in err
    assert "row 2, column contacts" in err
