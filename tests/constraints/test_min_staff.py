"""min_staff: a channel's floor of agents in every open interval, whatever the forecast;
staff-minutes short, exact by hand, solver and checker."""

from __future__ import annotations

from dataclasses import replace

from planner.domain import Config, CoverageConfig, Horizon, Window
from tests.support.model import (
    CHANNELS,
    WEEK,
    make_agent,
    make_config,
    relaxed_rules,
    solve_checked,
)

EVENINGS = CoverageConfig(weekday=Window(18 * 60, 20 * 60), weekend=None, holiday=None)
"""Open Monday to Friday 18:00-20:00 (business time): 5 x 2 h = 600 open minutes a week."""


def _config(phone: int = 1, sms: int = 0) -> Config:
    channels = (
        replace(CHANNELS[0], min_staff=phone),
        replace(CHANNELS[1], min_staff=sms),
        CHANNELS[2],
    )
    return make_config(channels=channels, coverage=EVENINGS, rules=relaxed_rules())


def test_the_floor_staffs_an_open_line_the_forecast_calls_empty() -> None:
    # No demand at all. Without a floor nobody works; with phone min_staff = 1 a 4 h phone
    # agent covers 18:00-20:00 every weekday (their 15 min paid rest outside it): nothing
    # short, and 5 shifts x (240 - 15) = 1125 present minutes nobody needs.
    agent = make_agent(shift_hours=(4,), skills=("phone",))
    off, _ = solve_checked([agent], _config(phone=0), Horizon(WEEK, 1))
    assert off.roster is not None
    assert off.roster.shifts == ()
    result, _ = solve_checked([agent], _config(), Horizon(WEEK, 1))
    assert result.terms["min_staff"].raw == 0
    assert result.terms["over_staffing"].raw == 5 * 225
    assert result.roster is not None
    assert sorted(s.date.weekday() for s in result.roster.shifts) == [0, 1, 2, 3, 4]


def test_staff_minutes_short_of_the_floor() -> None:
    # The agent may work 8 h: two evenings covered, three not: 3 x 120 = 360 staff-minutes,
    # weighted 50 each.
    agent = make_agent(max_hours=8, shift_hours=(4,), skills=("phone",))
    result, checked = solve_checked([agent], _config(), Horizon(WEEK, 1))
    assert result.terms["min_staff"].raw == 360
    assert result.terms["min_staff"].weight == 50
    assert checked is not None
    assert checked.terms["min_staff.phone"] == 360


def test_an_agent_with_two_skills_counts_toward_both_floors() -> None:
    # phone and sms each want 1 agent; one phone-and-sms agent, two evenings: each channel is
    # short 3 x 120 = 360, 720 in all. An email-only agent counts toward neither.
    both = make_agent("A1", max_hours=8, shift_hours=(4,), skills=("phone", "sms"))
    email = make_agent("A2", max_hours=8, shift_hours=(4,), skills=("email",))
    result, checked = solve_checked([both, email], _config(phone=1, sms=1), Horizon(WEEK, 1))
    assert result.terms["min_staff"].raw == 720
    assert checked is not None
    assert checked.terms["min_staff.phone"] == 360
    assert checked.terms["min_staff.sms"] == 360
    assert result.roster is not None
    assert {s.agent_id for s in result.roster.shifts} == {"A1"}
