"""min_leads: agents with the lead skill on shift in every open interval; lead-minutes short,
exact by hand, solver and checker. A lead also answers their channels."""

from __future__ import annotations

from datetime import datetime

from planner.domain import Config, CoverageConfig, Horizon, Window
from tests.support.model import (
    WEEK,
    make_agent,
    make_config,
    relaxed_rules,
    solve_checked,
    window_need,
)

EVENINGS = Window(18 * 60, 20 * 60)
"""Open Monday to Friday 18:00-20:00 (business time): one lead wanted is 600 lead-minutes."""
PHONE = window_need(None, 18, 20, {"phone": 1})
"""One phone agent needed while open (none at the weekend: closed)."""


def _config(min_leads: int = 1) -> Config:
    coverage = CoverageConfig(weekday=EVENINGS, weekend=None, holiday=None, min_leads=min_leads)
    return make_config(coverage=coverage, rules=relaxed_rules())


def _weekday_need(local: datetime, channel: str) -> int:
    return PHONE(local, channel) if local.weekday() < 5 else 0


def test_a_lead_answers_the_phone_and_meets_the_floor() -> None:
    # The only agent is a phone lead: five 4 h evenings cover the phone need and the leads'
    # floor (their rests outside 18:00-20:00): nothing short of either.
    lead = make_agent("L1", shift_hours=(4,), skills=("phone", "lead"))
    result, _ = solve_checked([lead], _config(), Horizon(WEEK, 1), _weekday_need)
    assert result.terms["min_leads"].raw == 0
    assert result.terms["under_staffing"].raw == 0
    assert result.roster is not None
    assert len(result.roster.shifts) == 5


def test_lead_minutes_short_of_the_floor() -> None:
    # The lead may work 8 h (two evenings); a plain phone agent covers the phone on the others.
    # Three evenings without a lead: 3 x 120 = 360 lead-minutes, weighted 30 each; the phone
    # need is met every evening.
    lead = make_agent("L1", max_hours=8, shift_hours=(4,), skills=("phone", "lead"))
    agent = make_agent("A2", shift_hours=(4,), skills=("phone",))
    result, checked = solve_checked([lead, agent], _config(), Horizon(WEEK, 1), _weekday_need)
    assert result.terms["min_leads"].raw == 360
    assert result.terms["min_leads"].weight == 30
    assert result.terms["under_staffing"].raw == 0
    assert checked is not None
    assert checked.terms["min_leads"] == 360
    assert result.roster is not None
    assert sum(s.agent_id == "L1" for s in result.roster.shifts) == 2


def test_no_floor_by_default() -> None:
    lead = make_agent("L1", max_hours=8, shift_hours=(4,), skills=("phone", "lead"))
    result, _ = solve_checked([lead], _config(min_leads=0), Horizon(WEEK, 1), _weekday_need)
    assert result.terms["min_leads"].raw == 0
