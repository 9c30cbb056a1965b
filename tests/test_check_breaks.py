"""The checker's break rule (planner/verify/break_rules.py) on hand-made rosters: Washington's
second meal and the break start grid ``breaks.start_step_minutes``, both ways."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Agent, Break, BreakPolicy, Config, Roster, Shift
from planner.verify.check import CheckResult, check_roster
from tests.support.roster import (
    WEEK,
    calendar_for,
    local,
    make_agent,
    make_config,
    make_shift,
    week_horizon,
)

MON = WEEK + timedelta(days=1)
PACIFIC = "America/Los_Angeles"


def _break(agent: Agent, shift: Shift, kind: str, start: str, minutes: int) -> Break:
    begin = local(agent, shift.date, start)
    meal = kind == "meal"
    return Break(agent.agent_id, begin, begin + timedelta(minutes=minutes), kind, not meal)  # type: ignore[arg-type]


def _check(
    shift: Shift, agent: Agent, breaks: list[Break] | None, config: Config | None = None
) -> CheckResult:
    config = config or make_config()
    return check_roster(
        Roster((shift,), tuple(breaks or ())),
        [agent],
        config,
        week_horizon(),
        calendar_for(config),
        breaks_given=breaks is not None,
    )


def _messages(result: CheckResult) -> list[str]:
    return [v.message for v in result.violations if v.rule == "breaks"]


def _twelve_hours(state: str, meals: int) -> tuple[Agent, Shift, list[Break]]:
    """A 12 h paid shift from 08:00 with three rests and ``meals`` unpaid 30 min meals."""
    zone = PACIFIC if state == "WA" else "America/New_York"
    agent = make_agent("W1", state=state, timezone=zone, shift_hours=(12,))
    shift = make_shift(agent, MON, "08:00", 12, unpaid_minutes=30 * meals)
    breaks = [
        _break(agent, shift, "rest", "10:00", 15),
        _break(agent, shift, "meal", "12:00", 30),
        _break(agent, shift, "rest", "14:30", 15),
        _break(agent, shift, "rest", "19:00", 15),
    ]
    if meals == 2:
        breaks.append(_break(agent, shift, "meal", "16:30", 30))
    return agent, shift, sorted(breaks, key=lambda b: b.start_utc)


def test_washington_twelve_hour_shift_with_two_meals_passes() -> None:
    # 08:00-21:00 Pacific: work 08:00-12:00, meal, 12:30-16:30, meal, 17:00-21:00: no
    # stretch over 5 h without a meal, none over 3 h without a break.
    agent, shift, breaks = _twelve_hours("WA", meals=2)
    assert _check(shift, agent, breaks).ok


def test_washington_twelve_hour_shift_with_one_meal_is_refused() -> None:
    # 08:00-20:30 Pacific with one meal at 12:00: 12:30-20:30 is 8 h without a meal.
    agent, shift, breaks = _twelve_hours("WA", meals=1)
    messages = _messages(_check(shift, agent, breaks))
    assert (
        "W1's shift 2026-12-07 08:00–20:30 is paid 12 h and has 1 meal break(s), 2 required: "
        "Washington allows no more than 5 hours of work without a meal (WAC 296-126-092)"
    ) in messages
    assert any("8 h of work without a meal (max 5 h)" in m for m in messages)


def test_twelve_hour_shift_outside_washington_needs_one_meal() -> None:
    agent, shift, breaks = _twelve_hours("GA", meals=1)
    assert _check(shift, agent, breaks).ok


def test_without_a_breaks_file_a_washington_twelve_hour_shift_assumes_two_meals() -> None:
    # Paid hours are judged against the meals the rules require: 13 h elapsed - 2 x 30 min.
    agent, shift, _ = _twelve_hours("WA", meals=2)
    result = _check(shift, agent, None)
    assert result.ok, [str(v) for v in result.violations]
    agent, shift, _ = _twelve_hours("WA", meals=1)
    shape = [v.message for v in _check(shift, agent, None).violations]
    assert any("pays 11.5 h, not the 12 h written" in m for m in shape)


def _eight_hours_with_a_rest_at(minute: str) -> tuple[Agent, Shift, list[Break]]:
    agent = make_agent()
    shift = make_shift(agent, MON)  # 09:00-17:30 Eastern
    breaks = [
        _break(agent, shift, "rest", f"11:{minute}", 15),
        _break(agent, shift, "meal", "13:00", 30),
        _break(agent, shift, "rest", "15:30", 15),
    ]
    return agent, shift, breaks


def test_a_break_at_five_past_passes_on_a_five_minute_grid() -> None:
    agent, shift, breaks = _eight_hours_with_a_rest_at("05")
    config = make_config(breaks=BreakPolicy(start_step_minutes=5))
    assert _check(shift, agent, breaks, config).ok


def test_a_break_at_five_past_is_refused_on_the_default_fifteen_minute_grid() -> None:
    agent, shift, breaks = _eight_hours_with_a_rest_at("05")
    assert _messages(_check(shift, agent, breaks)) == [
        "A1's shift 2026-12-07 09:00–17:30: the rest at 11:05 is not on a 15-minute boundary "
        "(breaks.start_step_minutes = 15)"
    ]
    _, _, on_grid = _eight_hours_with_a_rest_at("15")
    assert _check(shift, agent, on_grid).ok
