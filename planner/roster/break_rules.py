"""What breaks a shift owes, and whether a placement gives them (rule ``breaks``).

Pure functions shared by candidate generation, break placement (:mod:`planner.roster.breaks`)
and the rule module ``constraints/breaks.py``, whose docstring states the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from planner.domain import BreakKind, BreakPolicy

BOUNDARY_MINUTES = 15
"""Breaks start on a 15-minute boundary of the clock (UTC; every US offset is whole hours)."""
EDGE_MINUTES = 60
"""No break starts in the first hour or ends in the last hour of a shift."""
WA_MEAL_MIN_MINUTES = 30
WA_MEAL_AFTER_HOURS = 5  # a meal is owed in a shift of more than 5 paid hours
WA_MEAL_EARLIEST = 120  # the meal starts no earlier than 2 h ...
WA_MEAL_LATEST = 300  # ... and no later than 5 h after the shift start
WA_MAX_WITHOUT_MEAL = 300
WA_MAX_WITHOUT_BREAK = 180
WA_REST_MIN_MINUTES = 10
WA_REST_PER_MINUTES = 240


@dataclass(frozen=True)
class BreakNeeds:
    """The breaks one shift must have (lengths in minutes; a meal of 0 means no meal)."""

    meal_minutes: int
    meal_paid: bool
    rests: int
    rest_minutes: int
    rest_paid: bool
    washington: bool

    @property
    def unpaid_minutes(self) -> int:
        """Minutes of unpaid breaks: elapsed length = paid minutes + this."""
        unpaid = 0 if self.meal_paid else self.meal_minutes
        if not self.rest_paid:
            unpaid += self.rests * self.rest_minutes
        return unpaid

    @property
    def count(self) -> int:
        return self.rests + (1 if self.meal_minutes else 0)

    @property
    def break_minutes(self) -> int:
        return self.meal_minutes + self.rests * self.rest_minutes


@dataclass(frozen=True, order=True)
class BreakSlot:
    """One break in real-time minutes (any common origin)."""

    start: int
    end: int
    kind: BreakKind
    paid: bool


def needs_for(paid_minutes: int, state: str, policy: BreakPolicy) -> BreakNeeds:
    """The breaks a shift of ``paid_minutes`` owes an agent living in ``state``."""
    washington = state == "WA"
    meal = 0
    if paid_minutes >= round(policy.meal_min_shift_hours * 60) or (
        washington and paid_minutes > WA_MEAL_AFTER_HOURS * 60
    ):
        meal = policy.meal_minutes
        if washington:
            meal = max(meal, WA_MEAL_MIN_MINUTES)
    rest_every = round(policy.rest_every_hours * 60)
    rests = paid_minutes // rest_every if rest_every > 0 else 0
    rest_minutes = policy.rest_minutes
    if washington:
        rest_minutes = max(rest_minutes, WA_REST_MIN_MINUTES)
        rests = max(rests, paid_minutes // WA_REST_PER_MINUTES)
        # No stretch of work longer than 3 hours: enough breaks to cut the shift's work time
        # into pieces of at most 3 hours each.
        while True:
            needs = BreakNeeds(
                meal, policy.meal_paid, rests, rest_minutes, policy.rest_paid, washington
            )
            elapsed = paid_minutes + needs.unpaid_minutes
            work = elapsed - needs.break_minutes
            if (needs.count + 1) * WA_MAX_WITHOUT_BREAK >= work:
                return needs
            rests += 1
    return BreakNeeds(meal, policy.meal_paid, rests, rest_minutes, policy.rest_paid, washington)


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

    ``clock_offset`` turns these minutes into minutes of the UTC clock (for the 15-minute
    boundary). An empty list means the placement is valid.
    """
    found: list[str] = []
    ordered = sorted(slots)
    meals = [s for s in ordered if s.kind == "meal"]
    rests = [s for s in ordered if s.kind == "rest"]
    if len(meals) != (1 if needs.meal_minutes else 0):
        found.append(f"{len(meals)} meal(s), {1 if needs.meal_minutes else 0} required")
    if len(rests) < needs.rests:
        found.append(f"{len(rests)} rest(s), {needs.rests} required")
    for s in ordered:
        length = needs.meal_minutes if s.kind == "meal" else needs.rest_minutes
        paid = needs.meal_paid if s.kind == "meal" else needs.rest_paid
        if s.end - s.start != length:
            found.append(f"{s.kind} lasts {s.end - s.start} min, {length} required")
        if s.paid != paid:
            found.append(f"{s.kind} paid flag is {int(s.paid)}, policy says {int(paid)}")
        if (s.start + clock_offset) % BOUNDARY_MINUTES:
            found.append(f"{s.kind} does not start on a 15-minute boundary")
        if s.start < shift_start + EDGE_MINUTES or s.end > shift_end - EDGE_MINUTES:
            found.append(f"{s.kind} starts in the first hour or ends in the last hour")
    for a, b in pairwise(ordered):
        if b.start < a.end:
            found.append("breaks overlap")
    if needs.washington:
        found.extend(_washington_problems(shift_start, shift_end, ordered, meals))
    return found


def _washington_problems(
    shift_start: int, shift_end: int, ordered: list[BreakSlot], meals: list[BreakSlot]
) -> list[str]:
    found = []
    if meals:
        first = meals[0]
        if not WA_MEAL_EARLIEST <= first.start - shift_start <= WA_MEAL_LATEST:
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
