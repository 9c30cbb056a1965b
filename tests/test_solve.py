"""solve(): whole scenarios, each roster re-checked by the independent checker."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from planner.data.roster_io import FairnessCarry
from planner.domain import AvailabilityWindow, Horizon, ShiftConfig, Window
from planner.roster.search import Progress
from planner.roster.solve import SolveOptions
from tests.support.model import (
    LOS_ANGELES,
    NEW_YORK,
    WEEK,
    make_agent,
    make_config,
    relaxed_rules,
    shifts_of,
    solve_checked,
    window_need,
)


def test_dst_night_shift_pays_real_hours() -> None:
    # 2026-11-01, 02:00 EDT falls back to 01:00 EST. Phone needs 1 from midnight to 08:00
    # business time: 9 real hours (540 min). The best 8 h shift (8 h 30 real with the meal)
    # starts 00:30 and ends 08:00 EST: its clock span is 7 h 30. Covered: 510 - 60 (breaks)
    # = 450 min; short (540 - 450) x 3 = 270.
    night = date(2026, 11, 1)
    config = make_config(
        shifts=ShiftConfig(earliest_start=0, latest_end=34 * 60), rules=relaxed_rules()
    )
    agent = make_agent(max_hours=8, skills=("phone",))
    result, _ = solve_checked(
        [agent], config, Horizon(night, 1), window_need(night, 0, 8, {"phone": 1})
    )
    assert result.terms["under_staffing"].raw == 270
    (shift,) = shifts_of(result, "A1")
    assert shift.elapsed_hours == 8.5
    span = shift.end_local.replace(tzinfo=None) - shift.start_local.replace(tzinfo=None)
    assert span == timedelta(hours=7, minutes=30)


def test_pacific_agent_covers_the_eastern_evening() -> None:
    # Nobody may work past 20:00 local. Phone needs 1 from 19:00 to 23:00 Eastern on Monday:
    # only the Pacific agent (Idaho panhandle: 20:00 PT = 23:00 ET) can be there; breaks go
    # before 19:00 ET. (In Washington the 3-hour rule would force a break after 20:00 ET.)
    config = make_config(
        shifts=ShiftConfig(earliest_start=6 * 60, latest_end=20 * 60), rules=relaxed_rules()
    )
    agents = [
        make_agent("E1", timezone=NEW_YORK, max_hours=8, skills=("phone",)),
        make_agent("P1", state="ID", timezone=LOS_ANGELES, max_hours=8, skills=("phone",)),
    ]
    monday = WEEK + timedelta(days=1)  # a weekday: no weekend shift to share fairly
    need = window_need(monday, 19, 23, {"phone": 1})
    result, _ = solve_checked(agents, config, Horizon(WEEK, 1), need)
    assert result.terms["under_staffing"].raw == 0
    assert shifts_of(result, "E1") == []
    (shift,) = shifts_of(result, "P1")
    assert shift.end_local.hour == 20


def test_christmas_goes_to_who_did_not_work_it_last_year() -> None:
    christmas_week = date(2026, 12, 20)  # Sunday; Friday 25 December is a federal holiday
    christmas = date(2026, 12, 25)
    agents = [make_agent(a, min_hours=8, max_hours=8, skills=("phone",)) for a in ("A1", "A2")]
    need = lambda t, c: int(  # noqa: E731
        c == "phone"
        and t.date() in (christmas, date(2026, 12, 23))
        and 10 <= t.hour + t.minute / 60 < 18.5
    )
    # Both were here a year (52 weeks of 8 h); A1 worked last Christmas (3 holiday units).
    history = {
        "A1": FairnessCarry({"holiday": 3}, weeks=52, minutes=52 * 480),
        "A2": FairnessCarry({}, weeks=52, minutes=52 * 480),
    }
    result, checked = solve_checked(
        agents,
        make_config(rules=relaxed_rules()),
        Horizon(christmas_week, 1),
        need,
        fairness_history=history,
    )
    assert [s.date for s in shifts_of(result, "A2")] == [christmas]
    assert result.terms["fairness"].raw == 0
    assert checked is not None


def test_infeasible_hours_are_explained_before_solving() -> None:
    # 40 h of 8 h shifts, but available Monday to Wednesday only: at most 24 h.
    windows = [AvailabilityWindow("A17", d, Window(6 * 60, 22 * 60)) for d in (0, 1, 2)]
    agent = make_agent("A17", min_hours=40, max_hours=40)
    result, _ = solve_checked(
        [agent], make_config(rules=relaxed_rules()), Horizon(WEEK, 2), availability=windows
    )
    assert result.status == "infeasible"
    assert result.roster is None
    assert len(result.explanation) == 1
    line = result.explanation[0]
    assert "A17 needs 40 h" in line
    assert "availability allows at most 24 h" in line
    assert "weeks 1-2" in line


@pytest.mark.parametrize("mode", ["full", "plain"])
def test_conflicting_rules_are_named_by_cp_sat(mode: str) -> None:
    # Five 8 h shifts a week, never two days in a row: impossible in 7 days, which the quick
    # pre-check (hours per week only) does not see; CP-SAT's assumptions name both rules.
    agent = make_agent("B2", min_hours=40, max_hours=40)
    rules = relaxed_rules(max_consecutive_days=1)
    result, _ = solve_checked([agent], make_config(rules=rules), Horizon(WEEK, 1), mode=mode)
    assert result.status == "infeasible"
    (line,) = result.explanation
    assert "agent B2" in line
    assert "max_consecutive_days" in line
    assert "weekly_hours" in line


def test_cancel_keeps_the_first_valid_roster() -> None:
    cancel = threading.Event()

    def progress(p: Progress) -> None:
        if p.phase == "construct":
            cancel.set()

    options = SolveOptions(time_limit=30, workers=1, cancel=cancel, progress=progress)
    agents = [make_agent(a, max_hours=16, skills=("phone",)) for a in ("A1", "A2")]
    need = window_need(None, 10, 18.5, {"phone": 1})
    result, checked = solve_checked(
        agents, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need, options=options
    )
    assert result.status == "cancelled_with_roster"
    assert checked is not None
    assert result.wall_seconds < 20


def test_modes_agree_on_a_small_instance() -> None:
    agents = [
        make_agent("A1", max_hours=16, skills=("phone", "sms")),
        make_agent("A2", max_hours=16, shift_hours=(4, 8), skills=("email",)),
    ]
    need = window_need(None, 16, 22, {"phone": 1, "email": 1})
    config = make_config(rules=relaxed_rules(min_rest_hours=10))
    objectives = {}
    for mode in ("full", "plain", "hinted"):
        result, _ = solve_checked(agents, config, Horizon(WEEK, 1), need, mode=mode, time_limit=20)
        assert result.status == "optimal", mode
        objectives[mode] = result.model_objective
    assert len(set(objectives.values())) == 1
