"""The objective's lower bounds solved alone (no search sharing the cores).

``python -m bench.lp_alone [--sizes sample,300] [--seconds S] [--whole sample]``

Inside a solve the bounds (:mod:`planner.roster.bounds`: one LP per week, total and per term) run
beside the search on the same two cores. This measures them with the machine to itself, in the same
child process a solve uses (:class:`planner.roster.bounds.BoundJob`). ``--whole`` names sizes for
which it also solves the LP relaxation of the whole model (every rule across weeks, fairness
included) in-process with the same solver settings
(:func:`planner.roster.lp_bound.lp_relaxation_bound`), to show how much the split by week gives up
and how much time it saves. Bounds are on the *model* objective (breaks
at their default positions), the ``model_objective`` of a solve. Results go to
``bench/results/lp_alone.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Sequence
from typing import Any

from bench.roster_bench import RESULTS, WEEKS, prepare_dataset, read_inputs, size_named
from planner.roster.bounds import BoundInputs, BoundJob
from planner.roster.lp_bound import lp_relaxation_bound
from planner.roster.model import build_model

OUT = RESULTS / "lp_alone.json"


def bound_inputs(size_name: str) -> BoundInputs:
    """The size's inputs, as a solve hands them to its bounds."""
    data = prepare_dataset(size_named(size_name))
    agents, availability, time_off, requirements, config, horizon, calendar = read_inputs(
        data.folder, data.requirements
    )
    options = {
        "availability_rows": tuple(availability),
        "time_off_rows": tuple(time_off),
        "calendar": calendar,
    }
    return BoundInputs(tuple(agents), requirements, config, horizon, options)


def lp_alone(size_name: str, seconds: float, whole: bool = False) -> dict[str, Any]:
    """The size's bounds within ``seconds`` (and the whole-model LP with ``whole``)."""
    inputs = bound_inputs(size_name)
    began = time.perf_counter()
    with BoundJob(inputs, seconds) as job:
        while job.running:
            time.sleep(0.5)
        bounds, note = job.finish()
    result: dict[str, Any] = {
        "size": size_name,
        "agents": len(inputs.agents),
        "weeks": WEEKS,
        "time_limit": seconds,
        "wall_seconds": round(time.perf_counter() - began, 1),
        "bounds": json.loads(bounds.to_json()) if bounds is not None else None,
        "note": note,
    }
    if whole:
        problem = inputs.problem()
        built = build_model(problem, hints=False)
        result["whole_lp"] = dataclasses.asdict(
            lp_relaxation_bound(built.model, time_limit=seconds)
        )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lp_alone", description=__doc__)
    parser.add_argument("--sizes", default="sample", help="comma-separated: sample, 300, ...")
    parser.add_argument("--seconds", type=float, default=300.0, help="time limit")
    parser.add_argument("--whole", default="", help="sizes that also get the whole-model LP")
    args = parser.parse_args(argv)
    whole = set(filter(None, args.whole.split(",")))
    results = [lp_alone(name, args.seconds, name in whole) for name in args.sizes.split(",")]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    for r in results:
        b = r["bounds"] or {}
        print(
            f"{r['size']}: {r['agents']} agents x {r['weeks']} weeks: total bound "
            f"{b.get('total')}, per term {b.get('terms')}, {b.get('seconds')} s in the child, "
            f"{r['wall_seconds']} s wall ({r['note']})"
        )
        lp = r.get("whole_lp")
        if lp:
            print(
                f"  whole-model LP: {lp['status']} {lp['rows']} x {lp['cols']}, bound "
                f"{lp['bound']}, {lp['seconds']:.1f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
