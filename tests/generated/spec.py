"""What a generated data set is made of, and how one is drawn from a random source.

A :class:`CaseSpec` holds every choice behind one data set: the site and its week, the
horizon (often over a DST change or a holiday week), the coverage windows, the channels,
the agents with their contracts, zones, skills, availability and time off, and the shape of
the demand. :func:`draw_spec` draws one from a ``random.Random``; each dimension is drawn
independently, so the cases mix them freely. The same seed always gives the same spec.

The generator only knows CONTRACT.md (file formats and rules), never the planner's modules:
the product is being restructured, and a test of the command line must not break because a
module moved.
"""

from __future__ import annotations

import dataclasses
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

STATE_ZONES: dict[str, tuple[str, ...]] = {
    "FL": ("America/New_York", "America/Chicago"),
    "GA": ("America/New_York",),
    "ID": ("America/Boise", "America/Los_Angeles"),
    "MI": ("America/Detroit", "America/Menominee"),
    "NC": ("America/New_York",),
    "TX": ("America/Chicago", "America/Denver"),
    "WA": ("America/Los_Angeles",),
}
"""CONTRACT.md's zones per approved state; the first is the state's main zone."""

BUSINESS_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")

THEME_ANCHORS: dict[str, tuple[date, ...]] = {
    "spring_dst": (date(2026, 3, 8), date(2027, 3, 14)),
    "fall_dst": (date(2026, 11, 1), date(2027, 11, 7)),
    "holiday": (
        date(2026, 11, 26),  # Thanksgiving
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2026, 7, 3),  # Independence Day observed (the 4th is a Saturday)
        date(2026, 5, 25),  # Memorial Day
        date(2026, 9, 7),  # Labor Day
        date(2027, 1, 18),  # Martin Luther King Jr. Day
        date(2026, 12, 24),  # a company extra date in some configs
    ),
    "february": (date(2026, 2, 10), date(2027, 2, 9), date(2027, 2, 20)),
}
"""Dates a horizon of each theme contains (DST changes in the US, holidays, February)."""

COVERAGE_WINDOWS = (
    "",  # closed
    "19:00-22:00",  # a narrow evening
    "18:00-23:00",
    "16:00-02:00",  # the sample's evening window, past midnight
    "08:00-02:00",
    "08:00-20:00",
    "06:00-06:00",  # 24 hours from 6 a.m.
    "00:00-24:00",  # 24 hours
)

SHIFT_HOUR_CHOICES: dict[str, tuple[str, ...]] = {
    "full_time": ("8", "10", "8;10", "6;8;12", "11", "12", "8;10;12", "9"),
    "part_time": ("4;6", "4", "6", "4;5;6", "6;8", "4;6;8"),
}

CHANNEL_NAMES = ("phone", "sms", "email", "chat")


@dataclass(frozen=True)
class ChannelSpec:
    """One ``[channels.NAME]`` table and the volume it gets."""

    name: str
    kind: str  # live | concurrent | deferred
    service_level: float = 0.8
    answer_seconds: int = 60
    patience_seconds: int | None = None
    concurrency: int = 2
    response_hours: float = 4.0
    priority: int = 1
    aht_seconds: int = 300
    peak_erlangs: float = 1.0
    """Offered load in the busiest interval: sets the size of the demand against the team."""


@dataclass(frozen=True)
class AgentSpec:
    """One row of agents.csv; ``timezone`` is "" when the cell is left blank."""

    agent_id: str
    name: str
    state: str
    timezone: str
    contract: str
    min_weekly_hours: int
    max_weekly_hours: int
    shift_hours: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class WindowSpec:
    """One row of availability.csv."""

    agent_id: str
    weekday: str
    start: str
    end: str


@dataclass(frozen=True)
class DemandSpec:
    """The shape of forecast.csv: how many intervals are busy and how the day goes."""

    pattern: str
    """``zero`` (nothing), ``mostly_zero`` (rare spikes), ``curve`` (a daily curve that falls
    to zero at night) or ``positive`` (at least a little in every interval, 24/7)."""
    evening_peak: bool
    seed: int


@dataclass(frozen=True)
class CaseSpec:
    """Every choice behind one generated data set."""

    seed: int
    theme: str
    business_timezone: str
    interval_minutes: int
    week_starts: str
    start: date
    weeks: int
    coverage: dict[str, str]
    earliest_start: str
    latest_end: str
    start_step_minutes: int
    evening_ends_after: str
    min_rest_hours: int
    max_consecutive_days: int
    min_days_off_per_week: int
    shrinkage: float
    use_agent_state_holidays: bool
    channels: tuple[ChannelSpec, ...]
    agents: tuple[AgentSpec, ...]
    availability: tuple[WindowSpec, ...]
    time_off: tuple[tuple[str, date], ...]
    demand: DemandSpec
    write_availability: bool = True
    write_time_off: bool = True
    contracts_fitted: bool = True
    """True: every weekly minimum was lowered to what the agent's shifts can reach."""
    notes: tuple[str, ...] = field(default=())

    @property
    def end(self) -> date:
        """The first date after the horizon."""
        return self.start + timedelta(days=7 * self.weeks)

    def summary(self) -> str:
        """One line a failure report starts with: the dimensions that matter most."""
        states: dict[str, int] = {}
        for agent in self.agents:
            states[agent.state] = states.get(agent.state, 0) + 1
        mix = " ".join(f"{s}{n}" for s, n in sorted(states.items()))
        channels = ",".join(f"{c.name}({c.kind})" for c in self.channels)
        cover = " ".join(f"{k}={v or 'closed'}" for k, v in self.coverage.items())
        name = f"seed {self.seed}" if self.seed >= 0 else "drawn by hypothesis"
        return (
            f"{name}: {len(self.agents)} agents ({mix}), {self.weeks} week(s) from "
            f"{self.start} ({self.week_starts}, theme {self.theme}), "
            f"{self.interval_minutes}-min intervals in {self.business_timezone}, "
            f"coverage {cover}, channels {channels}, demand {self.demand.pattern}, "
            f"{len(self.availability)} availability rows, {len(self.time_off)} days off, "
            f"contracts {'fitted' if self.contracts_fitted else 'as drawn'}"
        )

    def to_json(self) -> str:
        """The whole spec as JSON (dates as ISO text), for a failure report or a file."""

        def default(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            raise TypeError(f"not JSON: {value!r}")

        return json.dumps(dataclasses.asdict(self), default=default, indent=1)

    @classmethod
    def from_json(cls, text: str) -> CaseSpec:
        """The spec :meth:`to_json` wrote (a case folder's ``spec.json``)."""
        raw = json.loads(text)
        raw["start"] = date.fromisoformat(raw["start"])
        raw["channels"] = tuple(ChannelSpec(**c) for c in raw["channels"])
        raw["agents"] = tuple(
            AgentSpec(**{**a, "skills": tuple(a["skills"])}) for a in raw["agents"]
        )
        raw["availability"] = tuple(WindowSpec(**w) for w in raw["availability"])
        raw["time_off"] = tuple((i, date.fromisoformat(d)) for i, d in raw["time_off"])
        raw["demand"] = DemandSpec(**raw["demand"])
        raw["notes"] = tuple(raw["notes"])
        return cls(**raw)


# --------------------------------------------------------------------------- drawing


def _clock(minutes: int) -> str:
    """``HH:MM`` of minutes after midnight; 1440 is ``24:00``, later wraps."""
    if minutes == 1440:
        return "24:00"
    hours, mins = divmod(minutes % 1440, 60)
    return f"{hours:02d}:{mins:02d}"


def _horizon(rng: random.Random, week_start: int, weeks: int) -> tuple[str, date]:
    """A theme and a horizon start on the ``week_start`` weekday holding the theme's date."""
    theme = rng.choice(("spring_dst", "fall_dst", "holiday", "february", "any"))
    if theme == "any":
        anchor = date(2026, 1, 5) + timedelta(days=rng.randrange(700))
    else:
        anchor = rng.choice(THEME_ANCHORS[theme])
    base = anchor - timedelta(days=(anchor.weekday() - week_start) % 7)
    return theme, base - timedelta(days=7 * rng.randrange(weeks))


def _coverage(rng: random.Random) -> dict[str, str]:
    """Weekday, weekend and holiday windows: each drawn alone, or 24/7 for all three."""
    if rng.random() < 0.2:
        return dict.fromkeys(("weekday", "weekend", "holiday"), "00:00-24:00")
    return {key: rng.choice(COVERAGE_WINDOWS) for key in ("weekday", "weekend", "holiday")}


def _channels(rng: random.Random, agents: int) -> tuple[ChannelSpec, ...]:
    """1 to 3 channels of any kinds; the load is scaled to the team so that some cases are
    short-staffed and some have idle agents."""
    count = rng.randint(1, 3)
    names = rng.sample(CHANNEL_NAMES, count)
    load = rng.choice((0.02, 0.08, 0.15, 0.3, 0.6))  # peak Erlangs per agent, all channels
    channels = []
    for name in names:
        kind = rng.choice(("live", "concurrent", "deferred"))
        channels.append(
            ChannelSpec(
                name=name,
                kind=kind,
                service_level=rng.choice((0.7, 0.8, 0.9)),
                answer_seconds=rng.choice((20, 60, 120)),
                patience_seconds=rng.choice((None, 120, 300)) if kind == "live" else None,
                concurrency=rng.randint(1, 3),
                response_hours=rng.choice((1.0, 4.0, 8.0, 24.0)),
                priority=rng.randint(1, 3),
                aht_seconds=rng.choice((180, 300, 480, 720)),
                peak_erlangs=max(0.1, load * agents / count),
            )
        )
    return tuple(channels)


def _agents(rng: random.Random, count: int, channels: tuple[str, ...]) -> tuple[AgentSpec, ...]:
    """The team: any state mix (sometimes mostly Washington, whose meal and rest law applies
    on top of company policy), both zones of split states, some blank zone cells."""
    mostly_wa = rng.random() < 0.3
    full_time_share = rng.choice((0.0, 0.5, 0.8, 1.0))
    agents = []
    for i in range(count):
        state = "WA" if mostly_wa and rng.random() < 0.8 else rng.choice(sorted(STATE_ZONES))
        zone = rng.choice(STATE_ZONES[state])
        # blank means the main zone (CONTRACT.md), so only a main-zone cell may be blank
        cell = "" if zone == STATE_ZONES[state][0] and rng.random() < 0.3 else zone
        full = rng.random() < full_time_share
        contract = "full_time" if full else "part_time"
        if full:
            low, high = rng.choice((0, 24, 32, 36, 40)), rng.choice((40, 44, 48))
        else:
            low, high = rng.choice((0, 8, 12, 16, 20)), rng.choice((20, 24, 30))
        skills = tuple(c for c in channels if rng.random() < 0.6) or (rng.choice(channels),)
        agents.append(
            AgentSpec(
                agent_id=f"G{i + 1:03d}",
                name=f"Agent {i + 1}",
                state=state,
                timezone=cell,
                contract=contract,
                min_weekly_hours=low,
                max_weekly_hours=high,
                shift_hours=rng.choice(SHIFT_HOUR_CHOICES[contract]),
                skills=skills,
            )
        )
    return tuple(agents)


def _availability(rng: random.Random, agent: AgentSpec) -> list[WindowSpec]:
    """Availability rows of one agent, or none (any shift the config allows)."""
    kind = rng.choice(("none", "none", "evening", "weekend", "daytime", "night", "random"))
    rows: list[tuple[int, int, int]] = []  # (weekday, start, end) in minutes
    if kind == "evening":
        start = rng.choice((14, 15, 16)) * 60
        rows = [(d, start, 120) for d in range(7)]  # to 02:00: past midnight
    elif kind == "weekend":
        # Windows that meet at midnight: Fri 16:00-24:00 then Sat and Sun all day.
        rows = [(4, 16 * 60, 1440), (5, 0, 1440), (6, 0, 1440)]
        rows += [(d, 14 * 60, 120) for d in rng.sample(range(4), rng.randint(0, 3))]
    elif kind == "daytime":
        rows = [(d, 8 * 60, 20 * 60) for d in range(7) if rng.random() < 0.8]
    elif kind == "night":
        rows = [(d, 20 * 60, 8 * 60) for d in range(7) if rng.random() < 0.8]  # past midnight
    elif kind == "random":
        for day in rng.sample(range(7), rng.randint(1, 7)):
            start = rng.randrange(0, 24) * 60
            end = (start + rng.choice((6, 9, 13, 16, 24)) * 60) % 1440
            # a window ending at midnight is written 24:00; one from 00:00 for 24 hours
            # stays "00:00-00:00" (an end at the start runs past midnight: both spellings)
            rows.append((day, start, 1440 if end == 0 and start else end))
    return [WindowSpec(agent.agent_id, WEEKDAYS[d], _clock(s), _clock(e)) for d, s, e in rows]


def _time_off(
    rng: random.Random, agents: tuple[AgentSpec, ...], start: date, end: date
) -> list[tuple[str, date]]:
    """Days off: none, light, or dense (whole weeks for some, every other day for others);
    a few fall just outside the horizon."""
    density = rng.choice(("none", "light", "dense"))
    if density == "none":
        return []
    share, per_day = (0.3, 0.1) if density == "light" else (0.8, 0.4)
    days = [start + timedelta(days=i) for i in range(-2, (end - start).days + 2)]
    rows = []
    for agent in agents:
        if rng.random() >= share:
            continue
        if density == "dense" and rng.random() < 0.15:
            week = rng.randrange((end - start).days // 7)
            chosen = [start + timedelta(days=7 * week + i) for i in range(7)]
        else:
            chosen = [d for d in days if rng.random() < per_day]
        rows += [(agent.agent_id, d) for d in chosen]
    return rows


def _minutes(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:])


def _span(start: str, end: str) -> tuple[int, int]:
    """A daily window in minutes; an end at or before the start runs past midnight."""
    first, last = _minutes(start), _minutes(end)
    return first, last + 1440 if last <= first else last


def _longest_inside(window: tuple[int, int], allowed: tuple[int, int], step: int) -> int:
    """Minutes from the first allowed start inside ``window`` to the latest allowed end in
    it: a shift belongs to the day it starts, and must start and end inside one window of
    that weekday and inside the config's limits (start on the step grid)."""
    first = -(-max(window[0], allowed[0]) // step) * step
    return max(0, min(window[1], allowed[1]) - first)


def _fit_contract(
    agent: AgentSpec,
    windows: list[WindowSpec],
    allowed: tuple[int, int],
    step: int,
    work_days: int,
) -> AgentSpec:
    """The agent with a weekly minimum their shifts can reach.

    A manager would not write a contract no week can meet: per weekday, the longest shift
    that fits (with a 30-minute unpaid meal over 5 hours) inside an availability window and
    the config's limits; then the weekly sums of at most ``work_days`` such shifts. When no
    sum lies between the minimum and the maximum, the minimum drops to the best sum under
    the maximum. Rest and consecutive-day rules are left to the solver.
    """
    lengths = sorted(float(h) for h in agent.shift_hours.split(";"))
    washington = agent.state == "WA"

    def unpaid(hours: float) -> int:
        # Washington allows no more than 5 hours without a meal: over 10 paid hours, two.
        if washington and hours > 10:
            return 60
        return 30 if hours > 5 else 0

    def fits(room: int) -> list[float]:
        return [h for h in lengths if h * 60 + unpaid(h) <= room]

    if windows:
        by_day: dict[str, int] = {}
        for w in windows:
            room = _longest_inside(_span(w.start, w.end), allowed, step)
            by_day[w.weekday] = max(by_day.get(w.weekday, 0), room)
        options = [fits(room) for room in by_day.values()]
    else:
        options = [fits(_longest_inside(allowed, allowed, step))] * 7
    fewest_days = {0.0: 0}  # weekly sum -> the fewest days that make it
    for day in options:  # a knapsack over the days: each adds one length or nothing
        for total, days in list(fewest_days.items()):
            for h in day:
                fewest_days[total + h] = min(fewest_days.get(total + h, 99), days + 1)
    # Overtime is not allowed by default: paid hours stop at the 40-hour threshold.
    most = min(agent.max_weekly_hours, 40)
    reachable = [t for t, days in fewest_days.items() if t <= most and days <= work_days]
    if any(agent.min_weekly_hours <= s for s in reachable):
        return agent
    return dataclasses.replace(agent, min_weekly_hours=int(max(reachable, default=0.0)))


def draw_spec(
    rng: random.Random,
    seed: int = 0,
    *,
    agents: int | None = None,
    weeks: int | None = None,
    max_agent_weeks: int | None = None,
) -> CaseSpec:
    """One data-set spec drawn from ``rng``.

    ``agents`` and ``weeks`` fix those sizes (else 5 to 120 agents, log-uniform, and 1 to 3
    weeks); ``max_agent_weeks`` caps agents x weeks by shortening the horizon, so a time
    budget holds. ``seed`` is only recorded, to name the case.
    """
    count = agents if agents is not None else round(5 * 24 ** rng.random())
    span = weeks if weeks is not None else rng.randint(1, 3)
    if max_agent_weeks is not None:
        span = max(1, min(span, max_agent_weeks // count))
    week_starts = rng.choice(WEEKDAYS)
    theme, start = _horizon(rng, WEEKDAYS.index(week_starts), span)
    channels = _channels(rng, count)
    names = tuple(c.name for c in channels)
    team = _agents(rng, count, names)
    windows = {a.agent_id: _availability(rng, a) for a in team}
    earliest, latest = rng.choice(((6, 2), (6, 2), (5, 24), (8, 24), (0, 24), (7, 4), (10, 3)))
    days_off = rng.choice((1, 2, 2, 3))
    # Most cases keep contracts reachable, so the solver's search is what gets exercised;
    # the rest keep the raw draw, so solve must explain why no roster exists.
    step = rng.choice((15, 30, 60))
    fitted = rng.random() < 0.85
    if fitted:
        allowed = _span(_clock(earliest * 60), _clock(latest * 60))
        team = [_fit_contract(a, windows[a.agent_id], allowed, step, 7 - days_off) for a in team]
    availability = [w for a in team for w in windows[a.agent_id]]
    time_off = _time_off(rng, tuple(team), start, start + timedelta(days=7 * span))
    return CaseSpec(
        seed=seed,
        theme=theme,
        business_timezone=rng.choice(BUSINESS_ZONES),
        interval_minutes=rng.choice((15, 30, 60)),
        week_starts=week_starts,
        start=start,
        weeks=span,
        coverage=_coverage(rng),
        earliest_start=_clock(earliest * 60),
        latest_end=_clock(latest * 60),
        start_step_minutes=step,
        evening_ends_after=rng.choice(("18:00", "20:00", "22:00")),
        min_rest_hours=rng.choice((8, 10, 12)),
        max_consecutive_days=rng.choice((5, 6, 7)),
        min_days_off_per_week=days_off,
        shrinkage=rng.choice((0.0, 0.2, 0.35)),
        use_agent_state_holidays=rng.random() < 0.3,
        channels=channels,
        agents=tuple(team),
        availability=tuple(availability),
        time_off=tuple(time_off),
        demand=DemandSpec(
            pattern=rng.choice(("zero", "mostly_zero", "curve", "curve", "positive", "positive")),
            evening_peak=rng.random() < 0.7,
            seed=rng.randrange(2**31),
        ),
        write_availability=bool(availability) or rng.random() < 0.5,
        write_time_off=bool(time_off) or rng.random() < 0.5,
        contracts_fitted=fitted,
    )


def spec_from_seed(seed: int, *, max_agent_weeks: int | None = None) -> CaseSpec:
    """The spec of case ``seed``: what the test and ``python -m tests.generated`` draw."""
    return draw_spec(random.Random(seed), seed, max_agent_weeks=max_agent_weeks)
