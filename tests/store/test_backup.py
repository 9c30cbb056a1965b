"""Backup and restore: every row round-trips, a restored database goes on working, and a
restore never mixes a backup into a database that holds something else."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from planner.store import backup, migrate, service
from planner.store.access import Refused
from planner.store.db import Store
from planner.store.models import Base
from tests.store.conftest import START, World
from tests.support.store import made_run


def _rows(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


def _table(store: Store, table: Table | None = None) -> list[dict[str, Any]]:
    """Every row of a table (default: the audit log), in key order."""
    table = Base.metadata.tables["audit_log"] if table is None else table
    with store.read() as session:
        rows = session.execute(select(table).order_by(*table.primary_key.columns))
        return [dict(r._mapping) for r in rows]


def test_backup_and_restore_round_trip_every_row(
    world: World, empty_url: str, tmp_path: Path
) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    first = made_run(store, lead, START, [("A001", "2026-11-22", "16:00", 6)])
    service.publish_run(store, manager, first)
    service.create_scenario(store, lead, "busy week", {"staffing.volume_multiplier": 1.2})
    file = tmp_path / "store.backup.gz"
    counts = backup.backup(store, file)
    assert counts == _rows(store)

    copy = Store(empty_url)
    migrate.upgrade(copy)
    assert backup.restore(copy, file) == counts
    # every row as it was, and one more audit entry: the restore itself
    assert _rows(copy) == {**_rows(store), "audit_log": counts["audit_log"] + 1}
    assert _table(copy)[:-1] == _table(store)
    restored = _table(copy)[-1]
    assert (restored["actor"], restored["action"], restored["team_id"]) == (
        "command line", "db.restore", None,
    )  # fmt: skip
    assert restored["detail"]["rows"] == counts
    assert restored["detail"]["replaced"] == {}
    for read in (
        lambda s: service.export_roster_csv(s, lead),
        lambda s: service.export_calendar(s, world["agent"]),
        lambda s: [(v.version, v.published_at, v.diff) for v in service.list_versions(s, lead)],
        lambda s: [(r.id, r.status, r.inputs, r.created_at) for r in service.list_runs(s, lead)],
        lambda s: service.fairness_counts(s, lead),
        lambda s: [(e.at, e.action, e.detail) for e in service.audit_log(s, manager)],
        lambda s: service.list_scenarios(s, lead),
    ):
        assert read(copy) == read(store)
    for table in Base.metadata.sorted_tables:
        if table.name != "audit_log":
            assert _table(copy, table) == _table(store, table), table.name
    # the restored database goes on: new rows get new ids (PostgreSQL sequences follow)
    again = service.submit_run(copy, lead, date.fromisoformat(START), 1)
    assert again.id > max(r.id for r in service.list_runs(store, lead))
    copy.dispose()


def test_restore_refuses_a_non_empty_database_unless_told_to_replace(
    world: World, tmp_path: Path
) -> None:
    store, lead = world.store, world["lead"]
    file = tmp_path / "store.backup.gz"
    backup.backup(store, file)
    service.create_scenario(store, lead, "after the backup", {"seed": 1})
    before = _rows(store)
    with pytest.raises(Refused, match=r"the database is not empty .*give --replace"):
        backup.restore(store, file)
    assert _rows(store) == before
    backup.restore(store, file, replace=True)
    assert [s.name for s in service.list_scenarios(store, lead)] == []


def test_a_file_that_is_not_a_backup_is_refused(world: World, tmp_path: Path) -> None:
    junk = tmp_path / "junk.gz"
    junk.write_text("not a backup")
    with pytest.raises(Refused, match="not a planner backup"):
        backup.restore(world.store, junk, replace=True)
    with pytest.raises(Refused, match="file not found"):
        backup.restore(world.store, tmp_path / "missing.gz", replace=True)
