"""The upper bound on email's service level (planner/roster/deferred_bound.py), by hand.

Every case uses :func:`tests.support.model.email_config` (one email = 10 staff-minutes of
work); the bound is compared with the arithmetic and with the KPI of a solved, checked roster
(the bound must never be below what a roster achieves).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.domain import AvailabilityWindow, BreakPolicy, Horizon, Window
from planner.roster.deferred_bound import live_floors, service_level_bound
from planner.verify.kpi import compute_kpis
from tests.support.model import (
    WEEK,
    at_times,
    calendar_for,
    email_config,
    local_dt,
    make_agent,
    make_problem,
    make_requirements,
    relaxed_rules,
    solve_checked,
    window_need,
)

NO_BREAKS = BreakPolicy(meal_min_shift_hours=24, rest_every_hours=24)
SUNDAY = 6  # AvailabilityWindow weekday of WEEK (Mon = 0)


def only(agent_id: str, start: float, end: float) -> AvailabilityWindow:
    return AvailabilityWindow(agent_id, SUNDAY, Window(round(start * 60), round(end * 60)))


def bound_of(agents, config, need=None, contacts=None, availability=(), share=None):  # type: ignore[no-untyped-def]
    horizon = Horizon(WEEK, 1)
    problem = make_problem(
        agents, config, horizon, need, contacts=contacts, availability_rows=availability,
        prune=False,
    )  # fmt: skip
    requirements = make_requirements(
        config, horizon, need or (lambda _t, _c: 0), contacts=contacts
    )
    floors = live_floors(problem, share or {})
    return service_level_bound(problem, requirements, floors, time_limit=30)


def kpi_level(result, agents, config, contacts=None):  # type: ignore[no-untyped-def]
    horizon = Horizon(WEEK, 1)
    requirements = make_requirements(
        config, horizon, lambda _t, _c: 0, contacts=contacts
    )
    kpis = compute_kpis(
        result.roster, agents, config, requirements, calendar_for(config, horizon), horizon
    )
    return kpis.channels["email"].service_level


def test_short_capacity_bounds_the_share_answered_in_time() -> None:
    # 40 emails (400 staff-minutes) at 10:00, due by 14:00; the one agent can only work
    # 10:00-18:00 (no breaks): 240 staff-minutes by 14:00, so at most 24 emails in time:
    # 24 / 40 = 60%. The solved roster's FIFO queue answers exactly that many.
    config = email_config(rules=relaxed_rules(), breaks=NO_BREAKS)
    agent = make_agent("E1", min_hours=0, max_hours=8, skills=("email",))
    contacts = at_times({local_dt(WEEK, "10:00"): 40})
    bound = bound_of([agent], config, contacts=contacts, availability=[only("E1", 10, 18)])
    assert bound.status == "optimal"
    assert bound.contacts == pytest.approx(40)
    assert bound.level == pytest.approx(0.6, abs=1e-6)
    result, _ = solve_checked(
        [agent], config, Horizon(WEEK, 1), availability=[only("E1", 10, 18)], contacts=contacts
    )
    assert kpi_level(result, [agent], config, contacts=contacts) == pytest.approx(0.6)


def test_phone_kept_covered_leaves_email_late() -> None:
    # A (phone + email) can only work 10:00-18:00; phone needs 1 from 10:00 to 14:00 and 12
    # emails (120 staff-minutes) at 10:00 are due by 14:00. Phone covered in full leaves
    # email nothing before 14:00: bound 0. Without a phone floor all 12 can be in time.
    config = email_config(rules=relaxed_rules(), breaks=NO_BREAKS)
    agent = make_agent("A", min_hours=0, max_hours=8, skills=("phone", "email"))
    need = window_need(WEEK, 10, 14, {"phone": 1})
    contacts = at_times({local_dt(WEEK, "10:00"): 12})
    kept = bound_of(
        [agent], config, need, contacts, [only("A", 10, 18)], share={"phone": 1.0}
    )
    assert kept.floors == {"phone": 240, "sms": 0}
    assert kept.level == pytest.approx(0.0, abs=1e-6)
    free = bound_of([agent], config, need, contacts, [only("A", 10, 18)])
    assert free.level == pytest.approx(1.0, abs=1e-6)
    half = bound_of([agent], config, need, contacts, [only("A", 10, 18)], share={"phone": 0.5})
    # Half the phone need (120 staff-minutes) leaves 120 for email before 14:00: all 12.
    assert half.level == pytest.approx(1.0, abs=1e-6)


def test_breaks_may_lie_anywhere_so_the_bound_stays_above_the_roster() -> None:
    # An 8-hour shift with its meal and rests (placed by the solver where it likes): 44
    # emails at 10:00 due by 14:00 are more than 4 hours of presence can answer. The bound
    # lets the breaks lie after 14:00 (240 minutes, 24 emails: 24/44); the roster's own
    # share is at most that.
    config = email_config(rules=relaxed_rules())
    agent = make_agent("E1", min_hours=0, max_hours=8, skills=("email",))
    contacts = at_times({local_dt(WEEK, "10:00"): 44})
    window = [only("E1", 10, 18.5)]
    bound = bound_of([agent], config, contacts=contacts, availability=window)
    assert bound.level == pytest.approx(24 / 44, abs=1e-6)
    result, _ = solve_checked(
        [agent], config, Horizon(WEEK, 1), availability=window, contacts=contacts
    )
    assert kpi_level(result, [agent], config, contacts=contacts) <= bound.level + 1e-9


def test_work_after_the_last_opening_is_not_counted() -> None:
    # Emails arriving after the week's last open interval have no due time here: like the
    # KPI, the bound leaves them out of the contacts.
    config = email_config(rules=relaxed_rules(), breaks=NO_BREAKS)
    agent = make_agent("E1", min_hours=0, max_hours=8, skills=("email",))
    late = WEEK + timedelta(days=7)  # Sunday after the week, 03:00: closed until 08:00
    contacts = at_times({local_dt(WEEK, "10:00"): 4, local_dt(late, "03:00"): 5})
    bound = bound_of([agent], config, contacts=contacts, availability=[only("E1", 10, 18)])
    assert bound.contacts == pytest.approx(4)
    assert bound.level == pytest.approx(1.0, abs=1e-6)
