"""deferred_overdue: email work answered after its response time, exact by hand.

Every case uses :func:`tests.support.model.email_config` (one email = 10 staff-minutes of
work), no breaks (so presence is 30 minutes an interval) and agents whose availability and
weekly hours leave them exactly one shift, so the arithmetic can be written out. Every solve
goes through the independent checker, which must find the same terms.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from planner.domain import ChannelConfig, Horizon
from planner.roster.construct import construct
from planner.roster.model import build_model, evaluate_incumbent, solve_model, total
from planner.roster.variables import Incumbent, Scope
from tests.support.model import (
    CHANNELS,
    EMAIL,
    NO_BREAKS,
    SUNDAY,
    WEEK,
    at_times,
    available,
    email_config,
    local_dt,
    make_agent,
    make_config,
    make_problem,
    relaxed_rules,
    solve_checked,
    window_need,
)

MONDAY = WEEK + timedelta(days=1)


def config():  # type: ignore[no-untyped-def]
    return email_config(rules=relaxed_rules(), breaks=NO_BREAKS)


def test_email_in_a_quiet_interval_is_answered_in_time() -> None:
    # One email agent, 10:00-18:00 on Sunday (open 08:00-02:00). 12 emails (120 staff-minutes)
    # arrive at 12:00 and are due by 16:00 (8 open half hours): answered 12:00-14:00.
    # Overdue 0; idle = 480 present - 120 served = 360.
    agent = make_agent("E1", min_hours=8, max_hours=8, skills=("email",))
    result, checked = solve_checked(
        [agent],
        config(),
        Horizon(WEEK, 1),
        availability=[available("E1", SUNDAY, 10, 18)],
        contacts=at_times({local_dt(WEEK, "12:00"): 12}),
    )
    assert checked is not None
    assert result.terms["deferred_overdue"].raw == 0
    assert result.terms["over_staffing"].raw == 480 - 120
    assert result.terms["under_staffing"].raw == 0


def test_short_capacity_costs_each_overdue_minute_at_each_due_point() -> None:
    # 40 emails (400 staff-minutes) at 10:00, due by 14:00; one agent 10:00-18:00 serves 30
    # a half hour: served 240 by 14:00, 270 by 14:30, ..., 390 by 16:30, all 400 by 17:00.
    # Overdue at the due points 14:00 ... 16:30: 160 + 130 + 100 + 70 + 40 + 10 = 510
    # staff-minutes; the raw value counts whole staff-hours: 8.
    agent = make_agent("E1", min_hours=8, max_hours=8, skills=("email",))
    result, checked = solve_checked(
        [agent],
        config(),
        Horizon(WEEK, 1),
        availability=[available("E1", SUNDAY, 10, 18)],
        contacts=at_times({local_dt(WEEK, "10:00"): 40}),
    )
    assert checked is not None
    assert checked.terms["deferred_overdue_minutes.email"] == 510
    assert result.terms["deferred_overdue"].raw == 510 // 60  # whole staff-hours: 8
    assert result.terms["deferred_overdue"].weight == 3
    assert result.terms["over_staffing"].raw == 480 - 400


def test_live_first_leaves_email_short() -> None:
    # A (phone + email) works 10:00-18:00; phone needs 1 from 10:00 to 14:00 and gets A
    # first. 12 emails (120 staff-minutes) at 10:00 are due by 14:00 but wait for A until
    # 14:00: served 0 by 14:00, 30 by 14:30, 60, 90, 120 by 16:00.
    # Overdue: 120 + 90 + 60 + 30 = 300 staff-minutes = 5 staff-hours.
    # Idle: 480 - 240 phone - 120 email = 120.
    agent = make_agent("A", min_hours=8, max_hours=8, skills=("phone", "email"))
    result, checked = solve_checked(
        [agent],
        config(),
        Horizon(WEEK, 1),
        window_need(WEEK, 10, 14, {"phone": 1}),
        availability=[available("A", SUNDAY, 10, 18)],
        contacts=at_times({local_dt(WEEK, "10:00"): 12}),
    )
    assert checked is not None
    assert result.terms["under_staffing"].raw == 0
    assert result.terms["deferred_overdue"].raw == 5
    assert result.terms["over_staffing"].raw == 120
    assert checked.terms["deferred_overdue_minutes.email"] == 300
    assert checked.terms["under_staffing.email"] == 0


def test_a_phone_agent_frees_the_email_skilled_one() -> None:
    # The same, plus B (phone only) 10:00-18:00: B takes phone, A answers the 120 minutes of
    # email by 14:00. Overdue 0; idle = 960 - 240 - 120 = 600.
    agents = [
        make_agent("A", min_hours=8, max_hours=8, skills=("phone", "email")),
        make_agent("B", min_hours=8, max_hours=8, skills=("phone",)),
    ]
    result, _ = solve_checked(
        agents,
        config(),
        Horizon(WEEK, 1),
        window_need(WEEK, 10, 14, {"phone": 1}),
        availability=[available("A", SUNDAY, 10, 18), available("B", SUNDAY, 10, 18)],
        contacts=at_times({local_dt(WEEK, "10:00"): 12}),
    )
    assert result.terms["under_staffing"].raw == 0
    assert result.terms["deferred_overdue"].raw == 0
    assert result.terms["over_staffing"].raw == 600


def test_the_clock_waits_for_the_opening() -> None:
    # Monday is open 16:00-02:00. 6 emails (60 staff-minutes) arrive at 10:00, while closed:
    # their clock starts at 16:00, so they are due by 20:00 (not 14:00). The only agent works
    # 19:30-23:30 (4 h): served 30 by 20:00, 60 by 20:30. Overdue: 30 staff-minutes at 20:00
    # only (0 whole staff-hours). Idle: 240 - 60 = 180.
    agent = make_agent("E1", min_hours=4, max_hours=4, shift_hours=(4,), skills=("email",))
    result, checked = solve_checked(
        [agent],
        config(),
        Horizon(WEEK, 1),
        availability=[available("E1", 0, 19.5, 23.5)],
        contacts=at_times({local_dt(MONDAY, "10:00"): 6}),
    )
    assert checked is not None
    assert checked.terms["deferred_overdue_minutes.email"] == 30
    assert result.terms["deferred_overdue"].raw == 0
    assert result.terms["over_staffing"].raw == 180


def test_nobody_to_answer_counts_every_due_point() -> None:
    # No agent: 1 email (10 staff-minutes) at Saturday 23:00 (the week's last day, open to
    # 02:00) is due by the end of the last open interval (fewer than 8 remain): 01:30-02:00.
    # Overdue 10 staff-minutes there only; 7 emails, 70 staff-minutes, 1 staff-hour.
    saturday = WEEK + timedelta(days=6)
    result, checked = solve_checked(
        [],
        config(),
        Horizon(WEEK, 1),
        contacts=at_times({local_dt(saturday, "23:00"): 7}),
    )
    assert checked is not None
    assert checked.terms["deferred_overdue_minutes.email"] == 70
    assert result.terms["deferred_overdue"].raw == 1


def test_two_deferred_channels_share_the_leftover() -> None:
    # "review" (deferred, priority 2) is served before email. One agent with both skills,
    # 10:00-18:00: 24 reviews (240 min) and 12 emails (120 min) at 10:00, due by 14:00.
    # Review takes the first 240 minutes (done at 14:00, on time); email gets 14:00-16:00:
    # overdue 120 + 90 + 60 + 30 = 300 staff-minutes, x priority 1: 5 staff-hours.
    review = ChannelConfig("review", "deferred", priority=2, shrinkage=0.2, max_occupancy=0.75)
    cfg = make_config(
        channels=(*CHANNELS[:2], EMAIL, review), rules=relaxed_rules(), breaks=NO_BREAKS
    )
    agent = make_agent("A", min_hours=8, max_hours=8, skills=("email", "review"))
    ten = local_dt(WEEK, "10:00")

    def contacts(local, channel):  # type: ignore[no-untyped-def]
        return {"email": 12, "review": 24}.get(channel, 0) if local == ten else 0

    result, checked = solve_checked(
        [agent],
        cfg,
        Horizon(WEEK, 1),
        availability=[available("A", SUNDAY, 10, 18)],
        contacts=contacts,
    )
    assert checked is not None
    assert checked.terms["deferred_overdue_minutes.review"] == 0
    assert checked.terms["deferred_overdue_minutes.email"] == 300
    assert result.terms["deferred_overdue"].raw == 5


def one_agent_value(problem, agent: int, incumbent: Incumbent, roster: Incumbent) -> float | None:  # type: ignore[no-untyped-def]
    """The one-agent model around ``incumbent``, its agent fixed to ``roster``'s shifts."""
    built = build_model(problem, Scope((agent,), range(problem.n_days)), incumbent)
    assert built.variables.marginal
    for j, var in built.variables.free_vars().items():
        built.model.add(var == int(roster.chosen[j]))
    return solve_model(built, time_limit=10).objective


def test_the_one_agent_model_prices_the_backlog_against_the_other_days() -> None:
    # Two agents over a week, phone need in the afternoons and email through every day. The
    # one-agent model prices each shift exactly against the agent's other days as they are:
    # its value of the incumbent, and of every schedule changing one day of it, is exact.
    agents = [
        make_agent("A", max_hours=16, skills=("phone", "email")),
        make_agent("B", max_hours=16, skills=("email",)),
    ]
    # A rest of 10 h keeps two shifts of an agent out of each other's intervals (marginal).
    cfg = email_config(rules=relaxed_rules(min_rest_hours=10), breaks=NO_BREAKS)

    def emails(local, channel):  # type: ignore[no-untyped-def]
        return 3 if channel == "email" and 9 <= local.hour < 22 and local.minute == 0 else 0

    problem = make_problem(
        agents, cfg, Horizon(WEEK, 1), window_need(None, 14, 18, {"phone": 1}), contacts=emails
    )
    made = construct(problem)
    assert made.incumbent is not None
    incumbent = made.incumbent
    checked = 0
    for agent in range(problem.n_agents):
        exact = total(evaluate_incumbent(problem, incumbent))
        assert one_agent_value(problem, agent, incumbent, incumbent) == exact
        ids = problem.candidates_of_agent(agent)
        for j in range(ids.start, ids.stop, 7):
            day = problem.candidates_of(agent, int(problem.cands.day[j]))
            trial = incumbent.copy()
            trial.replace(problem, np.arange(day.start, day.stop), np.array([j]))
            priced = one_agent_value(problem, agent, incumbent, trial)
            if priced is None:
                continue  # the change breaks a weekly rule
            assert priced == total(evaluate_incumbent(problem, trial))
            checked += 1
    assert checked > 10


def test_the_full_model_never_prices_a_roster_above_its_exact_value() -> None:
    # The model may allocate an agent to email instead of phone (a relaxation of live-first):
    # its value of a fixed roster is at most the exact one. A (phone + email) alone, phone
    # all afternoon, a flood of email at noon.
    agents = [make_agent("A", min_hours=8, max_hours=8, skills=("phone", "email"))]
    cfg = config()
    problem = make_problem(
        agents,
        cfg,
        Horizon(WEEK, 1),
        window_need(WEEK, 12, 18, {"phone": 1}),
        contacts=at_times({local_dt(WEEK, "12:00"): 50}),
        availability_rows=[available("A", SUNDAY, 10, 18)],
    )
    chosen = np.zeros(len(problem.cands), dtype=bool)
    chosen[0] = True
    incumbent = Incumbent.from_chosen(problem, chosen)
    built = build_model(problem, Scope.everything(problem), incumbent)
    for j, var in built.variables.free_vars().items():
        built.model.add(var == int(chosen[j]))
    outcome = solve_model(built, time_limit=10)
    assert outcome.objective is not None
    assert outcome.objective <= total(evaluate_incumbent(problem, incumbent))


def test_a_neighbourhood_model_prices_its_queue_window_and_tail_exactly() -> None:
    # Three agents over a week, email every hour of the day: a few agents over a few days
    # are free, the rest fixed. The queue before the window is the fixed roster's, after it
    # an exact function of the service at its end: fixed to the incumbent, the model says the
    # incumbent's exact value; moved, it never says more than the exact value.
    agents = [
        make_agent("A", max_hours=24, skills=("phone", "email")),
        make_agent("B", max_hours=24, skills=("email",)),
        make_agent("C", max_hours=24, skills=("sms", "email")),
    ]
    cfg = email_config(rules=relaxed_rules(min_rest_hours=10), breaks=NO_BREAKS)

    def emails(local, channel):  # type: ignore[no-untyped-def]
        return 2 if channel == "email" and not local.minute else 0

    problem = make_problem(
        agents,
        cfg,
        Horizon(WEEK, 1),
        window_need(None, 16, 22, {"phone": 1, "sms": 1}),
        contacts=emails,
    )
    made = construct(problem)
    assert made.incumbent is not None
    incumbent = made.incumbent
    exact = total(evaluate_incumbent(problem, incumbent))
    for scope in (
        Scope((0, 1), range(2, 4)),
        Scope((1, 2), range(0, 2)),
        Scope((0, 2), range(5, 7)),
    ):
        built = build_model(problem, scope, incumbent)
        assert not built.variables.marginal
        fixed = build_model(problem, scope, incumbent)
        for j, var in fixed.variables.free_vars().items():
            fixed.model.add(var == int(incumbent.chosen[j]))
        assert solve_model(fixed, time_limit=10).objective == exact
        moved = solve_model(built, time_limit=10)
        assert moved.chosen is not None
        assert moved.objective is not None
        free = built.variables.free_ids
        trial = incumbent.copy()
        trial.replace(problem, free[incumbent.chosen[free]], moved.chosen)
        assert moved.objective <= total(evaluate_incumbent(problem, trial))
