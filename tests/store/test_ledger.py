"""The fairness ledger holds what ``fairness_history.csv`` holds (closers, weighted holiday
credit, exposure), is derived on publish, and hands the next solve exactly what the file-based
loop (``solve --fairness-out``, then ``--fairness-history``) hands it; migration 0003 derives
it on a database that already has rows.

The sample's week 1 (2026-11-22 to 28) holds Thanksgiving Day, which its
``[fairness.holiday_weights]`` count 3, and A003 takes Friday and Saturday off.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, update

from planner.cli import main
from planner.data.problems import Problems
from planner.data.roster_io import FairnessCarry, read_fairness_history
from planner.store import execute, exports, ledger, migrate, service
from planner.store.db import Store
from planner.store.execute import execute_run
from planner.store.models import AuditEntry, DataSetFile, LedgerEntry, RunFrame, ShiftRow
from tests.store.conftest import START, World
from tests.support.store import made_run, run_from_files

DAY = date.fromisoformat(START)
TINY = {"time_limit": 2, "workers": 1, "lp_bound_seconds": 0}
SOLVE = ("--time-limit", "2", "--workers", "1", "--lp-bound-seconds", "0")


def _ledger_rows(store: Store) -> list[tuple[Any, ...]]:
    with store.read() as session:
        rows = session.scalars(
            select(LedgerEntry).order_by(
                LedgerEntry.team_id, LedgerEntry.agent_id, LedgerEntry.date
            )
        )
        return [
            (r.team_id, r.agent_id, r.date, r.version_id, *(getattr(r, c) for c in ledger.COLUMNS))
            for r in rows
        ]


def _closers(store: Store) -> dict[int, bool]:
    with store.read() as session:
        return dict(session.execute(select(ShiftRow.id, ShiftRow.closer)).all())


def _requirements(world: World, start: date, folder: Path) -> Path:
    """The requirements of one week, as a forecast run of the store computes them."""
    run = service.submit_run(world.store, world["lead"], start, 1, kind="forecast")
    assert execute_run(world.store, run.id, 0.2) == "done"
    return _frame(world, run.id, folder / f"requirements-{start}.csv")


def _frame(world: World, run_id: int, path: Path) -> Path:
    with world.store.read() as session:
        content = session.scalar(
            select(RunFrame.content).where(
                RunFrame.run_id == run_id, RunFrame.kind == "requirements"
            )
        )
    assert content is not None
    path.write_text(content)
    return path


def _data_files(data: Path) -> list[str]:
    names = {"--agents": "agents.csv", "--availability": "availability.csv",
             "--time-off": "time_off.csv", "--config": "config.toml"}  # fmt: skip
    return [part for option, name in names.items() for part in (option, str(data / name))]


def _solve(data: Path, start: date, requirements: Path, out: Path, *extra: str) -> None:
    """``python -m planner solve`` of one week on the data folder's files."""
    code = main(
        [
            "solve",
            *_data_files(data),
            *("--requirements", str(requirements), "--start", start.isoformat(), "--weeks", "1"),
            *("--out", str(out / "roster.csv"), "--breaks", str(out / "breaks.csv")),
            *("--fairness-out", str(out / "fairness_history.csv")),
            *SOLVE,
            *extra,
        ]
    )  # fmt: skip
    assert code == 0


def _history(data: Path, path: Path) -> dict[str, FairnessCarry]:
    from planner.data.io import load_dataset

    problems = Problems()
    history = read_fairness_history(path, load_dataset(data).agents, problems)
    problems.raise_if_errors()
    return history


@pytest.mark.slow
def test_the_next_solve_gets_what_the_file_loop_gives_it(
    world: World,
    sample_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Week 1 is solved on files (``solve --fairness-out``) and that very roster published in
    the store. The store's solve of week 2 is handed the ledger's carry-over: it equals the
    ``fairness_history.csv`` the command line wrote, and the store's roster costs, checked on
    files with ``--fairness-history`` and ``--previous``, exactly what the store says. Week 2
    solved on files (``--fairness-history``, ``--fairness-out``) and published: the ledger
    carries to week 3 exactly the file's next history."""
    store, lead, manager = world.store, world["lead"], world["manager"]
    week2, week3 = DAY + timedelta(days=7), DAY + timedelta(days=14)
    one, two = tmp_path / "week1", tmp_path / "week2"
    one.mkdir()
    two.mkdir()
    requirements1 = _requirements(world, DAY, tmp_path)
    _solve(sample_dir, DAY, requirements1, one)
    h1 = _history(sample_dir, one / "fairness_history.csv")
    # Thanksgiving Day is week 1's only holiday: each shift on it is credited 3
    assert sum(c.count("holiday") for c in h1.values()) > 0
    assert all(c.count("holiday") % 3 == 0 for c in h1.values())
    assert sum(c.count("closer") for c in h1.values()) > 0  # the sample's nights end past 0:00
    assert h1["A003"].minutes == 28 * 60  # two days off do not take the week away
    published = run_from_files(store, lead, START, one)
    service.publish_run(store, manager, published)

    # the store's week 2: the carry-over it records and is given is the file's history
    scenario = service.create_scenario(store, lead, "tiny", TINY).id
    run2 = service.submit_run(store, lead, week2, 1, scenario_id=scenario)
    assert ledger.carry_from_json(run2.inputs["fairness_carry_over"]) == h1
    seen: dict[str, Any] = {}
    real = execute.run_pipeline

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(execute, "run_pipeline", spy)
    assert execute_run(store, run2.id, 0.2) == "done"
    assert seen["fairness_history"] == h1
    done = service.get_run(store, lead, run2.id)
    assert done.check_ok is True, done.check

    # its roster, checked on files with the history and the previous roster, costs the same
    (two / "store-roster.csv").write_bytes(service.export_roster_csv(store, lead, run_id=run2.id))
    draft = service.draft_roster(store, lead, run2.id)
    (two / "store-breaks.csv").write_bytes(exports.breaks_csv(draft.breaks))
    requirements2 = _frame(world, run2.id, tmp_path / "requirements-week2.csv")
    capsys.readouterr()
    code = main(
        [
            "check",
            *_data_files(sample_dir),
            *("--start", week2.isoformat(), "--weeks", "1"),
            *("--roster", str(two / "store-roster.csv"), "--breaks", str(two / "store-breaks.csv")),
            *("--requirements", str(requirements2), "--previous", str(one / "roster.csv")),
            *("--fairness-history", str(one / "fairness_history.csv")),
        ]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0, printed
    terms = dict(re.findall(r"^  (\w+): (-?\d+) x", printed, flags=re.MULTILINE))
    stored = done.check["terms"]  # type: ignore[index]
    assert {k: int(v) for k, v in terms.items()} == {k: stored[k] for k in terms}
    assert "fairness" in terms
    objective = re.search(r"^objective: (-?\d+)$", printed, flags=re.MULTILINE)
    assert objective is not None
    assert int(objective.group(1)) == done.objective

    # week 2 on files, published in the store: week 3 carries exactly the file's next history
    _solve(
        sample_dir, week2, requirements2, two,
        "--previous", str(one / "roster.csv"),
        "--fairness-history", str(one / "fairness_history.csv"),
    )  # fmt: skip
    h2 = _history(sample_dir, two / "fairness_history.csv")
    published2 = run_from_files(store, lead, week2.isoformat(), two)
    service.publish_run(store, manager, published2)
    run3 = service.submit_run(store, lead, week3, 1)
    assert ledger.carry_from_json(run3.inputs["fairness_carry_over"]) == h2
    assert all(c.weeks == 2 for a, c in h2.items())


def test_upgrading_a_populated_database_derives_the_ledger_again(world: World) -> None:
    """A database at migration 0002 with published versions, runs and a ledger of
    weekend/evening/holiday rows only: ``db upgrade`` adds the columns and derives every row
    from the published versions, exactly as publishing them now writes them, and says so in
    the audit log. A version whose data set no longer reads keeps its stored flags."""
    store, lead, manager = world.store, world["lead"], world["manager"]
    thanksgiving = [("A001", "2026-11-26", "18:00", 6), ("A002", "2026-11-22", "10:00", 6)]
    service.publish_run(store, manager, made_run(store, lead, START, thanksgiving))
    week2 = [("A001", "2026-11-29", "16:00", 6)]
    service.publish_run(store, manager, made_run(store, lead, "2026-11-29", week2))
    replan = [("A001", "2026-11-29", "17:00", 6), ("A002", "2026-12-01", "16:00", 6)]
    service.publish_run(
        store, manager, made_run(store, lead, "2026-11-29", replan), override_reason="re-plan"
    )
    service.publish_run(
        store, world["other_manager"],
        made_run(store, world["other_lead"], START, [("A003", "2026-11-23", "09:00", 6)]),
    )  # fmt: skip
    service.submit_run(store, lead, DAY + timedelta(days=14), 1)  # a queued run stays as it is
    expected = _ledger_rows(store)
    closers = _closers(store)
    assert sum(closers.values()) >= 2  # A001's Thanksgiving night, in its draft and version
    runs_before = [(r.id, r.status, r.inputs) for r in service.list_runs(store, lead)]

    # back to 0002: what the ledger was before (shift dates only, three kinds)
    config = migrate.alembic_config(store)
    command.downgrade(config, "0002")
    assert migrate.current_revision(store) == "0002"
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM fairness_ledger WHERE NOT EXISTS (SELECT 1 FROM shifts s WHERE "
            "s.version_id = fairness_ledger.version_id AND s.agent_id = fairness_ledger.agent_id"
            " AND s.date = fairness_ledger.date)"
        )
        left = connection.exec_driver_sql("SELECT COUNT(*) FROM fairness_ledger").scalar()
    assert left == 5  # one row per shift date in force: 4 of alpha, 1 of beta

    migrate.upgrade(store)
    assert migrate.current_revision(store) == migrate.head_revision()
    assert _ledger_rows(store) == expected
    assert _closers(store) == closers  # set again from each shift's instants
    assert [(r.id, r.status, r.inputs) for r in service.list_runs(store, lead)] == runs_before
    entry = next(e for e in service.audit_log(store, manager) if e.action == "ledger.derive")
    assert entry.actor == "db upgrade (migration 0003)"
    assert entry.detail["versions"] == [1, 2, 3]
    assert entry.detail["stored_flags_only"] == []
    # and the store goes on: a new publish writes the new columns
    service.publish_run(store, manager, made_run(store, lead, "2026-12-06", []))
    assert {v["weeks"] for v in service.fairness_counts(store, lead).values()} == {3}

    # a data set that no longer reads: its versions keep their stored flags, named in the log
    command.downgrade(config, "0002")
    with store.write() as session:
        session.execute(
            update(DataSetFile)
            .where(DataSetFile.name == "agents.csv")
            .values(content="agent_id,name\nA001,\n")
        )
    migrate.upgrade(store)
    with store.read() as session:
        rows = session.execute(
            select(LedgerEntry.agent_id, LedgerEntry.date, LedgerEntry.holiday_credit,
                   LedgerEntry.closer, LedgerEntry.weeks)
            .where(LedgerEntry.team_id == manager.team_id)
            .order_by(LedgerEntry.date, LedgerEntry.agent_id)
        ).all()  # fmt: skip
        logged = session.scalar(
            select(AuditEntry.detail)
            .where(
                AuditEntry.action == "ledger.derive",
                AuditEntry.team_id == manager.team_id,
            )
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    # the closer from the shift's instants; the holiday flag as stored (0 on hand-made rows);
    # no exposure (the contracts are in the data set that no longer reads)
    assert ("A001", date(2026, 11, 26), 0, 1, 0) in [tuple(r) for r in rows]
    assert all(r.weeks == 0 for r in rows)
    assert logged is not None
    assert logged["stored_flags_only"] == [1, 2, 3, 4]
