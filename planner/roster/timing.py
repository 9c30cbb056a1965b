"""Shift timing helpers shared by candidate generation and the rule modules.

Pure functions of local clock minutes (minutes after the local midnight of a shift's date;
past 1440 after midnight): the allowed starts and lengths (rule ``shift_shape``), the
availability windows (rule ``availability``) and the days off (rule ``time_off``). They sit
below both :mod:`planner.roster.candidates` and ``constraints/``, so data flows down and no
rule module is imported by the prepared data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from planner.domain import Agent, AvailabilityWindow, ShiftConfig, Window


def local_starts(shifts: ShiftConfig) -> range:
    """Allowed local start times (minutes after local midnight of the shift's date): the
    multiples of the start step (counted from midnight) from the earliest start on."""
    step = max(1, shifts.start_step_minutes)
    first = -(-shifts.earliest_start // step) * step
    return range(first, 24 * 60, step)


def paid_lengths(agent: Agent) -> tuple[int, ...]:
    """The agent's allowed paid shift lengths in whole minutes, shortest first."""
    return tuple(sorted({round(hours * 60) for hours in agent.shift_hours if hours > 0}))


def ends_in_time(local_end: int, shifts: ShiftConfig) -> bool:
    """True when a shift whose local clock end is ``local_end`` (minutes after the local
    midnight of its start date, past 1440 after midnight) ends no later than allowed."""
    return local_end <= shifts.latest_end


def windows_by_weekday(
    rows: Iterable[AvailabilityWindow], agent_id: str
) -> dict[int, tuple[Window, ...]] | None:
    """The agent's windows per weekday (Mon = 0), or ``None`` when the agent has no rows
    (then every shift is allowed)."""
    result: dict[int, list[Window]] = {}
    for row in rows:
        if row.agent_id == agent_id:
            result.setdefault(row.weekday, []).append(row.window)
    if not result:
        return None
    return {day: tuple(ws) for day, ws in result.items()}


def fits_availability(windows: Sequence[Window], local_start: int, local_end: int) -> bool:
    """True when the local clock span ``[local_start, local_end]`` lies in one window."""
    return any(w.start <= local_start and local_end <= w.end for w in windows)


def fits_time_off(off_spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when the shift ``[start, end)`` overlaps none of the days off ``[s, e)``
    (all in the same real-time minutes)."""
    return all(end <= s or start >= e for s, e in off_spans)
