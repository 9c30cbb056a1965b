"""The scale ladder's arithmetic on hand-made records: settled time, medians, growth per 100
agents, the bound computed alone, and the targets' verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from bench import scale_ladder as sl


def record(agents: int, seed: int, **figures: Any) -> dict[str, Any]:
    """A ladder record with every figure ``None`` unless given."""
    base: dict[str, Any] = dict.fromkeys(
        (*sl.MEDIANS, "bound_source", "lp_note", "model_objective", "check_ok", "status"), None
    )
    base.update(
        agents=agents,
        seed=seed,
        time_limit=sl.time_limit_for(agents),
        exit="ok",
        has_roster=True,
        violations_by_rule={},
        log="-",
    )
    base.update(figures)
    return base


def test_time_limits_follow_the_ladder_and_interpolate_between_rungs() -> None:
    assert sl.time_limit_for(1000) == 600.0
    assert sl.time_limit_for(50) == 120.0
    # Halfway from 300 (300 s) to 600 (450 s).
    assert sl.time_limit_for(450) == pytest.approx(375.0)
    assert sl.time_limit_for(5000) == 600.0


def test_settled_is_the_first_progress_within_one_percent_of_the_last() -> None:
    progress = [
        {"elapsed": 10.0, "objective": 1500},
        {"elapsed": 20.0, "objective": 1009},  # within 1% of 1000 (1010 allowed)
        {"elapsed": 30.0, "objective": 1000},
    ]
    assert sl.settled_seconds({"progress": progress}) == 20.0
    assert sl.settled_seconds({"progress": []}) is None


def test_medians_per_size_and_growth_per_100_agents() -> None:
    records = [
        record(100, 0, build_seconds=10.0, peak_mb=500.0, check_ok=True),
        record(100, 1, build_seconds=14.0, peak_mb=700.0, check_ok=True),
        record(100, 2, build_seconds=12.0, peak_mb=600.0, check_ok=False),
        record(300, 0, build_seconds=30.0, peak_mb=1000.0, check_ok=True),
    ]
    rows = sl.summarise(records)
    assert [r["agents"] for r in rows] == [100, 300]
    assert rows[0]["build_seconds"] == 12.0  # median of 10, 12, 14
    assert rows[0]["check_ok"] == 2
    assert rows[0]["peak_mb_max"] == 700.0
    # Two points, (100, 12) and (300, 30): 18 s over 200 agents = 9 s per 100 agents.
    assert sl.slope(rows, "build_seconds") == pytest.approx(9.0)
    assert sl.slope(rows[:1], "build_seconds") is None


def test_the_bound_alone_replaces_a_weaker_one_and_the_gap_follows() -> None:
    r = record(300, 0, bound=400.0, gap=0.6, model_objective=1000)
    sl.with_bound(r, {"total": 800, "complete": True, "seconds": 90.0, "note": "ok"})
    assert r["bound"] == 800.0
    assert r["gap"] == pytest.approx(0.2)  # (1000 - 800) / 1000
    assert r["bound_source"] == "LP by week, alone"
    weaker = record(300, 1, bound=900.0, gap=0.1, model_objective=1000)
    sl.with_bound(weaker, {"total": 800, "complete": True, "seconds": 90.0, "note": "ok"})
    assert weaker["bound"] == 900.0
    assert weaker["gap"] == 0.1


def test_targets_say_met_or_missed_with_the_figures() -> None:
    rows = sl.summarise(
        [
            record(300, 0, gap=0.12, check_ok=True, peak_mb=900.0),
            record(1000, 0, solve_seconds=590.0, peak_mb=5000.0, check_ok=True),
        ]
    )
    lines = sl.targets(rows)
    assert any(line.startswith("1,000 agents") and ": met" in line for line in lines)
    assert any("at 300 agents under 15%: met (12.0%)" in line for line in lines)
    late = sl.summarise([record(1000, 0, solve_seconds=700.0, peak_mb=5000.0, check_ok=True)])
    assert any("MISSED" in line for line in sl.targets(late))
