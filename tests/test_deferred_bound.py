"""The upper bound on email's service level (planner/roster/deferred_bound.py), by hand.

Every case uses :func:`tests.support.model.email_config` (one email = 10 staff-minutes of
work); the bound is compared with the arithmetic and with the KPI of a solved, checked roster
(the bound must never be below what a roster achieves).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.domain import AvailabilityWindow, Horizon
from planner.roster.deferred_bound import (
    ServiceBound,
    fifo_service_level_bound,
    live_floors,
    service_level_bound,
)
from planner.verify.kpi import compute_kpis
from tests.support.model import (
    NO_BREAKS,
    SUNDAY,
    WEEK,
    at_times,
    available,
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


def only(agent_id: str, start: float, end: float) -> AvailabilityWindow:
    return available(agent_id, SUNDAY, start, end)


def bound_of(  # type: ignore[no-untyped-def]
    agents, config, need=None, *, contacts=None, availability=(), share=None, fifo=None,
    target=0.0,
):  # fmt: skip
    horizon = Horizon(WEEK, 1)
    problem = make_problem(
        agents, config, horizon, need, contacts=contacts, availability_rows=availability,
        prune=False,
    )  # fmt: skip
    requirements = make_requirements(config, horizon, need or (lambda _t, _c: 0), contacts=contacts)
    floors = live_floors(problem, share or {})
    if fifo is not None:
        return fifo_service_level_bound(
            problem, requirements, floors, week=0, target=target, step_hours=fifo, time_limit=60
        )
    return service_level_bound(problem, requirements, floors, time_limit=30)


def kpi_level(result, agents, config, contacts=None):  # type: ignore[no-untyped-def]
    horizon = Horizon(WEEK, 1)
    requirements = make_requirements(config, horizon, lambda _t, _c: 0, contacts=contacts)
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

    def with_phone(share: dict[str, float] | None) -> ServiceBound:
        window = [only("A", 10, 18)]
        return bound_of([agent], config, need, contacts=contacts, availability=window, share=share)

    kept = with_phone({"phone": 1.0})
    assert kept.floors == {"phone": 240, "sms": 0}
    assert kept.level == pytest.approx(0.0, abs=1e-6)
    free = with_phone(None)
    assert free.level == pytest.approx(1.0, abs=1e-6)
    half = with_phone({"phone": 0.5})
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


def test_fifo_bound_counts_the_late_work_the_queue_still_answers() -> None:
    # 40 emails at 10:00 (due 14:00) and 12 at 14:00 (due 18:00); the one agent works
    # 10:00-18:00 (30 staff-minutes a half hour, no breaks). FIFO: 240 minutes by 14:00 (24
    # of the 40 in time), then the 160 late minutes first, so by 18:00 only 480 - 400 = 80
    # minutes of the 12 emails: 8 in time. 32 of 52.
    # The LP skips the late work: 24 + 12 = 36 of 52. The FIFO bound, due point by due
    # point (half-hour buckets): a last on-time due point at 14:00 gives 24; at 18:00 the
    # queue must have served the 400 minutes due before it plus the 12 emails' in-time
    # minutes by 18:00, 480 at most: 8 emails, 32 in all.
    config = email_config(rules=relaxed_rules(), breaks=NO_BREAKS)
    agent = make_agent("E1", min_hours=0, max_hours=8, skills=("email",))
    contacts = at_times({local_dt(WEEK, "10:00"): 40, local_dt(WEEK, "14:00"): 12})
    window = [only("E1", 10, 18)]
    plain = bound_of([agent], config, contacts=contacts, availability=window)
    assert plain.level == pytest.approx(36 / 52, abs=1e-6)
    fifo = bound_of([agent], config, contacts=contacts, availability=window, fifo=0.5)
    assert fifo.method == "fifo"
    assert fifo.level == pytest.approx(32 / 52, abs=1e-6)
    assert [b.on_time for b in fifo.buckets] == pytest.approx([24, 32], abs=1e-6)
    result, _ = solve_checked(
        [agent], config, Horizon(WEEK, 1), availability=window, contacts=contacts
    )
    assert kpi_level(result, [agent], config, contacts=contacts) == pytest.approx(32 / 52)


def test_fifo_bound_skips_buckets_that_cannot_reach_the_target() -> None:
    # The same, with a 90% target: a last on-time due point at 14:00 leaves at most 40 of 52
    # (77%) in time, so that bucket needs no LP; only the 18:00 one is solved.
    config = email_config(rules=relaxed_rules(), breaks=NO_BREAKS)
    agent = make_agent("E1", min_hours=0, max_hours=8, skills=("email",))
    contacts = at_times({local_dt(WEEK, "10:00"): 40, local_dt(WEEK, "14:00"): 12})
    fifo = bound_of(
        [agent], config, contacts=contacts, availability=[only("E1", 10, 18)], fifo=0.5,
        target=0.9,
    )  # fmt: skip
    assert [(b.trivial, b.on_time) for b in fifo.buckets] == [
        (True, pytest.approx(40)),
        (False, pytest.approx(32, abs=1e-6)),
    ]
    assert fifo.level == pytest.approx(40 / 52)
