"""Everything the dashboard does, as functions of (store, acting user, ...).

Each function opens its own transaction, re-reads the acting user (:func:`acting`: still
enabled, current role and team) and refuses with :class:`AccessDenied` what their role or team
does not allow, before touching anything. A refusal of the action itself (a stale base, a
frozen shift, a run not finished) is :class:`Refused`; bad input files or a bad horizon are
:class:`~planner.data.problems.InputError` with every problem. Results are plain frozen
dataclasses, never database rows.

Rules (see :mod:`planner.store.access`): an agent reads only their own published shifts,
breaks, fairness counts and calendar; a lead imports data, creates scenarios and runs and
cancels them for their team, and reads all of it, but cannot publish; a manager also publishes
(and may override the freeze window, audited) and reads the audit log. Nobody reads another
team.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.data.io import DataSet, check_horizon_start
from planner.data.problems import Problems
from planner.data.roster_io import FAIRNESS_KINDS
from planner.domain import Agent, ChannelConfig, Roster
from planner.store import datasets, exports, insight, ledger, publish, rosters, runs, scenarios
from planner.store.access import (
    AccessDenied,
    Actor,
    NotFound,
    Refused,
    Role,
    acting,
    audit,
    own_agent,
    same_team,
    sign_in,
)
from planner.store.db import Store
from planner.store.exports import BreakView, ShiftView
from planner.store.models import (
    FINISHED,
    AuditEntry,
    BreakRow,
    CalendarFeed,
    DataSetRow,
    RosterVersion,
    Run,
    RunEvent,
    RunFrame,
    ScenarioRow,
    SeenVersion,
    ShiftRow,
    Team,
    User,
)

__all__ = [
    "AccessDenied",
    "Actor",
    "NotFound",
    "Refused",
    "audit_log",
    "cancel_run",
    "compare_runs",
    "create_scenario",
    "dataset_files",
    "delete_scenario",
    "draft_roster",
    "explanation",
    "export_calendar",
    "export_roster_csv",
    "export_roster_xlsx",
    "fairness_counts",
    "feed_calendar",
    "feed_token",
    "forecast_view",
    "get_run",
    "get_version",
    "import_dataset",
    "list_datasets",
    "list_runs",
    "list_scenarios",
    "list_versions",
    "mark_seen",
    "my_schedule",
    "my_team",
    "next_start",
    "publish_preview",
    "publish_run",
    "rename_scenario",
    "revoke_feed_token",
    "roster_in_force",
    "run_events",
    "run_review",
    "sign_in",
    "submit_run",
    "team_agents",
    "team_channels",
    "warm_up",
]

STAFF: tuple[Role, ...] = ("manager", "lead")
MAX_WEEKS = 12
FORECAST_BUDGET = 600.0
"""Seconds a forecast run may take before the worker stops it."""


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str


@dataclass(frozen=True)
class DataSetView:
    id: int
    version: int
    created_at: datetime
    note: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioView:
    id: int
    name: str
    base_id: int | None
    overrides: dict[str, Any]
    resolved: dict[str, Any]


@dataclass(frozen=True)
class RunView:
    """A run: what it was given, where it is, what it produced."""

    id: int
    kind: str
    status: str
    start: date
    weeks: int
    dataset_id: int
    scenario_id: int | None
    base_version_id: int | None
    inputs: dict[str, Any]
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool
    message: str
    solve_status: str | None
    proven_optimal: bool | None
    objective: int | None
    bound: float | None
    gap: float | None
    check_ok: bool | None
    report: dict[str, Any] | None
    check: dict[str, Any] | None
    results: dict[str, Any] | None
    timings: dict[str, Any] | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    elapsed: float | None
    objective: int | None
    bound: float | None
    gap: float | None
    under_staffed_hours: float | None
    phase: str


@dataclass(frozen=True)
class VersionView:
    id: int
    version: int
    run_id: int
    start: date
    weeks: int
    published_by: str | None
    published_at: datetime
    diff: dict[str, Any]
    override_reason: str | None


@dataclass(frozen=True)
class RosterView:
    shifts: tuple[ShiftView, ...]
    breaks: tuple[BreakView, ...]


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    detail: dict[str, Any]


def _email(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return None if user is None else user.email


def _run_view(session: Session, run: Run) -> RunView:
    return RunView(
        id=run.id,
        kind=run.kind,
        status=run.status,
        start=run.start,
        weeks=run.weeks,
        dataset_id=run.dataset_id,
        scenario_id=run.scenario_id,
        base_version_id=run.base_version_id,
        inputs=dict(run.inputs),
        created_by=_email(session, run.created_by),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        cancel_requested=run.cancel_requested,
        message=run.message,
        solve_status=run.solve_status,
        proven_optimal=run.proven_optimal,
        objective=run.objective,
        bound=run.bound,
        gap=run.gap,
        check_ok=run.check_ok,
        report=run.report,
        check=run.check,
        results=run.results,
        timings=run.timings,
    )


def _version_view(session: Session, v: RosterVersion) -> VersionView:
    return VersionView(
        id=v.id,
        version=v.version,
        run_id=v.run_id,
        start=v.start,
        weeks=v.weeks,
        published_by=_email(session, v.published_by),
        published_at=v.published_at,
        diff=dict(v.diff),
        override_reason=v.override_reason,
    )


def _shift_view(s: ShiftRow, versions: Mapping[int, RosterVersion] | None = None) -> ShiftView:
    v = versions.get(s.version_id) if versions and s.version_id is not None else None
    return ShiftView(
        agent_id=s.agent_id,
        date=s.date,
        start_utc=s.start_utc,
        end_utc=s.end_utc,
        timezone=s.timezone,
        paid_hours=s.paid_hours,
        evening=s.evening,
        weekend=s.weekend,
        holiday=s.holiday,
        closer=s.closer,
        version=None if v is None else v.version,
        published_at=None if v is None else v.published_at,
    )


def _break_view(b: BreakRow) -> BreakView:
    return BreakView(b.agent_id, b.start_utc, b.end_utc, b.kind, b.paid)


def _versions(session: Session, team_id: int) -> dict[int, RosterVersion]:
    rows = session.scalars(select(RosterVersion).where(RosterVersion.team_id == team_id))
    return {v.id: v for v in rows}


def _run(session: Session, actor: Actor, run_id: int) -> Run:
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"there is no run {run_id}")
    same_team(actor, run.team_id, f"run {run_id}")
    return run


# --------------------------------------------------------------------------- team and data


def my_team(store: Store, actor: Actor) -> TeamView:
    """The acting user's team (every role)."""
    with store.read() as session:
        who = acting(session, actor)
        return TeamView(who.team_id, who.team)


def import_dataset(
    store: Store,
    actor: Actor,
    files: Mapping[str, bytes | str],
    note: str = "",
    *,
    on_top: bool = False,
) -> DataSetView:
    """Check the contract files (every problem at once: :class:`InputError`) and store them as
    the team's next data set (manager, lead). ``on_top``: the files replace their namesakes of
    the newest data set and the rest is kept (upload only what changed). Excel workbooks
    (``agents.xlsx``) count as their CSV namesake."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        if on_top:
            row = datasets.latest_dataset(session, who.team_id)
            base: dict[str, bytes | str] = (
                {} if row is None else dict(datasets.dataset_texts(session, row.id))
            )
            problems = Problems()
            files = {**base, **datasets.uploads(files, problems)}
            problems.raise_if_errors()
    texts = datasets.check_files(files)  # outside the write lock: it reads the history
    with store.write() as session:
        who = acting(session, actor, *STAFF)
        row = datasets.add_dataset(session, who.team_id, texts, who.user_id, note)
        audit(
            session,
            who,
            "dataset.import",
            entity="dataset",
            entity_id=row.id,
            detail={"version": row.version, "files": sorted(texts)},
        )
        return DataSetView(row.id, row.version, row.created_at, row.note, tuple(sorted(texts)))


def list_datasets(store: Store, actor: Actor) -> list[DataSetView]:
    """The team's data sets, newest first (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        rows = session.scalars(
            select(DataSetRow)
            .where(DataSetRow.team_id == who.team_id)
            .order_by(DataSetRow.version.desc())
        )
        return [
            DataSetView(r.id, r.version, r.created_at, r.note, tuple(f.name for f in r.files))
            for r in rows
        ]


def team_agents(store: Store, actor: Actor) -> list[Agent]:
    """The agents of the team's newest data set (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        row = datasets.latest_dataset(session, who.team_id)
        if row is None:
            return []
        texts = datasets.dataset_texts(session, row.id)
    agents_only = {k: v for k, v in texts.items() if k in ("config.toml", "agents.csv")}
    return datasets.load_texts(agents_only).agents


def team_channels(store: Store, actor: Actor) -> tuple[ChannelConfig, ...]:
    """The channels of the team's newest data set, as configured (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        row = datasets.latest_dataset(session, who.team_id)
        if row is None:
            return ()
        return _data(store, session, row.id).config.channels


# --------------------------------------------------------------------------- scenarios


def create_scenario(
    store: Store,
    actor: Actor,
    name: str,
    overrides: Mapping[str, Any],
    base_id: int | None = None,
) -> ScenarioView:
    """A new scenario of the team: ``base_id`` (or the defaults) plus ``overrides`` (manager,
    lead; keys in :data:`planner.store.scenarios.KEYS`)."""
    with store.write() as session:
        who = acting(session, actor, *STAFF)
        if not name.strip():
            raise Refused("a scenario needs a name")
        checked = scenarios.check_overrides(overrides)
        if base_id is not None:
            base = session.get(ScenarioRow, base_id)
            if base is None:
                raise NotFound(f"there is no scenario {base_id}")
            same_team(who, base.team_id, f"scenario {base_id}")
        taken = session.scalar(
            select(ScenarioRow.id).where(
                ScenarioRow.team_id == who.team_id, ScenarioRow.name == name.strip()
            )
        )
        if taken is not None:
            raise Refused(f"the team already has a scenario named {name.strip()!r}")
        row = ScenarioRow(
            team_id=who.team_id,
            name=name.strip(),
            base_id=base_id,
            overrides=checked,
            created_by=who.user_id,
        )
        session.add(row)
        session.flush()
        audit(
            session,
            who,
            "scenario.create",
            entity="scenario",
            entity_id=row.id,
            detail={"name": row.name, "base_id": base_id, "overrides": checked},
        )
        resolved = scenarios.to_json(scenarios.resolve(session, row))
        return ScenarioView(row.id, row.name, base_id, checked, resolved)


def list_scenarios(store: Store, actor: Actor) -> list[ScenarioView]:
    """The team's scenarios, each with its resolved values (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        rows = session.scalars(
            select(ScenarioRow).where(ScenarioRow.team_id == who.team_id).order_by(ScenarioRow.id)
        )
        return [
            ScenarioView(
                r.id,
                r.name,
                r.base_id,
                dict(r.overrides),
                scenarios.to_json(scenarios.resolve(session, r)),
            )
            for r in rows
        ]


# --------------------------------------------------------------------------- runs


def _horizon_problems(start: date, weeks: int, config: Any) -> None:
    problems = Problems()
    if not 1 <= weeks <= MAX_WEEKS:
        problems.add("run", None, "weeks", f"{weeks} must be 1 to {MAX_WEEKS}")
    check_horizon_start(start, config, problems, option="start")
    problems.raise_if_errors()


def queue_run(
    session: Session,
    who: Actor | str,
    start: date,
    weeks: int,
    *,
    kind: str = "solve",
    scenario_id: int | None = None,
    variants: Sequence[Mapping[str, Any]] = (),
    team_id: int | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Run:
    """Queue a run inside the caller's transaction, for ``who`` (a checked actor, or a name
    such as ``"seed"`` with ``team_id``); audited. ``overrides`` apply on top of the scenario."""
    team = who.team_id if isinstance(who, Actor) else team_id
    assert team is not None
    if kind not in ("solve", "forecast", "sweep"):
        raise Refused(f"a run is a solve, a forecast or a sweep, not {kind!r}")
    if kind == "sweep" and not variants:
        raise Refused("a sweep needs at least one variant")
    dataset = datasets.latest_dataset(session, team)
    if dataset is None:
        raise Refused("the team has no data set yet: import one first")
    config = datasets.dataset_config(session, dataset.id)
    _horizon_problems(start, weeks, config)
    row = None
    if scenario_id is not None:
        row = session.get(ScenarioRow, scenario_id)
        if row is None:
            raise NotFound(f"there is no scenario {scenario_id}")
        if isinstance(who, Actor):
            same_team(who, row.team_id, f"scenario {scenario_id}")
    scenario = scenarios.resolve(session, row)
    edits = scenarios.data_edits(session, row)
    if overrides:
        checked = scenarios.check_overrides(overrides)
        scenario = scenarios.apply_overrides(scenario, checked, scenario.name)
        edits.update({k: v for k, v in checked.items() if k in scenarios.DATA_KEYS})
    if edits:
        texts = datasets.dataset_texts(session, dataset.id)
        small = {k: v for k, v in texts.items() if k in ("config.toml", "agents.csv")}
        scenarios.check_data_edits(edits, datasets.load_texts(small))
    swept = [
        scenarios.apply_overrides(scenario, scenarios.check_overrides(v), f"{scenario.name} #{n}")
        for n, v in enumerate(variants, start=1)
    ]
    base = rosters.latest_version(session, team)
    budget = {
        "solve": scenario.time_limit,
        "forecast": FORECAST_BUDGET,
        "sweep": sum(v.time_limit for v in swept),
    }[kind]
    run = Run(
        team_id=team,
        kind=kind,
        dataset_id=dataset.id,
        scenario_id=scenario_id,
        start=start,
        weeks=weeks,
        base_version_id=None if base is None else base.id,
        budget_seconds=budget,
        created_by=who.user_id if isinstance(who, Actor) else None,
        inputs={
            "scenario": scenarios.to_json(scenario),
            "variants": [scenarios.to_json(v) for v in swept],
            "data_edits": edits,
            "dataset_version": dataset.version,
            "previous_version": None if base is None else base.version,
            "freeze_days": config.stability.freeze_days,
            "fairness_carry_over": ledger.carry_json(ledger.carry_over(session, team, start)),
        },
    )
    session.add(run)
    session.flush()
    audit(
        session,
        who,
        "run.submit",
        team_id=team,
        entity="run",
        entity_id=run.id,
        detail={"kind": kind, "start": start.isoformat(), "weeks": weeks},
    )
    return run


def submit_run(
    store: Store,
    actor: Actor,
    start: date,
    weeks: int,
    *,
    kind: str = "solve",
    scenario_id: int | None = None,
    variants: Sequence[Mapping[str, Any]] = (),
    overrides: Mapping[str, Any] | None = None,
) -> RunView:
    """Queue a solve, a forecast or a sweep (``variants``: overrides on top of the scenario,
    one solve each; ``overrides``, e.g. ``{"time_limit": 30}``, on top of the scenario for this
    run alone) for the team (manager, lead). The run records exactly what it will use: the
    newest data set, the resolved scenario, the last published version (its ``previous``) and
    the fairness ledger before ``start`` (its carry-over)."""
    with store.write() as session:
        who = acting(session, actor, *STAFF)
        run = queue_run(
            session,
            who,
            start,
            weeks,
            kind=kind,
            scenario_id=scenario_id,
            variants=variants,
            overrides=overrides,
        )
        return _run_view(session, run)


def list_runs(store: Store, actor: Actor, limit: int = 50) -> list[RunView]:
    """The team's runs, newest first (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        rows = session.scalars(
            select(Run).where(Run.team_id == who.team_id).order_by(Run.id.desc()).limit(limit)
        )
        return [_run_view(session, r) for r in rows]


def get_run(store: Store, actor: Actor, run_id: int) -> RunView:
    """One run of the team (manager, lead): any page, any browser follows the same run."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        return _run_view(session, _run(session, who, run_id))


def run_events(store: Store, actor: Actor, run_id: int, after: int = 0) -> list[EventView]:
    """The run's progress events with an id above ``after``, in order (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        _run(session, who, run_id)
        rows = session.scalars(
            select(RunEvent)
            .where(RunEvent.run_id == run_id, RunEvent.id > after)
            .order_by(RunEvent.id)
        )
        return [
            EventView(
                e.id, e.at, e.elapsed, e.objective, e.bound, e.gap, e.under_staffed_hours, e.phase
            )
            for e in rows
        ]


def cancel_run(store: Store, actor: Actor, run_id: int) -> RunView:
    """Cancel a run (manager, lead): a queued one at once; a running one stops at its next
    heartbeat and keeps its best roster, marked not proven optimal."""
    with store.write() as session:
        who = acting(session, actor, *STAFF)
        run = _run(session, who, run_id)
        if run.status in FINISHED:
            raise Refused(f"run {run_id} is already {run.status}")
        runs.request_cancel(session, who, run)
        session.flush()
        session.refresh(run)
        return _run_view(session, run)


def draft_roster(store: Store, actor: Actor, run_id: int) -> RosterView:
    """A run's roster before publishing (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        _run(session, who, run_id)
        return RosterView(
            tuple(_shift_view(s) for s in rosters.run_shifts(session, run_id)),
            tuple(_break_view(b) for b in rosters.run_breaks(session, run_id)),
        )


# --------------------------------------------------------------------------- publishing


def publish_run(
    store: Store, actor: Actor, run_id: int, override_reason: str | None = None
) -> VersionView:
    """Publish a run's roster as the team's next version, in one transaction (manager only).
    Refused: a stale base, a roster the check did not accept, changes in the freeze window
    without ``override_reason`` (with one, the override is audited)."""
    try:
        with store.write() as session:
            who = acting(session, actor, "manager")
            run = _run(session, who, run_id)
            version = publish.publish(session, who, run, override_reason)
            return _version_view(session, version)
    except IntegrityError as error:
        # Another publish of this team committed first (PostgreSQL: the version number is taken).
        raise Refused(
            "stale base: another version was published at the same moment; run the solve again"
        ) from error


def list_versions(store: Store, actor: Actor) -> list[VersionView]:
    """The team's published versions, newest first (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        rows = session.scalars(
            select(RosterVersion)
            .where(RosterVersion.team_id == who.team_id)
            .order_by(RosterVersion.version.desc())
        )
        return [_version_view(session, v) for v in rows]


def get_version(store: Store, actor: Actor, version_id: int) -> VersionView:
    """One published version with its diff against the one before (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        v = session.get(RosterVersion, version_id)
        if v is None:
            raise NotFound(f"there is no published version {version_id}")
        same_team(who, v.team_id, f"version {version_id}")
        return _version_view(session, v)


def roster_in_force(
    store: Store,
    actor: Actor,
    first: date | None = None,
    end: date | None = None,
    agent_id: str | None = None,
) -> RosterView:
    """The published shifts and breaks in force on ``[first, end)`` (every role). An agent gets
    only their own (asking for another agent is refused); leads and managers the whole team or
    ``agent_id``."""
    with store.read() as session:
        who = acting(session, actor)
        if who.role == "agent":
            if agent_id is not None:
                own_agent(who, agent_id)
            agent_id = who.agent_id
        shifts, breaks = rosters.in_force(session, who.team_id, first, end, agent_id=agent_id)
        versions = _versions(session, who.team_id)
        return RosterView(
            tuple(_shift_view(s, versions) for s in shifts),
            tuple(_break_view(b) for b in breaks),
        )


def fairness_counts(store: Store, actor: Actor) -> dict[str, dict[str, int]]:
    """Per agent, the fairness ledger's sums over the rosters in force: weekend, evening,
    holiday and closer shifts, the holiday credit (weighted), weeks and contracted minutes
    (:data:`planner.store.ledger.COLUMNS`). An agent gets only their own line."""
    with store.read() as session:
        who = acting(session, actor)
        agent = who.agent_id if who.role == "agent" else None
        if who.role == "agent" and agent is None:
            return {}
        return ledger.totals(session, who.team_id, agent_id=agent)


# --------------------------------------------------------------------------- exports


def _names(session: Session, team_id: int) -> dict[str, str]:
    row = datasets.latest_dataset(session, team_id)
    if row is None:
        return {}
    texts = datasets.dataset_texts(session, row.id)
    agents = datasets.load_texts(
        {k: v for k, v in texts.items() if k in ("config.toml", "agents.csv")}
    ).agents
    return {a.agent_id: a.name for a in agents}


def export_calendar(store: Store, actor: Actor, agent_id: str | None = None) -> bytes:
    """An agent's published shifts as ``.ics`` (an agent: their own only; leads and managers:
    any agent of the team)."""
    with store.read() as session:
        who = acting(session, actor)
        agent_id = agent_id or who.agent_id
        if agent_id is None:
            raise Refused("name the agent whose calendar to export")
        own_agent(who, agent_id)
        return calendar_of(session, who.team_id, agent_id)


def calendar_of(session: Session, team_id: int, agent_id: str) -> bytes:
    """The ``.ics`` of an agent's published shifts, inside the caller's transaction (the
    caller checked who may read it: :func:`export_calendar`, or the command line)."""
    shifts, breaks = rosters.in_force(session, team_id, agent_id=agent_id)
    versions = _versions(session, team_id)
    present = {(s.date, s.start_utc) for s in shifts}
    earlier = session.scalars(
        select(ShiftRow).where(
            ShiftRow.version_id.in_(list(versions)), ShiftRow.agent_id == agent_id
        )
    )
    # A shift a later version took away is sent cancelled, under the sequence (version)
    # of the version now in force on its date, so a calendar that has it applies the cancel.
    owner = rosters.owners(session, team_id)
    cancelled = [
        dataclasses.replace(
            _shift_view(s),
            version=owner[s.date].version,
            published_at=owner[s.date].published_at,
        )
        for s in earlier
        if (s.date, s.start_utc) not in present and s.date in owner
    ]
    name = _names(session, team_id).get(agent_id, agent_id)
    return exports.agent_calendar(
        team_id,
        agent_id,
        name,
        [_shift_view(s, versions) for s in shifts],
        [_break_view(b) for b in breaks],
        cancelled=_latest_per_slot(cancelled),
    )


def _latest_per_slot(shifts: list[ShiftView]) -> list[ShiftView]:
    """One cancelled shift per date and start (the same shift may be in several versions)."""
    return list({(s.date, s.start_utc): s for s in shifts}.values())


def _roster_for_export(
    session: Session, who: Actor, version_id: int | None, run_id: int | None
) -> tuple[list[ShiftRow], list[BreakRow]]:
    if run_id is not None:
        if who.role == "agent":
            raise AccessDenied("Not allowed: an agent sees only published shifts.")
        _run(session, who, run_id)
        return rosters.run_shifts(session, run_id), rosters.run_breaks(session, run_id)
    agent = who.agent_id if who.role == "agent" else None
    if version_id is None:
        return rosters.in_force(session, who.team_id, agent_id=agent)
    v = session.get(RosterVersion, version_id)
    if v is None:
        raise NotFound(f"there is no published version {version_id}")
    same_team(who, v.team_id, f"version {version_id}")
    return rosters.version_rows(session, version_id, agent)


def export_roster_csv(
    store: Store, actor: Actor, *, version_id: int | None = None, run_id: int | None = None
) -> bytes:
    """``roster.csv`` of a published version (default: the roster in force) or of a run's
    draft (manager, lead; an agent gets their own published rows only)."""
    with store.read() as session:
        who = acting(session, actor)
        shifts, breaks = _roster_for_export(session, who, version_id, run_id)
        return roster_file(session, who.team_id, shifts, breaks, excel=False)


def export_roster_xlsx(
    store: Store, actor: Actor, *, version_id: int | None = None, run_id: int | None = None
) -> bytes:
    """The same roster as an Excel workbook (Roster and Breaks sheets)."""
    with store.read() as session:
        who = acting(session, actor)
        shifts, breaks = _roster_for_export(session, who, version_id, run_id)
        return roster_file(session, who.team_id, shifts, breaks, excel=True)


def roster_file(
    session: Session,
    team_id: int,
    shifts: Sequence[ShiftRow],
    breaks: Sequence[BreakRow],
    *,
    excel: bool,
) -> bytes:
    """``roster.csv`` bytes, or an Excel workbook with the agents' names and the breaks."""
    views = [_shift_view(s) for s in shifts]
    if not excel:
        return exports.roster_csv(views)
    return exports.roster_xlsx(views, [_break_view(b) for b in breaks], _names(session, team_id))


# --------------------------------------------------------------------------- audit


def audit_log(store: Store, actor: Actor, limit: int = 200) -> list[AuditView]:
    """The team's audit log, newest first (manager only)."""
    with store.read() as session:
        who = acting(session, actor, "manager")
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.team_id == who.team_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        return [
            AuditView(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, dict(e.detail))
            for e in rows
        ]


# --------------------------------------------------------------------------- dashboard reads


def _data(store: Store, session: Session, dataset_id: int) -> DataSet:
    """The parsed data set (cached: a stored data set never changes)."""
    return insight.cached_dataset(
        (store.url, dataset_id),
        lambda: datasets.load_texts(datasets.dataset_texts(session, dataset_id)),
    )


def _frame(session: Session, run_id: int, kind: str) -> pd.DataFrame | None:
    content = session.scalar(
        select(RunFrame.content).where(
            RunFrame.run_id == run_id, RunFrame.kind == kind, RunFrame.variant == 0
        )
    )
    return None if content is None else insight.read_frame(content)


def dataset_files(store: Store, actor: Actor, dataset_id: int | None = None) -> dict[str, str]:
    """The files of a data set of the team (default: the newest), as text (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        if dataset_id is None:
            row = datasets.latest_dataset(session, who.team_id)
            if row is None:
                return {}
            dataset_id = row.id
        found = session.get(DataSetRow, dataset_id)
        if found is None:
            raise NotFound(f"there is no data set {dataset_id}")
        same_team(who, found.team_id, f"data set {dataset_id}")
        return datasets.dataset_texts(session, dataset_id)


@dataclass(frozen=True)
class ForecastView:
    """A run's forecast beside the recent history, its required staff, the holidays of the
    horizon and the forecast's backtest accuracy against seasonal-naive."""

    run_id: int
    zone: str
    channels: tuple[str, ...]
    history: pd.DataFrame
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    holidays: tuple[date, ...]
    accuracy: tuple[insight.Accuracy, ...]


def forecast_view(store: Store, actor: Actor, run_id: int) -> ForecastView:
    """The forecast of a finished forecast or solve run (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        run = _run(session, who, run_id)
        forecast = _frame(session, run_id, "forecast")
        requirements = _frame(session, run_id, "requirements")
        if forecast is None or requirements is None:
            raise Refused(f"run {run_id} has no forecast ({run.status}): wait for it to finish")
        data = _data(store, session, run.dataset_id)
        start, weeks, dataset_id = run.start, run.weeks, run.dataset_id
    end = start + timedelta(days=7 * weeks)
    return ForecastView(
        run_id=run_id,
        zone=data.config.site.business_timezone,
        channels=tuple(data.config.channel_names),
        history=insight.recent_history(data),
        forecast=forecast,
        requirements=requirements,
        holidays=tuple(insight.holidays_between(data, start - timedelta(weeks=12), end)),
        accuracy=tuple(insight.backtest_accuracy((store.url, dataset_id), data)),
    )


@dataclass(frozen=True)
class ReviewView:
    """Everything the review page shows of a solve run's roster."""

    run: RunView
    zone: str
    channels: tuple[str, ...]
    kinds: dict[str, str]
    targets: dict[str, float]
    intervals: pd.DataFrame
    roster: Roster
    agent_zones: dict[str, str]
    counts: dict[str, dict[str, int]]
    team_rate: dict[str, float]
    daily_levels: dict[str, pd.Series]
    """Per channel, the projected service level (%) per business-local date."""


def run_review(store: Store, actor: Actor, run_id: int) -> ReviewView:
    """A solve run's roster with its coverage per interval, service levels, fairness counts
    and the team's rates (manager, lead). Refused while the run has no roster."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        run = _run(session, who, run_id)
        view = _run_view(session, run)
        requirements = _frame(session, run_id, "requirements")
        shifts = [rosters.to_shift(s) for s in rosters.run_shifts(session, run_id)]
        breaks = [rosters.to_break(b) for b in rosters.run_breaks(session, run_id)]
        if requirements is None or not shifts:
            raise Refused(f"run {run_id} has no roster to review ({run.status}: {run.message})")
        data = _data(store, session, run.dataset_id)
    roster = Roster(tuple(shifts), tuple(breaks))
    config = data.config
    counts = ((view.report or {}).get("kpis") or {}).get("counts") or {}
    # A finished run's roster and frames never change: its interval table is computed once
    # per process (keyed by database and run; the access check above comes first).
    intervals = insight.cached_review(
        (store.url, run_id),
        lambda: insight.review_intervals(data, roster, requirements, view.start, view.weeks),
    )
    return ReviewView(
        run=view,
        zone=config.site.business_timezone,
        channels=tuple(config.channel_names),
        kinds={c.name: c.kind for c in config.channels},
        targets={c.name: c.service_level for c in config.channels},
        intervals=intervals,
        roster=roster,
        agent_zones={a.agent_id: a.timezone for a in data.agents},
        counts=counts,
        team_rate=insight.team_rates(counts, FAIRNESS_KINDS),
        daily_levels={c: insight.daily_levels(view.report, c) for c in config.channel_names},
    )


def publish_preview(store: Store, actor: Actor, run_id: int) -> dict[str, Any]:
    """What publishing the run would change against the roster in force over its horizon
    (the diff a version would record: per agent added, removed, moved) (manager, lead)."""
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        run = _run(session, who, run_id)
        publish.check_publishable(run)
        first, end = run.start, run.start + timedelta(days=7 * run.weeks)
        previous, _ = rosters.in_force(session, who.team_id, first, end)
        return rosters.roster_diff(previous, rosters.run_shifts(session, run_id), first, end)


# --------------------------------------------------------------------------- an agent's page


@dataclass(frozen=True)
class ScheduleView:
    """An agent's own published schedule and what goes with it."""

    agent_id: str
    name: str
    zone: str
    week_start: date
    roster: Roster
    versions: dict[tuple[str, str], int]
    counts: dict[str, int]
    team_rate: dict[str, float]
    flags: dict[str, dict[str, bool]]
    changes: list[dict[str, str]]
    latest_version: int | None
    seen_version: int | None


def _own_agent_id(who: Actor) -> str:
    if who.agent_id is None:
        raise AccessDenied(
            "Not allowed: this is an agent's own schedule; your account is not linked to an agent."
        )
    return who.agent_id


def my_schedule(store: Store, actor: Actor, first: date | None = None) -> ScheduleView:
    """The acting agent's published shifts from ``first`` on (default: all in force), their
    fairness counts against the team's mean, and the changes since the version they last saw.
    Any role linked to an agent; nothing of another agent is returned."""
    with store.read() as session:
        who = acting(session, actor)
        agent_id = _own_agent_id(who)
        shifts, breaks = rosters.in_force(session, who.team_id, first, None, agent_id=agent_id)
        versions = _versions(session, who.team_id)
        team = ledger.totals(session, who.team_id)
        latest = rosters.latest_version(session, who.team_id)
        seen_row = session.get(SeenVersion, who.user_id)
        seen = None if seen_row is None else seen_row.version
        diffs = [
            (v.version, dict(v.diff))
            for v in sorted(versions.values(), key=lambda v: v.version)
            if v.version > (seen or 0) and v.version > 1
        ]
        row = datasets.latest_dataset(session, who.team_id)
        data = None if row is None else _data(store, session, row.id)
    agent = None if data is None else insight.agent_of(data.agents, agent_id)
    zone = agent.timezone if agent else (shifts[0].timezone if shifts else "UTC")
    week_start = _week_start(data.config.site.week_starts if data else "Sun")
    return ScheduleView(
        agent_id=agent_id,
        name=agent.name if agent else agent_id,
        zone=zone,
        week_start=week_start,
        roster=Roster(
            tuple(rosters.to_shift(s) for s in shifts), tuple(rosters.to_break(b) for b in breaks)
        ),
        versions={
            (s.date.isoformat(), s.start_utc.isoformat()): versions[s.version_id].version
            for s in shifts
            if s.version_id in versions
        },
        counts={k: int(team.get(agent_id, {}).get(k, 0)) for k in FAIRNESS_KINDS},
        team_rate=insight.team_rates(team, FAIRNESS_KINDS),
        flags={
            s.start_utc.isoformat(): {
                "evening": s.evening,
                "weekend": s.weekend,
                "holiday": s.holiday,
                "closer": s.closer,
            }
            for s in shifts
        },
        changes=insight.own_changes(diffs, agent_id),
        latest_version=None if latest is None else latest.version,
        seen_version=seen,
    )


def _week_start(name: str) -> date:
    """A date of the configured first weekday (``Sun``...), to count weeks from."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    index = days.index(name[:3].title()) if name[:3].title() in days else 6
    anchor = date(2024, 1, 1)  # a Monday
    return anchor + timedelta(days=index)


def mark_seen(store: Store, actor: Actor, version: int) -> None:
    """Remember that the acting user has seen the team's versions up to ``version``."""
    with store.write() as session:
        who = acting(session, actor)
        row = session.get(SeenVersion, who.user_id)
        if row is not None and version <= row.version:
            return
        if row is None:
            session.add(SeenVersion(user_id=who.user_id, version=version))
        else:
            row.version = version
        detail = {"version": version}
        audit(session, who, "user.seen", entity="user", entity_id=who.user_id, detail=detail)


def feed_token(store: Store, actor: Actor, *, renew: bool = False) -> str:
    """The secret token of the acting agent's calendar subscription URL
    (``/feed/<token>.ics``); ``renew`` replaces it (the old URL stops working). Audited."""
    with store.write() as session:
        who = acting(session, actor)
        _own_agent_id(who)
        row = session.get(CalendarFeed, who.user_id)
        if row is not None and not renew:
            return row.token
        token = secrets.token_urlsafe(24)
        if row is None:
            session.add(CalendarFeed(user_id=who.user_id, token=token))
        else:
            row.token = token
        audit(session, who, "calendar.feed_token", entity="user", entity_id=who.user_id)
        return token


def revoke_feed_token(store: Store, actor: Actor) -> bool:
    """Stop the acting agent's calendar subscription: its URL answers nothing any more (404)
    and no new one is made until :func:`feed_token` is asked again. Returns whether there was
    one. Audited."""
    with store.write() as session:
        who = acting(session, actor)
        _own_agent_id(who)
        row = session.get(CalendarFeed, who.user_id)
        if row is None:
            return False
        session.delete(row)
        audit(session, who, "calendar.feed_revoke", entity="user", entity_id=who.user_id)
        return True


def feed_calendar(store: Store, token: str) -> bytes:
    """The calendar behind a subscription token (the holder reads that one agent's own
    published shifts, as :func:`export_calendar` gives them). :class:`NotFound`, saying no
    more, for a token nobody holds: never made, renewed, revoked, or its user's account
    disabled."""
    with store.read() as session:
        row = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
        if row is None or not token:
            raise NotFound("no calendar behind this address")
        user = session.get(User, row.user_id)
        if user is None or user.disabled:
            raise NotFound("no calendar behind this address")
        holder = Actor(user.id, user.email, user.role, user.team_id, "", user.agent_id)  # type: ignore[arg-type]
    return export_calendar(store, holder)


# --------------------------------------------------------------------------- scenarios (more)


def rename_scenario(store: Store, actor: Actor, scenario_id: int, name: str) -> ScenarioView:
    """Rename a scenario of the team (manager, lead)."""
    with store.write() as session:
        who = acting(session, actor, *STAFF)
        row = session.get(ScenarioRow, scenario_id)
        if row is None:
            raise NotFound(f"there is no scenario {scenario_id}")
        same_team(who, row.team_id, f"scenario {scenario_id}")
        if not name.strip():
            raise Refused("a scenario needs a name")
        taken = session.scalar(
            select(ScenarioRow.id).where(
                ScenarioRow.team_id == who.team_id,
                ScenarioRow.name == name.strip(),
                ScenarioRow.id != scenario_id,
            )
        )
        if taken is not None:
            raise Refused(f"the team already has a scenario named {name.strip()!r}")
        old, row.name = row.name, name.strip()
        audit(
            session,
            who,
            "scenario.rename",
            entity="scenario",
            entity_id=row.id,
            detail={"from": old, "to": row.name},
        )
        session.flush()
        resolved = scenarios.to_json(scenarios.resolve(session, row))
        return ScenarioView(row.id, row.name, row.base_id, dict(row.overrides), resolved)


def delete_scenario(store: Store, actor: Actor, scenario_id: int) -> None:
    """Delete a scenario of the team (manager, lead); its runs stay (they keep the scenario
    they used). Refused while another scenario builds on it."""
    with store.write() as session:
        who = acting(session, actor, *STAFF)
        row = session.get(ScenarioRow, scenario_id)
        if row is None:
            raise NotFound(f"there is no scenario {scenario_id}")
        same_team(who, row.team_id, f"scenario {scenario_id}")
        child = session.scalar(select(ScenarioRow.name).where(ScenarioRow.base_id == scenario_id))
        if child is not None:
            raise Refused(f"scenario {child!r} builds on {row.name!r}: delete or rebase it first")
        kept = list(session.scalars(select(Run.id).where(Run.scenario_id == scenario_id)))
        session.execute(update(Run).where(Run.scenario_id == scenario_id).values(scenario_id=None))
        audit(
            session,
            who,
            "scenario.delete",
            entity="scenario",
            entity_id=row.id,
            detail={"name": row.name, "overrides": dict(row.overrides), "runs_unlinked": kept},
        )
        session.delete(row)


@dataclass(frozen=True)
class ComparisonView:
    """Two to four solve runs side by side: a table (a row per run) and per channel the
    projected service level by business-local day."""

    zone: str
    table: pd.DataFrame
    daily: dict[str, dict[str, pd.Series]]
    """channel -> run label -> service level (%) per date."""
    fairness: dict[str, dict[str, float]]
    """run label -> team mean per kind (weekend, evening, holiday shifts per agent)."""


def compare_runs(store: Store, actor: Actor, run_ids: Sequence[int]) -> ComparisonView:
    """Compare 2 to 4 finished solve runs of the team (manager, lead)."""
    if not 2 <= len(set(run_ids)) <= 4:
        raise Refused("pick two to four runs to compare")
    rows: list[dict[str, Any]] = []
    daily: dict[str, dict[str, pd.Series]] = {}
    fairness: dict[str, dict[str, float]] = {}
    zone = "UTC"
    with store.read() as session:
        who = acting(session, actor, *STAFF)
        for run_id in dict.fromkeys(run_ids):
            run = _run(session, who, run_id)
            if run.kind != "solve" or run.report is None:
                raise Refused(f"run {run_id} is not a finished solve: it cannot be compared")
            data = _data(store, session, run.dataset_id)
            zone = data.config.site.business_timezone
            label = f"#{run.id} {run.inputs.get('scenario', {}).get('name', 'baseline')}"
            team = scenarios.edit_dataset(data, run.inputs.get("data_edits") or {})
            rows.append(insight.comparison_row(label, run.report, len(team.agents)))
            for channel in data.config.channel_names:
                daily.setdefault(channel, {})[label] = insight.daily_levels(run.report, channel)
            counts = (run.report.get("kpis") or {}).get("counts") or {}
            fairness[label] = insight.team_rates(counts, FAIRNESS_KINDS)
    table = pd.DataFrame(rows).set_index("scenario")
    return ComparisonView(zone, table, daily, fairness)


def explanation(run: RunView) -> list[dict[str, str]]:
    """Why a solve run has no roster, by agent and rule (empty when it has one)."""
    lines = (run.report or {}).get("explanation") or []
    if not lines and run.status == "failed" and run.message.startswith("no roster: "):
        lines = run.message.removeprefix("no roster: ").split("; ")
    return insight.explanation_rows(lines)


def next_start(store: Store, actor: Actor) -> date:
    """The first day of the team's next week (the default start of a new run; every role)."""
    with store.read() as session:
        who = acting(session, actor)
        row = datasets.latest_dataset(session, who.team_id)
        week_starts = (
            "Sun" if row is None else _data(store, session, row.id).config.site.week_starts
        )
    return insight.next_week_start(date.today(), week_starts)


def warm_up(store: Store) -> None:
    """Parse the newest data set of every team into this process's cache (the server calls
    it once at start, off any page): every page reads it, and the first would otherwise wait
    for it. Not the forecast's backtest: that would compete with the first sign-in for the
    processor, for one page's sake. Returns nothing and checks no user: it shows nobody
    anything."""
    with store.read() as session:
        for team_id in session.scalars(select(Team.id)).all():
            row = datasets.latest_dataset(session, team_id)
            if row is not None:
                _data(store, session, row.id)
