"""Builders for the roster engine's tiny instances (shared by tests/test_model*.py,
tests/test_constraint_*.py and tests/test_solve*.py), and tests of the builders themselves.

Every instance is small enough to check by hand: one or a few agents, one week, a handful of
demand intervals. :func:`solve_checked` is the second opinion every solver test goes
through: it runs :func:`planner.verify.check.check_roster` on the roster the solver returns, asserts
that no hard rule is broken, and that the solver's own term values equal the checker's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from ortools.sat.python import cp_model

from planner.data.holiday_calendar import HolidayCalendar
from planner.data.roster_io import FairnessHistory, Preference
from planner.domain import (
    Agent,
    AgentRules,
    AvailabilityWindow,
    BreakPolicy,
    ChannelConfig,
    Config,
    Horizon,
    Roster,
    RulesConfig,
    Shift,
    ShiftCover,
    ShiftRequest,
    ShiftType,
    TimeOff,
    WeightsConfig,
    Window,
)
from planner.roster.candidates import prepare
from planner.roster.model import build_model
from planner.roster.problem import RosterProblem
from planner.roster.solve import SolveOptions, SolveResult, solve
from planner.roster.variables import Scope
from planner.verify.check import CheckResult, check_roster

UTC = ZoneInfo("UTC")
NEW_YORK = "America/New_York"
LOS_ANGELES = "America/Los_Angeles"
CHANNELS = (
    ChannelConfig("phone", "live", priority=3),
    ChannelConfig("sms", "concurrent", concurrency=2, priority=2),
    ChannelConfig("email", "deferred", priority=1),
)
WEEK = date(2026, 12, 6)
"""Sunday 2026-12-06: an ordinary week (no DST change, no federal holiday)."""

Need = Callable[[datetime, str], int]
"""Staff needed for a channel in the interval starting at this business-local time."""
Contacts = Callable[[datetime, str], float]
"""Contacts of a channel in the interval starting at this business-local time."""
EMAIL_AHT = 360
"""AHT (s) of the generated contacts: with ``EMAIL`` below, one email is 10 staff-minutes of
work (360 / 60 / ((1 - 0.2) x 0.75) = 10)."""
EMAIL = ChannelConfig("email", "deferred", priority=1, shrinkage=0.2, max_occupancy=0.75)
"""The email channel of :func:`email_config`: 10 staff-minutes of work per email."""


NO_BREAKS = BreakPolicy(meal_min_shift_hours=24, rest_every_hours=24)
"""No shift owes a break: presence is the whole shift, so email arithmetic can be done by hand."""
SUNDAY = 6
"""The :class:`AvailabilityWindow` weekday of :data:`WEEK`'s first day (Mon = 0)."""


def available(agent_id: str, weekday: int, start: float, end: float) -> AvailabilityWindow:
    """An availability window from ``start`` to ``end`` o'clock (hours) on ``weekday``."""
    return AvailabilityWindow(agent_id, weekday, Window(round(start * 60), round(end * 60)))


def make_config(**changes: object) -> Config:
    """Default config, three channels; ``shifts=``, ``rules=``... override whole sections."""
    return replace(Config(channels=CHANNELS), **changes)  # type: ignore[arg-type]


def email_config(**changes: object) -> Config:
    """:func:`make_config` with the :data:`EMAIL` channel (one email = 10 staff-minutes)."""
    return make_config(channels=(*CHANNELS[:2], EMAIL), **changes)


def relaxed_rules(**changes: object) -> RulesConfig:
    """Rules that let tiny instances breathe (no rest, no day limits) unless overridden."""
    base = RulesConfig(min_rest_hours=0, max_consecutive_days=7, min_days_off_per_week=0)
    return replace(base, **changes)  # type: ignore[arg-type]


def named_config(**rules: object) -> Config:
    """Two named shifts, E (06:00) and L (14:00; no E the next day), 8 paid hours, no breaks,
    relaxed rules (overridden by ``rules``) and only the named-shift terms weighted."""
    return make_config(
        rules=relaxed_rules(**rules),
        breaks=BreakPolicy(meal_minutes=0, rest_minutes=0, rest_every_hours=0),
        weights=WeightsConfig(
            under_staffing=0, over_staffing=0, fairness=0, shift_requests=100, shift_cover=1
        ),
        shift_types=(
            ShiftType("E", 6 * 60, 8),
            ShiftType("L", 14 * 60, 8, forbidden_next=("E",)),
        ),
    )


def named(problem: RosterProblem, day: int, name: str, agent: int = 0) -> int:
    """The candidate of named shift ``name`` of ``agent`` on horizon ``day``."""
    index = problem.config.shift_type_names.index(name)
    for j in problem.candidates_of(agent, day):
        if problem.cands.types[j] == index:
            return j
    raise LookupError(f"no candidate {agent=} {day=} {name=}")


def named_shift(agent: Agent, day: date, name: str) -> Shift:
    """A roster shift of named shift E or L (8 paid hours, no break)."""
    return make_shift(agent, day, {"E": "06:00", "L": "14:00"}[name], 8, meal=0)


def make_agent(
    agent_id: str = "A1",
    *,
    state: str = "GA",
    timezone: str = NEW_YORK,
    contract: str = "full_time",
    min_hours: float = 0,
    max_hours: float = 40,
    shift_hours: Sequence[float] = (8,),
    skills: Sequence[str] = ("phone", "sms", "email"),
) -> Agent:
    return Agent(
        agent_id,
        agent_id,
        state,
        timezone,
        contract,  # type: ignore[arg-type]
        min_hours,
        max_hours,
        tuple(shift_hours),
        tuple(skills),
    )


def make_requirements(
    config: Config,
    horizon: Horizon,
    need: Need,
    *,
    extra_hours: int = 4,
    contacts: Contacts | None = None,
) -> pd.DataFrame:
    """Every interval of the horizon's business dates (plus ``extra_hours``), every channel;
    with ``contacts``, the columns ``contacts`` and ``aht_seconds`` (:data:`EMAIL_AHT`)."""
    zone = config.site.zone
    minutes = config.site.interval_minutes
    start = datetime.combine(horizon.start, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(horizon.end, time(), tzinfo=zone).astimezone(UTC)
    end += timedelta(hours=extra_hours)
    rows = []
    at = start
    while at < end:
        local = at.astimezone(zone)
        for channel in config.channel_names:
            volume = float(contacts(local, channel)) if contacts is not None else 0.0
            rows.append((pd.Timestamp(at), channel, int(need(local, channel)), volume))
        at += timedelta(minutes=minutes)
    frame = pd.DataFrame(rows, columns=["interval_start", "channel", "staff_needed", "contacts"])
    if contacts is None:
        return frame.drop(columns="contacts")
    frame["aht_seconds"] = float(EMAIL_AHT)
    return frame


def at_times(counts: dict[datetime, float], channel: str = "email") -> Contacts:
    """Contacts of ``channel`` in the intervals starting at the given local times."""

    def contacts(local: datetime, name: str) -> float:
        return counts.get(local, 0.0) if name == channel else 0.0

    return contacts


def window_need(
    day: date | None, start_hour: float, end_hour: float, staff: dict[str, int]
) -> Need:
    """``staff[channel]`` between two business-local hours (of ``day``, or every day)."""

    def need(local: datetime, channel: str) -> int:
        hour = local.hour + local.minute / 60
        if day is not None and local.date() != day:
            return 0
        return staff.get(channel, 0) if start_hour <= hour < end_hour else 0

    return need


def calendar_for(config: Config, horizon: Horizon) -> HolidayCalendar:
    return HolidayCalendar(config.holidays, range(horizon.start.year - 1, horizon.end.year + 2))


def make_problem(
    agents: Sequence[Agent],
    config: Config,
    horizon: Horizon,
    need: Need | None = None,
    *,
    contacts: Contacts | None = None,
    **kwargs: object,
) -> RosterProblem:
    """``prepare`` on a generated requirements grid (no demand when ``need`` is None)."""
    requirements = make_requirements(config, horizon, need or (lambda _t, _c: 0), contacts=contacts)
    return prepare(
        agents,
        requirements,
        config,
        horizon,
        calendar=calendar_for(config, horizon),
        **kwargs,  # type: ignore[arg-type]
    )


def find(problem: RosterProblem, agent: int, day: int, start: str, paid_hours: float) -> int:
    """The candidate of ``agent`` on horizon ``day`` starting at local ``HH:MM``."""
    hours, minutes = (int(x) for x in start.split(":"))
    local = hours * 60 + minutes
    cands = problem.cands
    for j in problem.candidates_of(agent, day):
        if cands.local_start[j] == local and cands.paid[j] == round(paid_hours * 60):
            return j
    raise LookupError(f"no candidate {agent=} {day=} {start=} {paid_hours=}")


def feasible(problem: RosterProblem, worked: Iterable[int] = (), idle: Iterable[int] = ()) -> bool:
    """Whether the hard rules hold with the candidates ``worked`` forced on and ``idle`` off."""
    built = build_model(problem, Scope.everything(problem, hard_only=True), hints=False)
    for j in worked:
        built.model.add(built.variables.var(j) == 1)
    for j in idle:
        built.model.add(built.variables.var(j) == 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(built.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
    return status != cp_model.INFEASIBLE


def solve_checked(
    agents: Sequence[Agent],
    config: Config,
    horizon: Horizon,
    need: Need | None = None,
    *,
    time_limit: float = 10.0,
    mode: str = "full",
    availability: Sequence[AvailabilityWindow] = (),
    time_off: Sequence[TimeOff] = (),
    previous: Sequence[Shift] = (),
    preferences: Sequence[Preference] = (),
    fairness_history: FairnessHistory | None = None,
    options: SolveOptions | None = None,
    contacts: Contacts | None = None,
    agent_rules: Sequence[AgentRules] = (),
    shift_requests: Sequence[ShiftRequest] = (),
    shift_cover: Sequence[ShiftCover] = (),
) -> tuple[SolveResult, CheckResult | None]:
    """Solve, then check the roster independently; assert it is valid and the terms agree."""
    requirements = make_requirements(config, horizon, need or (lambda _t, _c: 0), contacts=contacts)
    calendar = calendar_for(config, horizon)
    options = options or SolveOptions(time_limit=time_limit, workers=1, mode=mode)  # type: ignore[arg-type]
    result = solve(
        agents,
        requirements,
        config,
        horizon,
        options,
        availability=availability,
        time_off=time_off,
        previous=previous,
        preferences=preferences,
        fairness_history=fairness_history,
        calendar=calendar,
        agent_rules=agent_rules,
        shift_requests=shift_requests,
        shift_cover=shift_cover,
    )
    if result.roster is None:
        return result, None
    checked = check_roster(
        result.roster,
        agents,
        config,
        horizon,
        calendar,
        availability=availability,
        time_off=time_off,
        previous=previous,
        requirements=requirements,
        preferences=preferences,
        fairness_history=fairness_history,
        agent_rules=agent_rules,
        shift_requests=shift_requests,
        shift_cover=shift_cover,
    )
    assert checked.ok, [str(v) for v in checked.violations]
    ours = {name: t.raw for name, t in result.terms.items()}
    theirs = {name: checked.terms[name] for name in ours}
    assert ours == theirs
    assert result.objective == checked.objective
    return result, checked


def local_dt(day: date, hhmm: str, zone: str = NEW_YORK) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(zone))


def make_shift(agent: Agent, day: date, start: str, paid_hours: float, meal: int = 30) -> Shift:
    """A shift as the roster would hold it (elapsed = paid + the unpaid meal)."""
    begin = local_dt(day, start, agent.timezone).astimezone(UTC)
    return Shift(
        agent.agent_id,
        day,
        begin,
        begin + timedelta(minutes=round(paid_hours * 60) + meal),
        agent.timezone,
        paid_hours,
    )


def shifts_of(result: SolveResult, agent_id: str) -> list[Shift]:
    assert result.roster is not None
    return sorted(
        (s for s in result.roster.shifts if s.agent_id == agent_id), key=lambda s: s.start_utc
    )


# --------------------------------------------------------------------------- builder tests


def violated(
    agents: Sequence[Agent],
    config: Config,
    horizon: Horizon,
    shifts: Sequence[Shift],
    **inputs: object,
) -> set[str]:
    """The hard rules the independent checker finds broken in a hand-made roster (no
    breaks file: shifts hold the breaks the rules need)."""
    checked = check_roster(
        Roster(tuple(shifts)),
        agents,
        config,
        horizon,
        calendar_for(config, horizon),
        breaks_given=False,
        **inputs,  # type: ignore[arg-type]
    )
    return {v.rule for v in checked.violations}
