"""Shift timing helpers shared by candidate generation and the rule modules.

Pure functions of local clock minutes (minutes after the local midnight of a shift's date;
past 1440 after midnight; the latest end is an instant): the allowed starts, lengths and end
(rule ``shift_shape``), the availability windows (rule ``availability``) and the days off
(rule ``time_off``). They sit
below both :mod:`planner.roster.candidates` and ``constraints/``, so data flows down and no
rule module is imported by the prepared data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from planner.domain import Agent, AvailabilityWindow, ShiftConfig


def local_starts(shifts: ShiftConfig) -> range:
    """Allowed local start times (minutes after local midnight of the shift's date): the
    multiples of the start step (counted from midnight) from the earliest start on."""
    step = max(1, shifts.start_step_minutes)
    first = -(-shifts.earliest_start // step) * step
    return range(first, 24 * 60, step)


def paid_lengths(agent: Agent) -> tuple[int, ...]:
    """The agent's allowed paid shift lengths in whole minutes, shortest first."""
    return tuple(sorted({round(hours * 60) for hours in agent.shift_hours if hours > 0}))


@lru_cache(maxsize=4096)
def latest_end_instant(day: date, zone: ZoneInfo, latest_end: int) -> datetime:
    """The UTC instant of ``shifts.latest_end`` (``latest_end`` minutes after the local
    midnight of ``day``, past 1440 the next morning) for a shift starting on local ``day``.

    A wall time that does not exist (02:00 on the spring-forward night) resolves as
    zoneinfo does with ``fold=0``: the instant the clock jumps. A wall time that occurs
    twice (01:30 on the fall-back night) is its later occurrence: a shift ending at 01:15
    the second time round ends, by the clock, before 01:30, so it must be allowed, and an
    end limit has to be one instant with everything earlier allowed. Both are the later of
    the two ``fold`` readings.
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=latest_end)
    return max(naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))


def ends_in_time(end: datetime, day: date, zone: ZoneInfo, shifts: ShiftConfig) -> bool:
    """True when a shift starting on local date ``day`` in ``zone`` and ending at the
    instant ``end`` ends no later than ``shifts.latest_end`` local time. Instants are
    compared, not clock minutes: on a DST night the clock reading of the end moves by an
    hour while the limit, read as an instant, does not."""
    return end <= latest_end_instant(day, zone, shifts.latest_end)


WEEK_MINUTES = 7 * 1440
"""Minutes in a week; week minutes count from Monday 00:00 local clock (Mon = weekday 0)."""

WeekSpan = tuple[int, int]
"""``[start, end)`` in week minutes, ``0 <= start < WEEK_MINUTES``; ``end`` may pass
``WEEK_MINUTES`` (the span runs from Sunday into Monday)."""


def availability_spans(
    rows: Iterable[AvailabilityWindow], agent_id: str
) -> tuple[WeekSpan, ...] | None:
    """The agent's availability as merged spans over the cyclic week, or ``None`` when the
    agent has no rows (then every shift is allowed).

    Each window becomes ``[weekday*1440 + start, weekday*1440 + end)`` (a window whose end is
    at or before its start runs past midnight into the next day); spans that overlap or
    touch merge, and Sunday's spans run on into Monday. So Fri 16:00-24:00 and Sat
    00:00-24:00 are one span, Fri 16:00 to Sun 00:00. A week covered all round is the one
    span ``(0, 3 * WEEK_MINUTES)``, which holds any shift.
    """
    spans = []
    for row in rows:
        if row.agent_id != agent_id:
            continue
        start, end = row.window.start, row.window.end
        if end <= start:
            end += 1440
        begin = row.weekday * 1440 + start
        spans.append((begin % WEEK_MINUTES, begin % WEEK_MINUTES + end - start))
    if not spans:
        return None
    # Three copies of the week side by side turn the cyclic merge into a linear one: the
    # middle copy's merged spans are the cyclic ones, wrap-around included.
    copies = sorted(
        (s + k * WEEK_MINUTES, e + k * WEEK_MINUTES) for s, e in spans for k in (-1, 0, 1)
    )
    merged: list[list[int]] = []
    for start, end in copies:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if any(end - start >= WEEK_MINUTES for start, end in merged):
        return ((0, 3 * WEEK_MINUTES),)
    return tuple((s, e) for s, e in merged if 0 <= s < WEEK_MINUTES)


def fits_availability(
    spans: Sequence[WeekSpan], weekday: int, local_start: int, local_end: int
) -> bool:
    """True when the local clock span ``[local_start, local_end]`` of a shift starting on
    ``weekday`` (minutes after that date's local midnight; past 1440 after midnight) lies
    inside one merged availability span."""
    begin = weekday * 1440 + local_start
    end = weekday * 1440 + local_end
    # A span starting late in the week may hold a shift early in the (next) week.
    return any(s <= begin + k and end + k <= e for s, e in spans for k in (0, WEEK_MINUTES))


def may_start_on(spans: Sequence[WeekSpan], weekday: int) -> bool:
    """True when some span overlaps the local date of ``weekday`` (else no shift starting
    that day can fit: candidate generation skips the day)."""
    day = weekday * 1440
    return any(s < day + k + 1440 and day + k < e for s, e in spans for k in (0, WEEK_MINUTES))


def fits_time_off(off_spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when the shift ``[start, end)`` overlaps none of the days off ``[s, e)``
    (all in the same real-time minutes)."""
    return all(end <= s or start >= e for s, e in off_spans)
