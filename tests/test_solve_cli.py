"""``python -m planner solve`` on tiny files: writes roster, breaks and report that
``check`` accepts; infeasible exits 1 and bad input exits 2, both writing nothing."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.cli import main
from planner.data.roster_io import FAIRNESS_KINDS
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
    # Email is planned as a queue the model relaxes: "optimal" is claimed only when the exact
    # value meets the model's bound, which a loaded machine may not reach in 10 s.
    assert report["status"] in {"optimal", "feasible"}
    assert set(report["terms"]) == {
        "under_staffing", "over_staffing", "deferred_overdue", "fairness", "preferences",
        "stability", "overtime", "min_staff", "min_leads", "shift_requests", "shift_cover",
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


def test_floor_shortfalls_are_printed_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Phone wants 1 agent and the team 1 lead whenever open (the default windows: 16:00-02:00
    # on weekdays, 08:00-02:00 at the weekend); two agents of 24 h and 16 h cannot do it.
    files = _files(tmp_path, AGENTS.replace("phone;email", "phone;email;lead"))
    config = CONFIG.replace("priority = 3", "priority = 3\nmin_staff = 1")
    files["config.toml"].write_text(config + "\n[coverage]\nmin_leads = 1\n")
    out = tmp_path / "out"
    assert main(_solve_args(files, out)) == 0
    printed = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())
    short = report["floor_short_hours"]
    assert set(short) == {"phone", "lead"}
    assert short["phone"] > 0
    assert (
        f"below channel floors (min_staff), staff-hours: phone {short['phone']:,.1f} h" in printed
    )
    assert f"below the leads' floor (min_leads), lead-hours: {short['lead']:,.1f} h" in printed
    assert report["kpis"]["floor_short_hours"]["phone"] == pytest.approx(short["phone"], abs=0.01)
    assert report["kpis"]["lead_short_hours"] == pytest.approx(short["lead"], abs=0.01)
    assert report["terms"]["min_staff"]["raw"] == round(60 * short["phone"])
    assert report["terms"]["min_leads"]["raw"] == round(60 * short["lead"])
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
    assert f"min_staff: {report['terms']['min_staff']['raw']} x 50" in checked
    assert "below channel floors (min_staff): phone" in checked


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


def _requirements_from(tmp_path: Path, start: date) -> Path:
    """The tiny requirements of :func:`_files`, for the week starting ``start``."""
    frame = make_requirements(
        make_config(), Horizon(start, 1), window_need(None, 17, 23, {"phone": 1, "email": 1})
    )
    frame = frame[frame["channel"].isin(["phone", "email"])].copy()
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    for column, value in (("contacts", 3.0), ("aht_seconds", 300.0), ("service_level", 1.0)):
        frame[column] = value
    frame["agents_needed"] = frame["staff_needed"]
    path = tmp_path / f"requirements-{start}.csv"
    frame.to_csv(path, index=False)
    return path


def _flag_totals(roster: Path) -> dict[str, dict[str, int]]:
    """Per agent, the sum of each flag column of a roster.csv (holidays: none here)."""
    totals: dict[str, dict[str, int]] = {}
    with open(roster, newline="") as handle:
        for row in csv.DictReader(handle):
            agent = totals.setdefault(row["agent_id"], dict.fromkeys(FAIRNESS_KINDS, 0))
            for kind in FAIRNESS_KINDS:
                agent[kind] += int(row[kind])
    return totals


def _history(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="") as handle:
        return {row.pop("agent_id"): row for row in csv.DictReader(handle)}


def test_fairness_history_closes_the_loop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Period 1 writes fairness_history.csv beside its roster; period 2 reads it and writes
    the sum of both rosters' counts, weeks 2 and twice the contracted hours."""
    files = _files(tmp_path)
    first, second = tmp_path / "p1", tmp_path / "p2"
    assert main(_solve_args(files, first)) == 0
    one = _history(first / "fairness_history.csv")
    flags_one = _flag_totals(first / "roster.csv")
    assert set(one) == {"A1", "W1"}
    for agent, hours in (("A1", "24"), ("W1", "16")):
        assert one[agent] == {
            **{k: str(flags_one.get(agent, {}).get(k, 0)) for k in FAIRNESS_KINDS},
            "weeks": "1",
            "hours": hours,
            "through": "2026-12-12",
        }
    assert sum(int(one[a]["evening"]) for a in one) > 0  # the demand is 17:00-23:00

    week_two = WEEK + timedelta(days=7)
    args = _solve_args(files, second, "--fairness-history", str(first / "fairness_history.csv"))
    args[args.index("--start") + 1] = week_two.isoformat()
    args[args.index("--requirements") + 1] = str(_requirements_from(tmp_path, week_two))
    assert main(args) == 0
    report = json.loads((second / "report.json").read_text())
    carried = report["kpis"]["fairness"]["agents"]["A1"]["carried"]
    assert carried == {k: int(one["A1"][k]) for k in FAIRNESS_KINDS}
    two = _history(second / "fairness_history.csv")
    flags_two = _flag_totals(second / "roster.csv")
    for agent in ("A1", "W1"):
        for kind in FAIRNESS_KINDS:
            added = flags_two.get(agent, {}).get(kind, 0)
            assert int(two[agent][kind]) == int(one[agent][kind]) + added
        assert two[agent]["weeks"] == "2"
        assert two[agent]["through"] == "2026-12-19"
    assert two["A1"]["hours"] == "48"
    # The same period again into the same folder replaces its own output (through matches).
    capsys.readouterr()
    assert main(args) == 0
    assert "fairness_history.csv" in capsys.readouterr().out.splitlines()[-1]


def test_fairness_history_is_never_written_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    history = tmp_path / "fairness_history.csv"
    history.write_text("agent_id,weekend,evening,holiday\nA1,1,2,0\n")
    before = history.read_bytes()
    # Explicitly over the input: bad input, exit 2, nothing written.
    out = tmp_path / "out"
    args = _solve_args(
        files, out, "--fairness-history", str(history), "--fairness-out", str(history)
    )
    assert main(args) == 2
    assert "--fairness-out" in capsys.readouterr().err
    assert not out.exists()
    # By default beside a roster written in the input's own folder: skipped with a note.
    args = _solve_args(files, tmp_path, "--fairness-history", str(history))
    assert main(args) == 0
    assert "next fairness_history.csv not written" in capsys.readouterr().out
    assert history.read_bytes() == before
    # Someone else's file in the output folder (no matching through column): kept.
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "fairness_history.csv").write_bytes(before)
    assert main(_solve_args(files, other)) == 0
    assert "is not this period's output" in capsys.readouterr().out
    assert (other / "fairness_history.csv").read_bytes() == before
    # An explicit path elsewhere is written.
    target = tmp_path / "next" / "history.csv"
    args = _solve_args(
        files, out, "--fairness-history", str(history), "--fairness-out", str(target)
    )
    assert main(args) == 0
    assert _history(target)["A1"]["weeks"] == "1"
