"""The database itself: migrations make exactly the tables of the models, SQLite runs in WAL
mode with a busy timeout, two writers at once (threads and processes) both land, published
rows never change, and a publish killed half-way leaves the previous version intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from planner.store import migrate, service
from planner.store.db import Store
from planner.store.models import AuditEntry, Base, ImmutableError, ShiftRow
from tests.store.conftest import START, World
from tests.support.store import made_run

ROOT = Path(__file__).resolve().parents[2]
FIRST = [("A001", "2026-11-22", "16:00", 6), ("A002", "2026-11-24", "10:00", 6)]


def test_migrations_make_exactly_the_models_tables(empty_url: str) -> None:
    store = Store(empty_url)
    assert migrate.current_revision(store) is None
    migrate.upgrade(store)
    assert migrate.current_revision(store) == migrate.head_revision()
    migrate.upgrade(store)  # at the head: nothing to do, no error
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    store.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(world: World) -> None:
    if world.backend != "sqlite":
        pytest.skip("SQLite only")
    with world.store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_two_sessions_writing_at_once_both_land(world: World) -> None:
    """Two 'browser sessions' (threads, each its own connections) create scenarios at the same
    time: every write lands, none fails with 'database is locked'."""
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            for n in range(10):
                service.create_scenario(world.store, world["lead"], f"{prefix}{n}", {"seed": n})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(service.list_scenarios(world.store, world["lead"])) == 20
    with world.store.read() as session:
        count = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "scenario.create")
        )
    assert count == 20


def test_a_published_shift_can_never_be_changed_or_deleted(world: World) -> None:
    run = made_run(world.store, world["lead"], START, [("A001", "2026-11-22", "16:00", 6)])
    service.publish_run(world.store, world["manager"], run)

    def move() -> None:
        with world.store.write() as session:
            row = session.scalar(select(ShiftRow).where(ShiftRow.version_id.is_not(None)))
            assert row is not None
            row.start_utc = row.start_utc + timedelta(hours=1)

    def remove() -> None:
        with world.store.write() as session:
            session.delete(session.scalar(select(ShiftRow).where(ShiftRow.version_id.is_not(None))))

    with pytest.raises(ImmutableError):
        move()
    with pytest.raises(ImmutableError):
        remove()
    with world.store.read() as session:
        assert session.scalar(text("SELECT COUNT(*) FROM shifts WHERE version_id IS NOT NULL")) == 1


WRITER = """
import sys
from planner.store import service
from planner.store.access import sign_in
from planner.store.db import Store

store = Store(sys.argv[1])
lead = sign_in(store, "lead@alpha.example")
for n in range(int(sys.argv[3])):
    service.create_scenario(store, lead, f"{sys.argv[2]}{n}", {"seed": n})
store.dispose()
"""


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_two_processes_writing_at_once_both_land(world: World) -> None:
    """Two processes (a browser session's server and a second one, say) and a thread of this
    one write at the same time: every write lands, none is lost or refused."""
    writers = [_python(WRITER, world.url, prefix, "15") for prefix in ("p", "q")]
    errors: list[BaseException] = []

    def here() -> None:
        try:
            for n in range(15):
                service.create_scenario(world.store, world["lead"], f"t{n}", {"seed": n})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    thread = threading.Thread(target=here)
    thread.start()
    outcomes = [w.communicate(timeout=120) for w in writers]
    thread.join()
    assert errors == []
    assert [w.returncode for w in writers] == [0, 0], outcomes
    names = {s.name for s in service.list_scenarios(world.store, world["lead"])}
    assert names == {f"{p}{n}" for p in "pqt" for n in range(15)}
    with world.store.read() as session:
        count = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "scenario.create")
        )
    assert count == 45


STALLED_PUBLISH = """
import sys, time
from pathlib import Path
from planner.store import ledger, service
from planner.store.access import sign_in
from planner.store.db import Store

real = ledger.record


def stall(session, version, shifts, edits):
    real(session, version, shifts, edits)
    session.flush()  # the version, its shifts, breaks and ledger are in the transaction
    Path(sys.argv[3]).write_text("written, not committed")
    time.sleep(600)


ledger.record = stall
store = Store(sys.argv[1])
service.publish_run(store, sign_in(store, "manager@alpha.example"), int(sys.argv[2]))
"""


def _snapshot(world: World) -> dict[str, Any]:
    lead, manager = world["lead"], world["manager"]
    with world.store.read() as session:
        rows = {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }
    return {
        "rows": rows,
        "in force": service.export_roster_csv(world.store, lead),
        "versions": [(v.version, v.run_id) for v in service.list_versions(world.store, lead)],
        "ledger": service.fairness_counts(world.store, lead),
        "audit": [(e.id, e.action) for e in service.audit_log(world.store, manager)],
    }


def test_kill_9_during_publish_leaves_the_previous_version_intact(
    world: World, tmp_path: Path
) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    service.publish_run(store, manager, made_run(store, lead, START, FIRST))
    second = made_run(store, lead, "2026-11-29", [("A001", "2026-11-29", "16:00", 6)])
    before = _snapshot(world)
    marker = tmp_path / "stalled"
    publisher = _python(STALLED_PUBLISH, world.url, str(second), str(marker))
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert publisher.poll() is None, publisher.communicate()
        assert time.monotonic() < deadline, "the publish did not reach its last write"
        time.sleep(0.05)
    os.kill(publisher.pid, signal.SIGKILL)
    publisher.communicate(timeout=30)
    assert publisher.returncode == -signal.SIGKILL
    assert _snapshot(world) == before  # version 1 in force, nothing of version 2 anywhere
    # and the database goes on: the same run publishes as version 2
    assert service.publish_run(store, manager, second).version == 2
    assert [v.version for v in service.list_versions(store, lead)] == [2, 1]
