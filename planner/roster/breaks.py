"""Break placement: where each shift's meal and rests go.

Two jobs. Before the roster is chosen, :func:`default_placement` gives every candidate shift
a valid, deterministic placement (breaks spread evenly, staggered by the shift's start), so
the model's coverage already counts agents away on breaks. After the roster is chosen,
:func:`place_breaks` moves each break, shift by shift, to the allowed slot (on the
``breaks.start_step_minutes`` grid, 15 minutes by default) where it
hurts coverage least given every other break already placed (greedy, deterministic, repeated
while it improves). It starts from the default placement and only accepts moves that make the
coverage cost strictly smaller, so the placed roster never costs more than the model said.

The rules themselves live in :mod:`planner.roster.break_rules` (stated in
``constraints/breaks.py``); every placement produced here passes
:func:`planner.roster.break_rules.placement_problems`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np

from planner.roster.break_rules import (
    EDGE_MINUTES,
    WA_MAX_WITHOUT_BREAK,
    WA_MAX_WITHOUT_MEAL,
    WA_MEAL_EARLIEST,
    WA_MEAL_LATEST,
    BreakNeeds,
    BreakSlot,
    placement_problems,
)

log = logging.getLogger(__name__)

STAGGER_VARIANTS = 3
"""Evenly spread placements come in this many variants, 15 minutes apart (staggering)."""
STAGGER_MINUTES = 15
_SEARCH_NODES = 20_000


def _order(needs: BreakNeeds) -> list[str]:
    """Kinds in time order: the rests shared out between the meals, the earlier groups
    taking the odd ones (one meal: half the rests, the meal, the other rests)."""
    groups = needs.meals + 1
    kinds: list[str] = []
    for g in range(groups):
        kinds += ["rest"] * (needs.rests // groups + (g < needs.rests % groups))
        if g < needs.meals:
            kinds.append("meal")
    return kinds


def _meal_bounds(needs: BreakNeeds, elapsed: int, kinds: list[str]) -> list[tuple[int, int]]:
    """Per break, the start range Washington's meal timing leaves it (first meal 2 to 5 h
    in; the last meal late enough that the rest of the shift is at most 5 h)."""
    bounds = [(0, elapsed) for _ in kinds]
    if not needs.washington or not needs.meals:
        return bounds
    meal_at = [i for i, k in enumerate(kinds) if k == "meal"]
    low, high = bounds[meal_at[0]]
    bounds[meal_at[0]] = (max(low, WA_MEAL_EARLIEST), min(high, WA_MEAL_LATEST))
    low, high = bounds[meal_at[-1]]
    last_low = elapsed - WA_MAX_WITHOUT_MEAL - needs.meal_minutes
    bounds[meal_at[-1]] = (max(low, last_low), high)
    return bounds


def _distance(ideal: float, start: int) -> tuple[float, int]:
    return (abs(start - ideal), start)


def _even_targets(elapsed: int, lengths: list[int], shift: float) -> tuple[float, ...]:
    """Break ``i`` of ``k`` centred at ``(i+1)/(k+1)`` of the shift, moved by ``shift``."""
    count = len(lengths)
    return tuple(
        elapsed * (i + 1) / (count + 1) - length / 2 + shift for i, length in enumerate(lengths)
    )


def _packed_targets(elapsed: int, lengths: list[int], early: bool) -> tuple[float, ...]:
    """Breaks spread over the first (or last) half of the shift."""
    count = len(lengths)
    half = elapsed / 2
    base = 0.0 if early else half
    return tuple(
        base + EDGE_MINUTES / 2 + (half - EDGE_MINUTES / 2) * (i + 1) / (count + 1) - length / 2
        for i, length in enumerate(lengths)
    )


@lru_cache(maxsize=20_000)
def _nearest_placement(
    start_mod: int, elapsed: int, needs: BreakNeeds, targets: tuple[float, ...]
) -> tuple[BreakSlot, ...] | None:
    """The valid placement nearest ``targets`` (one per break, in time order), searched
    depth-first over the slots of the break grid sorted by distance; ``None`` when there is
    none."""
    kinds = _order(needs)
    lengths = [needs.meal_minutes if k == "meal" else needs.rest_minutes for k in kinds]
    paid = [needs.meal_paid if k == "meal" else needs.rest_paid for k in kinds]
    first = (-start_mod) % needs.step
    count = len(kinds)
    options: list[list[int]] = []
    bounds = _meal_bounds(needs, elapsed, kinds)
    for length, ideal, (earliest, latest) in zip(lengths, targets, bounds, strict=True):
        low = max(earliest, EDGE_MINUTES)
        high = min(latest, elapsed - EDGE_MINUTES - length)
        aligned = [s for s in range(first, high + 1, needs.step) if s >= low]
        aligned.sort(key=partial(_distance, ideal))
        options.append(aligned)

    nodes = 0
    chosen: list[int] = []

    def too_long(i: int, s: int) -> bool:
        """Washington: too long a stretch without a break, or without a meal."""
        prev_end = chosen[-1] + lengths[i - 1] if i else 0
        if s - prev_end > WA_MAX_WITHOUT_BREAK:
            return True
        if kinds[i] != "meal":
            return False
        meal_ends = [c + n for c, n, k in zip(chosen, lengths, kinds, strict=False) if k == "meal"]
        return s - (meal_ends[-1] if meal_ends else 0) > WA_MAX_WITHOUT_MEAL

    def search(i: int) -> tuple[BreakSlot, ...] | None:
        nonlocal nodes
        if i == count:
            slots = tuple(
                BreakSlot(s, s + n, k, p)  # type: ignore[arg-type]
                for s, n, k, p in zip(chosen, lengths, kinds, paid, strict=True)
            )
            return slots if not placement_problems(0, elapsed, slots, needs, start_mod) else None
        prev_end = chosen[-1] + lengths[i - 1] if i else 0
        for s in options[i]:
            nodes += 1
            if nodes > _SEARCH_NODES:
                return None
            if s < prev_end or (needs.washington and too_long(i, s)):
                continue
            chosen.append(s)
            found = search(i + 1)
            chosen.pop()
            if found is not None:
                return found
        return None

    return search(0)


def _lengths(needs: BreakNeeds) -> list[int]:
    return [needs.meal_minutes if k == "meal" else needs.rest_minutes for k in _order(needs)]


def default_placement(
    start_mod: int, elapsed: int, needs: BreakNeeds, variant: int = 0
) -> tuple[BreakSlot, ...] | None:
    """A valid placement for a shift ``[0, elapsed)`` whose start is ``start_mod`` minutes
    past a boundary of the break grid (``needs.step``), or ``None`` when the rules leave no
    valid placement.

    Breaks are aimed at even spacing (break ``i`` of ``k`` centred at ``(i+1)/(k+1)`` of the
    shift), shifted by ``variant`` x 15 minutes (staggering), then the nearest valid
    placement is searched depth-first.
    """
    if not needs.count:
        return ()
    shift = (variant - (STAGGER_VARIANTS - 1) // 2) * STAGGER_MINUTES
    return _nearest_placement(
        start_mod, elapsed, needs, _even_targets(elapsed, _lengths(needs), shift)
    )


@lru_cache(maxsize=4096)
def placement_variants(
    start_mod: int, elapsed: int, needs: BreakNeeds
) -> tuple[tuple[BreakSlot, ...], ...]:
    """Distinct valid placements to choose from, the evenly spread one first: the even
    spacing moved by up to two hours either way, and breaks packed in either half. Empty
    when no valid placement exists."""
    if not needs.count:
        return ((),)
    lengths = _lengths(needs)
    targets = [_even_targets(elapsed, lengths, 0)]
    for minutes in range(15, 121, 15):
        targets += [
            _even_targets(elapsed, lengths, minutes),
            _even_targets(elapsed, lengths, -minutes),
        ]
    targets += [_packed_targets(elapsed, lengths, True), _packed_targets(elapsed, lengths, False)]
    found: list[tuple[BreakSlot, ...]] = []
    for t in targets:
        slots = _nearest_placement(start_mod, elapsed, needs, t)
        if slots is not None and slots not in found:
            found.append(slots)
    return tuple(found)


# --------------------------------------------------------------------------- after the roster


@dataclass(frozen=True)
class PlacedShift:
    """One chosen shift's real-time span and its breaks, in grid minutes."""

    agent: int
    group: int
    start: int
    end: int
    needs: BreakNeeds
    breaks: tuple[BreakSlot, ...]


@dataclass
class BreakPlan:
    """Every chosen shift's breaks (grid minutes) and the presence they leave."""

    shifts: list[PlacedShift]
    group_presence: np.ndarray
    moved: int


def _overlaps(starts: np.ndarray, length: int, interval: int, intervals: np.ndarray) -> np.ndarray:
    """Minutes of each break ``[start, start + length)`` in each interval: (breaks x intervals)."""
    lo = np.maximum(starts[:, None], intervals[None, :] * interval)
    hi = np.minimum(starts[:, None] + length, (intervals[None, :] + 1) * interval)
    return np.maximum(hi - lo, 0)


@lru_cache(maxsize=100_000)
def _valid_moves(
    needs: BreakNeeds, elapsed: int, start_mod: int, slots: tuple[BreakSlot, ...], index: int
) -> tuple[int, ...]:
    """Valid new starts (relative to the shift start) of break ``index`` of ``slots``
    (relative too), the others staying where they are."""
    current = slots[index]
    length = current.end - current.start
    first = (-start_mod) % needs.step
    valid = []
    for s in range(first, elapsed - EDGE_MINUTES - length + 1, needs.step):
        if s < EDGE_MINUTES or s == current.start:
            continue
        trial = [*slots[:index], _moved(current, s), *slots[index + 1 :]]
        if not placement_problems(0, elapsed, trial, needs, start_mod):
            valid.append(s)
    return tuple(valid)


IntervalCost = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``cost(presence_rows, intervals)``: the objective cost of each interval ``intervals[k]``
if its presence per skill group were ``presence_rows[k]``."""


def place_breaks(
    shifts: Sequence[PlacedShift],
    group_presence: np.ndarray,
    listed: np.ndarray,
    interval: int,
    clock_offset: int,
    *,
    cost: IntervalCost,
    passes: int = 3,
    deadline: float | None = None,
) -> BreakPlan:
    """Move breaks, one at a time, to the valid slot of the break grid where they cost least.

    ``group_presence`` is the presence (intervals x skill groups) with every break at its
    current position in ``shifts``; ``cost`` prices intervals (in the solver: ``w_under x
    priority-weighted shortage + w_over x idle minutes``). A break moves only when that
    strictly lowers the total, so the result never costs more than the input. Shifts are
    visited by start time, breaks in time order, for up to ``passes`` rounds (fewer when a
    round moves nothing). Deterministic, unless ``deadline`` (a :func:`time.perf_counter`
    value) stops it early: the shifts not visited keep their breaks, so the result still
    never costs more than the input (1,000 agents, 19,000 shifts: minutes on a loaded
    machine).
    """
    presence = group_presence.copy()
    n_intervals = presence.shape[0]
    costs = cost

    placed = list(shifts)
    order = sorted(range(len(placed)), key=lambda i: (placed[i].start, placed[i].agent))
    moved = 0
    for _ in range(passes):
        moved_now = 0
        for i in order:
            if deadline is not None and time.perf_counter() >= deadline:
                return BreakPlan(placed, presence, moved + moved_now)
            item = placed[i]
            slots = sorted(item.breaks)
            start_mod = (item.start + clock_offset) % item.needs.step
            lo_t = max(0, item.start // interval)
            hi_t = min(n_intervals, (item.end - 1) // interval + 1)
            t = np.arange(lo_t, hi_t)
            t = t[listed[t]] if len(t) else t
            if not len(t):
                continue
            for b_index, current in enumerate(slots):
                relative = tuple(_moved(b, b.start - item.start) for b in slots)
                moves = _valid_moves(
                    item.needs, item.end - item.start, start_mod, relative, b_index
                )
                if not moves:
                    continue
                valid = np.asarray(moves, dtype=np.int64) + item.start
                length = current.end - current.start
                back = _overlaps(np.array([current.start]), length, interval, t)[0]
                away = _overlaps(valid, length, interval, t)  # (moves, intervals)
                # Row block 0 is the current placement, blocks 1.. the moves: one pricing call.
                rows = np.repeat(presence[t][None, :, :], len(valid) + 1, axis=0)
                rows[1:, :, item.group] += back[None, :] - away
                priced = costs(rows.reshape(-1, rows.shape[2]), np.tile(t, len(valid) + 1))
                totals = priced.reshape(len(valid) + 1, len(t)).sum(axis=1)
                best = int(np.argmin(totals[1:]))
                if totals[1 + best] >= totals[0]:
                    continue
                rows = rows[1:]
                presence[t] = rows[best]
                slots[b_index] = _moved(current, int(valid[best]))
                slots.sort()
                moved_now += 1
            placed[i] = PlacedShift(
                item.agent, item.group, item.start, item.end, item.needs, tuple(slots)
            )
        moved += moved_now
        if not moved_now:
            break
    return BreakPlan(placed, presence, moved)


def _moved(slot: BreakSlot, start: int) -> BreakSlot:
    return BreakSlot(start, start + slot.end - slot.start, slot.kind, slot.paid)
