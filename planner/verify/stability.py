"""The freeze window of a published roster: the frozen_shifts rule and the stability term.

Part of the independent checker (:mod:`planner.verify.check`); never imports OR-Tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from planner.domain import (
    Config,
    Horizon,
    Roster,
    Shift,
)
from planner.verify.context import CheckContext, Violation, span_text


def freeze_window(previous: Iterable[Shift], horizon: Horizon, config: Config) -> tuple[date, date]:
    """The freeze window ``[first, end)`` of local dates.

    The published period runs from the horizon start through the last local date with a
    shift in ``previous`` (any agent); the window is its first ``stability.freeze_days``
    dates. When ``previous`` has no shift on or after the horizon start it is empty.
    """
    first = horizon.start
    last = max((s.date for s in previous), default=None)
    if last is None or last < first:
        return first, first
    freeze = max(0, config.stability.freeze_days)
    return first, min(first + timedelta(days=freeze), last + timedelta(days=1))


def published_shifts(previous: Iterable[Shift], horizon: Horizon, config: Config) -> list[Shift]:
    """Rows of the previous roster in the freeze window (:func:`freeze_window`)."""
    previous = tuple(previous)
    first, end = freeze_window(previous, horizon, config)
    return [s for s in previous if first <= s.date < end]


def _stability_mismatches(
    roster: Roster, previous: Iterable[Shift], horizon: Horizon, config: Config
) -> tuple[list[Shift], list[Shift]]:
    """(published shifts not kept, new shifts in the freeze window not published)."""
    previous = tuple(previous)
    first, end = freeze_window(previous, horizon, config)
    published = [s for s in previous if first <= s.date < end]
    key_pub = {(s.agent_id, s.start_utc, s.end_utc) for s in published}
    new_in_window = [s for s in roster.shifts if first <= s.date < end]
    key_new = {(s.agent_id, s.start_utc, s.end_utc) for s in new_in_window}
    dropped = [s for s in published if (s.agent_id, s.start_utc, s.end_utc) not in key_new]
    added = [s for s in new_in_window if (s.agent_id, s.start_utc, s.end_utc) not in key_pub]
    return dropped, added


def check_frozen_shifts(ctx: CheckContext) -> list[Violation]:
    """With ``previous`` and ``stability.frozen_is_hard``, the published shifts of the freeze
    window are kept exactly and none is added there."""
    if not ctx.previous or not ctx.config.stability.frozen_is_hard:
        return []
    dropped, added = _stability_mismatches(ctx.roster, ctx.previous, ctx.horizon, ctx.config)
    out = [
        Violation(
            "frozen_shifts",
            s.agent_id,
            s.date,
            f"{s.agent_id}'s published shift {span_text(s)} is frozen but was changed or removed",
        )
        for s in sorted(dropped, key=lambda s: (s.date, s.agent_id, s.start_utc))
    ]
    out += [
        Violation(
            "frozen_shifts",
            s.agent_id,
            s.date,
            f"{s.agent_id}'s shift {span_text(s)} was added inside the frozen window",
        )
        for s in sorted(added, key=lambda s: (s.date, s.agent_id, s.start_utc))
    ]
    return out


def stability_term(
    roster: Roster, previous: Iterable[Shift], horizon: Horizon, config: Config
) -> int:
    """Published shifts of the freeze window not kept, plus new shifts added there (0 when hard)."""
    previous = tuple(previous)
    if not previous or config.stability.frozen_is_hard:
        return 0
    dropped, added = _stability_mismatches(roster, previous, horizon, config)
    return len(dropped) + len(added)
