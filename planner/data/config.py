"""Reading ``config.toml``: every key checked, every problem reported together.

The parser is driven by the dataclasses of :mod:`planner.domain`: each field of
:class:`~planner.domain.Config` is a TOML key. A field whose type is a dataclass
is a table (``[site]``); a field typed ``tuple[SomeDataclass, ...]`` whose
dataclass has a ``name`` is a set of named tables (``[channels.phone]``); any
other field is a value converted from its type hint. So a field added to
``domain.py`` later, with a default, is an accepted key with no change here.

Values are converted by type (``int``, ``float``, ``bool``, ``str``,
``Literal[...]``, ``X | None``, ``tuple[X, ...]``, ``date``, ``Window``). Times of
day are written ``"HH:MM"`` and stored as minutes: the keys in
:data:`TIME_OF_DAY_KEYS` are times, and so is any ``int`` field declared with
``field(..., metadata={"toml": "time"})``. Range rules live in :data:`RULES`;
a number without a rule there must be 0 or more (no negative hours, minutes,
days or weights make sense in this config).

Unknown keys and tables are warnings, never errors: a misspelt key is named
with a suggestion, and its default applies.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import re
import tomllib
import types
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import holidays as holidays_lib

from planner.data.problems import Problems
from planner.data.roster_io import name_key
from planner.data.zones import STATE_ZONES, is_iana_zone
from planner.domain import LEAD_SKILL, WEEKDAYS, Config, HolidayPolicy, ShiftConfig, Window

log = logging.getLogger(__name__)

MINUTES_PER_DAY = 24 * 60

TIME_OF_DAY_KEYS = frozenset(
    {"shifts.earliest_start", "shifts.latest_end", "shifts.evening_ends_after"}
)
"""Keys written ``"HH:MM"`` in the file and stored as minutes after midnight."""


class _Bad(Exception):
    """A value breaks a rule; the message says which, in a manager's words."""


# --------------------------------------------------------------------------- text and clock


def read_text(path: Path) -> str:
    """The text of a file saved by any usual editor, with ``\\n`` line ends.

    Tries UTF-8 (a byte-order mark is dropped), then Windows-1252 (Excel and
    Notepad on Windows); UTF-16 with a byte-order mark is also read. Raises
    ``OSError`` when the file cannot be read and ``UnicodeDecodeError`` when it
    is not text in any of these encodings.
    """
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CLOCK = re.compile(r"(\d{1,2}):([0-5]\d)(?::00)?")


def parse_clock(text: str, *, allow_24: bool = True) -> int | None:
    """Minutes after midnight of ``"HH:MM"`` (``"H:MM"`` and ``":00"`` seconds too).

    ``"24:00"`` (the end of the day) is accepted when ``allow_24``. Returns
    ``None`` for anything else (``"25:00"``, ``"7pm"``, ``""``).
    """
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours < 24 or (allow_24 and hours == 24 and minutes == 0):
        return 60 * hours + minutes
    return None


def make_window(start: int, end: int) -> Window:
    """A daily window; an end at or before the start runs past midnight."""
    return Window(start, end + MINUTES_PER_DAY if end <= start else end)


def format_clock(minutes: int) -> str:
    """``"HH:MM"`` of minutes after midnight (past midnight wraps: 1560 -> ``"02:00"``)."""
    if minutes == MINUTES_PER_DAY:
        return "24:00"
    hours, mins = divmod(minutes % MINUTES_PER_DAY, 60)
    return f"{hours:02d}:{mins:02d}"


def _show(value: object) -> str:
    """A value the way it is written in the TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "a table"
    return str(value)


def _number(value: float) -> str:
    """A number without a useless ``.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


# --------------------------------------------------------------------------- converters


def _to_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"must be a whole number, without quotes (got {_show(value)})")
    if isinstance(value, float) and not value.is_integer():
        raise _Bad(f"must be a whole number (got {_show(value)})")
    return int(value)


def _to_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"must be a number, without quotes (got {_show(value)})")
    return float(value)


def _to_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"must be true or false, without quotes (got {_show(value)})")
    return value


def _to_str(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad(f"must be text in quotes (got {_show(value)})")
    return value.strip()


def _to_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise _Bad(f"{_show(value)} is not a real date") from None
    raise _Bad(f'must be a date "YYYY-MM-DD" (got {_show(value)})')


def _to_time_of_day(value: object, *, allow_24: bool = True) -> int:
    text = value if isinstance(value, str) else None
    minutes = None if text is None else parse_clock(text, allow_24=allow_24)
    if minutes is None:
        latest = "24:00" if allow_24 else "23:59"
        raise _Bad(f'must be a time of day "HH:MM", 00:00 to {latest} (got {_show(value)})')
    return minutes


def _to_window(value: object) -> Window | None:
    """``"HH:MM-HH:MM"`` -> Window; ``""`` (or ``"closed"``) -> None."""
    example = 'must be "HH:MM-HH:MM", e.g. "16:00-02:00", or "" when closed'
    if not isinstance(value, str):
        raise _Bad(f"{example} (got {_show(value)})")
    text = value.strip()
    if text.lower() in ("", "closed"):
        return None
    parts = text.split("-")
    start = parse_clock(parts[0], allow_24=False) if len(parts) == 2 else None
    end = parse_clock(parts[1]) if len(parts) == 2 else None
    if start is None or end is None:
        raise _Bad(f"{example} (got {_show(value)})")
    return make_window(start, end)


def _to_required_window(value: object) -> Window:
    window = _to_window(value)
    if window is None:
        raise _Bad('must be "HH:MM-HH:MM", e.g. "16:00-02:00"')
    return window


def _optional_arm(hint: Any) -> Any | None:
    """``X`` for a hint ``X | None``; None for any other hint."""
    if get_origin(hint) in (Union, types.UnionType):
        arms = [a for a in get_args(hint) if a is not type(None)]
        if len(arms) == 1 and len(get_args(hint)) == 2:
            return arms[0]
    return None


def _convert(value: object, hint: Any, *, is_time: bool) -> Any:
    """Turn a TOML value into a value of type ``hint`` or raise :class:`_Bad`."""
    if is_time:
        return _to_time_of_day(value)
    arm = _optional_arm(hint)
    if arm is Window:
        return _to_window(value)
    if arm is not None:  # TOML has no null: a written value must be an X
        return _convert(value, arm, is_time=False)
    origin = get_origin(hint)
    if origin is Literal:
        allowed = get_args(hint)
        if value not in allowed:
            names = ", ".join(str(a) for a in allowed)
            raise _Bad(f"must be one of {names} (got {_show(value)})")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise _Bad(f"must be a list in square brackets, e.g. [...] (got {_show(value)})")
        element = get_args(hint)[0]
        return tuple(_convert(v, element, is_time=False) for v in value)
    converters: dict[Any, Callable[[object], Any]] = {
        bool: _to_bool,
        int: _to_int,
        float: _to_float,
        str: _to_str,
        date: _to_date,
        Window: _to_required_window,
    }
    if hint in converters:
        return converters[hint](value)
    raise _Bad(f"cannot be read from config.toml (type {hint} is not supported)")


# --------------------------------------------------------------------------- rules


Rule = Callable[[Any], str | None]
"""Returns the rule a converted value breaks, or None when it is fine."""


def _one_of(*allowed: object) -> Rule:
    def rule(value: Any) -> str | None:
        if value in allowed:
            return None
        names = [_show(a) for a in allowed]
        listed = ", ".join(names[:-1]) + " or " + names[-1]
        return f"must be {listed} (got {_show(value)})"

    return rule


def _open_unit(value: float | None) -> str | None:
    if value is None or 0 < value < 1:
        return None
    return f"must be a fraction between 0 and 1, e.g. 0.8 (got {_number(value)})"


def _shrinkage(value: float | None) -> str | None:
    # 0 shrinkage is a legitimate what-if ("everyone always available"); 1 would divide by zero.
    if value is None or 0 <= value < 1:
        return None
    return f"must be a fraction from 0 up to (not including) 1, e.g. 0.25 (got {_number(value)})"


def _positive(value: float | None) -> str | None:
    if value is None or value > 0:
        return None
    return f"must be more than 0 (got {_number(value)})"


def _at_least(low: int) -> Rule:
    def rule(value: int) -> str | None:
        return None if value >= low else f"must be {low} or more (got {value})"

    return rule


def _between(low: int, high: int) -> Rule:
    def rule(value: int) -> str | None:
        return None if low <= value <= high else f"must be {low} to {high} (got {value})"

    return rule


def _divides_hour(value: int) -> str | None:
    if value > 0 and 60 % value == 0:
        return None
    return (
        "must be a number of minutes that divides the hour: 1, 2, 3, 4, 5, 6, 10, 12, 15, "
        f"20, 30 or 60 (got {value})"
    )


def _start_step(value: int) -> str | None:
    if value > 0 and value % 5 == 0 and 60 % value == 0:
        return None
    return f"must be 5, 10, 15, 20, 30 or 60 minutes, a step that divides the hour (got {value})"


known_zone = cache(is_iana_zone)
""":func:`planner.data.zones.is_iana_zone`, remembered (it scans the zone database each call)."""


def _before_midnight(value: int) -> str | None:
    return None if value < MINUTES_PER_DAY else "must be before 24:00 (00:00 is midnight)"


def _iana(value: str) -> str | None:
    if known_zone(value):
        return None
    return f'{_show(value)} is not an IANA time zone such as "America/New_York"'


def _states(value: tuple[str, ...]) -> str | None:
    unknown = [s for s in value if s.upper() not in STATE_ZONES]
    if unknown:
        known = ", ".join(sorted(STATE_ZONES))
        return f"lists {', '.join(unknown)}: not in the state table (known states: {known})"
    if not value:
        return "lists no state: at least one state must be approved"
    return None


def _country(value: str) -> str | None:
    if value in holidays_lib.list_supported_countries():
        return None
    return f'{_show(value)} is not a country the holidays package knows (e.g. "US")'


RULES: dict[str, Rule] = {
    "site.business_timezone": _iana,
    "site.interval_minutes": _one_of(15, 30, 60),
    "site.week_starts": _one_of(*WEEKDAYS),
    "site.approved_states": _states,
    "shifts.start_step_minutes": _start_step,
    "breaks.start_step_minutes": _divides_hour,
    "rules.max_consecutive_days": _at_least(1),
    "rules.min_days_off_per_week": _between(0, 7),
    "rules.max_shifts_per_day": _at_least(1),
    "rules.workweek_start_day": _one_of(*WEEKDAYS),
    "rules.workweek_start_time": _before_midnight,
    "rules.min_consecutive_days": _at_least(1),
    "rules.min_consecutive_days_off": _at_least(1),
    "shift_types.hours": _positive,
    "staffing.shrinkage": _shrinkage,
    "staffing.max_occupancy": _open_unit,
    "channels.service_level": _open_unit,
    "channels.answer_seconds": _positive,
    "channels.patience_seconds": _positive,
    "channels.concurrency": _at_least(1),
    "channels.response_hours": _positive,
    "channels.priority": _at_least(1),
    "channels.shrinkage": _shrinkage,
    "channels.max_occupancy": _open_unit,
    "holidays.country": _country,
}
"""Range rules by key (named tables use their collection: ``channels.service_level``)."""

CHANNEL_KIND_ONLY = {
    "patience_seconds": "live",
    "concurrency": "concurrent",
    "response_hours": "deferred",
}
"""Channel keys that mean something for one kind only (set elsewhere: a warning)."""


def _non_negative(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return f"must be 0 or more (got {_number(value)})"
    return None


# --------------------------------------------------------------------------- table walk


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _named_table_element(hint: Any) -> type | None:
    """The dataclass of a ``tuple[D, ...]`` hint whose ``D`` has a ``name`` field."""
    if get_origin(hint) is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis and dataclasses.is_dataclass(args[0]):
            element = args[0]
            if isinstance(element, type) and "name" in _hints(element):
                return element
    return None


def _placeholder(hint: Any) -> object:
    """A stand-in for a missing required value, so other files can still be checked."""
    if get_origin(hint) is Literal:
        return get_args(hint)[0]
    return {str: "", int: 0, float: 0.0, bool: False}.get(hint, "")


class _Reader:
    """Walks the parsed TOML against the dataclasses, collecting problems."""

    def __init__(self, file: str, problems: Problems) -> None:
        self.file = file
        self.problems = problems
        self.rejected: set[str] = set()

    def error(self, key: str | None, rule: str) -> None:
        self.problems.add(self.file, None, key, rule)
        if key is not None:
            self.rejected.add(key)

    def warning(self, key: str | None, rule: str) -> None:
        self.problems.add(self.file, None, key, rule, "warning")

    def build(
        self,
        cls: type,
        table: Mapping[str, Any],
        prefix: str,
        rule_prefix: str,
        *,
        table_named: Collection[str] = (),
    ) -> Any:
        """An instance of dataclass ``cls`` from ``table``; bad values keep their default.

        ``table_named`` are fields filled from the table's own name, not keys.
        """
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in table.items():
            full = f"{prefix}{key}"
            field = fields.get(key)
            if field is None:
                known = [f"{prefix}{name}" for name in fields if name not in table_named]
                self._unknown(full, known, table=value)
                continue
            converted = self._value(field, hints[key], value, full, f"{rule_prefix}{key}")
            if converted is not _MISSING:
                kwargs[key] = converted
        for name, field in fields.items():
            needs_value = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            if needs_value and name not in kwargs:
                if name not in table:  # a rejected value was reported already
                    self.error(f"{prefix}{name}", f"{name} is required{_choices(hints[name])}")
                kwargs[name] = _placeholder(hints[name])
        return cls(**kwargs)

    def _value(
        self, field: dataclasses.Field[Any], hint: Any, value: Any, key: str, rule_key: str
    ) -> Any:
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            if not isinstance(value, dict):
                self.error(key, f"{key} must be a table: write [{key}] above its keys")
                return _MISSING
            return self.build(hint, value, f"{key}.", f"{rule_key}.")
        element = _named_table_element(hint)
        if element is not None:
            return self._named_tables(element, value, key, rule_key)
        if field.metadata.get("toml") == "table":
            return self._weight_table(value, key)
        is_time = rule_key in TIME_OF_DAY_KEYS or field.metadata.get("toml") == "time"
        try:
            converted = _convert(value, hint, is_time=is_time)
            broken = RULES.get(rule_key, _non_negative)(converted)
        except _Bad as bad:
            broken = str(bad)
        if broken is not None:
            self.error(key, f"{key.rsplit('.', 1)[-1]} {broken}")
            return _MISSING
        return converted

    def _weight_table(self, value: Any, key: str) -> Any:
        """``[key]`` of ``"name" = whole number >= 0`` -> sorted (name, weight) pairs."""
        if not isinstance(value, dict):
            self.error(key, f'{key} must be a table: write [{key}] above its "name" = weight lines')
            return _MISSING
        pairs = []
        for name, weight in value.items():
            full = f"{key}.{name}"
            if not name.strip():
                self.error(full, "an empty name matches every holiday; give the holiday's name")
                continue
            try:
                converted = _to_int(weight)
            except _Bad as bad:
                self.error(full, f"{name} {bad}")
                continue
            if converted < 0:
                self.error(full, f"{name} must be 0 or more (got {converted})")
                continue
            pairs.append((name.strip(), converted))
        return tuple(sorted(pairs))

    def _named_tables(self, element: type, value: Any, key: str, rule_key: str) -> Any:
        """``[key.NAME]`` tables -> a tuple of ``element`` named by their table key."""
        if not isinstance(value, dict):
            self.error(key, f"{key} must be tables such as [{key}.NAME]")
            return _MISSING
        items = []
        for name, table in value.items():
            full = f"{key}.{name}"
            if not isinstance(table, dict):
                self.error(full, f"{full} must be a table: write [{full}] above its keys")
                continue
            if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
                self.error(full, f"name {_show(name)} may use only letters, digits, _ and -")
                continue
            body = dict(table)
            if "name" in body:
                self.warning(f"{full}.name", f"the name comes from the table [{full}]; ignored")
                del body["name"]
            items.append(
                self.build(
                    element,
                    {**body, "name": name},
                    f"{full}.",
                    f"{key}.",
                    table_named=("name",),
                )
            )
        return tuple(items)

    def _unknown(self, key: str, known: list[str], *, table: object) -> None:
        # a key in the wrong table first (interval_minutes under [shifts]), then a typo
        prefix, _, leaf = key.rpartition(".")
        hint: list[str] = []
        if not isinstance(table, dict):
            hint = [k for k in _all_keys(Config) if k.rpartition(".")[2] == leaf][:1]
        if not hint:
            leaves = [k.rpartition(".")[2] for k in known]
            close = difflib.get_close_matches(leaf, leaves, n=1, cutoff=0.75)
            hint = [f"{prefix}.{close[0]}" if prefix else close[0]] if close else []
        suggestion = f" (did you mean {hint[0]}?)" if hint else ""
        what = f"table [{key}]" if isinstance(table, dict) else f"key {key}"
        self.warning(key, f"unknown {what} is ignored{suggestion}")


_MISSING = object()


def _choices(hint: Any) -> str:
    if get_origin(hint) is Literal:
        return " (one of " + ", ".join(str(a) for a in get_args(hint)) + ")"
    return ""


@cache
def _all_keys(cls: type, prefix: str = "") -> tuple[str, ...]:
    """Every dotted key ``cls`` accepts (named tables as ``channels.NAME.key``)."""
    keys: list[str] = []
    for name, hint in _hints(cls).items():
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            keys.extend(_all_keys(hint, f"{prefix}{name}."))
        elif (element := _named_table_element(hint)) is not None:
            inner = _all_keys(element, f"{prefix}{name}.NAME.")
            keys.extend(k for k in inner if not k.endswith(".NAME.name"))
        else:
            keys.append(f"{prefix}{name}")
    return tuple(keys)


# --------------------------------------------------------------------------- cross-key rules


def _cross_checks(config: Config, reader: _Reader) -> Config:
    """Rules that involve more than one key, and the past-midnight shift end."""
    shifts = config.shifts
    if shifts.earliest_start >= MINUTES_PER_DAY:
        reader.error("shifts.earliest_start", "earliest_start must be before 24:00")
        shifts = dataclasses.replace(shifts, earliest_start=ShiftConfig().earliest_start)
    if shifts.earliest_start % shifts.start_step_minutes:
        # Shift starts lie on the step grid counted from local midnight; an earliest start
        # off that grid would leave solver and checker reading the grid differently.
        reader.error(
            "shifts.earliest_start",
            f"earliest_start {format_clock(shifts.earliest_start)} is not on the "
            f"{shifts.start_step_minutes}-minute start grid (counted from midnight)",
        )
    if shifts.latest_end <= shifts.earliest_start:
        # "02:00" after a "06:00" earliest start is 2 a.m. the next day
        shifts = dataclasses.replace(shifts, latest_end=shifts.latest_end + MINUTES_PER_DAY)

    site = config.site
    states = tuple(s.upper() for s in site.approved_states)
    site = dataclasses.replace(site, approved_states=states)

    if not config.channels and "channels" not in reader.rejected:
        reader.error(
            "channels",
            "no channels are configured: add a [channels.NAME] table for each, with kind = "
            '"live", "concurrent" or "deferred"',
        )
    seen: dict[str, str] = {}
    for channel in config.channels:
        first = seen.setdefault(channel.name.lower(), channel.name)
        if channel.name.lower() == LEAD_SKILL:
            reader.error(
                f"channels.{channel.name}",
                f"{channel.name} is the escalation skill of agents.csv, not a channel name: "
                "rename the channel",
            )
        if first != channel.name:
            reader.error(
                f"channels.{channel.name}",
                f"channel {channel.name} differs from channel {first} only by capitals; "
                "files could not tell them apart",
            )
        defaults = {f.name: f.default for f in dataclasses.fields(channel)}
        for key, kind in CHANNEL_KIND_ONLY.items():
            if channel.kind != kind and getattr(channel, key) != defaults[key]:
                reader.warning(
                    f"channels.{channel.name}.{key}",
                    f"{key} applies to {kind} channels only; {channel.name} is "
                    f"{channel.kind}, so it is ignored",
                )

    _check_break_pay(config, reader)
    _check_shift_types(config, reader)
    policy = config.holidays
    if "holidays.country" not in reader.rejected:
        supported = holidays_lib.country_holidays(policy.country).supported_categories
        wrong = [c for c in policy.categories if c not in supported]
        if wrong:
            policy = dataclasses.replace(policy, categories=HolidayPolicy().categories)
            reader.error(
                "holidays.categories",
                f"categories {', '.join(wrong)} not known for {policy.country} "
                f"(known: {', '.join(sorted(supported))})",
            )
    return dataclasses.replace(config, shifts=shifts, site=site, holidays=policy)


def _check_holiday_names(config: Config, reader: _Reader) -> None:
    """Warn about a ``[fairness.holiday_weights]`` name that no holiday of the calendar
    contains (a typo would silently count the default weight)."""
    policy = config.holidays
    if not config.fairness.holiday_weights or "holidays.country" in reader.rejected:
        return
    this_year = date.today().year
    years = range(this_year - 1, this_year + 3)
    subdivisions: list[str | None] = [None]
    if policy.use_agent_state:
        subdivisions += list(config.site.approved_states)
    names = {"Company holiday"}  # what holidays.extra_dates are called
    for subdivision in subdivisions:
        try:
            table = holidays_lib.country_holidays(
                policy.country, subdiv=subdivision, years=years, categories=policy.categories
            )
        except (NotImplementedError, KeyError, ValueError):
            continue
        names.update(table.values())
    keys = [name_key(n) for n in names]
    for entry, _ in config.fairness.holiday_weights:
        if not any(name_key(entry) in key for key in keys):
            reader.warning(
                f"fairness.holiday_weights.{entry}",
                f"no holiday of the {policy.country} calendar ({this_year - 1}-"
                f"{this_year + 2}) is named with {entry!r}: this weight never applies",
            )


def _check_shift_types(config: Config, reader: _Reader) -> None:
    """Named shifts: a start before midnight, no two alike (a shift type is known by its
    start and paid length, which is all a roster row says), known ``forbidden_next`` names."""
    seen: dict[tuple[int, int], str] = {}
    names = {t.name for t in config.shift_types}
    for shift_type in config.shift_types:
        key = f"shift_types.{shift_type.name}"
        if shift_type.start >= MINUTES_PER_DAY:
            reader.error(f"{key}.start", "start must be before 24:00")
        first = seen.setdefault((shift_type.start, shift_type.minutes), shift_type.name)
        if first != shift_type.name:
            reader.error(
                key,
                f"shift type {shift_type.name} starts at {format_clock(shift_type.start)} and "
                f"pays {_number(shift_type.hours)} h like {first}: a roster could not tell "
                "them apart",
            )
        unknown = [n for n in shift_type.forbidden_next if n not in names]
        if unknown:
            reader.error(
                f"{key}.forbidden_next",
                f"forbidden_next names {', '.join(unknown)}, not a [shift_types.NAME] table",
            )


FEDERAL_PAID_REST_MAX = 20
"""Rests up to this many minutes are paid working time (29 CFR 785.18: "5 minutes to about
20 minutes"; shorter ones are working time all the more)."""
FEDERAL_UNPAID_MEAL_MIN = 30
"""A meal shorter than this is paid working time (29 CFR 785.19: a bona fide meal period
is "ordinarily 30 minutes or more")."""
WA_REST_MIN = 10  # Washington raises every rest of a WA agent to at least 10 minutes


def _check_break_pay(config: Config, reader: _Reader) -> None:
    """Break pay that federal law forbids: an unpaid short rest, an unpaid short meal."""
    policy = config.breaks
    if not policy.rest_paid and "breaks.rest_paid" not in reader.rejected:
        lengths = {policy.rest_minutes} - {0}
        if "WA" in config.site.approved_states:
            lengths.add(max(policy.rest_minutes, WA_REST_MIN))
        short = sorted(n for n in lengths if n <= FEDERAL_PAID_REST_MAX)
        if short:
            whose = "" if short[0] == policy.rest_minutes else " (Washington agents' rests)"
            reader.error(
                "breaks.rest_paid",
                f"rest_paid = false, but rests of {short[0]} minutes{whose} are paid working "
                "time: "
                f"federal law counts rests of {FEDERAL_PAID_REST_MAX} minutes or less as hours "
                "worked (29 CFR 785.18); set rest_paid = true or rest_minutes above "
                f"{FEDERAL_PAID_REST_MAX}",
            )
    if (
        not policy.meal_paid
        and 0 < policy.meal_minutes < FEDERAL_UNPAID_MEAL_MIN
        and "breaks.meal_paid" not in reader.rejected
    ):
        reader.error(
            "breaks.meal_paid",
            f"meal_paid = false, but a {policy.meal_minutes}-minute meal is paid working time: "
            f"federal law lets a meal go unpaid only when it lasts {FEDERAL_UNPAID_MEAL_MIN} "
            f"minutes or more (29 CFR 785.19); set meal_paid = true or meal_minutes to "
            f"{FEDERAL_UNPAID_MEAL_MIN} or more",
        )


# --------------------------------------------------------------------------- public API


def parse_config_partial(path: Path, problems: Problems) -> tuple[Config | None, frozenset[str]]:
    """Like :func:`parse_config`, also naming the keys whose values were rejected.

    Each rejected key keeps its default in the returned config, so that checks
    of other files which depend on that key can be skipped rather than
    producing noise.
    """
    file = path.name
    try:
        text = read_text(path)
    except FileNotFoundError:
        problems.add(file, None, None, "file not found: a data folder needs a config.toml")
        return None, frozenset()
    except OSError as error:
        problems.add(file, None, None, f"cannot be read: {error.strerror or error}")
        return None, frozenset()
    except UnicodeDecodeError:
        problems.add(file, None, None, "is not a text file (save it as UTF-8 text)")
        return None, frozenset()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.add(file, None, None, f"is not valid TOML: {error}")
        return None, frozenset()
    reader = _Reader(file, problems)
    config = reader.build(Config, data, "", "")
    config = _cross_checks(config, reader)
    _check_holiday_names(config, reader)
    return config, frozenset(reader.rejected)


def parse_config(path: Path, problems: Problems) -> Config | None:
    """Read and check ``config.toml``, adding every problem to ``problems``.

    Returns None when the file cannot be read or is not TOML at all. Otherwise
    returns a config in which every rejected value keeps its default: usable
    for checking other files, trustworthy only when ``problems`` holds no error.
    """
    return parse_config_partial(path, problems)[0]


def load_config(path: Path) -> Config:
    """The checked config; raises :class:`InputError` carrying every problem found.

    Warnings (unknown keys) do not stop it; they are logged.
    """
    problems = Problems()
    config = parse_config(path, problems)
    problems.raise_if_errors()
    for warning in problems.warnings:
        log.warning("%s", warning)
    assert config is not None  # no error means the file was read
    return config
