"""The LP bound in its own process: same value as in-process, always reaped, never a leftover
child after solve() returns or is cancelled."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ortools.sat.python import cp_model

from planner.domain import Agent, Config, Horizon
from planner.lp_bound import LpJob, lp_relaxation_bound
from planner.solve import LP_SOURCE, SolveOptions
from tests.test_model_support import (
    WEEK,
    Need,
    make_agent,
    make_config,
    relaxed_rules,
    solve_checked,
    window_need,
)


def children() -> list[int]:
    """Processes whose parent is this one (running or zombie), from /proc."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == me:
            found.append(int(entry.name))
    return found


def cover_model() -> cp_model.CpModel:
    """min x + y + z with x + y >= 1, y + z >= 1, x + z >= 1: LP 1.5, bound 2."""
    model = cp_model.CpModel()
    x, y, z = (model.new_bool_var(n) for n in "xyz")
    model.add(x + y >= 1)
    model.add(y + z >= 1)
    model.add(x + z >= 1)
    model.minimize(x + y + z)
    return model


def test_child_process_gives_the_in_process_bound_and_is_reaped() -> None:
    model = cover_model()
    expected = lp_relaxation_bound(model, time_limit=10)
    with LpJob(model, 30) as job:
        process = job.process
        assert process is not None
        deadline = time.perf_counter() + 60
        while job.poll() is None and time.perf_counter() < deadline:
            time.sleep(0.05)
        outcome = job.finish()
    assert outcome.status == "optimal"
    assert outcome.value == expected.value == 1.5
    assert outcome.bound == expected.bound == 2
    assert process.returncode == 0
    assert process.pid not in children()


def test_finish_kills_a_running_child() -> None:
    job = LpJob(cover_model(), 30)
    process = job.process
    assert process is not None
    outcome = job.finish()  # at once: the child is still starting Python
    assert outcome.status == "time_limit"
    assert outcome.bound is None
    assert process.returncode is not None
    assert process.pid not in children()
    assert job.process is None
    job.close()  # idempotent


def scenario() -> tuple[list[Agent], Config, Horizon, Need]:
    agents = [
        make_agent("A1", max_hours=16, skills=("phone", "sms")),
        make_agent("A2", max_hours=16, shift_hours=(4, 8), skills=("email",)),
    ]
    need = window_need(None, 16, 22, {"phone": 1, "email": 1})
    return agents, make_config(rules=relaxed_rules()), Horizon(WEEK, 1), need


def test_no_child_left_after_solve_in_every_mode() -> None:
    agents, config, horizon, need = scenario()
    for mode in ("full", "plain", "hinted"):
        options = SolveOptions(time_limit=20, workers=1, lp_bound_seconds=20, mode=mode)
        result, _ = solve_checked(agents, config, horizon, need, options=options)  # type: ignore[arg-type]
        assert result.roster is not None, mode
        assert children() == [], mode
        notes = [n for n in result.explanation if n.startswith("LP bound")]
        assert len(notes) == 1, (mode, result.explanation)
        # Stopped before it finished: said so, and the bound is not the LP's.
        if notes[0].startswith("LP bound not solved within"):
            assert result.bound_source != LP_SOURCE


def test_no_child_left_after_a_cancelled_solve() -> None:
    agents, config, horizon, need = scenario()
    cancel = threading.Event()
    options = SolveOptions(
        time_limit=30, workers=1, lp_bound_seconds=30, mode="plain", cancel=cancel
    )
    cancel.set()  # cancelled before CP-SAT starts: the LP child starts and must be stopped
    result, _ = solve_checked(agents, config, horizon, need, options=options)
    assert result.status in {"cancelled_with_roster", "no_roster"}
    assert children() == []
