"""The whole pipeline: a generated data folder -> forecast, staff, solve, check, files.

The roster the pipeline writes is checked again by the ``check`` command from the files
alone (the independent validator), and its objective must equal the solver's.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from planner.cli import main

START = "2026-11-22"  # the Sunday after the generated history ends (2026-11-21)


@pytest.fixture(scope="module")
def small_team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("team")
    assert main(["sample-data", "--out", str(folder), "--agents", "12", "--seed", "3"]) == 0
    return folder


@pytest.mark.slow
def test_pipeline_writes_a_roster_the_checker_accepts(small_team: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(
        ["pipeline", "--data", str(small_team), "--out", str(out), "--start", START,
         "--weeks", "1", "--time-limit", "8"]
    )  # fmt: skip
    assert code == 0
    names = {"forecast.csv", "requirements.csv", "roster.csv", "breaks.csv", "report.json"}
    names.add("fairness_history.csv")  # the next period's, beside the roster
    assert names <= {p.name for p in out.iterdir()}
    report = json.loads((out / "report.json").read_text())
    assert report["status"] in ("optimal", "feasible")
    assert report["shifts"] > 0
    with open(out / "fairness_history.csv", newline="") as handle:
        history = list(csv.DictReader(handle))
    with open(out / "roster.csv", newline="") as handle:
        closers = sum(int(row["closer"]) for row in csv.DictReader(handle))
    assert len(history) == 12
    assert {row["through"] for row in history} == {"2026-11-28"}
    assert sum(int(row["closer"]) for row in history) == closers
    kpis = report["kpis"]["fairness"]
    assert set(kpis["groups"]["full_time"]) == {"weekend", "evening", "holiday", "closer"}

    data = {n: str(small_team / f"{n}.csv") for n in ("agents", "availability", "time_off")}
    checked = main(
        ["check", "--agents", data["agents"], "--availability", data["availability"],
         "--time-off", data["time_off"], "--config", str(small_team / "config.toml"),
         "--start", START, "--weeks", "1", "--roster", str(out / "roster.csv"),
         "--breaks", str(out / "breaks.csv"), "--requirements", str(out / "requirements.csv")]
    )  # fmt: skip
    assert checked == 0


def test_pipeline_rejects_a_start_that_is_not_the_first_weekday(
    small_team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["pipeline", "--data", str(small_team), "--out", str(out), "--start", "2026-11-23"])
    assert code == 2
    assert "--start" in capsys.readouterr().err
    assert not out.exists()
