"""The roster bench harness on a tiny instance (3 agents, 1-second runs), and its summary
arithmetic on hand-made records.

The end-to-end test checks the harness, not the engine's quality: every mode runs in its
own process, its record carries peak memory and the independent check, and the JSON and
Markdown reports are written.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from bench import roster_bench as rb

DATA = Path(__file__).resolve().parent.parent / "data"
INTERVALS_A_DAY = 48  # data/history.csv has 30-minute intervals
CHANNELS = 3


def tiny_folder(folder: Path, agents: int = 3) -> Path:
    """data/'s config, its first agents without availability or time-off rows (so their
    hard rules hold), and the last 8 weeks of its history (enough to forecast from)."""
    folder.mkdir()
    shutil.copy(DATA / "config.toml", folder / "config.toml")
    with (DATA / "availability.csv").open() as f:
        limited = {row["agent_id"] for row in csv.DictReader(f)}
    with (DATA / "time_off.csv").open() as f:
        limited |= {row["agent_id"] for row in csv.DictReader(f)}
    lines = (DATA / "agents.csv").read_text().splitlines()
    kept = [line for line in lines[1:] if line.split(",")[0] not in limited][:agents]
    (folder / "agents.csv").write_text("\n".join([lines[0], *kept]) + "\n")
    history = (DATA / "history.csv").read_text().splitlines()
    tail = history[-56 * INTERVALS_A_DAY * CHANNELS :]
    (folder / "history.csv").write_text("\n".join([history[0], *tail]) + "\n")
    return folder


@pytest.mark.slow
def test_bench_runs_every_mode_in_its_own_process(tmp_path: Path) -> None:
    size = rb.Size(
        "tiny",
        None,
        time_limit=1.0,
        runs=1,
        lp_seconds=0.0,
        source=tiny_folder(tmp_path / "tiny"),
        volume_multiplier=3 / 80,
    )
    out = tmp_path / "results"
    report = rb.bench([size], rb.MODES, out, cache=tmp_path / "cache", echo=lambda _: None)

    runs = {r["mode"]: r for r in report["runs"]}
    assert list(runs) == list(rb.MODES)
    for r in runs.values():
        assert r["exit"] == "ok", r.get("error")
        assert r["agents"] == 3
        assert r["peak_mb"] > 50  # an interpreter with pandas and OR-Tools loaded
        assert r["child_wall_seconds"] < rb.hard_timeout(1.0)
    full = runs["full"]
    # Whatever the time limit, the full search returns a roster the validator accepts.
    assert full["check_ok"] is True
    assert full["check_objective"] == full["objective"]
    assert full["first_valid_seconds"] is not None
    assert full["first_valid_seconds"] <= full["solve_seconds"]
    assert set(full["under_staffed_hours"]) == {"phone", "sms", "email"}
    assert 0 <= full["covered_pct"] <= 100

    saved = json.loads((out / "roster_bench.json").read_text())
    assert [r["mode"] for r in saved["summary"]] == list(rb.MODES)
    table = (out / "roster_bench.md").read_text()
    for mode in rb.MODES:
        assert f"| 3 | 4 | {mode} | 1 |" in table

    # A second preparation reuses the cached requirements.
    before = (tmp_path / "cache" / f"tiny-{rb.START}-4w" / "requirements.csv").stat().st_mtime_ns
    again = rb.prepare_dataset(size, tmp_path / "cache")
    assert again.requirements.stat().st_mtime_ns == before


def test_a_run_past_its_hard_timeout_is_killed_and_recorded(tmp_path: Path) -> None:
    spec = rb.RunSpec(
        size="x",
        folder=str(tmp_path),
        requirements=str(tmp_path / "requirements.csv"),
        mode="plain",
        seed=0,
        time_limit=1.0,
        lp_seconds=0.0,
        workers=1,
        out=str(tmp_path / "run.json"),
    )
    record = rb.run_child(spec, tmp_path / "run.log", timeout=0.3)
    assert record["exit"] == "timeout"
    assert record["child_wall_seconds"] < 5
    assert not (tmp_path / "run.json").exists()


def record(mode: str, seed: int, objective: int | None, **more: object) -> dict[str, object]:
    base: dict[str, object] = {
        "size": "s",
        "agents": 5,
        "mode": mode,
        "seed": seed,
        "exit": "ok",
        "status": "feasible" if objective is not None else "no_roster",
        "has_roster": objective is not None,
        "check_ok": True if objective is not None else None,
        "objective": objective,
        "bound": None,
        "bound_source": None,
        "peak_mb": 100.0 + seed,
        "under_staffed_hours": {"phone": float(seed)} if objective is not None else {},
    }
    return base | more


def test_summary_takes_medians_and_ratios_compare_full_with_each_mode() -> None:
    records = [
        record("plain", 0, 100),
        record("plain", 1, 300),
        record("plain", 2, None),  # no roster: left out of the medians
        record("hinted", 0, 80),
        record("full", 0, 60, bound=50.0, bound_source=rb.LP_SOURCE),
        record("full", 1, 40, bound=30.0, bound_source=rb.LP_SOURCE),
        record("full", 2, 50, bound=None),
    ]
    rows = {r["mode"]: r for r in rb.summarise(records)}
    assert rows["plain"]["objective"] == 200  # median of 100 and 300
    assert rows["plain"]["with_roster"] == 2
    assert rows["plain"]["check_ok"] == 2
    assert rows["full"]["objective"] == 50  # median of 60, 40, 50
    assert rows["full"]["bound"] == 40  # median of 50 and 30
    assert rows["full"]["under_staffed_hours"] == {"phone": 1.0}  # median of 0, 1, 2
    assert rows["full"]["peak_mb_max"] == 102.0

    ratios = {c["versus"]: c for c in rb.ratios(list(rows.values()))}
    assert ratios["plain"]["ratio"] == pytest.approx(50 / 200)
    assert ratios["hinted"]["ratio"] == pytest.approx(50 / 80)
    assert all(c["full_better"] for c in ratios.values())

    text = rb.markdown(
        list(rows.values()),
        list(ratios.values()),
        {"when": "w", "machine": "m", "settings": "s"},
        records,
    )
    assert "full/plain = 0.2500" in text
    assert "s plain seed 2: status no_roster" in text
    assert "40 (LP)" in text


def test_full_is_not_better_when_it_has_no_roster() -> None:
    rows = rb.summarise([record("plain", 0, 10), record("full", 0, None)])
    (comparison,) = rb.ratios(rows)
    assert comparison["full_better"] is False
    assert comparison["ratio"] is None


def test_a_hang_is_summarised_by_the_innermost_frame_of_each_thread() -> None:
    log = "\n".join(
        [
            "[   11.1 s] objective 625546  bound None  (construct)",
            "Timeout (0:01:20)!",
            "Thread 0x00007f11 (most recent call first):",
            '  File "scipy/_highs_wrapper.py", line 206 in _highs_wrapper',
            '  File "planner/roster/lp_bound.py", line 474 in _solve',
        ]
    )
    summary = rb.log_summary(log)
    assert summary.splitlines()[0].endswith("(construct)")
    assert summary.splitlines()[-1] == 'File "scipy/_highs_wrapper.py", line 206 in _highs_wrapper'
    assert "lp_bound.py" not in summary


def test_dashboard_paint_summary_is_medians_and_the_first_round() -> None:
    from bench import dashboard_paint as dp

    rows = dp.summary({"manager: Review": [(4.0, 6.0), (1.0, 2.0), (2.0, 3.0)]})
    (row,) = rows
    assert (row["content_median"], row["complete_median"]) == (2.0, 3.0)
    assert (row["content_min"], row["content_max"]) == (1.0, 4.0)
    assert (row["cold_content"], row["cold_complete"]) == (4.0, 6.0)  # the first round
    assert row["samples"] == [[4.0, 6.0], [1.0, 2.0], [2.0, 3.0]]
    assert "manager: Review" in dp.table(rows)
    # every page's content is an element of the current run, and every page of a role with
    # more than one page is reached from the sidebar too
    assert all(c.content.startswith(dp.FRESH) for c in dp.PAGES)
    assert {c.role for c in dp.PAGES if c.link is None} == {"agent1"}
