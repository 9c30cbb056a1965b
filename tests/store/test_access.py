"""Every service function, called as every kind of user: what each may do, and each refusal.

Roles: the team's manager, lead and agent; the manager of another team (objects of team alpha
are refused to them; team-wide reads give their own team only); a user disabled after signing
in (refused everywhere, though their session holds an Actor); a forged Actor of no user. An
unknown, unverified or disabled email never gets an Actor at all (:func:`sign_in`). Every
refusal is proven to change nothing (same rows in every table, audit log included).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.store import service
from planner.store.access import AccessDenied, Actor, Refused, sign_in
from planner.store.models import Base
from tests.store.conftest import PEOPLE, START, World
from tests.support.store import made_run

DAY = date.fromisoformat(START)
EVERYONE = {"manager", "lead", "agent"}
STAFF = {"manager", "lead"}

Call = Callable[[Actor], Any]


def _setup(world: World, sample_texts: dict[str, str]) -> dict[str, Call]:
    """One published version (run 1) and a second finished run planned on it, then one call
    per service function."""
    store, lead, manager = world.store, world["lead"], world["manager"]
    first = made_run(store, lead, START, [("A001", "2026-11-22", "16:00", 6)])
    version = service.publish_run(store, manager, first)
    second = made_run(store, lead, START, [("A001", "2026-11-22", "16:00", 6)])
    small = {k: v for k, v in sample_texts.items() if k in ("config.toml", "agents.csv")}

    pending = [service.submit_run(store, lead, DAY, 1).id for _ in range(2)]
    doomed = [service.create_scenario(store, lead, f"doomed {n}", {}).id for n in range(2)]
    kept = service.create_scenario(store, lead, "kept", {}).id
    dataset = service.list_datasets(store, lead)[0].id

    def delete(actor: Actor) -> Any:
        service.delete_scenario(store, actor, doomed[0])  # refused: raises before the pop
        return doomed.pop(0)

    def cancel(actor: Actor) -> Any:
        view = service.cancel_run(store, actor, pending[0])  # refused: raises before the pop
        pending.pop(0)
        return view

    return {
        "my_team": lambda a: service.my_team(store, a),
        "import_dataset": lambda a: service.import_dataset(store, a, small),
        "list_datasets": lambda a: service.list_datasets(store, a),
        "team_agents": lambda a: service.team_agents(store, a),
        "create_scenario": lambda a: service.create_scenario(store, a, a.email, {"seed": 3}),
        "list_scenarios": lambda a: service.list_scenarios(store, a),
        "submit_run": lambda a: service.submit_run(store, a, DAY, 1),
        "list_runs": lambda a: service.list_runs(store, a),
        "get_run": lambda a: service.get_run(store, a, first),
        "run_events": lambda a: service.run_events(store, a, first),
        "cancel_run": cancel,
        "draft_roster": lambda a: service.draft_roster(store, a, second),
        "publish_run": lambda a: service.publish_run(store, a, second),
        "list_versions": lambda a: service.list_versions(store, a),
        "get_version": lambda a: service.get_version(store, a, version.id),
        "roster_in_force": lambda a: service.roster_in_force(store, a),
        "fairness_counts": lambda a: service.fairness_counts(store, a),
        "export_calendar": lambda a: service.export_calendar(store, a, "A001"),
        "export_roster_csv": lambda a: service.export_roster_csv(store, a),
        "export_roster_xlsx": lambda a: service.export_roster_xlsx(store, a),
        "audit_log": lambda a: service.audit_log(store, a),
        "dataset_files": lambda a: service.dataset_files(store, a, dataset),
        "forecast_view": lambda a: service.forecast_view(store, a, first),
        "run_review": lambda a: service.run_review(store, a, first),
        "publish_preview": lambda a: service.publish_preview(store, a, second),
        "compare_runs": lambda a: service.compare_runs(store, a, [first, second]),
        "rename_scenario": lambda a: service.rename_scenario(store, a, kept, f"kept by {a.email}"),
        "delete_scenario": delete,
        "my_schedule": lambda a: service.my_schedule(store, a),
        "mark_seen": lambda a: service.mark_seen(store, a, version.version),
        "feed_token": lambda a: service.feed_token(store, a),
        "revoke_feed_token": lambda a: service.revoke_feed_token(store, a),
        "next_start": lambda a: service.next_start(store, a),
        "team_channels": lambda a: service.team_channels(store, a),
    }


ALLOWED: dict[str, set[str]] = {
    "my_team": EVERYONE,
    "import_dataset": STAFF,
    "list_datasets": STAFF,
    "team_agents": STAFF,
    "create_scenario": STAFF,
    "list_scenarios": STAFF,
    "submit_run": STAFF,
    "list_runs": STAFF,
    "get_run": STAFF,
    "run_events": STAFF,
    "cancel_run": STAFF,
    "draft_roster": STAFF,
    "publish_run": {"manager"},
    "list_versions": STAFF,
    "get_version": STAFF,
    "roster_in_force": EVERYONE,
    "fairness_counts": EVERYONE,
    "export_calendar": EVERYONE,  # the agent is A001: their own calendar
    "export_roster_csv": EVERYONE,  # an agent gets their own rows only
    "export_roster_xlsx": EVERYONE,
    "audit_log": {"manager"},
    "dataset_files": STAFF,
    "forecast_view": STAFF,
    "run_review": STAFF,
    "publish_preview": STAFF,
    "compare_runs": STAFF,
    "rename_scenario": STAFF,
    "delete_scenario": STAFF,
    "my_schedule": {"agent"},  # an agent's own: the account must be linked to an agent
    "mark_seen": EVERYONE,
    "feed_token": {"agent"},
    "revoke_feed_token": {"agent"},
    "next_start": EVERYONE,
    "team_channels": STAFF,
}
"""Who may call what (within their own team)."""

MAY_REFUSE = {"forecast_view", "run_review", "compare_runs"}
"""Allowed calls that refuse the hand-made runs here (no forecast frames, no report): the
role check passes first; the results are proven on real runs in test_dashboard_service.py."""

NOT_ACTOR_CALLS = {"sign_in", "explanation", "feed_calendar", "warm_up"}
"""Public functions without an acting user: signing in, reading a run already fetched, the
calendar feed (its token is the credential; tests in test_dashboard_service.py) and the
server's start-up warming of its caches (returns nothing, shows nobody anything)."""

OF_TEAM_ALPHA = {
    "get_run",
    "run_events",
    "cancel_run",
    "draft_roster",
    "publish_run",
    "get_version",
    "dataset_files",
    "forecast_view",
    "run_review",
    "publish_preview",
    "compare_runs",
    "rename_scenario",
    "delete_scenario",
}
"""Calls naming an object of team alpha: refused to the manager of team beta."""


def _counts(world: World) -> dict[str, int]:
    with world.store.read() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


def test_the_matrix_names_every_service_function() -> None:
    public = {n for n in service.__all__ if n[0].islower() and n not in NOT_ACTOR_CALLS}
    assert public == set(ALLOWED)


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_each_role_may_do_what_it_may_and_every_refusal_changes_nothing(
    world: World, sample_texts: dict[str, str], name: str
) -> None:
    call = _setup(world, sample_texts)[name]
    forged = replace(world["manager"], user_id=10_000, email="nobody@alpha.example")
    refused = {
        "disabled": world["disabled"],
        "forged": forged,
        **{r: world[r] for r in ("manager", "lead", "agent") if r not in ALLOWED[name]},
    }
    if name in OF_TEAM_ALPHA:
        refused["other_manager"] = world["other_manager"]
    for role, actor in refused.items():
        before = _counts(world)
        with pytest.raises(AccessDenied) as caught:
            call(actor)
        assert str(caught.value).startswith(("No access", "Not allowed")), (role, caught.value)
        assert _counts(world) == before, (role, name)
    for role in sorted(ALLOWED[name]):
        if name in MAY_REFUSE:
            with contextlib.suppress(Refused):  # allowed; nothing to show for a hand-made run
                call(world[role])
        else:
            call(world[role])  # allowed: no exception


def test_team_wide_reads_of_another_team_see_nothing_of_this_one(
    world: World, sample_texts: dict[str, str]
) -> None:
    _setup(world, sample_texts)
    other = world["other_manager"]
    assert service.my_team(world.store, other).name == "beta"
    assert service.list_runs(world.store, other) == []
    assert service.list_versions(world.store, other) == []
    assert service.roster_in_force(world.store, other).shifts == ()
    assert service.fairness_counts(world.store, other) == {}
    assert all(e.action != "roster.publish" for e in service.audit_log(world.store, other))
    assert service.export_roster_csv(world.store, other).decode().count("\n") == 1  # header
    # their own team's data set, not alpha's: same sample, but their own rows
    assert [d.version for d in service.list_datasets(world.store, other)] == [1]


def test_an_agent_reads_only_their_own_shifts_breaks_counts_and_calendar(
    world: World, sample_texts: dict[str, str]
) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    run = made_run(
        store, lead, START, [("A001", "2026-11-22", "16:00", 6), ("A002", "2026-11-22", "16:00", 6)]
    )
    service.publish_run(store, manager, run)
    mine = service.roster_in_force(store, world["agent"])
    assert {s.agent_id for s in mine.shifts} == {"A001"}
    assert {b.agent_id for b in mine.breaks} == {"A001"}
    assert set(service.fairness_counts(store, world["agent"])) == {"A001"}
    csv_rows = service.export_roster_csv(store, world["agent"]).decode().splitlines()[1:]
    assert [r.split(",")[0] for r in csv_rows] == ["A001"]
    assert len(service.roster_in_force(store, lead).shifts) == 2
    with pytest.raises(AccessDenied, match="only their own"):
        service.roster_in_force(store, world["agent"], agent_id="A002")
    with pytest.raises(AccessDenied, match="only their own"):
        service.export_calendar(store, world["agent2"], "A001")
    with pytest.raises(AccessDenied, match="only published"):
        service.export_roster_csv(store, world["agent"], run_id=run)


def test_sign_in_maps_a_verified_email_to_its_user_and_refuses_the_rest(world: World) -> None:
    store = world.store
    manager = sign_in(store, "  Manager@Alpha.Example ")
    assert (manager.role, manager.team, manager.agent_id) == ("manager", "alpha", None)
    agent = sign_in(store, PEOPLE["agent"][0], verified=None)
    assert (agent.role, agent.agent_id) == ("agent", "A001")
    with pytest.raises(AccessDenied, match=r"^No access: stranger@x.example is not a user"):
        sign_in(store, "stranger@x.example")
    with pytest.raises(AccessDenied, match="is disabled"):
        sign_in(store, PEOPLE["disabled"][0])
    with pytest.raises(AccessDenied, match="not a verified email"):
        sign_in(store, PEOPLE["manager"][0], verified=False)
    with pytest.raises(AccessDenied, match="no email"):
        sign_in(store, None)


def test_a_role_change_takes_effect_at_once_for_a_signed_in_session(world: World) -> None:
    from planner.store.models import User

    lead = world["lead"]
    service.list_runs(world.store, lead)
    with world.store.write() as session:
        user = session.get(User, lead.user_id)
        assert user is not None
        user.role = "agent"
        user.agent_id = "A003"
    with pytest.raises(AccessDenied, match="you are agent"):
        service.list_runs(world.store, lead)
