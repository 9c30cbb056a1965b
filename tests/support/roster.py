"""Builders for the checker's hand-made rosters (shared by tests/test_check*.py and
tests/test_kpi.py), and tests of the builders themselves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from planner.data.holiday_calendar import HolidayCalendar
from planner.domain import (
    Agent,
    Break,
    ChannelConfig,
    Config,
    HolidayPolicy,
    Horizon,
    Roster,
    Shift,
    ShiftConfig,
)

UTC = ZoneInfo("UTC")

CHANNELS = (
    ChannelConfig("phone", "live", priority=3),
    ChannelConfig("sms", "concurrent", concurrency=2, priority=2),
    ChannelConfig("email", "deferred", priority=1),
)

# Sunday 2026-12-06: an ordinary week (no DST change, no federal holiday).
WEEK = date(2026, 12, 6)


def make_config(**changes: object) -> Config:
    """The default config with three channels; ``shifts=``/``rules=`` etc. override."""
    return replace(Config(channels=CHANNELS), **changes)  # type: ignore[arg-type]


def night_config() -> Config:
    """Shifts may start at midnight and end late (for DST-night cases)."""
    return make_config(shifts=ShiftConfig(earliest_start=0, latest_end=34 * 60))


def make_agent(
    agent_id: str = "A1",
    *,
    state: str = "GA",
    timezone: str = "America/New_York",
    contract: str = "full_time",
    min_hours: float = 0,
    max_hours: float = 40,
    shift_hours: tuple[float, ...] = (8,),
    skills: tuple[str, ...] = ("phone",),
) -> Agent:
    return Agent(
        agent_id=agent_id,
        name=f"Agent {agent_id}",
        state=state,
        timezone=timezone,
        contract=contract,  # type: ignore[arg-type]
        min_weekly_hours=min_hours,
        max_weekly_hours=max_hours,
        shift_hours=shift_hours,
        skills=skills,
    )


def local(agent: Agent, day: date, hhmm: str) -> datetime:
    """A local wall-clock time of ``agent`` on ``day``, as a UTC instant."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=agent.zone).astimezone(UTC)


def make_shift(
    agent: Agent,
    day: date,
    start: str = "09:00",
    paid_hours: float = 8,
    *,
    unpaid_minutes: int | None = None,
) -> Shift:
    """A shift of ``paid_hours`` starting at local ``start``; elapsed time (real, UTC)
    adds the unpaid meal (30 min when paid >= 6 h unless given)."""
    if unpaid_minutes is None:
        unpaid_minutes = 30 if paid_hours >= 6 else 0
    begin = local(agent, day, start)
    end = begin + timedelta(minutes=round(paid_hours * 60) + unpaid_minutes)
    return Shift(agent.agent_id, day, begin, end, agent.timezone, paid_hours)


def standard_breaks(shift: Shift) -> list[Break]:
    """Rest at +2 h, meal at +4 h (30 min unpaid), rest at +6.5 h for an 8-hour shift;
    shorter shifts get what the policy needs (one rest per 4 h, meal from 6 h)."""
    paid = round(shift.paid_hours * 60)
    start = shift.start_utc
    out = []
    if paid >= 6 * 60:
        out.append(
            Break(
                shift.agent_id,
                start + timedelta(hours=2),
                start + timedelta(hours=2, minutes=15),
                "rest",
                True,
            )
        )
        out.append(
            Break(
                shift.agent_id,
                start + timedelta(hours=4),
                start + timedelta(hours=4, minutes=30),
                "meal",
                False,
            )
        )
        if paid >= 8 * 60:
            out.append(
                Break(
                    shift.agent_id,
                    start + timedelta(hours=6, minutes=30),
                    start + timedelta(hours=6, minutes=45),
                    "rest",
                    True,
                )
            )
    elif paid >= 4 * 60:
        out.append(
            Break(
                shift.agent_id,
                start + timedelta(hours=2),
                start + timedelta(hours=2, minutes=15),
                "rest",
                True,
            )
        )
    return out


def roster_with_breaks(shifts: list[Shift]) -> Roster:
    """A roster whose every shift has :func:`standard_breaks`."""
    breaks = [b for s in shifts for b in standard_breaks(s)]
    return Roster(tuple(shifts), tuple(breaks))


@lru_cache(maxsize=8)
def _calendar(policy: HolidayPolicy, years: tuple[int, ...]) -> HolidayCalendar:
    return HolidayCalendar(policy, years)


def calendar_for(config: Config, *years: int) -> HolidayCalendar:
    """The config's holiday calendar for 2026-2027 (cached: building one is slow)."""
    return _calendar(config.holidays, years or (2026, 2027))


def week_horizon(start: date = WEEK, weeks: int = 1) -> Horizon:
    return Horizon(start, weeks)
