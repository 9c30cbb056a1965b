"""``python -m planner db ...``, ``users ...``, ``teams ...``, ``worker``, ``runs ...`` and
``export ...``: what they print and their exit codes (0 done, 2 bad input with nothing
changed)."""

from __future__ import annotations

import csv
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from planner.cli import main
from planner.store import service
from planner.store.access import AccessDenied, Actor, add_user, sign_in
from planner.store.db import Store
from planner.store.models import Team


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as usage:  # argparse: a usage error is exit 2
        code = int(usage.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _manager(store: Store) -> Actor:
    """A manager of the only team, added for reading its audit log."""
    with store.write() as session:
        team = session.scalars(select(Team)).one()
        add_user(session, "reader@alpha.example", "manager", team)
    return sign_in(store, "reader@alpha.example")


def test_db_init_upgrade_status_and_seed(
    empty_url: str, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", empty_url)
    code, _, err = _run(capsys, "db", *db, "upgrade")
    assert code == 2
    assert "run `python -m planner db init`" in err
    code, _, err = _run(capsys, "users", *db, "list")
    assert code == 2
    assert "db init" in err
    code, out, _ = _run(capsys, "db", *db, "init")
    assert code == 0
    assert "initialised" in out
    code, out, _ = _run(capsys, "db", *db, "init")
    assert (code, "already initialised" in out) == (0, True)
    code, out, _ = _run(capsys, "db", *db, "upgrade")
    assert (code, "already at migration 0003" in out) == (0, True)
    code, out, _ = _run(capsys, "db", *db, "status")
    assert (code, "migration 0003 (newest 0003)" in out) == (0, True)

    code, out, _ = _run(capsys, "db", *db, "seed", str(sample_dir), "--team", "alpha",
                        "--demo-users")  # fmt: skip
    assert code == 0
    assert "team alpha: data set version 1" in out
    assert "demo user agent1@example.com (agent = agent A001), signs in as 'agent1'" in out
    code, out, _ = _run(capsys, "db", *db, "seed", str(sample_dir), "--team", "alpha",
                        "--demo-users")  # fmt: skip
    assert code == 0
    assert "data set version 2" in out
    assert "demo user" not in out  # they exist already

    code, _, err = _run(capsys, "db", *db, "seed", str(sample_dir / "nowhere"))
    assert code == 2
    assert "folder not found" in err
    code, _, err = _run(capsys, "db", *db, "frobnicate")
    assert code == 2
    assert "invalid choice" in err


def test_users_add_list_disable_enable(
    empty_url: str, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", empty_url)
    assert main(["db", *db, "init"]) == 0
    assert main(["db", *db, "seed", str(sample_dir), "--team", "alpha"]) == 0
    capsys.readouterr()
    # one team: --team may be left out
    code, out, _ = _run(capsys, "users", *db, "add", "--email", "Ann@Alpha.example",
                        "--role", "lead")  # fmt: skip
    assert (code, out.strip()) == (0, "added ann@alpha.example: lead of team alpha")
    code, out, _ = _run(capsys, "users", *db, "add", "--email", "a3@alpha.example",
                        "--role", "agent", "--agent-id", "A003", "--team", "alpha")  # fmt: skip
    assert code == 0

    bad = {
        ("--email", "ann@alpha.example", "--role", "lead"): "is already a user",
        ("--email", "not-an-email", "--role", "lead"): "is not an email address",
        ("--email", "b@alpha.example", "--role", "boss"): "must be manager, lead or agent",
        ("--email", "c@alpha.example", "--role", "agent"): "--agent-id is needed",
        ("--email", "d@alpha.example", "--role", "agent", "--agent-id", "Z9"): "is not in agents",
        ("--email", "e@alpha.example", "--role", "lead", "--agent-id", "A001"): "only for agents",
        ("--email", "f@alpha.example", "--role", "lead", "--team", "gamma"): "is not a team",
        ("--role", "lead"): "required: --email",
    }
    for args, message in bad.items():
        code, _, err = _run(capsys, "users", *db, "add", *args)
        assert code == 2, args
        assert message in err, (args, err)

    assert main(["teams", *db, "add", "beta"]) == 0
    code, _, err = _run(capsys, "teams", *db, "add", "Beta")
    assert (code, "already a team" in err) == (2, True)
    code, _, err = _run(capsys, "users", *db, "add", "--email", "g@x.example", "--role", "lead")
    assert code == 2
    assert "--team is needed (teams: alpha, beta)" in err

    code, out, _ = _run(capsys, "users", *db, "list")
    assert code == 0
    assert out.splitlines() == [
        "email\trole\tteam\tagent_id\tstatus",
        "a3@alpha.example\tagent\talpha\tA003\tactive",
        "ann@alpha.example\tlead\talpha\t\tactive",
    ]
    store = Store(empty_url)
    assert sign_in(store, "ann@alpha.example").role == "lead"
    assert _run(capsys, "users", *db, "disable", "--email", "ann@alpha.example")[0] == 0
    with pytest.raises(AccessDenied, match="disabled"):
        sign_in(store, "ann@alpha.example")
    assert "disabled" in _run(capsys, "users", *db, "list", "--team", "alpha")[1]
    assert _run(capsys, "users", *db, "enable", "--email", "ann@alpha.example")[0] == 0
    assert sign_in(store, "ann@alpha.example").role == "lead"
    code, _, err = _run(capsys, "users", *db, "disable", "--email", "nobody@x.example")
    assert (code, "is not a user" in err) == (2, True)
    store.dispose()


def test_db_backup_and_restore_commands(
    empty_url: str, sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", empty_url)
    assert main(["db", *db, "init"]) == 0
    assert main(["db", *db, "seed", str(sample_dir), "--demo-users"]) == 0
    capsys.readouterr()
    file = tmp_path / "b.gz"
    code, out, _ = _run(capsys, "db", *db, "backup", str(file))
    assert code == 0
    assert out.startswith(f"wrote {file}: ")
    code, _, err = _run(capsys, "db", *db, "restore", str(file))
    assert code == 2
    assert "not empty" in err
    code, out, _ = _run(capsys, "db", *db, "restore", str(file), "--replace")
    assert (code, out.startswith(f"restored {file}")) == (0, True)
    code, _, err = _run(capsys, "db", *db, "restore", str(tmp_path / "none.gz"), "--replace")
    assert (code, "file not found" in err) == (2, True)


def test_worker_rejects_bad_options_and_runs_an_empty_queue(
    empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", empty_url)
    assert main(["db", *db, "init"]) == 0
    capsys.readouterr()
    code, _, err = _run(capsys, "worker", *db, "--processes", "0")
    assert (code, "--processes 0 must be 1 or more" in err) == (2, True)
    code, out, _ = _run(capsys, "worker", *db, "--once", "--processes", "1")
    assert code == 0
    assert "started 0 run(s)" in out


def test_runs_submit_list_cancel_and_their_refusals(
    empty_url: str, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", empty_url)
    assert main(["db", *db, "init"]) == 0
    assert main(["db", *db, "seed", str(sample_dir), "--team", "alpha"]) == 0
    capsys.readouterr()
    code, out, _ = _run(capsys, "runs", *db, "submit", "--start", "2026-11-22", "--weeks", "1",
                        "--time-limit", "5")  # fmt: skip
    assert code == 0
    assert out.startswith("queued run 1: solve of team alpha, 1 week(s) from 2026-11-22, on no")
    code, out, _ = _run(capsys, "runs", *db, "list")
    assert out.splitlines()[1].startswith("1\tsolve\tqueued\t2026-11-22\t1\t-\t-")
    code, out, _ = _run(capsys, "runs", *db, "cancel", "1")
    assert (code, out.strip()) == (0, "run 1: cancel asked for")
    code, out, _ = _run(capsys, "runs", *db, "show", "1")
    assert out.startswith("run 1: solve of 1 week(s) from 2026-11-22, cancelled")
    bad = {
        ("cancel", "1"): "run 1 is already cancelled",
        ("show", "7"): "there is no run 7",
        ("publish", "1"): "run 1 has no roster that passed the independent check",
        ("submit", "--start", "2026-11-23", "--weeks", "1"): "2026-11-23 is a Monday",
        ("submit", "--start", "someday", "--weeks", "1"): "--start",
        ("submit", "--start", "2026-11-22", "--weeks", "1", "--team", "beta"): "is not a team",
        ("submit", "--start", "2026-11-22", "--weeks", "1", "--scenario", "x"): "not a scenario",
        ("submit", "--start", "2026-11-22", "--weeks", "1", "--time-limit", "0"): "time_limit",
    }
    for args, message in bad.items():
        code, _, err = _run(capsys, "runs", *db, *args)
        assert code == 2, args
        assert message in err, (args, err)
    code, _, err = _run(capsys, "export", *db, "roster", "--version", "3", "--out", "x.csv")
    assert (code, "has no such published version" in err) == (2, True)
    code, _, err = _run(capsys, "export", *db, "roster", "--out", "x.txt")
    assert (code, "must end in .csv or .xlsx" in err) == (2, True)
    store = Store(empty_url)
    trail = [e.action for e in service.audit_log(store, _manager(store))]
    assert trail[1:4] == ["run.status", "run.cancel", "run.submit"]  # after the reader's user.add
    store.dispose()


@pytest.mark.slow
def test_from_the_command_line_a_stored_solve_is_published_and_a_calendar_exported(
    empty_url: str, sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's last check: ``db seed``, a solve stored as a run (two weeks around the
    spring-forward change of 14 March 2027), published, one agent's ``.ics`` exported; it
    parses with ``icalendar`` and each shift shows the local times of the published roster,
    an hour's offset apart on either side of the change."""
    db = ("--database", empty_url)
    assert main(["db", *db, "init"]) == 0
    assert main(["db", *db, "seed", str(sample_dir), "--team", "demo"]) == 0
    capsys.readouterr()
    quick = ("--time-limit", "4", "--workers", "1", "--lp-bound-seconds", "0")
    code, out, _ = _run(capsys, "runs", *db, "submit", "--start", "2027-03-07", "--weeks", "2",
                        *quick)  # fmt: skip
    assert code == 0, out
    run_id = out.split()[2].rstrip(":")
    code, out, _ = _run(capsys, "worker", *db, "--once", "--processes", "1")
    assert (code, "started 1 run(s)" in out) == (0, True)
    code, out, _ = _run(capsys, "runs", *db, "show", run_id)
    assert f"run {run_id}: solve of 2 week(s) from 2027-03-07, done" in out
    assert "independent check: no violation" in out
    code, out, _ = _run(capsys, "runs", *db, "publish", run_id)
    assert (code, f"published run {run_id} as version 1:" in out) == (0, True)
    ics, csv_file = tmp_path / "A001.ics", tmp_path / "roster.csv"
    code, out, _ = _run(capsys, "export", *db, "calendar", "--agent-id", "A001", "--out", str(ics))
    assert (code, out.startswith(f"wrote {ics}")) == (0, True)
    assert main(["export", *db, "roster", "--version", "1", "--out", str(csv_file)]) == 0
    assert main(["export", *db, "roster", "--out", str(tmp_path / "roster.xlsx")]) == 0

    zone = ZoneInfo("America/New_York")  # A001's
    published = {
        row["start_utc"]: row
        for row in csv.DictReader(csv_file.read_text().splitlines())
        if row["agent_id"] == "A001"
    }
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == len(published) > 0
    offsets = set()
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert event["dtstart"].params["TZID"] == "America/New_York"
        row = published[start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
        assert start.isoformat() == row["start_local"]
        assert end.isoformat() == row["end_local"]
        assert start.astimezone(zone).utcoffset() == start.utcoffset()
        offsets.add(start.utcoffset())
    # shifts before the change are at -05:00, after it at -04:00, each at its local time
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}
