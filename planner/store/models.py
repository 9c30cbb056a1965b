"""The tables of the store (SQLAlchemy 2 declarative; the schema itself is made by the Alembic
migrations in ``planner/store/migrations``, and a test proves the two agree).

A data set keeps its contract files as they were imported (the exact inputs of every run that
used it, read back through the same checked readers as the command line). A run keeps what it
was given (data set, scenario, horizon, the published version it was planned on, the fairness
carry-over) and everything it produced. Published versions and their shifts are never updated
or deleted (:func:`_published_rows_are_immutable`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from planner.store.db import UTCDateTime, now

ROLES = ("manager", "lead", "agent")
RUN_KINDS = ("solve", "forecast", "sweep")
RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled", "timed_out")
FINISHED = ("done", "failed", "cancelled", "timed_out")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dict[str, Any]: JSON}


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class User(Base):
    """A person who may sign in: their verified email, role and team (and, for an agent, the
    ``agent_id`` of ``agents.csv`` that is them)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    agent_id: Mapped[str | None] = mapped_column(String(100))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)

    team: Mapped[Team] = relationship()


class DataSetRow(Base):
    """One imported data set of a team (version 1, 2, ... per team)."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)

    files: Mapped[list[DataSetFile]] = relationship(
        back_populates="dataset", order_by="DataSetFile.name"
    )


class DataSetFile(Base):
    """One contract file of a data set (agents, availability, time off, history, ...), as
    imported."""

    __tablename__ = "dataset_files"
    __table_args__ = (UniqueConstraint("dataset_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    name: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)

    dataset: Mapped[DataSetRow] = relationship(back_populates="files")


class ScenarioRow(Base):
    """A what-if of a team: a base scenario (or the defaults) plus overrides."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    base_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"))
    overrides: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class Run(Base):
    """A solve, a forecast or a scenario sweep: queued, executed by a worker, finished.

    ``inputs`` holds exactly what the run was given (the resolved scenario, the horizon, the
    fairness carry-over; the data set and the base version are columns). ``base_version_id``
    is the published version the run was planned on: publishing refuses when it is no longer
    the last one (a plain number, not a foreign key: versions refer to runs already).
    """

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"))
    start: Mapped[dt.date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    base_version_id: Mapped[int | None] = mapped_column(Integer)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    budget_seconds: Mapped[float] = mapped_column(Float, default=60.0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column()
    worker_host: Mapped[str | None] = mapped_column(String(255))
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    # results
    solve_status: Mapped[str | None] = mapped_column(String(40))
    proven_optimal: Mapped[bool | None] = mapped_column(Boolean)
    objective: Mapped[int | None] = mapped_column(Integer)
    model_objective: Mapped[int | None] = mapped_column(Integer)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    check_ok: Mapped[bool | None] = mapped_column(Boolean)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    check: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    timings: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RunEvent(Base):
    """One progress report of a run, stored as it came."""

    __tablename__ = "run_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    elapsed: Mapped[float | None] = mapped_column(Float)
    objective: Mapped[int | None] = mapped_column(Integer)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    under_staffed_hours: Mapped[float | None] = mapped_column(Float)
    phase: Mapped[str] = mapped_column(Text, default="")


class RunFrame(Base):
    """A forecast or requirements table a run produced (CSV, the contract's columns)."""

    __tablename__ = "run_frames"
    __table_args__ = (UniqueConstraint("run_id", "kind", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    kind: Mapped[str] = mapped_column(String(20))
    variant: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text)


class RosterVersion(Base):
    """A published roster: immutable once written; who published it, when, on what base, the
    diff against that base and any audited override of the freeze window."""

    __tablename__ = "roster_versions"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"))
    start: Mapped[dt.date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime] = mapped_column(default=now)
    diff: Mapped[dict[str, Any]] = mapped_column(default=dict)
    override_reason: Mapped[str | None] = mapped_column(Text)


class ShiftRow(Base):
    """One shift of a run's draft roster (``run_id``) or of a published version
    (``version_id``), with the ``roster.csv`` flags computed when it was stored."""

    __tablename__ = "shifts"
    __table_args__ = (
        Index("ix_shifts_run", "run_id"),
        Index("ix_shifts_version", "version_id", "agent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"))
    agent_id: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    start_utc: Mapped[dt.datetime] = mapped_column()
    end_utc: Mapped[dt.datetime] = mapped_column()
    timezone: Mapped[str] = mapped_column(String(64))
    paid_hours: Mapped[float] = mapped_column(Float)
    evening: Mapped[bool] = mapped_column(Boolean, default=False)
    weekend: Mapped[bool] = mapped_column(Boolean, default=False)
    holiday: Mapped[bool] = mapped_column(Boolean, default=False)
    closer: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class BreakRow(Base):
    """One break of a draft roster or of a published version."""

    __tablename__ = "breaks"
    __table_args__ = (
        Index("ix_breaks_run", "run_id"),
        Index("ix_breaks_version", "version_id", "agent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"))
    agent_id: Mapped[str] = mapped_column(String(100))
    start_utc: Mapped[dt.datetime] = mapped_column()
    end_utc: Mapped[dt.datetime] = mapped_column()
    kind: Mapped[str] = mapped_column(String(10))
    paid: Mapped[bool] = mapped_column(Boolean)


class LedgerEntry(Base):
    """The fairness ledger (:mod:`planner.store.ledger`): per agent and local date of the
    roster in force on that date, its shifts by kind, their holiday credit (weighted as the
    ``fairness`` term counts holidays) and, on the first date of each week, the agent's
    exposure that week (weeks not wholly off, contracted minutes): summed over the dates before
    a horizon, exactly the ``fairness_history.csv`` of that horizon."""

    __tablename__ = "fairness_ledger"
    __table_args__ = (UniqueConstraint("team_id", "agent_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    agent_id: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(ForeignKey("roster_versions.id"))
    weekend: Mapped[int] = mapped_column(Integer, default=0)
    evening: Mapped[int] = mapped_column(Integer, default=0)
    holiday: Mapped[int] = mapped_column(Integer, default=0)
    closer: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    holiday_credit: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    weeks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditEntry(Base):
    """One change: who (a user, or the command line), what, on which team and object."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(320))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CalendarFeed(Base):
    """A user's calendar subscription: the secret token of their ``/feed/<token>.ics`` URL.
    Whoever holds the URL reads that user's own published shifts, nothing else; a new token
    replaces the old one (the old URL stops working)."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class SeenVersion(Base):
    """The last published version a user has looked at (their "changes since" start here)."""

    __tablename__ = "seen_versions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(default=now)


class ImmutableError(Exception):
    """A published roster (version, shift or break) was about to be changed or deleted."""


@event.listens_for(Session, "before_flush")
def _published_rows_are_immutable(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse, in the ORM, any update or delete of a published version or its rows."""
    for row in (*session.dirty, *session.deleted):
        published = isinstance(row, RosterVersion) or (
            isinstance(row, ShiftRow | BreakRow) and row.version_id is not None
        )
        if published and (row in session.deleted or session.is_modified(row)):
            raise ImmutableError(f"published rosters never change ({type(row).__name__})")
