"""KPIs of a roster, each against a hand-computed value (service levels against the
Erlang check values of DOMAIN.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pandas as pd
import pytest

from planner.domain import (
    Break,
    ChannelConfig,
    Horizon,
    Roster,
    RulesConfig,
    StaffingConfig,
)
from planner.verify.kpi import INTERVAL_COLUMNS, compute_kpis, interval_table
from tests.support.roster import (
    WEEK,
    calendar_for,
    local,
    make_agent,
    make_config,
    make_shift,
    roster_with_breaks,
    standard_breaks,
)

MON = WEEK + timedelta(days=1)
CHANNELS_PHONE = make_config().channels[0]


def requirements(rows: list[tuple[str, str, int, float, float]]) -> pd.DataFrame:
    """``(New York time on MON, channel, staff_needed, contacts, aht_seconds)`` rows."""
    ny = make_agent()
    return pd.DataFrame(
        {
            "interval_start": pd.to_datetime([local(ny, MON, r[0]) for r in rows], utc=True),
            "channel": [r[1] for r in rows],
            "contacts": [r[3] for r in rows],
            "aht_seconds": [r[4] for r in rows],
            "staff_needed": [r[2] for r in rows],
        }
    )


def two_agent_case() -> tuple[Roster, list, pd.DataFrame]:
    """The hand case of tests/test_check_terms.py (A phone+sms rests 10:30, B phone)."""
    a = make_agent("A", skills=("phone", "sms"))
    b = make_agent("B", skills=("phone",))
    shift_a, shift_b = make_shift(a, MON), make_shift(b, MON)
    breaks_a = [
        Break("A", local(a, MON, "10:30"), local(a, MON, "10:45"), "rest", True),
        Break("A", local(a, MON, "13:00"), local(a, MON, "13:30"), "meal", False),
        Break("A", local(a, MON, "15:30"), local(a, MON, "15:45"), "rest", True),
    ]
    roster = Roster((shift_a, shift_b), (*breaks_a, *standard_breaks(shift_b)))
    req = requirements(
        [
            ("10:00", "phone", 1, 0, 0),
            ("10:00", "sms", 1, 0, 0),
            ("10:30", "phone", 2, 0, 0),
            ("10:30", "sms", 1, 0, 0),
            ("11:00", "phone", 0, 0, 0),
            ("11:00", "sms", 0, 0, 0),
        ]
    )
    return roster, [a, b], req


def test_interval_table_by_hand() -> None:
    """10:30: phone needs 2, gets B (1) and A's 15 minutes (0.5) -> 1.5, under 0.5; sms
    needs 1, gets 0. 11:00: nothing needed; A (phone+sms) idle 30 min split 15/15 and B
    (phone) idle 15 -> over phone (15 + 15) / 30 = 1.0, sms 15 / 30 = 0.5."""
    roster, agents, req = two_agent_case()
    table = interval_table(roster, agents, make_config(), req)
    assert list(table.columns) == list(INTERVAL_COLUMNS)
    assert str(table["interval_start"].dt.tz) == "UTC"
    got = {
        (t.strftime("%H:%M"), c): (n, p, u, o)
        for t, c, n, p, u, o in table[
            ["interval_start", "channel", "staff_needed", "staff_present", "under", "over"]
        ].itertuples(index=False)
        if c != "email"
    }
    assert got == {
        ("15:00", "phone"): (1.0, 1.0, 0.0, 0.0),
        ("15:00", "sms"): (1.0, 1.0, 0.0, 0.0),
        ("15:30", "phone"): (2.0, 1.5, 0.5, 0.0),
        ("15:30", "sms"): (1.0, 0.0, 1.0, 0.0),
        ("16:00", "phone"): (0.0, 1.0, 0.0, 1.0),
        ("16:00", "sms"): (0.0, 0.5, 0.0, 0.5),
    }


def test_channel_staff_hours_and_percent_covered() -> None:
    """Phone: needed (1 + 2) x 0.5 h = 1.5 staff-hours, covered (1 + 1.5) x 0.5 = 1.25,
    under 0.25, over 0.5, 83.3 %. Sms: needed 1.0, covered 0.5 (50 %), over 0.25.
    Idle 45 minutes = 0.75 staff-hours."""
    roster, agents, req = two_agent_case()
    config = make_config()
    kpis = compute_kpis(roster, agents, config, req, calendar_for(config), Horizon(WEEK, 1))
    phone, sms = kpis.channels["phone"], kpis.channels["sms"]
    assert (phone.needed_staff_hours, phone.covered_staff_hours) == (1.5, 1.25)
    assert (phone.under_staff_hours, phone.over_staff_hours) == (0.25, 0.5)
    assert phone.covered_pct == pytest.approx(100 * 1.25 / 1.5)
    assert (sms.needed_staff_hours, sms.covered_staff_hours, sms.covered_pct) == (1.0, 0.5, 50.0)
    assert sms.over_staff_hours == 0.25
    assert kpis.idle_staff_hours == 0.75
    assert kpis.channels["email"].covered_pct is None
    assert phone.service_level is None  # no contacts
    json.dumps(kpis.to_dict())


@pytest.mark.parametrize(("present", "shrinkage"), [(14, 0.0), (19, 0.25)])
def test_projected_service_level_from_the_staff_allocated(present: int, shrinkage: float) -> None:
    """DOMAIN.md: 100 contacts of 180 s in 1800 s (A = 10) with 14 agents answer 88.84 %
    within 20 s. 19 staff at 25 % shrinkage are floor(19 x 0.75) = 14 agents. A second
    interval with 300 contacts (A = 30 > 14) is unstable: 0 %. The day, contact-weighted:
    (100 x 0.8884 + 300 x 0) / 400 = 0.2221."""
    config = replace(
        make_config(),
        channels=(ChannelConfig("phone", "live", answer_seconds=20, priority=3),),
        staffing=StaffingConfig(shrinkage=shrinkage),
    )
    agents = [make_agent(f"A{i:02d}") for i in range(present)]
    roster = roster_with_breaks([make_shift(a, MON, "09:00") for a in agents])
    req = requirements(
        [("09:00", "phone", present, 100, 180), ("09:30", "phone", present, 300, 180)]
    )
    kpis = compute_kpis(roster, agents, config, req, calendar_for(config), Horizon(WEEK, 1))
    table = interval_table(roster, agents, config, req, calendar_for(config))
    assert table["service_level"].round(4).tolist() == [0.8884, 0.0]
    assert kpis.daily_service_level["phone"][MON] == pytest.approx(0.8884 * 100 / 400, abs=1e-4)
    assert kpis.weekly_service_level["phone"] == [pytest.approx(0.2221, abs=1e-4)]
    assert kpis.channels["phone"].service_level == pytest.approx(0.2221, abs=1e-4)


def test_concurrent_channel_counts_concurrency_servers_per_agent() -> None:
    """Seven sms agents holding 2 conversations each are 14 servers: SL 0.8884 again."""
    config = replace(
        make_config(),
        channels=(ChannelConfig("sms", "concurrent", concurrency=2, answer_seconds=20),),
        staffing=StaffingConfig(shrinkage=0.0),
    )
    agents = [make_agent(f"S{i}", skills=("sms",)) for i in range(7)]
    roster = roster_with_breaks([make_shift(a, MON, "09:00") for a in agents])
    req = requirements([("09:00", "sms", 7, 100, 180)])
    table = interval_table(roster, agents, config, req, calendar_for(config))
    assert table["service_level"].round(4).tolist() == [0.8884]


def email_case(staff: int, rows: list[tuple[str, str, int, float, float]], start: str = "16:00"):  # type: ignore[no-untyped-def]
    """Email only (response 1 h = two 30-min intervals), no shrinkage, occupancy 0.75 set on
    the channel: an email of 1800 s is 1800 / 60 / 0.75 = 40 staff-minutes of work. ``staff``
    agents work 4 h from ``start`` (their rest is after the first hour)."""
    config = replace(
        make_config(),
        channels=(ChannelConfig("email", "deferred", response_hours=1.0, max_occupancy=0.75),),
        staffing=StaffingConfig(shrinkage=0.0),
    )
    agents = [make_agent(f"E{i}", skills=("email",), shift_hours=(4,)) for i in range(staff)]
    roster = roster_with_breaks([make_shift(a, MON, start, 4) for a in agents])
    kpis = compute_kpis(
        roster, agents, config, requirements(rows), calendar_for(config), Horizon(WEEK, 1)
    )
    return kpis.channels["email"]


@pytest.mark.parametrize(("staff", "on_time"), [(7, 1.0), (6, 0.9)])
def test_deferred_channel_on_time_share(staff: int, on_time: float) -> None:
    """10 emails (400 staff-minutes of work) arrive at 16:00, due by 17:00 (open from 16:00
    on weekdays). 7 agents give 420 minutes by then: all on time; 6 give 360: 90 %."""
    email = email_case(
        staff,
        [
            ("16:00", "email", staff, 10, 1800),
            ("16:30", "email", staff, 0, 1800),
            ("17:00", "email", staff, 0, 1800),
        ],
    )
    assert email.service_level == pytest.approx(on_time)


def test_deferred_response_times() -> None:
    """7 agents, 10 emails (400 minutes) at 16:00: 210 minutes answered by 16:30, the other
    190 by 17:00. Emails arrive mid-interval (16:15): 5.25 emails wait 0.25 h, 4.75 wait
    0.75 h; mean (5.25 x 0.25 + 4.75 x 0.75) / 10 = 0.4875 h, 90th percentile 0.75 h; all
    of it open time."""
    email = email_case(7, [("16:00", "email", 7, 10, 1800), ("16:30", "email", 7, 0, 1800)])
    response = email.response
    assert response is not None
    assert response.mean_hours == pytest.approx(0.4875)
    assert response.p90_hours == pytest.approx(0.75)
    assert response.mean_open_hours == pytest.approx(0.4875)
    assert response.p90_open_hours == pytest.approx(0.75)
    assert (response.answered, response.unanswered) == (pytest.approx(10), 0)


def test_deferred_response_time_counts_open_hours_from_the_opening() -> None:
    """One email (40 minutes) at 10:00 Monday, while closed (open from 16:00); two agents
    from 16:00 answer it by 16:30. Wall clock: 16:30 - 10:15 = 6.25 h; open hours: the
    clock starts at 16:00, 0.5 h. It is on time (due by 17:00)."""
    email = email_case(2, [("10:00", "email", 0, 1, 1800), ("16:00", "email", 2, 0, 1800)])
    assert email.response is not None
    assert email.response.mean_hours == pytest.approx(6.25)
    assert email.response.mean_open_hours == pytest.approx(0.5)
    assert email.service_level == pytest.approx(1.0)


def test_deferred_contacts_left_unanswered() -> None:
    """Nobody works: the 10 emails are never answered (0 % on time, no response time)."""
    email = email_case(0, [("16:00", "email", 1, 10, 1800), ("16:30", "email", 1, 0, 1800)])
    assert email.service_level == 0.0
    assert email.response is not None
    assert email.response.mean_hours is None
    assert email.response.unanswered == pytest.approx(10)


def test_overtime_counts_and_spreads() -> None:
    """F1 works Mon-Sat (48 h: 8 h overtime, one weekend shift); F2 works Mon-Fri
    16:00-00:30 (five evenings, 0 overtime). Spread full_time: weekend 1, evening 5."""
    f1 = make_agent("F1", max_hours=48)
    f2 = make_agent("F2")
    shifts = [make_shift(f1, WEEK + timedelta(days=i)) for i in range(1, 7)]
    shifts += [make_shift(f2, WEEK + timedelta(days=i), "16:00") for i in range(1, 6)]
    config = make_config(
        rules=RulesConfig(
            min_days_off_per_week=1, overtime_allowed=True, max_overtime_hours_per_week=8
        )
    )
    kpis = compute_kpis(
        roster_with_breaks(shifts), [f1, f2], config, None, calendar_for(config), Horizon(WEEK, 1)
    )
    assert kpis.overtime_hours == 8.0
    assert kpis.overtime_by_agent == {"F1": 8.0, "F2": 0.0}
    assert kpis.paid_hours_by_agent == {"F1": 48.0, "F2": 40.0}
    assert kpis.counts["F1"] == {"weekend": 1, "evening": 0, "holiday": 0, "closer": 0}
    assert kpis.counts["F2"] == {"weekend": 0, "evening": 5, "holiday": 0, "closer": 5}
    assert kpis.spread["full_time"] == {"weekend": 1, "evening": 5, "holiday": 0, "closer": 5}
    assert kpis.spread["part_time"] == {"weekend": 0, "evening": 0, "holiday": 0, "closer": 0}
    # The fairness term explained. Exposure: F1 48 h, F2 40 h (E = 88 h). Weekend: T = 1,
    # shares 48/88 = 0.5455 and 0.4545, penalty round(100 x (0.4545 + 0.4545)) = 91.
    # Evening and closer: T = 5, shares 2.7273 and 2.2727, penalty round(100 x 5.4545) = 545.
    fairness = kpis.fairness
    weekend = fairness["groups"]["full_time"]["weekend"]
    assert weekend == {
        "weight": 1,
        "team_count": 1,
        "exposure_hours": 88.0,
        "rate_per_fte_week": round(40 / 88, 4),
        "penalty": 91,
        "agents": 2,
    }
    assert fairness["groups"]["full_time"]["closer"]["penalty"] == 545
    f1 = fairness["agents"]["F1"]
    assert (f1["weeks"], f1["exposure_hours"]) == (1, 48.0)
    assert f1["share"]["weekend"] == round(48 / 88, 4)
    assert f1["deviation"]["weekend"] == round(1 - 48 / 88, 4)
    assert f1["deviation"]["evening"] == round(-5 * 48 / 88, 4)
    assert f1["holidays"] == []
    assert kpis.channels == {}
    assert json.loads(json.dumps(kpis.to_dict()))["overtime_hours"] == 8.0


def test_contacts_outside_the_coverage_windows_do_not_lower_the_teams_level() -> None:
    """A 10:00 interval with 500 phone contacts and no need (outside coverage: another team
    answers) leaves the day's level at the 09:00 interval's 0.8884, not (100 x 0.8884) / 600."""
    config = replace(
        make_config(),
        channels=(ChannelConfig("phone", "live", answer_seconds=20, priority=3),),
        staffing=StaffingConfig(shrinkage=0.0),
    )
    agents = [make_agent(f"A{i:02d}") for i in range(14)]
    roster = roster_with_breaks([make_shift(a, MON, "09:00") for a in agents])
    req = requirements([("09:00", "phone", 14, 100, 180), ("10:00", "phone", 0, 500, 180)])
    kpis = compute_kpis(roster, agents, config, req, calendar_for(config), Horizon(WEEK, 1))
    assert kpis.daily_service_level["phone"][MON] == pytest.approx(0.8884, abs=1e-4)
    assert kpis.channels["phone"].service_level == pytest.approx(0.8884, abs=1e-4)


def test_hours_short_of_the_channel_and_lead_floors() -> None:
    """Phone wants 2 agents and the team 1 lead, 16:00-18:00 (open: weekday 16:00-02:00).
    The one agent, a phone lead, works 09:00-17:30: 16:00-17:30 phone is 1 short (3 x 30
    minutes), 17:30-18:00 2 short (60 minutes): 150 minutes = 2.5 staff-hours; the lead floor
    is short 17:30-18:00 only: 0.5 lead-hours."""
    config = replace(
        make_config(),
        channels=(replace(CHANNELS_PHONE, min_staff=2), *make_config().channels[1:]),
    )
    config = replace(config, coverage=replace(config.coverage, min_leads=1))
    lead = make_agent("L", skills=("phone", "lead"))
    roster = roster_with_breaks([make_shift(lead, MON, "09:00")])
    req = requirements([(t, "phone", 0, 0, 0) for t in ("16:00", "16:30", "17:00", "17:30")])
    kpis = compute_kpis(roster, [lead], config, req, calendar_for(config), Horizon(WEEK, 1))
    assert kpis.floor_short_hours == {"phone": 2.5, "sms": 0.0, "email": 0.0}
    assert kpis.lead_short_hours == 0.5
    data = json.loads(json.dumps(kpis.to_dict()))
    assert data["floor_short_hours"]["phone"] == 2.5
    assert data["lead_short_hours"] == 0.5


def test_overtime_is_counted_by_workweek() -> None:
    """Saturday 18:00-02:00, then five 8 h days: 2 h of the Saturday fall in the next
    workweek (from Sunday 00:00, business time), which then holds 42 h: 2 h of overtime. With
    a previous roster's Saturday night before the first week the same holds there."""
    f1 = make_agent("F1")
    saturday = WEEK + timedelta(days=6)
    shifts = [make_shift(f1, saturday, "18:00", 8, unpaid_minutes=0)]
    shifts += [
        make_shift(f1, saturday + timedelta(days=d), "09:00", 8, unpaid_minutes=0)
        for d in range(1, 6)
    ]
    config = make_config(rules=RulesConfig(overtime_allowed=True, max_overtime_hours_per_week=8))
    kpis = compute_kpis(
        Roster(tuple(shifts)), [f1], config, None, calendar_for(config), Horizon(WEEK, 2)
    )
    assert kpis.overtime_by_agent == {"F1": 2.0}
    assert kpis.paid_hours_by_agent == {"F1": 48.0}
    previous = [make_shift(f1, WEEK - timedelta(days=1), "18:00", 8, unpaid_minutes=0)]
    first_week = Roster(
        tuple(
            make_shift(f1, WEEK + timedelta(days=d), "09:00", 8, unpaid_minutes=0) for d in range(5)
        )
    )
    kpis = compute_kpis(
        first_week, [f1], config, None, calendar_for(config), Horizon(WEEK, 1), previous=previous
    )
    assert kpis.overtime_hours == 2.0
