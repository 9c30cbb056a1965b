"""The database itself: migrations make exactly the tables of the models, SQLite runs in WAL
mode with a busy timeout (two writers at once both land), and published rows never change."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from planner.store import migrate, service
from planner.store.db import Store
from planner.store.models import AuditEntry, Base, ImmutableError, ShiftRow
from tests.store.conftest import START, World
from tests.support.store import made_run


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
