"""overtime: paid minutes over the weekly threshold, exact by hand."""

from __future__ import annotations

from planner.domain import Horizon, ShiftConfig
from tests.support.model import WEEK, make_agent, make_config, relaxed_rules, solve_checked


def test_forty_eight_hours_is_eight_hours_of_overtime() -> None:
    # Must work 48 h (six 8 h shifts); threshold 40 h, 8 h overtime allowed: 480 minutes.
    # Shifts end by midnight, so none puts hours in the next FLSA workweek.
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    agent = make_agent(min_hours=48, max_hours=48)
    config = make_config(rules=rules, shifts=ShiftConfig(latest_end=24 * 60))
    result, _ = solve_checked([agent], config, Horizon(WEEK, 1))
    assert result.terms["overtime"].raw == 480
    assert result.roster is not None
    assert len(result.roster.shifts) == 6


def test_a_late_saturday_shift_moves_hours_out_of_the_workweek() -> None:
    # The same 48 h with the default latest end, 02:00. The latest 8 h shift (plus a 30 min
    # unpaid meal) is Saturday 17:30-02:00: 2 h of it fall after Sunday 00:00, in the next
    # workweek (the meal lies in the larger, earlier part). Working it leaves 46 h in this
    # workweek: 6 h of overtime = 360 minutes, the least possible.
    rules = relaxed_rules(overtime_allowed=True, max_overtime_hours_per_week=8)
    agent = make_agent(min_hours=48, max_hours=48)
    result, _ = solve_checked([agent], make_config(rules=rules), Horizon(WEEK, 1))
    assert result.terms["overtime"].raw == 360
    assert result.roster is not None
    saturday = [s for s in result.roster.shifts if s.date.weekday() == 5]
    assert [f"{s.start_local:%H:%M}-{s.end_local:%H:%M}" for s in saturday] == ["17:30-02:00"]
