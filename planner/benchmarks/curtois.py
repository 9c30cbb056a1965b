"""The Curtois & Qu shift-scheduling benchmark (Instance1..24): reading an instance, mapping it
onto the product's own data objects and rules, writing and validating a solution.

The format is described in ``shared/benchmarks/curtois/README.md``. The mapping uses the
product's rule modules, not a second model:

- the horizon starts on a Monday (:data:`DAY_ZERO`), weeks start on Monday, every employee
  works in one zone (:data:`ZONE`), so benchmark day ``d`` is local date ``DAY_ZERO + d``;
- each shift type is a named shift (``[shift_types.X]``): paid length = the file's length,
  ``forbidden_next`` = the file's list; it starts at 06:00 + 15 minutes x its position in the
  file (nominal times: the file has none; distinct starts keep the types apart in a roster,
  and every shift ends before 06:00 the next day, so no two days' shifts overlap);
- ``SECTION_STAFF`` -> ``agent_rules.csv`` rows (max shifts per type, total minutes,
  min/max consecutive working days, min consecutive days off, max weekends over the whole
  horizon: ``rules.weekend_window_weeks = 0``);
- ``SECTION_DAYS_OFF`` -> time off; shift on/off requests -> ``shift_requests``; cover ->
  ``shift_cover``;
- everything else is off: no interval demand (under/over-staffing 0), no breaks, no rest in
  hours, no weekly limits; weights 0 but ``shift_requests`` and ``shift_cover`` (1 each).

So the product's objective equals the benchmark's. The minimum-run rules leave the horizon
edges free (the recommended reading of the README, as CPMpy and wssuite do).

:func:`validate_solution` recomputes the objective from ``SOLUTION.csv`` alone with the
product's independent checker (:func:`planner.verify.check.check_roster`); :func:`direct_check`
reads the benchmark's own rules straight from the instance, a third opinion for the tests.
This module never imports OR-Tools (solving is :mod:`planner.benchmarks.curtois_solve`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.data.atomic import write_text
from planner.data.holiday_calendar import HolidayCalendar
from planner.domain import (
    Agent,
    AgentRules,
    BreakPolicy,
    ChannelConfig,
    Config,
    CoverageConfig,
    Horizon,
    Roster,
    RulesConfig,
    Shift,
    ShiftConfig,
    ShiftCover,
    ShiftRequest,
    ShiftType,
    SiteConfig,
    StabilityConfig,
    TimeOff,
    WeightsConfig,
)
from planner.verify.check import check_roster

DAY_ZERO = date(2024, 1, 1)
"""A Monday: benchmark day 0."""
ZONE = "America/New_York"
STATE = "NC"
FIRST_START = 6 * 60
START_STEP = 15
SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
SOLUTION_COLUMNS = ("employee", "day", "shift")


class InstanceError(ValueError):
    """An instance file that does not follow the format (message names file and line)."""


@dataclass(frozen=True)
class ShiftSpec:
    shift_id: str
    minutes: int
    forbidden_next: tuple[str, ...]


@dataclass(frozen=True)
class Staff:
    staff_id: str
    max_shifts: tuple[tuple[str, int], ...]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    staff_id: str
    day: int
    shift_id: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift_id: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class Instance:
    """One benchmark instance as read (ids as in the file; employees and shifts are separate
    id spaces)."""

    name: str
    days: int
    shifts: tuple[ShiftSpec, ...]
    staff: tuple[Staff, ...]
    days_off: Mapping[str, tuple[int, ...]]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    @property
    def weeks(self) -> int:
        return self.days // 7


# --------------------------------------------------------------------------- reading


def _sections(text: str, name: str) -> dict[str, list[tuple[int, list[str]]]]:
    """Data lines per section: (1-based line number, comma-separated fields stripped)."""
    found: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise InstanceError(f"{name}, line {number}: unknown section {line}")
            current = line
            found[current] = []
            continue
        if current is None:
            raise InstanceError(f"{name}, line {number}: data before the first SECTION_ line")
        found[current].append((number, [f.strip() for f in line.split(",")]))
    missing = [s for s in SECTIONS if s not in found]
    if missing:
        raise InstanceError(f"{name}: missing section(s) {', '.join(missing)}")
    return found


def _int(value: str, name: str, number: int, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InstanceError(
            f"{name}, line {number}: {what} {value!r} is not a whole number"
        ) from None


def _fields(row: list[str], count: int, name: str, number: int) -> list[str]:
    if len(row) < count:
        raise InstanceError(f"{name}, line {number}: expected {count} fields, found {len(row)}")
    return row


def parse_instance(text: str, name: str = "instance") -> Instance:
    """Read an instance's text (CRLF or LF line ends)."""
    sections = _sections(text.replace("\r\n", "\n").replace("\r", "\n"), name)
    horizon = sections["SECTION_HORIZON"]
    if len(horizon) != 1:
        raise InstanceError(f"{name}: SECTION_HORIZON must hold one number")
    number, row = horizon[0]
    days = _int(row[0], name, number, "horizon")
    if days <= 0 or days % 7:
        raise InstanceError(f"{name}, line {number}: horizon {days} is not a whole number of weeks")
    shifts = []
    for number, row in sections["SECTION_SHIFTS"]:
        shift_id, length, banned = _fields(row, 3, name, number)[:3]
        shifts.append(
            ShiftSpec(shift_id, _int(length, name, number, "length"), _split(banned, "|"))
        )
    staff = []
    for number, row in sections["SECTION_STAFF"]:
        f = _fields(row, 8, name, number)
        caps = []
        for pair in _split(f[1], "|"):
            shift_id, _, cap = pair.partition("=")
            caps.append((shift_id, _int(cap, name, number, "MaxShifts")))
        numbers = [_int(v, name, number, "limit") for v in f[2:8]]
        staff.append(Staff(f[0], tuple(caps), *numbers))
    days_off = {
        row[0]: tuple(_int(v, name, number, "day") for v in row[1:] if v)
        for number, row in sections["SECTION_DAYS_OFF"]
    }
    requests = {}
    for key in ("SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS"):
        requests[key] = tuple(
            Request(f[0], _int(f[1], name, n, "day"), f[2], _int(f[3], name, n, "weight"))
            for n, row in sections[key]
            for f in [_fields(row, 4, name, n)]
        )
    cover = tuple(
        Cover(
            _int(f[0], name, n, "day"),
            f[1],
            *(_int(v, name, n, "cover value") for v in f[2:5]),
        )
        for n, row in sections["SECTION_COVER"]
        for f in [_fields(row, 5, name, n)]
    )
    instance = Instance(
        name,
        days,
        tuple(shifts),
        tuple(staff),
        days_off,
        requests["SECTION_SHIFT_ON_REQUESTS"],
        requests["SECTION_SHIFT_OFF_REQUESTS"],
        cover,
    )
    _check_ids(instance)
    return instance


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(sep) if p.strip())


def _check_ids(instance: Instance) -> None:
    shifts = {s.shift_id for s in instance.shifts}
    staff = {s.staff_id for s in instance.staff}
    bad = [n for s in instance.shifts for n in s.forbidden_next if n not in shifts]
    bad += [n for s in instance.staff for n, _ in s.max_shifts if n not in shifts]
    bad += [r.shift_id for r in (*instance.on_requests, *instance.off_requests)]
    bad += [c.shift_id for c in instance.cover]
    bad = [n for n in bad if n not in shifts]
    people = [r.staff_id for r in (*instance.on_requests, *instance.off_requests)]
    people += list(instance.days_off)
    unknown = sorted({p for p in people if p not in staff})
    if bad or unknown:
        raise InstanceError(
            f"{instance.name}: unknown shift id(s) {sorted(set(bad))}, staff id(s) {unknown}"
        )


def read_instance(path: Path) -> Instance:
    """Read an instance file (CRLF or LF)."""
    return parse_instance(path.read_bytes().decode("utf-8-sig"), path.stem)


# --------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class ProductData:
    """The instance as the product's inputs."""

    agents: tuple[Agent, ...]
    config: Config
    horizon: Horizon
    time_off: tuple[TimeOff, ...]
    agent_rules: tuple[AgentRules, ...]
    shift_requests: tuple[ShiftRequest, ...]
    shift_cover: tuple[ShiftCover, ...]
    calendar: HolidayCalendar = field(compare=False, repr=False, default=None)  # type: ignore[assignment]


def shift_types(instance: Instance) -> tuple[ShiftType, ...]:
    """The named shifts: the file's lengths and forbidden followers, nominal starts."""
    return tuple(
        ShiftType(
            s.shift_id,
            start=FIRST_START + START_STEP * i,
            hours=s.minutes / 60,
            forbidden_next=s.forbidden_next,
        )
        for i, s in enumerate(instance.shifts)
    )


def product_config(instance: Instance) -> Config:
    """Config with the benchmark's rules on and everything else off (module docstring)."""
    return Config(
        site=SiteConfig(business_timezone=ZONE, week_starts="Mon", approved_states=(STATE,)),
        coverage=CoverageConfig(None, None, None),
        shifts=ShiftConfig(earliest_start=FIRST_START, latest_end=FIRST_START + 24 * 60),
        rules=RulesConfig(
            min_rest_hours=0,
            max_consecutive_days=instance.days,
            min_days_off_per_week=0,
            max_shifts_per_day=1,
            overtime_threshold_hours=7 * 24,
            weekend_window_weeks=0,
        ),
        channels=(ChannelConfig("ward", "deferred"),),
        breaks=BreakPolicy(meal_minutes=0, rest_minutes=0, rest_every_hours=0),
        weights=WeightsConfig(
            under_staffing=0,
            over_staffing=0,
            deferred_overdue=0,
            fairness=0,
            preferences=0,
            stability=0,
            overtime=0,
            min_staff=0,
            min_leads=0,
            shift_requests=1,
            shift_cover=1,
        ),
        stability=StabilityConfig(freeze_days=0),
        shift_types=shift_types(instance),
    )


def day_date(day: int) -> date:
    return DAY_ZERO + timedelta(days=day)


def to_product(instance: Instance) -> ProductData:
    """The product's agents, config, horizon, time off and the three named-shift inputs."""
    config = product_config(instance)
    lengths = tuple(sorted({s.minutes / 60 for s in instance.shifts}))
    agents = tuple(
        Agent(s.staff_id, s.staff_id, STATE, ZONE, "full_time", 0, 7 * 24, lengths, ("ward",))
        for s in instance.staff
    )
    rules = tuple(
        AgentRules(
            s.staff_id,
            max_consecutive_days=s.max_consecutive,
            min_consecutive_days=s.min_consecutive,
            min_consecutive_days_off=s.min_days_off,
            max_weekends=s.max_weekends,
            min_total_hours=s.min_total_minutes / 60,
            max_total_hours=s.max_total_minutes / 60,
            max_shifts=s.max_shifts,
        )
        for s in instance.staff
    )
    horizon = Horizon(DAY_ZERO, instance.weeks)
    return ProductData(
        agents=agents,
        config=config,
        horizon=horizon,
        time_off=tuple(
            TimeOff(staff_id, day_date(d), "benchmark day off")
            for staff_id, days in instance.days_off.items()
            for d in days
        ),
        agent_rules=rules,
        shift_requests=tuple(
            ShiftRequest(r.staff_id, day_date(r.day), r.shift_id, "on", r.weight)
            for r in instance.on_requests
        )
        + tuple(
            ShiftRequest(r.staff_id, day_date(r.day), r.shift_id, "off", r.weight)
            for r in instance.off_requests
        ),
        shift_cover=tuple(
            ShiftCover(day_date(c.day), c.shift_id, c.requirement, c.weight_under, c.weight_over)
            for c in instance.cover
        ),
        calendar=HolidayCalendar(
            config.holidays, range(horizon.start.year - 1, horizon.end.year + 2)
        ),
    )


# --------------------------------------------------------------------------- solutions

Assignment = tuple[tuple[str, int, str], ...]
"""(employee, day, shift) per worked shift."""


def roster_to_assignment(roster: Roster, config: Config) -> Assignment:
    """The benchmark rows of a product roster (shift type from start and paid length)."""
    rows = []
    for s in roster.shifts:
        local = s.start_local
        index = config.shift_type_of(local.hour * 60 + local.minute, round(s.paid_hours * 60))
        if index < 0:
            raise ValueError(f"shift {s} is none of the benchmark's shift types")
        rows.append((s.agent_id, (s.date - DAY_ZERO).days, config.shift_types[index].name))
    return tuple(sorted(rows, key=lambda r: (r[0], r[1])))


def assignment_to_roster(assignment: Iterable[tuple[str, int, str]], config: Config) -> Roster:
    """Product shifts of benchmark rows (named-shift times in :data:`ZONE`)."""
    types = {t.name: t for t in config.shift_types}
    zone = ZoneInfo(ZONE)
    shifts = []
    for employee, day, shift_id in assignment:
        shift_type = types[shift_id]
        local = datetime.combine(day_date(day), time(), tzinfo=zone) + timedelta(
            minutes=shift_type.start
        )
        start = local.astimezone(UTC)
        shifts.append(
            Shift(
                employee,
                day_date(day),
                start,
                start + timedelta(minutes=shift_type.minutes),
                ZONE,
                shift_type.minutes / 60,
            )
        )
    return Roster(tuple(shifts))


def write_solution(path: Path, assignment: Assignment) -> None:
    """``employee,day,shift``, one row per worked shift (written atomically)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SOLUTION_COLUMNS)
    writer.writerows(assignment)
    write_text(path, buffer.getvalue())


def read_solution(path: Path, instance: Instance) -> tuple[Assignment, list[str]]:
    """The rows of a ``SOLUTION.csv`` and the problems found (unknown employee or shift,
    day outside the horizon), each naming the row and column."""
    problems: list[str] = []
    staff = {s.staff_id for s in instance.staff}
    shifts = {s.shift_id for s in instance.shifts}
    rows = []
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SOLUTION_COLUMNS:
            return (), [f"{path.name}: header must be {','.join(SOLUTION_COLUMNS)}"]
        for number, row in enumerate(reader, start=1):
            day_text = row["day"].strip()
            problem_count = len(problems)
            if row["employee"] not in staff:
                problems.append(f"{path.name}, row {number}, column employee: unknown employee")
            if row["shift"] not in shifts:
                problems.append(f"{path.name}, row {number}, column shift: unknown shift")
            if not day_text.isdigit() or int(day_text) >= instance.days:
                problems.append(
                    f"{path.name}, row {number}, column day: {day_text!r} is not a day 0 to "
                    f"{instance.days - 1}"
                )
            if len(problems) == problem_count:
                rows.append((row["employee"], int(day_text), row["shift"]))
    return tuple(rows), problems


@dataclass(frozen=True)
class Validation:
    """The product checker's verdict on a solution: hard-rule violations and objective."""

    violations: tuple[str, ...]
    objective: int
    terms: Mapping[str, int]

    @property
    def ok(self) -> bool:
        return not self.violations


def validate_assignment(
    instance: Instance, assignment: Iterable[tuple[str, int, str]]
) -> Validation:
    """Check a solution with the product's independent checker and return its objective."""
    data = to_product(instance)
    roster = assignment_to_roster(assignment, data.config)
    checked = check_roster(
        roster,
        data.agents,
        data.config,
        data.horizon,
        data.calendar,
        time_off=data.time_off,
        agent_rules=data.agent_rules,
        shift_requests=data.shift_requests,
        shift_cover=data.shift_cover,
    )
    return Validation(
        tuple(str(v) for v in checked.violations), checked.objective, dict(checked.terms)
    )


def validate_solution(instance: Instance, path: Path) -> Validation:
    """:func:`validate_assignment` on a ``SOLUTION.csv`` file (rows it cannot read are
    violations)."""
    assignment, problems = read_solution(path, instance)
    result = validate_assignment(instance, assignment)
    return Validation((*problems, *result.violations), result.objective, result.terms)


# --------------------------------------------------------------------------- direct reading


def direct_check(
    instance: Instance, assignment: Sequence[tuple[str, int, str]]
) -> tuple[list[str], int]:
    """The benchmark's hard rules and objective read straight from the instance (README of
    the benchmark, edges free), without the product: violations and objective."""
    length = {s.shift_id: s.minutes for s in instance.shifts}
    banned = {s.shift_id: set(s.forbidden_next) for s in instance.shifts}
    plan: dict[str, dict[int, str]] = {s.staff_id: {} for s in instance.staff}
    bad: list[str] = []
    for employee, day, shift_id in assignment:
        if day in plan[employee]:
            bad.append(f"{employee} works twice on day {day}")
        plan[employee][day] = shift_id
    for s in instance.staff:
        mine = plan[s.staff_id]
        works = [d in mine for d in range(instance.days)]
        counts = Counter(mine.values())
        bad += [f"{s.staff_id} {t} > {cap}" for t, cap in s.max_shifts if counts[t] > cap]
        total = sum(length[t] for t in mine.values())
        if not s.min_total_minutes <= total <= s.max_total_minutes:
            bad.append(f"{s.staff_id} total {total}")
        bad += [
            f"{s.staff_id} day off {d}" for d in instance.days_off.get(s.staff_id, ()) if works[d]
        ]
        bad += [
            f"{s.staff_id} {mine[d]}->{mine[d + 1]} on {d}"
            for d in mine
            if d + 1 in mine and mine[d + 1] in banned[mine[d]]
        ]
        bad += _direct_runs(s, works)
        weekends = sum(works[7 * w + 5] or works[7 * w + 6] for w in range(instance.weeks))
        if weekends > s.max_weekends:
            bad.append(f"{s.staff_id} works {weekends} weekends")
    return bad, _direct_objective(instance, plan)


def _direct_runs(s: Staff, works: list[bool]) -> list[str]:
    bad = []
    runs: list[tuple[bool, int, int]] = []
    for d, w in enumerate(works):
        if runs and runs[-1][0] == w:
            runs[-1] = (w, runs[-1][1], d)
        else:
            runs.append((w, d, d))
    for k, (w, first, last) in enumerate(runs):
        n = last - first + 1
        inner = 0 < k < len(runs) - 1
        if w and n > s.max_consecutive:
            bad.append(f"{s.staff_id} works {n} days from {first}")
        if w and inner and n < s.min_consecutive:
            bad.append(f"{s.staff_id} works only {n} days from {first}")
        if not w and inner and n < s.min_days_off:
            bad.append(f"{s.staff_id} is off only {n} days from {first}")
    return bad


def _direct_objective(instance: Instance, plan: Mapping[str, Mapping[int, str]]) -> int:
    total = sum(r.weight for r in instance.on_requests if plan[r.staff_id].get(r.day) != r.shift_id)
    total += sum(
        r.weight for r in instance.off_requests if plan[r.staff_id].get(r.day) == r.shift_id
    )
    on_shift = Counter((d, t) for mine in plan.values() for d, t in mine.items())
    for c in instance.cover:
        n = on_shift[(c.day, c.shift_id)]
        total += c.weight_under * max(0, c.requirement - n) + c.weight_over * max(
            0, n - c.requirement
        )
    return total


# --------------------------------------------------------------------------- best known


@dataclass(frozen=True)
class BestKnown:
    lower: int | None
    upper: int | None


def read_best_known(path: Path) -> dict[str, BestKnown]:
    """``best_known.csv`` (``instance,lower_bound,upper_bound,source``; empty = unknown)."""
    if not path.is_file():
        return {}
    with path.open(newline="") as handle:
        return {
            row["instance"]: BestKnown(
                int(row["lower_bound"]) if row["lower_bound"] else None,
                int(row["upper_bound"]) if row["upper_bound"] else None,
            )
            for row in csv.DictReader(handle)
        }
