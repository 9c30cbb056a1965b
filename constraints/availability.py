"""Availability: an agent with availability rows works only shifts lying wholly inside their
availability, where windows that meet or overlap form one stretch of time.

In a manager's words: "Sam told us Tuesdays 12:00-22:00 only; a Tuesday shift must fit in
there." And: "Kim is free Friday from 16:00 and all Saturday, so Friday 18:30 to Saturday
00:30 is fine." Each window is a span of the week, ``[weekday*24h + start, weekday*24h +
end)``; a window whose end is at or before its start runs past midnight into the next day,
``24:00`` is the end of the day. Spans that overlap or touch merge, and Sunday runs on into
Monday. A shift fits when its local clock span (from its local start date's weekday; on a
DST night, what the wall clock shows) lies inside one merged span. An agent without rows
may work any shift the config allows.

Input: ``availability.csv`` (``agent_id, weekday, start, end``). Config keys: none.
Penalty: none (hard rule). It acts by candidate generation
(:func:`planner.roster.timing.availability_spans`, :func:`planner.roster.timing.fits_availability`);
:func:`add` puts nothing in the model.
Checker twin: :func:`planner.verify.shift_rules.check_availability` (its own reading, minute
by minute). Tests: ``tests/constraints/test_availability.py``,
``tests/test_check_availability.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Variables

NAME = "availability"


def add(v: Variables) -> None:
    """Nothing to add: only shifts inside a window are candidates."""
    del v
