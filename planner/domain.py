"""Typed domain objects shared by every stage of the pipeline.

Times of day are whole minutes after local midnight (``int``); a window whose end
is at or before its start runs past midnight and is stored with ``end > 1440``.
Instants are timezone-aware :class:`datetime` objects; zones are IANA names
resolved with :mod:`zoneinfo`, never fixed offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Weekday names as used in files; index = :meth:`date.weekday`."""

LEAD_SKILL = "lead"
"""The skill of an agent others escalate to: not a channel (``coverage.min_leads``)."""

ChannelKind = Literal["live", "concurrent", "deferred"]
Contract = Literal["full_time", "part_time"]


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Window:
    """A daily local time window in minutes after midnight; ``end`` may exceed 1440."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class SiteConfig:
    business_timezone: str = "America/New_York"
    interval_minutes: int = 30
    week_starts: str = "Sun"
    approved_states: tuple[str, ...] = ("FL", "GA", "ID", "NC", "TX", "WA", "MI")

    @property
    def week_start_index(self) -> int:
        """Weekday index (Mon = 0) of the first day of the week."""
        return WEEKDAYS.index(self.week_starts)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.business_timezone)


@dataclass(frozen=True)
class CoverageConfig:
    """When the team answers, in business time. ``None`` means closed that day type."""

    weekday: Window | None = Window(16 * 60, 26 * 60)
    weekend: Window | None = Window(8 * 60, 26 * 60)
    holiday: Window | None = Window(8 * 60, 26 * 60)
    min_leads: int = 0
    """Agents with the ``lead`` skill on shift in every open interval (term ``min_leads``)."""


@dataclass(frozen=True)
class ShiftConfig:
    earliest_start: int = 6 * 60
    latest_end: int = 26 * 60
    start_step_minutes: int = 30
    evening_ends_after: int = 20 * 60


@dataclass(frozen=True)
class RulesConfig:
    min_rest_hours: float = 10
    max_consecutive_days: int = 6
    min_days_off_per_week: int = 2
    max_shifts_per_day: int = 1
    overtime_allowed: bool = False
    max_overtime_hours_per_week: float = 0.0
    overtime_threshold_hours: float = 40.0
    workweek_start_day: str | None = None
    """First day of the FLSA workweek (``Mon``..``Sun``); unset: ``site.week_starts``."""
    workweek_start_time: int = field(default=0, metadata={"toml": "time"})
    """Business-local time at which the FLSA workweek starts (minutes after midnight)."""
    min_consecutive_days: int = 1
    """Shortest run of working dates between two days off inside the horizon (1: off)."""
    min_consecutive_days_off: int = 1
    """Shortest run of days off between two working dates inside the horizon (1: off)."""
    max_weekends: int | None = None
    """Most weekends (Saturday + Sunday) worked in any ``weekend_window_weeks`` weekends in a
    row (absent: no limit)."""
    weekend_window_weeks: int = 4
    """Weekends per window of ``max_weekends``; 0: the whole horizon is one window."""
    min_total_hours: float = 0.0
    """Least paid hours over the whole horizon (0: off)."""
    max_total_hours: float | None = None
    """Most paid hours over the whole horizon (absent: no limit)."""


@dataclass(frozen=True)
class StaffingConfig:
    shrinkage: float = 0.25
    max_occupancy: float = 0.85


@dataclass(frozen=True)
class ChannelConfig:
    """One contact channel. Fields not used by a channel's ``kind`` keep their defaults."""

    name: str
    kind: ChannelKind
    service_level: float = 0.80
    answer_seconds: float = 60.0
    patience_seconds: float | None = None
    concurrency: int = 1
    response_hours: float = 4.0
    priority: int = 1
    shrinkage: float | None = None
    max_occupancy: float | None = None
    min_staff: int = 0
    """Agents with this skill on shift in every open interval, whatever the forecast."""


@dataclass(frozen=True)
class BreakPolicy:
    """Company break policy; Washington's statutory rules apply on top of it."""

    meal_minutes: int = 30
    meal_min_shift_hours: float = 6.0
    meal_paid: bool = False
    rest_minutes: int = 15
    rest_every_hours: float = 4.0
    rest_paid: bool = True
    start_step_minutes: int = 15
    """Breaks start on this grid of the clock (minutes; divides the hour)."""


HolidayObserved = Literal["actual", "observed"]
"""Which date a holiday that falls on a weekend counts on: its own (``actual``) or the
weekday the package says it is observed on (``observed``)."""


@dataclass(frozen=True)
class HolidayPolicy:
    """Which dates count as holidays (company policy, not law).

    A holiday counts on one date only: ``observed = "actual"`` keeps the holiday's own date
    (4 July 2026, a Saturday), ``"observed"`` the weekday it is observed on (Friday 3 July).
    """

    country: str = "US"
    categories: tuple[str, ...] = ("public",)
    use_agent_state: bool = False
    extra_dates: tuple[date, ...] = ()
    removed_dates: tuple[date, ...] = ()
    observed: HolidayObserved = "actual"


@dataclass(frozen=True)
class WeightsConfig:
    """Integer objective weights, one per penalty term (units in docs/OBJECTIVE.md)."""

    under_staffing: int = 20
    over_staffing: int = 1
    deferred_overdue: int = 3
    fairness: int = 2
    preferences: int = 300
    stability: int = 5000
    overtime: int = 3
    min_staff: int = 50
    min_leads: int = 30
    shift_requests: int = 100
    shift_cover: int = 1


@dataclass(frozen=True)
class FairnessKindWeights:
    """Integer weight of each fairness kind in the ``fairness`` term (docs/OBJECTIVE.md)."""

    weekend: int = 1
    evening: int = 1
    holiday: int = 1
    closer: int = 1


DEFAULT_HOLIDAY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("Christmas Day", 3),
    ("New Year's Day", 3),
    ("Thanksgiving Day", 3),
)
"""Holidays that count more than one shift when worked (names as the calendar gives them;
sorted, as the config reader sorts the table)."""


@dataclass(frozen=True)
class FairnessConfig:
    """How the ``fairness`` term counts shifts (docs/OBJECTIVE.md "fairness").

    ``holiday_weights`` is the TOML table ``[fairness.holiday_weights]`` of holiday name ->
    whole weight, kept as sorted (name, weight) pairs so the config stays hashable; a holiday
    no name matches counts ``default_holiday_weight``.
    """

    holiday_weights: tuple[tuple[str, int], ...] = field(
        default=DEFAULT_HOLIDAY_WEIGHTS, metadata={"toml": "table"}
    )
    default_holiday_weight: int = 1
    kind_weights: FairnessKindWeights = field(default_factory=FairnessKindWeights)


@dataclass(frozen=True)
class ShiftType:
    """A named shift (``[shift_types.NAME]``): it starts at ``start`` local time and pays
    ``hours``. When any is configured, agents work named shifts only. ``forbidden_next``
    names the shift types that may not be worked on the date after this one."""

    name: str
    start: int = field(default=8 * 60, metadata={"toml": "time"})
    hours: float = 8.0
    forbidden_next: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        """Paid minutes."""
        return round(self.hours * 60)


@dataclass(frozen=True)
class StabilityConfig:
    freeze_days: int = 14
    frozen_is_hard: bool = False


@dataclass(frozen=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    coverage: CoverageConfig = field(default_factory=CoverageConfig)
    shifts: ShiftConfig = field(default_factory=ShiftConfig)
    rules: RulesConfig = field(default_factory=RulesConfig)
    staffing: StaffingConfig = field(default_factory=StaffingConfig)
    channels: tuple[ChannelConfig, ...] = ()
    breaks: BreakPolicy = field(default_factory=BreakPolicy)
    holidays: HolidayPolicy = field(default_factory=HolidayPolicy)
    weights: WeightsConfig = field(default_factory=WeightsConfig)
    stability: StabilityConfig = field(default_factory=StabilityConfig)
    fairness: FairnessConfig = field(default_factory=FairnessConfig)
    shift_types: tuple[ShiftType, ...] = ()

    @property
    def channel_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.channels)

    @property
    def workweek_start(self) -> tuple[int, int]:
        """The FLSA workweek start: (weekday, Mon = 0; minutes after midnight), business time."""
        day = self.rules.workweek_start_day or self.site.week_starts
        return WEEKDAYS.index(day), self.rules.workweek_start_time

    @property
    def shift_type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.shift_types)

    def shift_type_of(self, start_minute: int, paid_minutes: int) -> int:
        """Index of the shift type starting at local ``start_minute`` and paying
        ``paid_minutes`` (-1: none; config forbids two types with the same both)."""
        for i, t in enumerate(self.shift_types):
            if t.start == start_minute and t.minutes == paid_minutes:
                return i
        return -1

    def channel(self, name: str) -> ChannelConfig:
        for c in self.channels:
            if c.name == name:
                return c
        raise KeyError(name)


# --------------------------------------------------------------------------- people


@dataclass(frozen=True)
class Agent:
    agent_id: str
    name: str
    state: str
    timezone: str
    contract: Contract
    min_weekly_hours: float
    max_weekly_hours: float
    shift_hours: tuple[float, ...]
    skills: tuple[str, ...]

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def longest_shift_hours(self) -> float:
        return max(self.shift_hours)


@dataclass(frozen=True)
class AvailabilityWindow:
    """An agent may work inside this local window on this weekday (Mon = 0)."""

    agent_id: str
    weekday: int
    window: Window


@dataclass(frozen=True)
class TimeOff:
    agent_id: str
    date: date
    reason: str = ""


@dataclass(frozen=True)
class AgentRules:
    """One row of ``agent_rules.csv``: this agent's own contract limits over the horizon;
    ``None`` keeps the ``[rules]`` value. ``max_shifts`` caps shifts per shift type
    (a cap of 0: the agent never works that type)."""

    agent_id: str
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None
    min_total_hours: float | None = None
    max_total_hours: float | None = None
    max_shifts: tuple[tuple[str, int], ...] = ()


RequestKind = Literal["on", "off"]


@dataclass(frozen=True)
class ShiftRequest:
    """An agent asks to work (``on``) or not to work (``off``) a shift type on a date; an
    unmet request costs ``weight``."""

    agent_id: str
    date: date
    shift_type: str
    kind: RequestKind
    weight: int = 1


@dataclass(frozen=True)
class ShiftCover:
    """How many agents a shift type needs on a date, and the cost per agent short
    (``weight_under``) and per agent too many (``weight_over``)."""

    date: date
    shift_type: str
    required: int
    weight_under: int = 100
    weight_over: int = 1


# --------------------------------------------------------------------------- horizon


@dataclass(frozen=True)
class Horizon:
    """``weeks`` whole weeks of local calendar dates starting on ``start``."""

    start: date
    weeks: int

    @property
    def days(self) -> int:
        return 7 * self.weeks

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def end(self) -> date:
        """The first date after the horizon."""
        return self.start + timedelta(days=self.days)

    def week_of(self, day: date) -> int:
        """0-based week index of a local date (may be negative or past the end)."""
        return (day - self.start).days // 7

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


# --------------------------------------------------------------------------- roster


@dataclass(frozen=True)
class Shift:
    """One worked shift, belonging to the local date on which it starts."""

    agent_id: str
    date: date
    start_utc: datetime
    end_utc: datetime
    timezone: str
    paid_hours: float

    @property
    def start_local(self) -> datetime:
        return self.start_utc.astimezone(ZoneInfo(self.timezone))

    @property
    def end_local(self) -> datetime:
        return self.end_utc.astimezone(ZoneInfo(self.timezone))

    @property
    def elapsed_hours(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds() / 3600


BreakKind = Literal["meal", "rest"]


@dataclass(frozen=True)
class Break:
    agent_id: str
    start_utc: datetime
    end_utc: datetime
    kind: BreakKind
    paid: bool


@dataclass(frozen=True)
class Roster:
    shifts: tuple[Shift, ...]
    breaks: tuple[Break, ...] = ()
