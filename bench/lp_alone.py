"""The LP bound of the whole roster model, solved alone (no search sharing the cores).

``python -m bench.lp_alone [--sizes sample,300] [--seconds S]``

Inside a solve the LP relaxation runs beside the search on the same two cores and, at the
bench's time limits, does not finish. This measures what it gives with the machine to
itself: the same model the solver builds (:func:`planner.model.build_model` on
:func:`planner.candidates.prepare`), handed to the same killable child
(:class:`planner.lp_bound.LpJob`). The bound bounds the *model* objective (breaks at their
default positions), i.e. the ``model_objective`` of a solve. Results go to
``bench/results/lp_alone.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Sequence
from typing import Any

from bench.roster_bench import RESULTS, START, WEEKS, prepare_dataset, size_named
from planner.candidates import prepare
from planner.config import load_config
from planner.domain import Horizon
from planner.holiday_calendar import HolidayCalendar
from planner.io import read_agents, read_availability, read_requirements, read_time_off
from planner.lp_bound import LpJob
from planner.model import build_model
from planner.problems import Problems

OUT = RESULTS / "lp_alone.json"


def lp_alone(size_name: str, seconds: float) -> dict[str, Any]:
    """Build the size's full model and solve its LP relaxation within ``seconds``."""
    data = prepare_dataset(size_named(size_name))
    problems = Problems()
    config = load_config(data.folder / "config.toml")
    agents = read_agents(data.folder / "agents.csv", config, problems)
    availability = read_availability(data.folder / "availability.csv", agents, problems)
    time_off = read_time_off(data.folder / "time_off.csv", agents, problems)
    requirements = read_requirements(data.requirements, config, problems)
    problems.raise_if_errors()
    assert requirements is not None
    horizon = Horizon(START, WEEKS)
    calendar = HolidayCalendar(config.holidays, range(START.year - 1, horizon.end.year + 2))
    began = time.perf_counter()
    problem = prepare(
        agents,
        requirements,
        config,
        horizon,
        availability_rows=availability,
        time_off_rows=time_off,
        calendar=calendar,
    )
    built = build_model(problem, hints=False)
    build_seconds = time.perf_counter() - began
    with LpJob(built.model, seconds) as job:
        # The child stops itself a few seconds past its limit; wait for it, then collect.
        while job.running and time.perf_counter() - job.began < seconds + 15:
            time.sleep(0.5)
        bound = job.finish()
    return {
        "size": size_name,
        "agents": len(agents),
        "weeks": WEEKS,
        "build_seconds": round(build_seconds, 1),
        "lp": dataclasses.asdict(bound),
        "time_limit": seconds,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lp_alone", description=__doc__)
    parser.add_argument("--sizes", default="sample", help="comma-separated: sample, 300, ...")
    parser.add_argument("--seconds", type=float, default=300.0, help="LP time limit")
    args = parser.parse_args(argv)
    results = [lp_alone(name, args.seconds) for name in args.sizes.split(",")]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    for r in results:
        lp = r["lp"]
        print(
            f"{r['size']}: {r['agents']} agents x {r['weeks']} weeks, model built in "
            f"{r['build_seconds']} s; LP {lp.get('status')} {lp.get('rows')} x {lp.get('cols')}, "
            f"value {lp.get('value')}, bound {lp.get('bound')}, {lp.get('seconds')} s "
            f"(limit {r['time_limit']:g} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
