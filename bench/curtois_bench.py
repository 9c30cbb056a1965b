"""Curtois & Qu benchmark: the product's engine on the 24 public instances.

    .venv/bin/python -m bench.curtois_bench [--time-limits 60,600] [--instances 1-24]
        [--workers 2] [--data DIR] [--quick]

For each time limit, one table: instance, objective, bound, best-known lower and upper
bound, gap to the best-known upper bound, wall time, proven optimal, and whether the
product's independent checker, reading only the written ``SOLUTION.csv``, finds no violation
and the same objective. Then a summary: the instances 1-7 at their best-known (proven)
optimum, and the average gap over 8-12.

Each instance runs in its own subprocess (``--child``), killed at three times the limit plus
two minutes; its solution is written under ``bench/results/curtois/``. The data folder
defaults to ``shared/benchmarks/curtois`` beside the repository (as CI has it).
``--quick``: instances 1, 2, 4 and 8 at 10 s and 30 s (about three minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks" / "curtois"
RESULTS = ROOT / "bench" / "results" / "curtois"
QUICK_INSTANCES = "1,2,4,8"
QUICK_LIMITS = "10,30"


def parse_instances(text: str) -> list[int]:
    """``"1-7,10"`` -> [1, ..., 7, 10]."""
    found: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        found.extend(range(int(first), int(last or first) + 1))
    return found


def child(  # noqa: PLR0917
    instance: int, data: Path, limit: float, workers: int, out: Path, mode: str = "auto"
) -> dict[str, Any]:
    """Solve one instance, write its solution, check it from the file alone."""
    from planner.benchmarks.curtois import (  # noqa: PLC0415 - the child's own imports
        read_best_known,
        read_instance,
        validate_solution,
        write_solution,
    )
    from planner.benchmarks.curtois_solve import solve_instance  # noqa: PLC0415

    name = f"Instance{instance}"
    parsed = read_instance(data / f"{name}.txt")
    solved = solve_instance(parsed, time_limit=limit, workers=workers, mode=mode)  # type: ignore[arg-type]
    best = read_best_known(data / "best_known.csv").get(name)
    record: dict[str, Any] = {
        "instance": instance,
        "mode": solved.mode,
        "status": solved.result.status,
        "objective": solved.result.objective,
        "bound": solved.result.bound,
        "seconds": round(solved.seconds, 1),
        "lower": best.lower if best else None,
        "upper": best.upper if best else None,
        "checked": None,
        "checker_objective": None,
    }
    if solved.assignment is not None:
        path = out / f"{name}_{limit:g}s.csv"
        write_solution(path, solved.assignment)
        checked = validate_solution(parsed, path)
        record["checked"] = checked.ok and checked.objective == solved.result.objective
        record["checker_objective"] = checked.objective
    return record


def run_one(
    instance: int, data: Path, limit: float, workers: int, mode: str = "auto"
) -> dict[str, Any]:
    """One instance in its own process (killed past three times the limit + 120 s)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "bench.curtois_bench",
        "--child",
        str(instance),
        "--time-limits",
        f"{limit:g}",
        "--workers",
        str(workers),
        "--data",
        str(data),
        "--mode",
        mode,
    ]
    from planner.benchmarks.curtois import read_best_known  # noqa: PLC0415 - no OR-Tools here

    best = read_best_known(data / "best_known.csv").get(f"Instance{instance}")
    known = {"lower": best.lower if best else None, "upper": best.upper if best else None}
    began = time.monotonic()
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=3 * limit + 120, check=False
        )
    except subprocess.TimeoutExpired:
        seconds = time.monotonic() - began
        return {"instance": instance, "status": "killed", "seconds": seconds, **known}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"instance": instance, "status": f"failed: {tail[0]}", "seconds": 0.0, **known}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def gap(record: dict[str, Any]) -> float | None:
    """Objective above the best-known upper bound, in % of it."""
    if record.get("objective") is None or not record.get("upper"):
        return None
    return 100.0 * (record["objective"] - record["upper"]) / record["upper"]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def table(records: Sequence[dict[str, Any]], limit: float) -> list[str]:
    """A Markdown table of one time limit and its summary lines."""
    lines = [
        f"Time limit {limit:g} s:",
        "",
        "| instance | objective | bound | best LB | best UB | gap to UB | time s | proven optimal "
        "| checker agrees |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in records:
        g = gap(r)
        lines.append(
            f"| {r['instance']} | {_cell(r.get('objective'))} | {_cell(r.get('bound'))} "
            f"| {_cell(r.get('lower'))} | {_cell(r.get('upper'))} "
            f"| {'-' if g is None else f'{g:.2f}%'} | {r.get('seconds', 0):.1f} "
            f"| {'yes' if r.get('status') == 'optimal' else r.get('status')} "
            f"| {_cell(r.get('checked'))} |"
        )
    small = [r for r in records if r["instance"] <= 7]
    at_best = [r for r in small if r.get("objective") is not None and r["objective"] == r["upper"]]
    medium = [gap(r) for r in records if 8 <= r["instance"] <= 12]
    lines.append("")
    if small:
        lines.append(f"Instances 1-7 at the best-known value: {len(at_best)} of {len(small)}")
    if medium:
        if all(g is not None for g in medium):
            average = sum(g for g in medium if g is not None) / len(medium)
            lines.append(f"Average gap to best-known UB over 8-12: {average:.2f}%")
        else:
            lines.append("Average gap over 8-12: not all of them have a roster")
    return lines


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{date.today()}, {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load[0]:.1f} at the start"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limits", default="60,600", help="seconds, comma-separated")
    parser.add_argument("--instances", default="1-24", help="e.g. 1-7,10")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--quick", action="store_true", help="a few-minute subset")
    parser.add_argument(
        "--mode",
        default="auto",
        choices=("auto", "full", "plain", "hinted"),
        help="search mode of every instance (default auto: by size, as bench-curtois)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    limits = [float(x) for x in (QUICK_LIMITS if args.quick else args.time_limits).split(",")]
    if args.child is not None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        record = child(args.child, args.data, limits[0], args.workers, RESULTS, args.mode)
        print(json.dumps(record), flush=True)
        return 0
    if not (args.data / "Instance1.txt").is_file():
        print(f"no instances in {args.data}", file=sys.stderr)
        return 2
    instances = parse_instances(QUICK_INSTANCES if args.quick else args.instances)
    print(
        f"Curtois & Qu benchmark, {args.workers} CP-SAT workers, mode {args.mode}; {machine()}",
        flush=True,
    )
    failed = False
    for limit in limits:
        records = []
        for instance in instances:
            record = run_one(instance, args.data, limit, args.workers, args.mode)
            g = gap(record)
            print(
                f"  Instance{instance} at {limit:g} s: objective {record.get('objective')}, "
                f"{record.get('status')}, {record.get('seconds', 0):.1f} s"
                + ("" if g is None else f", gap {g:.2f}%"),
                flush=True,
            )
            failed |= record.get("checked") is False
            records.append(record)
        print("\n".join(["", *table(records, limit), ""]), flush=True)
        out = RESULTS / f"curtois_{limit:g}s.json"
        out.write_text(json.dumps({"machine": machine(), "records": records}, indent=1) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
