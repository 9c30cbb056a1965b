"""What breaks a shift owes, and whether a placement gives them (rule ``breaks``).

Pure functions shared by candidate generation, break placement (:mod:`planner.roster.breaks`)
and the rule module ``constraints/breaks.py``, whose docstring states the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from planner.domain import BreakKind, BreakPolicy

EDGE_MINUTES = 60
"""No break starts in the first hour or ends in the last hour of a shift."""
WA_MEAL_MIN_MINUTES = 30
WA_MEAL_AFTER_HOURS = 5  # a meal is owed in a shift of more than 5 paid hours
WA_MEAL_EARLIEST = 120  # the first meal starts no earlier than 2 h ...
WA_MEAL_LATEST = 300  # ... and no later than 5 h after the shift start
WA_MAX_WITHOUT_MEAL = 300
WA_MAX_WITHOUT_BREAK = 180
WA_REST_MIN_MINUTES = 10
WA_REST_PER_MINUTES = 240


@dataclass(frozen=True)
class BreakNeeds:
    """The breaks one shift must have: ``meals`` meals of ``meal_minutes`` each (0 and 0
    when none), ``rests`` rests of ``rest_minutes``; every break starts on the ``step``-minute
    grid of the clock (``breaks.start_step_minutes``)."""

    meal_minutes: int
    meal_paid: bool
    rests: int
    rest_minutes: int
    rest_paid: bool
    washington: bool
    meals: int = 1
    step: int = 15

    @property
    def unpaid_minutes(self) -> int:
        """Minutes of unpaid breaks: elapsed length = paid minutes + this."""
        unpaid = 0 if self.meal_paid else self.meals * self.meal_minutes
        if not self.rest_paid:
            unpaid += self.rests * self.rest_minutes
        return unpaid

    @property
    def count(self) -> int:
        return self.rests + self.meals

    @property
    def break_minutes(self) -> int:
        return self.meals * self.meal_minutes + self.rests * self.rest_minutes


@dataclass(frozen=True, order=True)
class BreakSlot:
    """One break in real-time minutes (any common origin)."""

    start: int
    end: int
    kind: BreakKind
    paid: bool


def needs_for(paid_minutes: int, state: str, policy: BreakPolicy) -> BreakNeeds:
    """The breaks a shift of ``paid_minutes`` owes an agent living in ``state``.

    Company policy: one meal from ``breaks.meal_min_shift_hours``, one rest per
    ``breaks.rest_every_hours``. Washington (WAC 296-126-092) on top: a meal of 30+ minutes
    over 5 paid hours, and as many meals as it takes that no stretch of work from the shift
    start or a meal's end to the next meal or the shift end exceeds 5 hours (a 12-hour shift
    gets two); a rest of 10+ minutes per 4 hours, and as many breaks as it takes that no
    stretch of work between breaks exceeds 3 hours.
    """
    washington = state == "WA"
    meal_length = max(policy.meal_minutes, WA_MEAL_MIN_MINUTES if washington else 0)
    meals = int(paid_minutes >= round(policy.meal_min_shift_hours * 60)) if meal_length else 0
    rest_every = round(policy.rest_every_hours * 60)
    rests = paid_minutes // rest_every if rest_every > 0 else 0
    rest_minutes = policy.rest_minutes
    if washington:
        meals = max(meals, int(paid_minutes > WA_MEAL_AFTER_HOURS * 60))
        rest_minutes = max(rest_minutes, WA_REST_MIN_MINUTES)
        rests = max(rests, paid_minutes // WA_REST_PER_MINUTES)
    while True:
        needs = BreakNeeds(
            meal_length if meals else 0,
            policy.meal_paid,
            rests,
            rest_minutes,
            policy.rest_paid,
            washington,
            meals,
            policy.start_step_minutes,
        )
        if not washington:
            return needs
        elapsed = paid_minutes + needs.unpaid_minutes
        # No stretch longer than 5 hours without a meal: k meals cut the shift's non-meal
        # time into k + 1 pieces.
        if elapsed - needs.meals * meal_length > (meals + 1) * WA_MAX_WITHOUT_MEAL:
            meals += 1
            continue
        # No stretch of work longer than 3 hours: enough breaks to cut the shift's work
        # time into pieces of at most 3 hours each.
        if (needs.count + 1) * WA_MAX_WITHOUT_BREAK < elapsed - needs.break_minutes:
            rests += 1
            continue
        return needs


def elapsed_minutes(paid_minutes: int, needs: BreakNeeds) -> int:
    """Real elapsed length of a shift: paid minutes + unpaid break minutes."""
    return paid_minutes + needs.unpaid_minutes


def placement_problems(
    shift_start: int,
    shift_end: int,
    slots: Sequence[BreakSlot],
    needs: BreakNeeds,
    clock_offset: int = 0,
) -> list[str]:
    """Everything wrong with the breaks ``slots`` of one shift ``[shift_start, shift_end)``.

    ``clock_offset`` turns these minutes into minutes of the UTC clock (for the
    ``needs.step``-minute grid; every US offset is whole hours, so the UTC grid is the local
    one). An empty list means the placement is valid.
    """
    found: list[str] = []
    ordered = sorted(slots)
    meals = [s for s in ordered if s.kind == "meal"]
    rests = [s for s in ordered if s.kind == "rest"]
    if len(meals) != needs.meals:
        found.append(f"{len(meals)} meal(s), {needs.meals} required")
    if len(rests) < needs.rests:
        found.append(f"{len(rests)} rest(s), {needs.rests} required")
    for s in ordered:
        found.extend(_slot_problems(shift_start, shift_end, s, needs, clock_offset))
    for a, b in pairwise(ordered):
        if b.start < a.end:
            found.append("breaks overlap")
    if needs.washington:
        found.extend(_washington_problems(shift_start, shift_end, ordered, meals))
    return found


def _slot_problems(
    shift_start: int, shift_end: int, slot: BreakSlot, needs: BreakNeeds, clock_offset: int
) -> list[str]:
    """What is wrong with one break on its own: length, pay, grid, edges."""
    found = []
    length = needs.meal_minutes if slot.kind == "meal" else needs.rest_minutes
    paid = needs.meal_paid if slot.kind == "meal" else needs.rest_paid
    if slot.end - slot.start != length:
        found.append(f"{slot.kind} lasts {slot.end - slot.start} min, {length} required")
    if slot.paid != paid:
        found.append(f"{slot.kind} paid flag is {int(slot.paid)}, policy says {int(paid)}")
    if (slot.start + clock_offset) % needs.step:
        found.append(f"{slot.kind} does not start on a {needs.step}-minute boundary")
    if slot.start < shift_start + EDGE_MINUTES or slot.end > shift_end - EDGE_MINUTES:
        found.append(f"{slot.kind} starts in the first hour or ends in the last hour")
    return found


def _washington_problems(
    shift_start: int, shift_end: int, ordered: list[BreakSlot], meals: list[BreakSlot]
) -> list[str]:
    found = []
    if meals and not WA_MEAL_EARLIEST <= meals[0].start - shift_start <= WA_MEAL_LATEST:
        found.append("WA: the meal must start 2 to 5 hours into the shift")
    edges = [shift_start, *(x for m in meals for x in (m.start, m.end)), shift_end]
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        if end - begin > WA_MAX_WITHOUT_MEAL:
            found.append("WA: more than 5 hours without a meal")
    edges = [shift_start, *(x for s in ordered for x in (s.start, s.end)), shift_end]
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        if end - begin > WA_MAX_WITHOUT_BREAK:
            found.append("WA: more than 3 hours of work without a break")
    return found
