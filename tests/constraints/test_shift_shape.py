"""shift_shape: paid lengths from shift_hours, starts on the local grid, inside the day."""

from __future__ import annotations

from datetime import date

import numpy as np

from planner.domain import Horizon, ShiftConfig
from tests.support.model import NEW_YORK, WEEK, make_agent, make_config, make_problem


def test_candidates_follow_lengths_grid_and_window() -> None:
    shifts = ShiftConfig(earliest_start=7 * 60 + 10, latest_end=22 * 60, start_step_minutes=30)
    config = make_config(shifts=shifts)
    problem = make_problem([make_agent(shift_hours=(6, 8))], config, Horizon(WEEK, 1))
    cands = problem.cands
    assert set(np.unique(cands.paid).tolist()) == {360, 480}
    assert (cands.local_start % 30 == 0).all()
    assert cands.local_start.min() == 7 * 60 + 30  # first grid time after 07:10
    assert cands.local_end.max() == 22 * 60
    # Both lengths have a meal (6 h or more): elapsed = paid + 30 min.
    assert ((cands.end - cands.start) == cands.paid + 30).all()
    # Per day: 8 h + 30 min from 07:30 to 13:30 (13 starts), 6 h + 30 min to 15:30 (17 starts).
    assert len(problem.candidates_of(0, 0)) == 13 + 17


def test_spring_forward_skips_missing_times_and_keeps_real_length() -> None:
    # 2027-03-14 02:00 EST jumps to 03:00 EDT; shifts may start at midnight here.
    config = make_config(shifts=ShiftConfig(earliest_start=0, latest_end=34 * 60))
    problem = make_problem([make_agent(timezone=NEW_YORK)], config, Horizon(date(2027, 3, 14), 1))
    cands = problem.cands
    day0 = problem.candidates_of(0, 0)
    starts = cands.local_start[day0.start : day0.stop].tolist()
    assert 150 not in starts  # 02:30 does not exist that night
    j = day0.start + starts.index(90)  # 01:30 EST
    assert cands.end[j] - cands.start[j] == 510  # 8 h paid + 30 min meal, real time
    assert cands.local_end[j] == 11 * 60  # the clock shows 01:30 -> 11:00 (9.5 h)
