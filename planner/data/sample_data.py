"""A realistic, seeded sample data set for the whole pipeline.

``python -m planner sample-data`` writes every contract file (``config.toml``,
``agents.csv``, ``availability.csv``, ``time_off.csv``, ``history.csv``) plus a short
``README.md``. The team modelled is the evening/weekend/holiday Trust & Safety team
of a pet-care marketplace: remote agents in seven states and five time zones,
phone (live), SMS (concurrent) and email (deferred).

Everything is drawn from one :class:`numpy.random.Generator` seeded by
``SampleParams.seed`` in a fixed order, so the same parameters give byte-identical
files. Each ingredient is a small pure function: agents, availability, time off,
the intraday/weekly/yearly volume shape, and holiday effects.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import holidays as holidays_lib
import numpy as np
import pandas as pd

from planner.data.atomic import write_csv, write_text
from planner.data.config import format_clock
from planner.data.zones import STATE_ZONES, main_zone
from planner.domain import (
    WEEKDAYS,
    Agent,
    AvailabilityWindow,
    BreakPolicy,
    ChannelConfig,
    Config,
    CoverageConfig,
    HolidayPolicy,
    RulesConfig,
    SiteConfig,
    TimeOff,
    Window,
)

log = logging.getLogger(__name__)

DEFAULT_SEED = 2026
"""Seed of the committed ``data/`` folder."""

DEFAULT_TODAY = date(2026, 11, 21)
"""Generation date of the committed data: history ends on the Saturday on or before it."""

HISTORY_INTERVAL_MINUTES = 30
"""History is recorded on a 30-minute UTC grid whatever the config's interval is."""

SATURDAY = 5


@dataclass(frozen=True)
class SampleParams:
    """Knobs of the generator. Defaults reproduce the committed ``data/`` folder."""

    agents: int = 80
    seed: int = DEFAULT_SEED
    today: date = DEFAULT_TODAY
    history_weeks: int = 52
    time_off_weeks: int = 8
    full_time_share: float = 0.65
    evening_only_share: float = 0.12
    weekend_heavy_share: float = 0.10
    time_off_share: float = 0.45
    yearly_growth: float = 0.12
    summer_amplitude: float = 0.06

    @property
    def history_end(self) -> date:
        """Last local business date of history: the Saturday on or before ``today``."""
        return self.today - timedelta(days=(self.today.weekday() - SATURDAY) % 7)

    @property
    def history_start(self) -> date:
        """First local business date of history (a Sunday)."""
        return self.history_end - timedelta(days=7 * self.history_weeks - 1)

    @property
    def planning_start(self) -> date:
        """The Sunday after history: the first date time-off requests may fall on."""
        return self.history_end + timedelta(days=1)

    @property
    def planning_end(self) -> date:
        """The last date time-off requests may fall on."""
        return self.planning_start + timedelta(days=7 * self.time_off_weeks - 1)


# =========================================================================== config


def _eves_and_removed(years: Iterable[int]) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """Company policy: Christmas Eve and New Year's Eve added, Columbus and Veterans Day off.

    Many private employers work Columbus Day and Veterans Day, and most give the two
    eves; it also exercises both ``extra_dates`` and ``removed_dates``.
    """
    years = sorted(set(years))
    extra = tuple(d for y in years for d in (date(y, 12, 24), date(y, 12, 31)))
    federal = holidays_lib.country_holidays("US", years=years, categories=("public",))
    removed = tuple(
        sorted(d for d, name in federal.items() if name in ("Columbus Day", "Veterans Day"))
    )
    return extra, removed


def sample_config(params: SampleParams) -> Config:
    """The configuration of the sample team (evening/weekend/holiday coverage)."""
    years = range(params.history_start.year, params.planning_end.year + 1)
    extra, removed = _eves_and_removed(years)
    channels = (
        ChannelConfig("phone", "live", service_level=0.80, answer_seconds=60, priority=3),
        ChannelConfig(
            "sms",
            "concurrent",
            service_level=0.80,
            answer_seconds=120,
            concurrency=2,
            priority=2,
        ),
        ChannelConfig("email", "deferred", response_hours=4, priority=1),
    )
    return Config(
        site=SiteConfig(
            business_timezone="America/New_York",
            interval_minutes=30,
            week_starts="Sun",
            approved_states=("FL", "GA", "ID", "NC", "TX", "WA", "MI"),
        ),
        coverage=CoverageConfig(
            weekday=Window(16 * 60, 26 * 60),
            weekend=Window(8 * 60, 26 * 60),
            holiday=Window(8 * 60, 26 * 60),
        ),
        channels=channels,
        # The FLSA workweek written out: Sunday 00:00 business time, the planning week's start.
        rules=RulesConfig(workweek_start_day="Sun"),
        holidays=HolidayPolicy(extra_dates=extra, removed_dates=removed),
    )


def _window_text(window: Window | None) -> str:
    return "" if window is None else f"{format_clock(window.start)}-{format_clock(window.end)}"


def toml_value(value: object) -> str:
    """A Python value as TOML text (the few types the sample config uses)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, date):
        return value.isoformat()  # a TOML local date
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _toml_date_list(days: Sequence[date]) -> str:
    if not days:
        return "[]"
    return "[\n" + "".join(f"    {d.isoformat()},\n" for d in days) + "]"


_CHANNEL_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "live": (
        ("service_level", "share of calls answered within answer_seconds"),
        ("answer_seconds", "the service-level threshold, in seconds"),
    ),
    "concurrent": (
        ("concurrency", "conversations an agent holds at once"),
        ("service_level", "share of conversations answered within answer_seconds"),
        ("answer_seconds", "the service-level threshold, in seconds"),
    ),
    "deferred": (("response_hours", "every email answered within this many hours"),),
}


def _channel_block(channel: ChannelConfig) -> str:
    lines = [
        f"[channels.{channel.name}]",
        f"kind = {toml_value(channel.kind)}"
        "  # live (Erlang C/A) | concurrent (c servers per agent) | deferred (backlog)",
    ]
    for key, why in _CHANNEL_KEYS[channel.kind]:
        lines.append(f"{key} = {toml_value(getattr(channel, key))}  # {why}")
    lines.append(
        f"priority = {channel.priority}"
        "  # weight of this channel's under-staffing (phone 3 > sms 2 > email 1)"
    )
    lines.append(
        f"min_staff = {channel.min_staff}"
        "  # agents with this skill on shift whenever open, whatever the forecast (0: off)"
    )
    if channel.kind == "live":
        lines.append(
            "# patience_seconds = 180  # mean caller patience; set it and Erlang A "
            "replaces Erlang C"
        )
    lines.append("# shrinkage = 0.25        # optional: overrides [staffing] shrinkage here")
    if channel.kind != "deferred":
        lines.append("# max_occupancy = 0.85    # optional: overrides [staffing] max_occupancy")
    else:
        lines.append("# max_occupancy = 0.9     # optional: plan this work at an occupancy cap")
    return "\n".join(lines) + "\n"


def render_config(config: Config) -> str:
    """``config.toml`` text for ``config``, every key with a comment saying what it does."""
    site, cov, sh, ru = config.site, config.coverage, config.shifts, config.rules
    st, br, ho, we, sb = (
        config.staffing,
        config.breaks,
        config.holidays,
        config.weights,
        config.stability,
    )
    v = toml_value

    def clock(minutes: int) -> str:
        return toml_value(format_clock(minutes))

    channels = "\n".join(_channel_block(c) for c in config.channels)
    return f"""\
# Sample configuration: the evening, weekend and holiday Trust & Safety team.
# Written by `python -m planner sample-data`; keys and meaning: CONTRACT.md and README.md.

[site]
business_timezone = {v(site.business_timezone)}  # zone of the coverage windows and forecast
interval_minutes = {site.interval_minutes}  # planning interval: 15, 30 or 60
week_starts = {v(site.week_starts)}  # first day of a planning week (Mon..Sun)
approved_states = {v(site.approved_states)}  # agents must live in one of these

[coverage]
# When this team answers, in business time, "HH:MM-HH:MM"; an end at or before the
# start runs past midnight; "" = closed. Outside these windows another team answers.
weekday = {v(_window_text(cov.weekday))}  # Monday to Friday
weekend = {v(_window_text(cov.weekend))}  # Saturday and Sunday
holiday = {v(_window_text(cov.holiday))}  # dates of the company holiday calendar
min_leads = {cov.min_leads}  # agents with the lead skill on shift whenever open (0: no floor)

[shifts]
earliest_start = {clock(sh.earliest_start)}  # local time; no shift starts earlier
latest_end = {clock(sh.latest_end)}  # local time, may be past midnight; no shift ends later
start_step_minutes = {sh.start_step_minutes}  # shifts start on this grid of local time
evening_ends_after = {clock(sh.evening_ends_after)}  # a shift ending later is an evening shift

[rules]
min_rest_hours = {v(ru.min_rest_hours)}  # between the end of one shift and the next start
max_consecutive_days = {ru.max_consecutive_days}  # working days in a row, at most
min_days_off_per_week = {ru.min_days_off_per_week}  # days without a shift in each week
max_shifts_per_day = {ru.max_shifts_per_day}  # shifts starting on one local date
overtime_allowed = {v(ru.overtime_allowed)}  # may paid hours pass overtime_threshold_hours?
max_overtime_hours_per_week = {v(ru.max_overtime_hours_per_week)}  # past the threshold, at most
overtime_threshold_hours = {v(ru.overtime_threshold_hours)}  # FLSA: paid hours above are overtime
# The FLSA workweek (hours belong to the workweek they are worked in; a shift over its start
# splits its paid hours): the three overtime keys above are per workweek, business time.
workweek_start_day = {v(ru.workweek_start_day or site.week_starts)}  # Mon..Sun
workweek_start_time = {clock(ru.workweek_start_time)}  # business time
min_consecutive_days = {ru.min_consecutive_days}  # shortest run of working days (1: off)
min_consecutive_days_off = {ru.min_consecutive_days_off}  # shortest run of days off (1: off)
weekend_window_weeks = {ru.weekend_window_weeks}  # max_weekends counts this many (0: horizon)
min_total_hours = {v(ru.min_total_hours)}  # paid hours over the horizon, at least (0: off)
# max_weekends = 2  # weekends worked per window, at most (unset: no limit)
# max_total_hours = 160  # paid hours over the whole horizon, at most (unset: no limit)

[staffing]
shrinkage = {v(st.shrinkage)}  # share of paid time off the phones (training, 1:1s, ...)
max_occupancy = {v(st.max_occupancy)}  # busy share of an agent's available time, at most

{channels}
[breaks]
# Company break policy; Washington's meal and rest rules apply on top for WA agents
# (a meal 2-5 h in, no 5 h without a meal: a 12 h WA shift gets two; a rest per 4 h).
meal_minutes = {br.meal_minutes}  # length of the meal break
meal_min_shift_hours = {v(br.meal_min_shift_hours)}  # shifts this long or longer get a meal
meal_paid = {v(br.meal_paid)}  # unpaid: not paid hours; under 30 min must be paid (29 CFR 785.19)
rest_minutes = {br.rest_minutes}  # length of each rest break
rest_every_hours = {v(br.rest_every_hours)}  # one rest break per this many hours worked
rest_paid = {v(br.rest_paid)}  # rests of 20 min or less must be paid (29 CFR 785.18)
start_step_minutes = {br.start_step_minutes}  # breaks start on this grid of the clock (divides 60)

[holidays]
# The company holiday calendar (policy, not law): drives the holiday coverage window,
# the holiday flag of shifts and its fairness, and holiday effects in the forecast.
country = {v(ho.country)}  # country of the `holidays` package
categories = {v(ho.categories)}  # categories of that package: public, government, unofficial
use_agent_state = {v(ho.use_agent_state)}  # true: each agent gets their own state's days
extra_dates = {_toml_date_list(ho.extra_dates)}  # company days added: Christmas and New Year's Eve
removed_dates = {_toml_date_list(ho.removed_dates)}  # federal days the company works
observed = {v(ho.observed)}  # a holiday counts once: "actual" its date, "observed" the day off

[weights]
# Integer objective weights, one per term (units in docs/OBJECTIVE.md).
under_staffing = {we.under_staffing}  # per staff-minute short x channel priority
over_staffing = {we.over_staffing}  # per staff-minute present but not needed
deferred_overdue = {we.deferred_overdue}  # per staff-hour of email overdue at each due point
fairness = {we.fairness}  # per 1/100 shift off the team's rate, summed over agents and kinds
preferences = {we.preferences}  # per unmet agent preference
stability = {we.stability}  # per changed published shift inside the freeze
overtime = {we.overtime}  # per paid minute above overtime_threshold_hours in a workweek
min_staff = {we.min_staff}  # per staff-minute short of a channel's min_staff while open
min_leads = {we.min_leads}  # per lead-minute short of coverage.min_leads while open
shift_requests = {we.shift_requests}  # per weight unit of an unmet shift request
shift_cover = {we.shift_cover}  # per unit of shift_cover.csv cost (rows carry weights)

[stability]
freeze_days = {sb.freeze_days}  # published shifts in this many days should not change
frozen_is_hard = {v(sb.frozen_is_hard)}  # true: they must not change at all
{_fairness_block(config)}"""


def _fairness_block(config: Config) -> str:
    """The ``[fairness]`` tables of ``config.toml``, every key with a comment."""
    fa = config.fairness
    kinds = fa.kind_weights
    holidays = "\n".join(
        f"{toml_value(name)} = {weight}  # each worked {name} counts {weight}"
        for name, weight in fa.holiday_weights
    )
    return f"""
[fairness]
# Who works the shifts agents trade away: each agent's count against their share at the
# team's rate per contracted hour (docs/OBJECTIVE.md "fairness").
default_holiday_weight = {fa.default_holiday_weight}  # what any other worked holiday counts

[fairness.holiday_weights]
# By name as the holiday calendar gives it; case, spaces and punctuation are ignored and a
# name contained in the holiday's matches (observed days too). Replaces the defaults.
{holidays}

[fairness.kind_weights]
weekend = {kinds.weekend}  # shifts starting on a local Saturday or Sunday
evening = {kinds.evening}  # shifts ending after shifts.evening_ends_after (or past midnight)
holiday = {kinds.holiday}  # worked holidays, each counting its weight above
closer = {kinds.closer}  # shifts ending past local midnight

# Named shifts (optional): when any is configured, agents work these shifts only.
# [shift_types.E]
# start = "06:00"  # local start time
# hours = 8  # paid hours
# forbidden_next = []  # shift types not worked the date after this one
"""


# =========================================================================== agents

FIRST_NAMES = (
    "Aaliyah", "Aaron", "Adriana", "Aiden", "Alejandro", "Amara", "Andre", "Angela",
    "Ashley", "Benjamin", "Brandon", "Brianna", "Caleb", "Camila", "Carlos", "Chloe",
    "Christopher", "Daniel", "Danielle", "David", "Destiny", "Diego", "Elena", "Elijah",
    "Emily", "Ethan", "Fatima", "Gabriel", "Grace", "Hannah", "Hector", "Imani", "Isabella",
    "Jackson", "Jamal", "Jasmine", "Jennifer", "Jordan", "Jose", "Joshua", "Kayla", "Kevin",
    "Keisha", "Laura", "Liam", "Lucia", "Madison", "Marcus", "Maria", "Megan", "Michael",
    "Mia", "Nathan", "Nicole", "Noah", "Olivia", "Omar", "Priya", "Rachel", "Ryan", "Samuel",
    "Sarah", "Sofia", "Tanisha", "Tyler", "Valeria", "Victoria", "William", "Xavier", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Adams", "Alvarez", "Anderson", "Baker", "Bennett", "Brooks", "Brown", "Campbell",
    "Carter", "Castillo", "Chen", "Clark", "Collins", "Cooper", "Davis", "Diaz", "Edwards",
    "Evans", "Flores", "Foster", "Garcia", "Gonzalez", "Gray", "Green", "Hall", "Harris",
    "Hernandez", "Hill", "Howard", "Hughes", "Jackson", "James", "Johnson", "Jones", "Kelly",
    "Kim", "King", "Lee", "Lewis", "Lopez", "Martin", "Martinez", "Miller", "Mitchell",
    "Moore", "Morales", "Morgan", "Murphy", "Nguyen", "Nelson", "Ortiz", "Parker", "Patel",
    "Perez", "Phillips", "Price", "Ramirez", "Reed", "Reyes", "Rivera", "Roberts", "Robinson",
    "Rodriguez", "Sanchez", "Scott", "Shah", "Smith", "Stewart", "Sullivan", "Taylor",
    "Thomas", "Thompson", "Torres", "Turner", "Walker", "Ward", "Washington", "White",
    "Williams", "Wilson", "Wright", "Young",
)  # fmt: skip

STATE_WEIGHTS: dict[str, float] = {
    "FL": 0.20, "TX": 0.20, "GA": 0.12, "NC": 0.12, "WA": 0.12, "MI": 0.12, "ID": 0.12,
}  # fmt: skip
"""Share of agents per state (largest remainders; every state gets one when n >= 7)."""

SPLIT_ZONE_SHARE: dict[str, float] = {"FL": 0.20, "TX": 0.15, "ID": 0.35, "MI": 0.20}
"""Share of a state's agents living in its second zone (panhandle, El Paso, north
Idaho, the Upper Peninsula border counties)."""

BLANK_ZONE_SHARE = 0.3
"""Share of agents of a one-zone state (GA, NC, WA) whose ``timezone`` cell is left blank
(= the state's zone). A blank cell in a state with two zones is a warning, so the sample
writes those zones out."""

SKILL_MIX: tuple[tuple[float, tuple[tuple[tuple[str, ...], float], ...]], ...] = (
    (0.50, ((("phone", "sms", "email"), 1.0),)),
    (0.35, ((("phone", "sms"), 0.45), (("phone", "email"), 0.30), (("sms", "email"), 0.25))),
    (0.15, ((("phone",), 0.50), (("sms",), 0.25), (("email",), 0.25))),
)
"""(share of agents, skill sets with their odds): half do everything, the rest two or one."""

FULL_TIME_SHIFTS = (("8", 0.5), ("10", 0.2), ("8;10", 0.3))
PART_TIME_SHIFTS = (("4;6", 0.5), ("4;5;6", 0.5))


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` by ``weights`` with largest remainders; at least 1 each if possible."""
    keys = list(weights)
    floor_one = total >= len(keys)
    base = len(keys) if floor_one else 0
    rest = total - base
    norm = sum(weights.values())
    quotas = [rest * weights[k] / norm for k in keys]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(keys)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: rest - sum(counts)]:
        counts[i] += 1
    return {k: c + (1 if floor_one else 0) for k, c in zip(keys, counts, strict=True)}


def _pick(rng: np.random.Generator, options: Sequence[tuple[str, float]]) -> str:
    """One option drawn with its odds."""
    index = int(rng.choice(len(options), p=[w for _, w in options]))
    return options[index][0]


def draw_names(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct realistic full names."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def draw_zones(rng: np.random.Generator, state: str, count: int) -> list[str]:
    """Zones of ``count`` agents of ``state``: some in the split zone when it has one."""
    zones = [main_zone(state)] * count
    share = SPLIT_ZONE_SHARE.get(state, 0.0)
    if share and count >= 2:
        split = max(1, round(share * count))
        for i in rng.choice(count, size=split, replace=False):
            zones[int(i)] = STATE_ZONES[state][1]
    return zones


def draw_contract(
    rng: np.random.Generator, full_time: bool
) -> tuple[float, float, tuple[float, ...]]:
    """``(min_weekly_hours, max_weekly_hours, shift_hours)`` of a full- or part-timer."""
    if full_time:
        minimum = float(rng.choice([32, 36, 40], p=[0.4, 0.3, 0.3]))
        maximum = 40.0
        shifts = _pick(rng, FULL_TIME_SHIFTS)
    else:
        minimum = float(rng.choice([12, 16, 20]))
        maximum = float(rng.choice([24, 28, 30]))
        shifts = _pick(rng, PART_TIME_SHIFTS)
    return minimum, maximum, tuple(float(h) for h in shifts.split(";"))


def draw_skills(rng: np.random.Generator, count: int) -> list[tuple[str, ...]]:
    """Skill sets of ``count`` agents: about half all three channels, others two or one."""
    # apportion() gives every group one agent when it can, and the largest (all-channel)
    # group the first one otherwise, so every channel always has someone
    sizes = apportion(count, {str(i): share for i, (share, _) in enumerate(SKILL_MIX)})
    skills: list[tuple[str, ...]] = []
    for i, (_, options) in enumerate(SKILL_MIX):
        for _ in range(sizes[str(i)]):
            index = int(rng.choice(len(options), p=[w for _, w in options]))
            skills.append(options[index][0])
    return [skills[int(i)] for i in rng.permutation(len(skills))]


def make_agents(rng: np.random.Generator, params: SampleParams) -> tuple[list[Agent], set[str]]:
    """The agents, and the ids whose ``timezone`` cell is written blank."""
    n = params.agents
    per_state = apportion(n, STATE_WEIGHTS)
    states = [s for s, count in per_state.items() for _ in range(count)]
    zones = [z for s, count in per_state.items() for z in draw_zones(rng, s, count)]
    order = rng.permutation(n)  # interleave the states over the agent ids
    states = [states[int(i)] for i in order]
    zones = [zones[int(i)] for i in order]
    full_time = np.zeros(n, dtype=bool)
    full_time[rng.choice(n, size=round(params.full_time_share * n), replace=False)] = True
    names = draw_names(rng, n)
    skills = draw_skills(rng, n)
    agents: list[Agent] = []
    blank: set[str] = set()
    for i in range(n):
        agent_id = f"A{i + 1:03d}"
        minimum, maximum, shifts = draw_contract(rng, bool(full_time[i]))
        agents.append(
            Agent(
                agent_id=agent_id,
                name=names[i],
                state=states[i],
                timezone=zones[i],
                contract="full_time" if full_time[i] else "part_time",
                min_weekly_hours=minimum,
                max_weekly_hours=maximum,
                shift_hours=shifts,
                skills=skills[i],
            )
        )
        # rng.random() is drawn for every main-zone agent, as before, so the seeded draws
        # that follow stay the same.
        drawn = zones[i] == main_zone(states[i]) and rng.random() < BLANK_ZONE_SHARE
        if drawn and len(STATE_ZONES[states[i]]) == 1:
            blank.add(agent_id)
    return agents, blank


# =========================================================================== availability

MAX_WORK_DAYS = 5
"""Working days per week, at most, under the sample's ``min_days_off_per_week = 2``."""


def days_needed(agent: Agent) -> int:
    """Fewest working days that reach the agent's weekly minimum."""
    return math.ceil(agent.min_weekly_hours / agent.longest_shift_hours)


def elapsed_minutes(paid_hours: float) -> int:
    """Clock minutes a shift takes: paid time plus the sample policy's unpaid meal."""
    meal = BreakPolicy().meal_minutes if paid_hours >= BreakPolicy().meal_min_shift_hours else 0
    return round(paid_hours * 60) + meal


def evening_windows(agent_id: str, start: int) -> list[AvailabilityWindow]:
    """Every day from ``start`` to 02:00 the next morning (local)."""
    return [AvailabilityWindow(agent_id, d, Window(start, 26 * 60)) for d in range(7)]


def weekend_windows(agent_id: str, weekdays: Iterable[int]) -> list[AvailabilityWindow]:
    """Wide Friday-to-Sunday windows plus afternoon-to-02:00 windows on ``weekdays``
    (12 hours: room for a 10-hour shift and its unpaid meal)."""
    wide = {4: Window(12 * 60, 24 * 60), 5: Window(8 * 60, 24 * 60), 6: Window(8 * 60, 24 * 60)}
    wide.update({d: Window(14 * 60, 26 * 60) for d in weekdays})
    return [AvailabilityWindow(agent_id, d, w) for d, w in sorted(wide.items())]


def make_availability(
    rng: np.random.Generator, agents: Sequence[Agent], params: SampleParams
) -> list[AvailabilityWindow]:
    """Some agents evening-only, some weekend-heavy, the rest without rows (any shift).

    A weekend-heavy agent keeps at least one available day more than their minimum
    hours need, so time off and rest rules leave room.
    """
    n = len(agents)
    order = [agents[int(i)] for i in rng.permutation(n)]
    evening_count = round(params.evening_only_share * n)
    weekend_count = round(params.weekend_heavy_share * n)
    windows: list[AvailabilityWindow] = []
    for agent in order[:evening_count]:
        windows += evening_windows(agent.agent_id, int(rng.choice([14 * 60, 15 * 60])))
    candidates = [a for a in order[evening_count:] if days_needed(a) <= MAX_WORK_DAYS - 1]
    for agent in candidates[:weekend_count]:
        extra = max(int(rng.integers(1, 3)), days_needed(agent) + 1 - 3)
        weekdays = sorted(int(d) for d in rng.choice(4, size=extra, replace=False))
        windows += weekend_windows(agent.agent_id, weekdays)
    return sorted(windows, key=lambda w: (w.agent_id, w.weekday))


# =========================================================================== time off

SINGLE_DAY_REASONS = (
    "medical appointment", "family event", "personal day", "jury duty", "moving day",
    "school event",
)  # fmt: skip
MAX_TIME_OFF_DATES = 4


def week_is_feasible(
    agent: Agent,
    windows: Sequence[AvailabilityWindow],
    week: Sequence[date],
    off: set[date],
) -> bool:
    """Can the agent still reach their (lowered) weekly minimum in ``week``?

    Each time-off date lowers the minimum by the longest shift (CONTRACT.md). A day
    can hold a shift length when it is not off and, for an agent with availability
    rows, one of that weekday's windows is long enough. Rest and past-midnight
    details are left to the solver; this only keeps the sample clear of obvious traps.
    """
    k = sum(1 for d in week if d in off)
    need = max(0.0, agent.min_weekly_hours - k * agent.longest_shift_hours)
    by_day: dict[int, list[Window]] = {}
    for w in windows:
        by_day.setdefault(w.weekday, []).append(w.window)
    sums = {(0, 0.0)}  # (days worked, hours)
    for day in week:
        if day in off:
            continue
        fits = [
            h
            for h in agent.shift_hours
            if not windows
            or any(w.minutes >= elapsed_minutes(h) for w in by_day.get(day.weekday(), []))
        ]
        sums |= {(n + 1, s + h) for n, s in sums for h in fits if n < MAX_WORK_DAYS}
    return any(need <= s <= agent.max_weekly_hours for _, s in sums)


def holiday_clusters(first: date, last: date) -> list[list[date]]:
    """Popular time-off dates (Thanksgiving, Christmas, New Year) inside ``[first, last]``."""
    years = range(first.year, last.year + 1)
    federal = holidays_lib.country_holidays("US", years=years, categories=("public",))
    clusters: list[list[date]] = []
    for day, name in sorted(federal.items()):
        if name == "Thanksgiving Day":
            clusters.append([day, day + timedelta(days=1)])
        elif name in ("Christmas Day", "New Year's Day"):  # with the eve before
            clusters.append([day - timedelta(days=1), day])
    inside = [[d for d in c if first <= d <= last] for c in clusters]
    return [c for c in inside if c]


def draw_request(
    rng: np.random.Generator, first: date, days: int, clusters: Sequence[Sequence[date]]
) -> dict[date, str]:
    """One agent's time-off request (date -> reason): single days, a vacation, or holidays."""
    kind = _pick(rng, (("single", 0.45), ("vacation", 0.30), ("holiday", 0.25)))
    if kind == "holiday" and clusters:
        cluster = clusters[int(rng.integers(len(clusters)))]
        take = int(rng.integers(1, len(cluster) + 1))
        return dict.fromkeys(cluster[:take], "holiday travel")
    if kind == "vacation":
        length = int(rng.integers(2, 5))
        start = first + timedelta(days=int(rng.integers(days - length + 1)))
        return {start + timedelta(days=i): "vacation" for i in range(length)}
    count = int(rng.integers(1, 3))
    picks = sorted(int(i) for i in rng.choice(days, size=count, replace=False))
    return {first + timedelta(days=i): str(rng.choice(SINGLE_DAY_REASONS)) for i in picks}


def make_time_off(
    rng: np.random.Generator,
    agents: Sequence[Agent],
    availability: Sequence[AvailabilityWindow],
    params: SampleParams,
) -> list[TimeOff]:
    """Scattered time off in the weeks after history, a handful of dates per agent at most.

    A date that would leave some week unable to reach the agent's minimum is dropped.
    """
    first, last = params.planning_start, params.planning_end
    days = (last - first).days + 1
    clusters = holiday_clusters(first, last)
    weeks = [
        [first + timedelta(days=7 * w + i) for i in range(7)] for w in range(params.time_off_weeks)
    ]
    rows: list[TimeOff] = []
    for agent in agents:
        if rng.random() >= params.time_off_share:
            continue
        request = draw_request(rng, first, days, clusters)
        windows = [w for w in availability if w.agent_id == agent.agent_id]
        kept: set[date] = set()
        for day in sorted(request)[:MAX_TIME_OFF_DATES]:
            trial = kept | {day}
            if all(week_is_feasible(agent, windows, week, trial) for week in weeks):
                kept = trial
        rows += [TimeOff(agent.agent_id, d, request[d]) for d in sorted(kept)]
    return rows


# =========================================================================== history


@dataclass(frozen=True)
class Bump:
    """A bell-shaped rise of the intraday curve around a local time of day."""

    height: float
    center: int  # minutes after local midnight
    width: int  # standard deviation, minutes


@dataclass(frozen=True)
class ChannelProfile:
    """How one channel's contacts and handle times behave."""

    name: str
    peak_contacts: float
    """Expected contacts in the busiest interval of a plain Saturday at the end of history."""
    aht_seconds: float
    floor: float
    weekday: tuple[Bump, ...]
    weekend: tuple[Bump, ...]


PROFILES: tuple[ChannelProfile, ...] = (
    ChannelProfile(
        "phone",
        peak_contacts=50,
        aht_seconds=360,
        floor=0.06,
        weekday=(Bump(0.35, 13 * 60, 200), Bump(0.95, 20 * 60 + 30, 130)),
        weekend=(Bump(0.70, 12 * 60, 190), Bump(0.95, 20 * 60 + 30, 140)),
    ),
    ChannelProfile(
        "sms",
        peak_contacts=34,
        aht_seconds=420,
        floor=0.04,
        weekday=(Bump(0.30, 14 * 60, 200), Bump(1.00, 21 * 60, 120)),
        weekend=(Bump(0.60, 13 * 60, 180), Bump(1.00, 21 * 60, 130)),
    ),
    ChannelProfile(
        "email",
        peak_contacts=24,
        aht_seconds=600,
        floor=0.18,
        weekday=(Bump(0.55, 12 * 60, 220), Bump(0.70, 20 * 60, 160)),
        weekend=(Bump(0.65, 12 * 60, 220), Bump(0.70, 20 * 60, 160)),
    ),
)

DAY_FACTORS = (0.80, 0.76, 0.76, 0.78, 0.88, 1.00, 0.96)
"""Volume level per local weekday (Mon..Sun): pet sitters are busiest at weekends."""


@dataclass(frozen=True)
class HolidayEffect:
    """How a holiday changes volume: a factor on the day, and an evening boost."""

    name: str
    factor: float
    evening_boost: float = 0.0  # extra share between 20:00 and midnight (fireworks)


MAJOR_EFFECTS: dict[str, HolidayEffect] = {
    "Thanksgiving Day": HolidayEffect("Thanksgiving Day", 1.45),
    "Christmas Day": HolidayEffect("Christmas Day", 1.50),
    "New Year's Day": HolidayEffect("New Year's Day", 1.35),
    "Independence Day": HolidayEffect("Independence Day", 1.15, evening_boost=0.25),
}
EVE_EFFECTS: dict[str, HolidayEffect] = {
    "Christmas Day": HolidayEffect("Christmas Eve", 1.35),
    "New Year's Day": HolidayEffect("New Year's Eve", 1.2, evening_boost=0.3),
}
MINOR_HOLIDAYS = (
    "Martin Luther King Jr. Day", "Washington's Birthday", "Memorial Day",
    "Juneteenth National Independence Day", "Independence Day (observed)", "Labor Day",
)  # fmt: skip
MINOR_FACTOR = 1.08


def holiday_effects(first: date, last: date) -> dict[date, HolidayEffect]:
    """Volume effects of public holidays in ``[first, last]``, from the ``holidays`` package.

    Volume follows what the public does (travel, fireworks, family visits), so this
    uses the federal calendar, not the company's: a company working Veterans Day does
    not change when pets get hurt. Major days spike; days most people have off look
    like a weekend.
    """
    years = range(first.year, last.year + 1)
    federal = holidays_lib.country_holidays("US", years=years, categories=("public",))
    effects: dict[date, HolidayEffect] = {}
    for day, name in sorted(federal.items()):
        if name in MINOR_HOLIDAYS:
            effects.setdefault(day, HolidayEffect(name, MINOR_FACTOR))
        if name in MAJOR_EFFECTS:
            effects[day] = MAJOR_EFFECTS[name]
        if name in EVE_EFFECTS:
            effects[day - timedelta(days=1)] = EVE_EFFECTS[name]
    return {d: e for d, e in sorted(effects.items()) if first <= d <= last}


def bump_curve(minutes: np.ndarray, bump: Bump) -> np.ndarray:
    """The bump's height at each time of day, wrapping around midnight."""
    distance = np.abs(minutes - bump.center)
    distance = np.minimum(distance, 24 * 60 - distance)
    return bump.height * np.exp(-0.5 * (distance / bump.width) ** 2)


def intraday_shape(profile: ChannelProfile, weekend: bool) -> np.ndarray:
    """Relative volume per 30-minute slot of the local day (48 values, peak = 1)."""
    middle = np.arange(0, 24 * 60, HISTORY_INTERVAL_MINUTES) + HISTORY_INTERVAL_MINUTES / 2
    curve = np.full(middle.shape, profile.floor)
    for bump in profile.weekend if weekend else profile.weekday:
        curve += bump_curve(middle, bump)
    return np.asarray(curve / curve.max())


@dataclass(frozen=True)
class DayFactors:
    """Per local date of history: level, weekend-like shape, evening boost, AHT drift."""

    level: np.ndarray
    weekend_like: np.ndarray
    evening_boost: np.ndarray
    aht_factor: np.ndarray


def day_factors(params: SampleParams, effects: Mapping[date, HolidayEffect]) -> DayFactors:
    """Weekday level x growth x summer season x holiday factor, per history date."""
    count = 7 * params.history_weeks
    days = [params.history_start + timedelta(days=i) for i in range(count)]
    t = np.arange(count) / 365.0
    growth = params.yearly_growth
    trend = (1 + growth) ** (t - t[-1])  # 1 at the end of history
    doy = np.array([d.timetuple().tm_yday for d in days])
    season = 1 + params.summer_amplitude * np.cos(2 * np.pi * (doy - 196) / 365.25)
    level, weekend_like, boost, aht = [], [], [], []
    for day in days:
        effect = effects.get(day)
        weekday = day.weekday()
        if effect is None:
            level.append(DAY_FACTORS[weekday])
            weekend_like.append(weekday >= SATURDAY)
            boost.append(0.0)
            aht.append(1.0)
        else:  # people are off: a weekend-like day at least as busy as a Sunday
            level.append(max(DAY_FACTORS[weekday], DAY_FACTORS[6]) * effect.factor)
            weekend_like.append(True)
            boost.append(effect.evening_boost)
            aht.append(1.05)  # holiday emergencies take longer to sort out
    drift = 1.03 - 0.03 * np.arange(count) / max(count - 1, 1)  # agents got a little faster
    return DayFactors(
        level=np.array(level) * trend * season,
        weekend_like=np.array(weekend_like, dtype=bool),
        evening_boost=np.array(boost),
        aht_factor=np.array(aht) * drift,
    )


@dataclass(frozen=True)
class HistoryGrid:
    """The UTC interval grid of history and where each interval falls in business time."""

    utc: pd.DatetimeIndex
    day: np.ndarray  # index of the local business date, 0 = history_start
    slot: np.ndarray  # 30-minute slot of the local day, 0..47


def history_grid(params: SampleParams, business_zone: str) -> HistoryGrid:
    """Every 30-minute UTC interval from local midnight of the first date to the last.

    Built in UTC and mapped to business local time, so across a DST change the daily
    pattern moves by an hour in UTC (the fall-back night has one local hour twice).
    """
    start = pd.Timestamp(params.history_start).tz_localize(business_zone)
    end = pd.Timestamp(params.history_end + timedelta(days=1)).tz_localize(business_zone)
    utc = pd.date_range(
        start.tz_convert("UTC"),
        end.tz_convert("UTC"),
        freq=f"{HISTORY_INTERVAL_MINUTES}min",
        inclusive="left",
    )
    local = utc.tz_convert(business_zone)
    naive = local.tz_localize(None)
    day = np.asarray((naive.normalize() - pd.Timestamp(params.history_start)).days)
    slot = np.asarray((local.hour * 60 + local.minute) // HISTORY_INTERVAL_MINUTES)
    return HistoryGrid(utc=utc, day=day, slot=slot)


def expected_contacts(
    profile: ChannelProfile, grid: HistoryGrid, factors: DayFactors
) -> np.ndarray:
    """Mean contacts per interval before noise."""
    weekday_shape = intraday_shape(profile, weekend=False)
    weekend_shape = intraday_shape(profile, weekend=True)
    weekend = factors.weekend_like[grid.day]
    shape = np.where(weekend, weekend_shape[grid.slot], weekday_shape[grid.slot])
    evening = (grid.slot >= 20 * 2).astype(float)
    boost = 1 + factors.evening_boost[grid.day] * evening
    return np.asarray(profile.peak_contacts * shape * factors.level[grid.day] * boost)


def expected_aht(profile: ChannelProfile, grid: HistoryGrid, factors: DayFactors) -> np.ndarray:
    """Mean handle time per interval: longer in the small hours, on holidays, early on."""
    middle = grid.slot * HISTORY_INTERVAL_MINUTES + HISTORY_INTERVAL_MINUTES / 2
    night = bump_curve(middle.astype(float), Bump(0.10, 3 * 60, 150))
    return np.asarray(profile.aht_seconds * (1 + night) * factors.aht_factor[grid.day])


def draw_channel(
    rng: np.random.Generator,
    profile: ChannelProfile,
    grid: HistoryGrid,
    factors: DayFactors,
) -> tuple[np.ndarray, np.ndarray]:
    """Observed ``(contacts, aht_seconds)`` of one channel: Poisson-ish counts, noisy AHT.

    Counts are Poisson around a mean that itself wobbles day to day (about 7%) and
    interval to interval (about 10%), so the series is over-dispersed like real data.
    The AHT of an interval is an average of its contacts' handle times, so its noise
    shrinks with the number of contacts.
    """
    n_days = len(factors.level)
    daily = rng.gamma(200.0, 1 / 200.0, size=n_days)[grid.day]
    jitter = rng.gamma(100.0, 1 / 100.0, size=len(grid.utc))
    contacts = rng.poisson(expected_contacts(profile, grid, factors) * daily * jitter)
    spread = 0.5 / np.sqrt(np.maximum(contacts, 1))
    aht = expected_aht(profile, grid, factors) * np.exp(rng.normal(0.0, spread))
    return contacts.astype(np.int64), np.rint(aht).astype(np.int64)


def make_history(rng: np.random.Generator, params: SampleParams, config: Config) -> pd.DataFrame:
    """``interval_start, channel, contacts, aht_seconds`` for every interval and channel.

    ``interval_start`` is a tz-aware UTC timestamp; rows are by interval, then channel
    in config order.
    """
    grid = history_grid(params, config.site.business_timezone)
    factors = day_factors(params, holiday_effects(params.history_start, params.history_end))
    profiles = {p.name: p for p in PROFILES}
    names = [c.name for c in config.channels]
    drawn = [draw_channel(rng, profiles[name], grid, factors) for name in names]
    contacts = np.stack([c for c, _ in drawn], axis=1).ravel()
    aht = np.stack([a for _, a in drawn], axis=1).ravel()
    return pd.DataFrame(
        {
            "interval_start": grid.utc.repeat(len(names)),
            "channel": np.tile(np.array(names, dtype=object), len(grid.utc)),
            "contacts": contacts,
            "aht_seconds": aht,
        }
    )


# =========================================================================== files


@dataclass(frozen=True)
class SampleData:
    """Everything the generator produced, before it becomes files."""

    params: SampleParams
    config: Config
    agents: list[Agent]
    blank_zone_ids: set[str]
    availability: list[AvailabilityWindow]
    time_off: list[TimeOff]
    history: pd.DataFrame


def generate(params: SampleParams) -> SampleData:
    """Draw the whole data set; the same ``params`` always give the same data."""
    if params.agents < 1:
        raise ValueError("the sample needs at least one agent")
    rng = np.random.default_rng(params.seed)
    config = sample_config(params)
    agents, blank = make_agents(rng, params)
    availability = make_availability(rng, agents, params)
    time_off = make_time_off(rng, agents, availability, params)
    history = make_history(rng, params, config)
    return SampleData(params, config, agents, blank, availability, time_off, history)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def agents_frame(data: SampleData) -> pd.DataFrame:
    """``agents.csv`` rows (blank ``timezone`` where the state's main zone is meant)."""
    return pd.DataFrame(
        [
            {
                "agent_id": a.agent_id,
                "name": a.name,
                "state": a.state,
                "timezone": "" if a.agent_id in data.blank_zone_ids else a.timezone,
                "contract": a.contract,
                "min_weekly_hours": _number(a.min_weekly_hours),
                "max_weekly_hours": _number(a.max_weekly_hours),
                "shift_hours": ";".join(_number(h) for h in a.shift_hours),
                "skills": ";".join(a.skills),
            }
            for a in data.agents
        ],
        columns=[
            "agent_id", "name", "state", "timezone", "contract", "min_weekly_hours",
            "max_weekly_hours", "shift_hours", "skills",
        ],
    )  # fmt: skip


def availability_frame(data: SampleData) -> pd.DataFrame:
    """``availability.csv`` rows; a window past midnight is written with ``end <= start``."""
    return pd.DataFrame(
        [
            {
                "agent_id": w.agent_id,
                "weekday": WEEKDAYS[w.weekday],
                "start": format_clock(w.window.start),
                "end": format_clock(w.window.end),
            }
            for w in data.availability
        ],
        columns=["agent_id", "weekday", "start", "end"],
    )


def time_off_frame(data: SampleData) -> pd.DataFrame:
    """``time_off.csv`` rows."""
    return pd.DataFrame(
        [
            {"agent_id": t.agent_id, "date": t.date.isoformat(), "reason": t.reason}
            for t in data.time_off
        ],
        columns=["agent_id", "date", "reason"],
    )


def history_frame(data: SampleData) -> pd.DataFrame:
    """``history.csv`` rows with ``interval_start`` as ISO 8601 UTC text (``...Z``)."""
    frame = data.history.copy()
    frame["interval_start"] = pd.DatetimeIndex(frame["interval_start"]).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    return frame


@dataclass(frozen=True)
class Headline:
    """The figures a reader wants first."""

    agents_per_state: dict[str, int]
    contacts_per_channel: dict[str, int]
    peak: str


def headline(data: SampleData) -> Headline:
    """Agents per state, total contacts per channel, and the busiest interval."""
    history = data.history
    per_state = pd.Series([a.state for a in data.agents]).value_counts()
    totals = history.groupby("channel", sort=False)["contacts"].sum()
    peak = history.loc[history["contacts"].idxmax()]
    peak_local = pd.Timestamp(peak["interval_start"]).tz_convert(data.config.site.business_timezone)
    return Headline(
        agents_per_state={s: int(per_state.get(s, 0)) for s in data.config.site.approved_states},
        contacts_per_channel={str(c): int(v) for c, v in totals.items()},
        peak=f"{peak['channel']} {int(peak['contacts'])} contacts at {peak_local.isoformat()}",
    )


def readme_text(data: SampleData) -> str:
    """A short ``README.md`` saying how the folder was made and what is in it."""
    p = data.params
    head = headline(data)
    states = ", ".join(f"{s} {n}" for s, n in head.agents_per_state.items())
    channels = ", ".join(f"{c} {n:,}" for c, n in head.contacts_per_channel.items())
    full = sum(1 for a in data.agents if a.contract == "full_time")
    split = sum(1 for a in data.agents if a.timezone != main_zone(a.state))
    with_rows = len({w.agent_id for w in data.availability})
    off_agents = len({t.agent_id for t in data.time_off})
    command = (
        f"python -m planner sample-data --out data --agents {p.agents} --seed {p.seed} "
        f"--end {p.today.isoformat()}"
    )
    return f"""\
# Sample data (seed {p.seed})

Written by `{command}`.
Do not edit by hand: a test checks that this folder equals what the generator
writes. Change `planner/data/sample_data.py`, then regenerate with that command.

- `config.toml`: the evening/weekend/holiday team; business time America/New_York,
  30-minute intervals, weeks from Sunday; phone (live), sms (concurrent), email (deferred).
- `agents.csv`: {len(data.agents)} agents, {full} full-time and {len(data.agents) - full} \
part-time, {split} in a state's second zone.
  Per state: {states}.
- `availability.csv`: {with_rows} agents with windows (evening-only or weekend-heavy).
- `time_off.csv`: {len(data.time_off)} dates for {off_agents} agents, \
{p.planning_start.isoformat()} to {p.planning_end.isoformat()}.
- `history.csv`: {p.history_weeks} weeks of 30-minute intervals, local dates \
{p.history_start.isoformat()} (Sun) to {p.history_end.isoformat()} (Sat).
  Contacts: {channels}.
  Busiest interval: {head.peak}.
"""


def write_sample(out: Path, params: SampleParams) -> list[Path]:
    """Generate the data set and write every file atomically into ``out`` (created)."""
    data = generate(params)
    files: dict[str, str | pd.DataFrame] = {
        "config.toml": render_config(data.config),
        "agents.csv": agents_frame(data),
        "availability.csv": availability_frame(data),
        "time_off.csv": time_off_frame(data),
        "history.csv": history_frame(data),
        "README.md": readme_text(data),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        if isinstance(content, str):
            write_text(path, content)
        else:
            write_csv(path, content)
        written.append(path)
        log.debug("wrote %s", path)
    return written
