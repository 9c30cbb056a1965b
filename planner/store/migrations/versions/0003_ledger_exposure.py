"""the fairness ledger holds what fairness_history.csv holds: closers, holiday credit, exposure

Adds ``closer`` to ``shifts`` (set from each stored shift's instants and zone: it ends past
local midnight), and ``closer``, ``holiday_credit``, ``weeks`` and ``minutes`` to
``fairness_ledger``, and derives the whole ledger again from the published versions, oldest
first per team, exactly as publishing them now would (:func:`planner.store.ledger.entries`, on
each version's data set with its run's data edits). A version whose data set no longer passes
today's checks keeps its stored flags (holidays at weight 1, no exposure) and is named in the
audit entry. One audit entry per team says what was derived.

The tables are described here as they are at this revision (not through the ORM models, which
follow the newest schema).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 12:00:00
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

from planner.data.problems import InputError
from planner.data.roster_io import is_closer
from planner.domain import Horizon, Shift
from planner.store import ledger
from planner.store.db import UTCDateTime, now

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW_COLUMNS = ("closer", "holiday_credit", "weeks", "minutes")
ACTOR = "db upgrade (migration 0003)"

_versions = sa.table(
    "roster_versions",
    sa.column("id", sa.Integer),
    sa.column("team_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("run_id", sa.Integer),
    sa.column("dataset_id", sa.Integer),
    sa.column("start", sa.Date),
    sa.column("weeks", sa.Integer),
)
_shifts = sa.table(
    "shifts",
    sa.column("id", sa.Integer),
    sa.column("version_id", sa.Integer),
    sa.column("agent_id", sa.String),
    sa.column("date", sa.Date),
    sa.column("start_utc", UTCDateTime),
    sa.column("end_utc", UTCDateTime),
    sa.column("timezone", sa.String),
    sa.column("paid_hours", sa.Float),
    sa.column("weekend", sa.Boolean),
    sa.column("evening", sa.Boolean),
    sa.column("holiday", sa.Boolean),
    sa.column("closer", sa.Boolean),
)
_files = sa.table(
    "dataset_files",
    sa.column("dataset_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("content", sa.Text),
)
_runs = sa.table("runs", sa.column("id", sa.Integer), sa.column("inputs", sa.JSON))
_ledger = sa.table(
    "fairness_ledger",
    sa.column("team_id", sa.Integer),
    sa.column("agent_id", sa.String),
    sa.column("date", sa.Date),
    sa.column("version_id", sa.Integer),
    *(sa.column(c, sa.Integer) for c in ledger.COLUMNS),
)
_audit = sa.table(
    "audit_log",
    sa.column("at", UTCDateTime),
    sa.column("user_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("team_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("detail", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("shifts") as batch:
        batch.add_column(sa.Column("closer", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("fairness_ledger") as batch:
        for name in NEW_COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    _closers(op.get_bind())
    _derive_again(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("fairness_ledger") as batch:
        for name in reversed(NEW_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("shifts") as batch:
        batch.drop_column("closer")


def _closers(connection: sa.Connection) -> None:
    """Set ``shifts.closer`` on every stored shift that ends past its local midnight."""
    rows = connection.execute(
        sa.select(
            _shifts.c.id,
            _shifts.c.agent_id,
            _shifts.c.date,
            _shifts.c.start_utc,
            _shifts.c.end_utc,
            _shifts.c.timezone,
            _shifts.c.paid_hours,
        )
    ).all()
    ids = [r.id for r in rows if is_closer(_shift(r))]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        connection.execute(sa.update(_shifts).where(_shifts.c.id.in_(chunk)).values(closer=True))


def _stored_flags(rows: list[Any], horizon: Horizon) -> list[ledger.Entry]:
    """A version whose data set cannot be read any more: its shifts' stored flags only."""
    found: dict[tuple[str, Any], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(ledger.COLUMNS, 0)
    )
    for r in rows:
        if not horizon.contains(r.date):
            continue
        values = found[(r.agent_id, r.date)]
        values["weekend"] += int(r.weekend)
        values["evening"] += int(r.evening)
        values["holiday"] += int(r.holiday)
        values["holiday_credit"] += int(r.holiday)
        values["closer"] += int(r.closer)
    return [ledger.Entry(a, d, v) for (a, d), v in sorted(found.items())]


def _shift(r: Any) -> Shift:
    return Shift(r.agent_id, r.date, r.start_utc, r.end_utc, r.timezone, r.paid_hours)


def _derive_one(connection: sa.Connection, v: Any) -> tuple[list[ledger.Entry], bool]:
    rows = list(connection.execute(sa.select(_shifts).where(_shifts.c.version_id == v.id)))
    texts = dict(
        connection.execute(
            sa.select(_files.c.name, _files.c.content).where(_files.c.dataset_id == v.dataset_id)
        ).all()
    )
    inputs = connection.execute(sa.select(_runs.c.inputs).where(_runs.c.id == v.run_id)).scalar()
    horizon = Horizon(v.start, v.weeks)
    try:
        data = ledger.version_data(texts, (inputs or {}).get("data_edits"))
    except InputError:
        return _stored_flags(rows, horizon), False
    return ledger.entries([_shift(r) for r in rows], data, horizon), True


def _derive_again(connection: sa.Connection) -> None:
    versions = connection.execute(
        sa.select(_versions).order_by(_versions.c.team_id, _versions.c.version)
    ).all()
    if not versions:
        return  # a new database: nothing to derive, nothing to audit
    connection.execute(sa.delete(_ledger))
    report: dict[int, dict[str, Any]] = {}
    for v in versions:
        made, whole = _derive_one(connection, v)
        end = v.start + timedelta(days=7 * v.weeks)
        connection.execute(
            sa.delete(_ledger).where(
                _ledger.c.team_id == v.team_id, _ledger.c.date >= v.start, _ledger.c.date < end
            )
        )
        if made:
            connection.execute(
                sa.insert(_ledger),
                [
                    {
                        "team_id": v.team_id,
                        "agent_id": e.agent_id,
                        "date": e.date,
                        "version_id": v.id,
                        **e.values,
                    }
                    for e in made
                ],
            )
        team = report.setdefault(v.team_id, {"versions": [], "stored_flags_only": []})
        team["versions"].append(v.version)
        if not whole:
            team["stored_flags_only"].append(v.version)
    for team_id, detail in report.items():
        connection.execute(
            sa.insert(_audit).values(
                at=now(),
                user_id=None,
                actor=ACTOR,
                team_id=team_id,
                action="ledger.derive",
                entity="fairness_ledger",
                entity_id=None,
                detail={
                    **detail,
                    "why": "the ledger now holds closers, holiday credit and exposure",
                },
            )
        )
