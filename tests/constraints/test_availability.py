"""availability: an agent with windows works only shifts wholly inside one of them."""

from __future__ import annotations

from planner.domain import AvailabilityWindow, Horizon, Window
from tests.support.model import WEEK, make_agent, make_config, make_problem


def test_only_shifts_inside_the_window_of_their_weekday() -> None:
    # Tuesday (weekday 1) 12:00-22:00 only; 8 h + 30 min meal fits from 12:00 to 13:30.
    windows = [AvailabilityWindow("A1", 1, Window(12 * 60, 22 * 60))]
    problem = make_problem(
        [make_agent()], make_config(), Horizon(WEEK, 1), availability_rows=windows
    )
    cands = problem.cands
    assert set(cands.day.tolist()) == {2}  # WEEK is a Sunday: Tuesday is day 2
    assert sorted(cands.local_start.tolist()) == [720, 750, 780, 810]


def test_a_window_past_midnight_allows_a_late_shift() -> None:
    windows = [AvailabilityWindow("A1", 4, Window(17 * 60, 26 * 60))]  # Fri 17:00-02:00
    problem = make_problem(
        [make_agent()], make_config(), Horizon(WEEK, 1), availability_rows=windows
    )
    assert sorted(problem.cands.local_start.tolist()) == [1020, 1050]
    assert problem.cands.local_end.max() == 26 * 60
