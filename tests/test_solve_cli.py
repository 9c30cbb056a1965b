"""``python -m planner solve`` on tiny files: writes roster, breaks and report that
``check`` accepts; infeasible exits 1 and bad input exits 2, both writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain import Horizon
from tests.support.model import WEEK, make_config, make_requirements, window_need

CONFIG = """\
[site]
business_timezone = "America/New_York"
interval_minutes = 30
week_starts = "Sun"

[rules]
min_rest_hours = 10
max_consecutive_days = 6
min_days_off_per_week = 2

[channels.phone]
kind = "live"
priority = 3

[channels.email]
kind = "deferred"
priority = 1
"""

AGENTS = """\
agent_id,name,state,timezone,contract,min_weekly_hours,max_weekly_hours,shift_hours,skills
A1,Ana,GA,America/New_York,full_time,16,24,8,phone;email
W1,Wes,WA,America/Los_Angeles,part_time,8,16,4;8,phone
"""


def _files(tmp_path: Path, agents: str = AGENTS) -> dict[str, Path]:
    files = {name: tmp_path / name for name in ("config.toml", "agents.csv", "requirements.csv")}
    files["config.toml"].write_text(CONFIG)
    files["agents.csv"].write_text(agents)
    config = make_config()
    frame = make_requirements(
        config, Horizon(WEEK, 1), window_need(None, 17, 23, {"phone": 1, "email": 1})
    )
    frame = frame[frame["channel"].isin(["phone", "email"])].copy()
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame["contacts"] = frame["staff_needed"] * 3.0
    frame["aht_seconds"] = 300.0
    frame["agents_needed"] = frame["staff_needed"]
    frame["service_level"] = 1.0
    frame = frame[
        [
            "interval_start",
            "channel",
            "contacts",
            "aht_seconds",
            "agents_needed",
            "staff_needed",
            "service_level",
        ]
    ]
    frame.to_csv(files["requirements.csv"], index=False)
    return files


def _solve_args(files: dict[str, Path], out: Path, *extra: str) -> list[str]:
    return [
        "solve",
        "--agents", str(files["agents.csv"]),
        "--requirements", str(files["requirements.csv"]),
        "--config", str(files["config.toml"]),
        "--start", WEEK.isoformat(),
        "--weeks", "1",
        "--time-limit", "10",
        "--workers", "1",
        "--out", str(out / "roster.csv"),
        "--breaks", str(out / "breaks.csv"),
        "--report", str(out / "report.json"),
        *extra,
    ]  # fmt: skip


def test_solve_writes_files_that_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    out = tmp_path / "out"
    assert main(_solve_args(files, out)) == 0
    printed = capsys.readouterr().out
    assert "objective" in printed
    assert "under-staffed" in printed
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "optimal"
    assert set(report["terms"]) == {
        "under_staffing", "over_staffing", "fairness", "preferences", "stability", "overtime",
        "shift_requests", "shift_cover",
    }  # fmt: skip
    assert report["objective"] == sum(t["cost"] for t in report["terms"].values())
    assert report["kpis"] is not None
    check = [
        "check",
        "--agents", str(files["agents.csv"]),
        "--config", str(files["config.toml"]),
        "--start", WEEK.isoformat(),
        "--weeks", "1",
        "--roster", str(out / "roster.csv"),
        "--breaks", str(out / "breaks.csv"),
        "--requirements", str(files["requirements.csv"]),
    ]  # fmt: skip
    assert main(check) == 0
    checked = capsys.readouterr().out
    assert f"objective: {report['objective']}" in checked


def test_infeasible_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agents = AGENTS.replace(
        "A1,Ana,GA,America/New_York,full_time,16,24", "A1,Ana,GA,America/New_York,full_time,44,44"
    )
    files = _files(tmp_path, agents)
    out = tmp_path / "out"
    assert main(_solve_args(files, out)) == 1
    err = capsys.readouterr().err
    assert "A1" in err
    assert "nothing was written" in err
    assert not out.exists()


def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    out = tmp_path / "out"
    args = _solve_args(files, out)
    args[args.index("--start") + 1] = "2026-12-07"  # a Monday
    args[args.index("--workers") + 1] = "0"
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--start" in err
    assert "--workers" in err
    assert not out.exists()


def test_a_previous_roster_whose_fields_disagree_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--previous`` is an input: a row whose date is not its local start date is exit 2
    naming the row and column, and nothing is solved or written."""
    files = _files(tmp_path)
    previous = tmp_path / "previous.csv"
    previous.write_text(
        "agent_id,date,start_local,end_local,timezone,start_utc,end_utc,paid_hours,evening,"
        "weekend,holiday\n"
        "A1,2026-12-04,2026-12-04T15:00:00-05:00,2026-12-04T23:30:00-05:00,America/New_York,"
        "2026-12-04T20:00:00Z,2026-12-05T04:30:00Z,8,1,0,0\n"
        "A1,2026-12-06,2026-12-05T15:00:00-05:00,2026-12-05T23:30:00-05:00,America/New_York,"
        "2026-12-05T20:00:00Z,2026-12-06T04:30:00Z,8,1,1,0\n"
    )
    out = tmp_path / "out"
    assert main(_solve_args(files, out, "--previous", str(previous))) == 2
    err = capsys.readouterr().err
    assert f"{previous}, row 2, column date: 2026-12-06 is not the local start date" in err
    assert "row 1" not in err
    assert not out.exists()


@pytest.mark.slow
def test_ctrl_c_keeps_the_best_roster(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    # 16 agents over two weeks: too big to be proven optimal at once, so the search runs
    # until interrupted.
    rows = [AGENTS.splitlines()[0]] + [
        f"A{i},Agent {i},GA,America/New_York,full_time,16,32,8,phone;email" for i in range(16)
    ]
    files = _files(tmp_path, "\n".join(rows) + "\n")
    out = tmp_path / "out"
    args = _solve_args(files, out)
    args[args.index("--time-limit") + 1] = "120"
    args[args.index("--weeks") + 1] = "2"
    # A process started in the background may inherit SIGINT as ignored: restore Python's
    # own handler (KeyboardInterrupt) before running the command line.
    boot = (
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "sys.argv = ['planner', *sys.argv[1:]]; runpy.run_module('planner', run_name='__main__')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", boot, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "(start)" in line:  # the constructive roster exists and the search runs
            break
    began = time.monotonic()
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, rest
    assert time.monotonic() - began < 30
    assert "cancelled_with_roster (not proven optimal)" in rest
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "cancelled_with_roster"
    assert (out / "roster.csv").read_text().count("\n") > 1
