"""FLSA workweeks on the requirement grid: where each starts, how each shift's paid minutes
fall in them (docs/OBJECTIVE.md "Workweeks").

Hours belong to the workweek in which they are worked (29 CFR 778.104). A workweek starts
every week on ``rules.workweek_start_day`` (default ``site.week_starts``) at
``rules.workweek_start_time`` (default 00:00), business-local wall time; a start that the
clock skips (spring forward) is read with the offset before the change, as :mod:`zoneinfo`
does (``fold=0``). A shift running over a workweek start is paid, in each workweek, its
elapsed minutes there less the unpaid break minutes there. Breaks the roster does not name
(a ``--previous`` shift; a shift whose unpaid minutes no break accounts for) are taken in the
larger part of the shift (the earlier one on a tie). The model's breaks of a shift crossing a
workweek start are kept wholly in that larger part (:func:`unpaid_in_larger_part`), so the
model's split, the final roster's and the checker's agree with or without ``breaks.csv``.

Pure functions of grid minutes; :func:`prepare_workweeks` builds
:class:`planner.roster.problem.Workweeks` for :func:`planner.roster.candidates.prepare`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta

import numpy as np

from planner.domain import Config, Horizon, Shift
from planner.roster.break_rules import BreakSlot
from planner.roster.problem import Candidates, Grid, Workweeks


def start_minutes(config: Config, grid: Grid, lo: int, hi: int) -> np.ndarray:
    """Grid minutes of the workweek starts from the last one at or before grid minute ``lo``
    through the first one at or after ``hi`` (so every minute of ``[lo, hi)`` lies in one)."""
    zone = config.site.zone
    weekday, minute = config.workweek_start
    clock = time(minute // 60, minute % 60)
    local = grid.instant(lo).astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)

    def at(d: object) -> int:
        return grid.minute(datetime.combine(d, clock, tzinfo=zone))  # type: ignore[arg-type]

    while at(day) > lo:
        day -= timedelta(days=7)
    starts = [at(day)]
    while starts[-1] < hi:
        day += timedelta(days=7)
        starts.append(at(day))
    return np.asarray(starts, dtype=np.int64)


def cut_points(starts: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per shift ``[begin, end)``: the workweek start strictly inside it, or its ``end`` when
    there is none (a split at the end leaves every minute in the first part). Grid minutes
    may be negative (a shift before the first requirement interval): no sentinel value."""
    k = np.searchsorted(starts, begin, side="right")
    nxt = starts[np.minimum(k, len(starts) - 1)]
    inside = (k < len(starts)) & (nxt > begin) & (nxt < end)
    return np.where(inside, nxt, end)


def unpaid_before(
    begin: np.ndarray, cut: np.ndarray, slots: Sequence[BreakSlot], offset: bool = True
) -> np.ndarray:
    """Unpaid break minutes before ``cut`` of shifts starting at ``begin`` with breaks
    ``slots`` (relative to the shift start when ``offset``)."""
    total = np.zeros(len(begin), dtype=np.int64)
    for b in slots:
        if b.paid:
            continue
        s = begin + b.start if offset else np.full(len(begin), b.start)
        e = begin + b.end if offset else np.full(len(begin), b.end)
        total += np.clip(np.minimum(e, cut) - s, 0, e - s)
    return total


def first_part(  # noqa: PLR0917 - the split's inputs, all arrays
    begin: np.ndarray,
    end: np.ndarray,
    paid: np.ndarray,
    cut: np.ndarray,
    unpaid_early: np.ndarray,
    unpaid_named: np.ndarray,
) -> np.ndarray:
    """Paid minutes before ``cut`` (all of them when ``cut`` is the end): elapsed minutes
    before it less the named unpaid minutes there (``unpaid_early``) less, when the earlier
    part is the larger, the unpaid minutes no break names (``elapsed - paid -
    unpaid_named``), within ``[0, paid]``."""
    early = cut - begin
    late = end - cut
    unnamed = np.maximum(0, (end - begin) - paid - unpaid_named)
    value = early - unpaid_early - np.where(early >= late, unnamed, 0)
    return np.clip(value, 0, paid)


def unpaid_in_larger_part(
    begin: np.ndarray, end: np.ndarray, cut: np.ndarray, slots: Sequence[BreakSlot]
) -> np.ndarray:
    """Per shift: the breaks ``slots`` (relative to the start) keep every unpaid minute in
    the larger part of the shift (true for shifts that cross no workweek start: their cut is
    their end)."""
    unpaid = sum(b.end - b.start for b in slots if not b.paid)
    early = unpaid_before(np.zeros(len(begin), dtype=np.int64), cut - begin, slots, offset=True)
    wanted = np.where(cut - begin >= end - cut, unpaid, 0)
    return early == wanted


def prepare_workweeks(
    cands: Candidates,
    config: Config,
    grid: Grid,
    horizon: Horizon,
    *,
    n_agents: int,
    history: Mapping[int, Sequence[Shift]],
) -> Workweeks:
    """The workweeks the candidates reach, each candidate's split, and the paid minutes the
    previous roster's shifts dated before the horizon (``history``, by agent) hold in them."""
    n = len(cands)
    if n:
        lo, hi = int(cands.start.min()), int(cands.end.max())
    else:
        lo = hi = grid.minute(datetime.combine(horizon.start, time(), tzinfo=config.site.zone))
    starts = start_minutes(config, grid, lo, hi)
    index = np.searchsorted(starts, cands.start, side="right") - 1
    cut = cut_points(starts, cands.start, cands.end)
    crosses = cut < cands.end
    early = np.zeros(n, dtype=np.int64)
    named = np.zeros(n, dtype=np.int64)
    for k, slots in enumerate(cands.shapes):
        sel = np.flatnonzero((cands.shape == k) & crosses)
        if len(sel):
            early[sel] = unpaid_before(cands.start[sel], cut[sel], slots)
            named[sel] = sum(b.end - b.start for b in slots if not b.paid)
    first = first_part(cands.start, cands.end, cands.paid, cut, early, named)
    carried = np.zeros((n_agents, max(0, len(starts) - 1)), dtype=np.int64)
    for agent, shifts in history.items():
        for shift in shifts:
            _carry(carried[agent], starts, grid, shift)
    return Workweeks(starts, index.astype(np.int64), first, crosses, carried)


def _carry(row: np.ndarray, starts: np.ndarray, grid: Grid, shift: Shift) -> None:
    """Add a previous shift's paid minutes to the workweeks of ``row`` it falls in (its
    unpaid minutes, unnamed, in its larger part)."""
    begin = np.array([grid.minute(shift.start_utc)])
    end = np.array([grid.minute(shift.end_utc)])
    paid = np.array([round(shift.paid_hours * 60)])
    cut = cut_points(starts, begin, end)
    zero = np.zeros(1, dtype=np.int64)
    head = int(first_part(begin, end, paid, cut, zero, zero)[0])
    k = int(np.searchsorted(starts, begin[0], side="right")) - 1
    for week, minutes in ((k, head), (k + 1, int(paid[0]) - head)):
        if 0 <= week < len(row) and minutes > 0:
            row[week] += minutes
