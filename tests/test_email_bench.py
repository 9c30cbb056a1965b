"""The email bench (bench/email_bench.py): a real run on a tiny data folder (one pipeline in
its own process, then both bounds), and its figures and table on a hand-made report.

The end-to-end test checks the harness, not the engine's quality: the run's figures come
from its report.json, the bounds hold above the run's own service level, and the JSON and
Markdown reports are written.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from bench import email_bench as eb
from tests.test_bench_smoke import tiny_folder


@pytest.mark.slow
def test_bench_runs_the_pipeline_and_bounds_it(tmp_path: Path) -> None:
    settings = eb.Settings(
        data=tiny_folder(tmp_path / "tiny"),
        weeks=1,
        time_limit=2.0,
        workers=1,
        bound_seconds=120.0,
        out=tmp_path / "results",
    )
    report = eb.bench(settings, [date(2026, 11, 29)], [0], echo=lambda _: None)
    (run,) = report["runs"]
    assert run["exit"] == 0, run.get("error")
    assert run["command"].startswith("python -m planner pipeline --data ")
    assert "--time-limit 2 --workers 1 --seed 0" in run["command"]
    assert set(run["covered_pct"]) == {"phone", "sms"}
    assert len(run["email_sl_weeks"]) == 1
    methods = [b["method"] for b in report["bounds"]]
    assert methods == ["lp", "fifo"]
    for bound in report["bounds"]:
        assert bound["floors"] == run["covered_minutes"]
        # Whatever the roster, no roster covering phone and SMS as much does better.
        assert bound["level"] >= run["email_sl"] - 1e-9
    saved = json.loads((tmp_path / "results" / "email_bench.json").read_text())
    assert saved["runs"][0]["email_sl"] == run["email_sl"]
    table = (tmp_path / "results" / "email_bench.md").read_text()
    assert "| 2026-11-29 | 0 |" in table
    assert "| 2026-11-29 | LP |" in table


def report_json() -> dict[str, object]:
    """The part of a pipeline's report.json the bench reads."""
    return {
        "objective": 1234,
        "shifts": 10,
        "search": {"iterations": 7},
        "kpis": {
            "idle_staff_hours": 3.25,
            "weekly_service_level": {"email": [0.95, 0.5]},
            "channels": {
                "phone": {"covered_pct": 99.5, "covered_staff_hours": 10.25, "service_level": 0.8},
                "sms": {"covered_pct": 100.0, "covered_staff_hours": 4.0, "service_level": 0.9},
                "email": {
                    "covered_pct": 50.0,
                    "covered_staff_hours": 3.0,
                    "service_level": 0.725,
                    "response": {
                        "mean_hours": 2.0,
                        "p90_hours": 5.5,
                        "mean_open_hours": 1.5,
                        "p90_open_hours": 3.5,
                    },
                },
            },
        },
    }


def test_figures_read_a_report_and_the_table_shows_them() -> None:
    found = eb.figures(report_json())
    assert found["email_sl"] == 0.725
    assert found["covered_minutes"] == {"phone": 615, "sms": 240}
    assert found["response_p90_open_hours"] == 3.5
    report = {
        "measured": "2026-12-03",
        "machine": "x86_64",
        "settings": {"weeks": 2, "time_limit": 120.0, "workers": 2, "bound_seconds": 60.0},
        "runs": [{"start": "2026-11-29", "seed": 0, "exit": 0, **found}],
        "bounds": [
            {
                "start": "2026-11-29",
                "method": "fifo",
                "week": 1,
                "floors": {"phone": 615, "sms": 240},
                "floors_from": "the runs' rosters",
                "level": 0.8912,
                "status": "optimal",
                "seconds": 12.0,
            }
        ],
    }
    table = eb.table(report)
    assert (
        "| 2026-11-29 | 0 | 72.5% | 95% / 50% | 2.0, 5.5 (1.5, 3.5) | 99.50% | 100.00% |" in table
    )
    assert (
        "| 2026-11-29 | FIFO, week 1 | 10.2, 4.0 | the runs' rosters | 89.12% | out of reach |"
        in (table)
    )
    assert eb._lowest_week([found]) == 1


def test_live_coverage_is_name_equals_share() -> None:
    assert eb._shares("phone=0.997,sms=0.99") == {"phone": 0.997, "sms": 0.99}
    with pytest.raises(argparse.ArgumentTypeError, match="phone"):
        eb._shares("phone")
