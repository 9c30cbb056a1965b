"""The breaks rule: the company policy and, for agents in Washington, state law.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

import itertools

from planner.domain import (
    Agent,
    Break,
    Config,
    Shift,
)
from planner.verify.context import (
    CheckContext,
    Violation,
    epoch_minutes,
    hm,
    local_time,
    shift_paid_minutes,
    span_text,
    when,
    whole_minutes,
)

WA_HOURS_WITHOUT_MEAL = 5


def meals_required(config: Config, agent: Agent, shift: Shift) -> int:
    """Meals the shift must hold. Company policy: one from ``breaks.meal_min_shift_hours``
    paid hours (none when ``breaks.meal_minutes`` is 0). Washington (WAC 296-126-092): one
    over 5 paid hours, and no more than 5 hours of work without a meal: ``k`` meals cut the
    shift's elapsed time less its meal time into ``k + 1`` stretches of at most 5 hours, so
    ``k >= (elapsed - 5 h) / (5 h + meal length)``."""
    policy = config.breaks
    paid = shift_paid_minutes(shift)
    company = int(policy.meal_minutes > 0 and paid >= round(policy.meal_min_shift_hours * 60))
    if agent.state != "WA":
        return company
    limit = WA_HOURS_WITHOUT_MEAL * 60
    elapsed = whole_minutes(shift.end_utc - shift.start_utc)
    meal = break_length(config, agent, "meal")
    stretches = max(0, -(-(elapsed - limit) // (limit + meal)))
    return max(company, int(paid > limit), stretches)


def _rests_required(config: Config, agent: Agent, paid: int) -> int:
    every = round(config.breaks.rest_every_hours * 60)
    company = paid // every if every > 0 else 0
    washington = paid // 240 if agent.state == "WA" else 0
    return max(company, washington)


def break_length(config: Config, agent: Agent, kind: str) -> int:
    """A break's required length: the policy's, raised to Washington's minimum for WA agents
    (a meal of at least 30 minutes, a rest of at least 10)."""
    if kind == "meal":
        length = config.breaks.meal_minutes
        return max(length, 30) if agent.state == "WA" else length
    length = config.breaks.rest_minutes
    return max(length, 10) if agent.state == "WA" else length


def check_breaks(ctx: CheckContext) -> list[Violation]:
    """Every shift has the breaks the company policy and, for WA agents, Washington law
    require (:func:`meals_required`), of the configured lengths, inside the shift, not
    overlapping, starting on the ``breaks.start_step_minutes`` grid of the local clock, none
    starting in the first hour or ending in the last hour."""
    out = []
    for agent_id, items in sorted(ctx.breaks_by_agent.items()):
        if agent_id not in ctx.agents:
            continue
        shifts = ctx.shifts_by_agent.get(agent_id, [])
        zone = ctx.agents[agent_id].timezone
        for item in items:
            if not any(s.start_utc <= item.start_utc and item.end_utc <= s.end_utc for s in shifts):
                out.append(
                    Violation(
                        "breaks",
                        agent_id,
                        local_time(item.start_utc, zone).date(),
                        f"{agent_id}'s {item.kind} {when(item.start_utc, zone)}–"
                        f"{local_time(item.end_utc, zone):%H:%M} is not inside one of their shifts",
                    )
                )
    for agent, shifts in ctx.known_shifts():
        for shift in shifts:
            inside = [
                b
                for b in ctx.shift_breaks(shift)
                if shift.start_utc <= b.start_utc and b.end_utc <= shift.end_utc
            ]
            out.extend(_shift_break_violations(ctx, agent, shift, inside))
    return out


def _shift_break_violations(
    ctx: CheckContext, agent: Agent, shift: Shift, items: list[Break]
) -> list[Violation]:
    config = ctx.config
    rules = config.breaks
    out: list[Violation] = []
    zone = agent.timezone
    who = f"{agent.agent_id}'s shift {span_text(shift)}"

    def bad(message: str) -> None:
        out.append(Violation("breaks", agent.agent_id, shift.date, message))

    start = epoch_minutes(shift.start_utc)
    end = epoch_minutes(shift.end_utc)
    paid = shift_paid_minutes(shift)
    meals = [b for b in items if b.kind == "meal"]
    rests = [b for b in items if b.kind == "rest"]
    # Placement and lengths.
    for item in items:
        b_start, b_end = epoch_minutes(item.start_utc), epoch_minutes(item.end_utc)
        at = f"{item.kind} at {local_time(item.start_utc, zone):%H:%M}"
        local = local_time(item.start_utc, zone)
        step = rules.start_step_minutes
        if (local.hour * 60 + local.minute) % step or local.second:
            bad(
                f"{who}: the {at} is not on a {step}-minute boundary "
                f"(breaks.start_step_minutes = {step})"
            )
        if b_start - start < 60:
            bad(f"{who}: the {at} starts in the first hour of the shift")
        if end - b_end < 60:
            bad(f"{who}: the {at} ends in the last hour of the shift")
        length = b_end - b_start
        expected = break_length(config, agent, item.kind)
        if length != expected:
            bad(f"{who}: the {at} lasts {length} min, policy says {expected} min")
        paid_expected = rules.meal_paid if item.kind == "meal" else rules.rest_paid
        if item.paid != paid_expected:
            bad(
                f"{who}: the {at} is marked {'paid' if item.paid else 'unpaid'}, policy says "
                f"{'paid' if paid_expected else 'unpaid'}"
            )
    for first, second in itertools.pairwise(items):
        if second.start_utc < first.end_utc:
            bad(
                f"{who}: the {first.kind} at {local_time(first.start_utc, zone):%H:%M} and the "
                f"{second.kind} at {local_time(second.start_utc, zone):%H:%M} overlap"
            )
    # How many.
    meals_needed = meals_required(config, agent, shift)
    if len(meals) < meals_needed:
        bad(_too_few_meals(who, agent, paid, len(meals), meals_needed))
    rests_needed = _rests_required(config, agent, paid)
    if len(rests) < rests_needed:
        bad(f"{who} is paid {hm(paid)} and has {len(rests)} rest break(s) (needs {rests_needed})")
    if agent.state == "WA":
        out.extend(_washington(agent, shift, items, who))
    return out


def _too_few_meals(who: str, agent: Agent, paid: int, has: int, needs: int) -> str:
    if not has and needs == 1:
        return f"{who} is paid {hm(paid)} and has no meal break"
    why = ""
    if agent.state == "WA" and needs > 1:
        why = (
            f": Washington allows no more than {WA_HOURS_WITHOUT_MEAL} hours of work without "
            "a meal (WAC 296-126-092)"
        )
    return f"{who} is paid {hm(paid)} and has {has} meal break(s), {needs} required{why}"


def _washington(agent: Agent, shift: Shift, items: list[Break], who: str) -> list[Violation]:
    """Washington's meal and rest rules (WAC 296-126-092), measured in real elapsed time."""
    out: list[Violation] = []
    start = epoch_minutes(shift.start_utc)
    end = epoch_minutes(shift.end_utc)
    paid = shift_paid_minutes(shift)

    def bad(message: str) -> None:
        out.append(Violation("breaks", agent.agent_id, shift.date, message))

    spans = sorted((epoch_minutes(b.start_utc), epoch_minutes(b.end_utc), b.kind) for b in items)
    meals = [(s, e) for s, e, kind in spans if kind == "meal" and e - s >= 30]
    if paid > 300 and not any(start + 120 <= s <= start + 300 for s, _ in meals):
        bad(f"{who} (WA): needs a 30-min meal starting 2 to 5 hours into the shift")
    cursor = start
    for s, e in [*meals, (end, end)]:
        if s - cursor > 300:
            bad(f"{who} (WA): {hm(s - cursor)} of work without a meal (max 5 h)")
        cursor = max(cursor, e)
    rests = [(s, e) for s, e, kind in spans if kind == "rest" and e - s >= 10]
    if len(rests) < paid // 240:
        bad(
            f"{who} (WA): {len(rests)} rest break(s) of 10+ min for {hm(paid)} worked "
            f"(needs {paid // 240})"
        )
    cursor = start
    for s, e, _ in [*spans, (end, end, "end")]:
        if s - cursor > 180:
            bad(f"{who} (WA): {hm(s - cursor)} of work without a break (max 3 h)")
        cursor = max(cursor, e)
    return out
