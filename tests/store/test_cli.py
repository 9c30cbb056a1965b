"""``python -m planner db ...``, ``users ...``, ``teams ...`` and ``worker``: what they print
and their exit codes (0 done, 2 bad input with nothing changed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main
from planner.store.access import AccessDenied, sign_in
from planner.store.db import Store


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as usage:  # argparse: a usage error is exit 2
        code = int(usage.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


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
