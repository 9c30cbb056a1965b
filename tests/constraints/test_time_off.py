"""time_off: no shift overlaps a local date off, not even from the evening before."""

from __future__ import annotations

from datetime import timedelta

from planner.domain import Horizon, TimeOff
from tests.support.model import WEEK, make_agent, make_config, make_problem


def test_no_shift_touches_the_day_off() -> None:
    off = WEEK + timedelta(days=3)
    problem = make_problem(
        [make_agent()], make_config(), Horizon(WEEK, 1), time_off_rows=[TimeOff("A1", off)]
    )
    cands = problem.cands
    assert 3 not in set(cands.day.tolist())
    # The day before: shifts ending after midnight (local end past 24:00) are gone.
    before = problem.candidates_of(0, 2)
    assert cands.local_end[before.start : before.stop].max() == 24 * 60
    # Without the day off the evening before runs to 02:00.
    free = make_problem([make_agent()], make_config(), Horizon(WEEK, 1))
    day = free.candidates_of(0, 2)
    assert free.cands.local_end[day.start : day.stop].max() == 26 * 60
