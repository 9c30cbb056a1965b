"""Property: on random small instances (email arriving at random hours included), solve gives
either a proven-infeasible status with an explanation naming an agent, or a roster the
independent checker accepts, with the same objective terms."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.data.roster_io import Preference
from planner.domain import (
    AvailabilityWindow,
    CoverageConfig,
    Horizon,
    RulesConfig,
    TimeOff,
    Window,
)
from planner.roster.solve import SolveResult
from planner.verify.check import CheckResult
from tests.support.model import (
    CHANNELS,
    LOS_ANGELES,
    NEW_YORK,
    WEEK,
    make_agent,
    make_config,
    make_shift,
    solve_checked,
)

PLACES = [("GA", NEW_YORK), ("WA", LOS_ANGELES), ("TX", "America/Denver"), ("ID", "America/Boise")]


@st.composite
def instances(draw: st.DrawFn) -> dict:  # type: ignore[type-arg]
    n_agents = draw(st.integers(1, 3))
    agents, availability, time_off, preferences, previous = [], [], [], [], []
    for i in range(n_agents):
        agent_id = f"R{i}"
        state, zone = draw(st.sampled_from(PLACES))
        lengths = draw(
            st.lists(st.sampled_from([4, 6, 8, 10]), min_size=1, max_size=2, unique=True)
        )
        low = draw(st.sampled_from([0, 8, 16, 24, 32, 40]))
        high = draw(st.integers(low, 48).filter(lambda h: h > 0))
        agent = make_agent(
            agent_id,
            state=state,
            timezone=zone,
            contract=draw(st.sampled_from(["full_time", "part_time"])),
            min_hours=low,
            max_hours=high,
            shift_hours=lengths,
            skills=draw(
                st.lists(
                    st.sampled_from(["phone", "sms", "email", "lead"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            ),
        )
        agents.append(agent)
        if draw(st.booleans()):
            for day in draw(st.lists(st.integers(0, 6), min_size=1, max_size=5, unique=True)):
                start = draw(st.sampled_from([6, 8, 12, 14, 16]))
                end = draw(st.sampled_from([20, 22, 24, 26]))
                availability.append(AvailabilityWindow(agent_id, day, Window(start * 60, end * 60)))
        if draw(st.booleans()):
            time_off.append(TimeOff(agent_id, WEEK + timedelta(days=draw(st.integers(0, 6)))))
        if draw(st.booleans()):
            preferences.append(Preference(agent_id, draw(st.integers(0, 6)), "day_off"))
        if draw(st.booleans()):
            day = WEEK + timedelta(days=draw(st.integers(-2, 2)))
            previous.append(
                make_shift(
                    agent,
                    day,
                    draw(st.sampled_from(["09:00", "14:00", "17:30"])),
                    lengths[0],
                    meal=30 if lengths[0] >= 6 else 0,
                )
            )
    rules = RulesConfig(
        min_rest_hours=draw(st.sampled_from([0, 8, 10, 12])),
        max_consecutive_days=draw(st.integers(2, 7)),
        min_days_off_per_week=draw(st.integers(0, 3)),
        max_shifts_per_day=draw(st.sampled_from([1, 1, 2])),
        overtime_allowed=draw(st.booleans()),
        max_overtime_hours_per_week=draw(st.sampled_from([0, 4, 8])),
        workweek_start_day=draw(st.sampled_from([None, "Mon", "Sat"])),
        workweek_start_time=draw(st.sampled_from([0, 6 * 60, 22 * 60])),
    )
    channels = tuple(replace(c, min_staff=draw(st.sampled_from([0, 0, 1]))) for c in CHANNELS)
    coverage = CoverageConfig(min_leads=draw(st.sampled_from([0, 0, 1])))
    windows = {
        (channel, day): (draw(st.integers(8, 18)), draw(st.integers(1, 6)), draw(st.integers(1, 2)))
        for channel in ("phone", "sms", "email")
        for day in draw(st.lists(st.integers(0, 6), max_size=3, unique=True))
    }

    def need(t, channel):  # type: ignore[no-untyped-def]
        key = (channel, (t.date() - WEEK).days)
        if key not in windows:
            return 0
        first, hours, staff = windows[key]
        return staff if first <= t.hour < first + hours else 0

    emails = {
        (day, hour): draw(st.integers(1, 12))
        for day, hour in draw(
            st.lists(st.tuples(st.integers(0, 6), st.integers(0, 23)), max_size=6, unique=True)
        )
    }

    def contacts(t, channel):  # type: ignore[no-untyped-def]
        if channel != "email" or t.minute:
            return 0
        return emails.get(((t.date() - WEEK).days, t.hour), 0)

    return {
        "agents": agents,
        "config": make_config(rules=rules, channels=channels, coverage=coverage),
        "need": need,
        "contacts": contacts,
        "availability": availability,
        "time_off": time_off,
        "preferences": preferences,
        "previous": previous,
    }


def solve_case(case: dict) -> tuple[SolveResult, CheckResult | None]:  # type: ignore[type-arg]
    """Solve one drawn instance over its week (4 s), checked (:func:`solve_checked`)."""
    return solve_checked(
        case["agents"],
        case["config"],
        Horizon(WEEK, 1),
        case["need"],
        time_limit=4,
        availability=case["availability"],
        time_off=case["time_off"],
        preferences=case["preferences"],
        previous=case["previous"],
        contacts=case["contacts"],
    )


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_are_infeasible_with_reasons_or_valid(case: dict) -> None:  # type: ignore[type-arg]
    result, checked = solve_case(case)
    if result.roster is None:
        assert result.status == "infeasible"
        assert result.explanation
        ids = {a.agent_id for a in case["agents"]}
        assert all(any(i in line for i in ids) for line in result.explanation)
    else:
        assert checked is not None
        assert checked.ok
        assert result.status in ("optimal", "feasible")
