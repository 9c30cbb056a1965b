"""A blank ``timezone`` for an agent in a state with two zones (FL, ID, MI, TX) is a warning
naming the row, in ``validate`` and in ``solve`` (which still succeeds); in a state with one
zone (GA, NC, WA) a blank cell is simply that zone."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main
from planner.data.io import read_agents
from planner.data.problems import Problems
from planner.data.zones import STATE_ZONES
from planner.domain import Horizon
from tests.support.dataset import AGENTS_CSV, run_validate, write_dataset
from tests.support.model import WEEK, make_config, make_requirements, window_need

HEADER = AGENTS_CSV.splitlines()[0]


def _row(state: str, zone: str = "") -> str:
    return f"B1,Bea,{state},{zone},full_time,0,40,8,phone"


@pytest.mark.parametrize("state", ["FL", "ID", "MI", "TX"])
def test_blank_zone_in_a_two_zone_state_is_a_warning(tmp_path: Path, state: str) -> None:
    path = tmp_path / "agents.csv"
    path.write_text(f"{HEADER}\n{_row(state)}\n")
    problems = Problems()
    (agent,) = read_agents(path, None, problems)
    assert agent.timezone == STATE_ZONES[state][0]
    first, second = STATE_ZONES[state]
    assert [str(p) for p in problems] == [
        f"warning: agents.csv, row 1, column timezone: timezone is blank and {state} has more "
        f"than one zone ({first}, {second}): {first} is assumed; write the agent's zone"
    ]


@pytest.mark.parametrize("state", ["GA", "NC", "WA"])
def test_blank_zone_in_a_one_zone_state_is_fine(tmp_path: Path, state: str) -> None:
    path = tmp_path / "agents.csv"
    path.write_text(
        f"{HEADER}\n{_row(state)}\n{_row('TX', 'America/Denver').replace('B1', 'B2')}\n"
    )
    problems = Problems()
    agents = read_agents(path, None, problems)
    assert [a.timezone for a in agents] == [STATE_ZONES[state][0], "America/Denver"]
    assert list(problems) == []


def test_validate_warns_naming_the_row_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agents = AGENTS_CSV.replace("A3,Cy Oh,FL,America/Chicago,", "A3,Cy Oh,FL,,")
    code, out, err = run_validate(write_dataset(tmp_path, {"agents.csv": agents}), capsys)
    assert code == 0
    assert err == [
        "warning: agents.csv, row 3, column timezone: timezone is blank and FL has more than "
        "one zone (America/New_York, America/Chicago): America/New_York is assumed; write the "
        "agent's zone"
    ]
    assert out[-1] == f"{tmp_path}: 7 files valid, 1 warning"


SOLVE_CONFIG = """\
[site]
business_timezone = "America/New_York"

[channels.phone]
kind = "live"
"""


def test_solve_warns_naming_the_row_and_still_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config.toml").write_text(SOLVE_CONFIG)
    (tmp_path / "agents.csv").write_text(
        f"{HEADER}\nA1,Ana,GA,,full_time,0,16,8,phone\nT1,Tia,TX,,part_time,0,16,8,phone\n"
    )
    need = window_need(None, 17, 23, {"phone": 1})
    frame = make_requirements(make_config(), Horizon(WEEK, 1), need)
    frame = frame[frame["channel"] == "phone"]
    frame["interval_start"] = frame["interval_start"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame = frame.assign(contacts=3.0, aht_seconds=300.0, agents_needed=frame["staff_needed"])
    frame.assign(service_level=1.0).to_csv(tmp_path / "requirements.csv", index=False)
    out = tmp_path / "out"
    args = ["solve", "--agents", str(tmp_path / "agents.csv"), "--requirements",
            str(tmp_path / "requirements.csv"), "--config", str(tmp_path / "config.toml"),
            "--start", WEEK.isoformat(), "--weeks", "1", "--time-limit", "5", "--workers", "1",
            "--out", str(out / "roster.csv")]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("warning")] == [
        "warning: agents.csv, row 2, column timezone: timezone is blank and TX has more than "
        "one zone (America/Chicago, America/Denver): America/Chicago is assumed; write the "
        "agent's zone"
    ]
    assert (out / "roster.csv").is_file()
