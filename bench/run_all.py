"""Every benchmark in sequence: staffing speed, forecast accuracy, the roster engine, email.

    .venv/bin/python -m bench.run_all [--quick] [--sizes sample,300] [--runs N] [--only roster]

``make bench`` runs this. Each bench runs in its own interpreter (``python -m bench.<name>``)
under a section header, its output streamed as it comes; a failing bench does not stop the
others, and the exit status is 1 when any failed. ``--quick`` is a smoke check: the forecast
bench backtests one case (the last 4 weeks) instead of two, the roster bench runs the sample
size once for 20 s a mode, the LP bench gives the LP 30 s, the scale ladder runs 50 and 150
agents once for 45 s each (the whole ladder, 50 to 1,000 agents, takes about 75 minutes), the
dashboard bench times two rounds, the email bench runs one horizon for 20 s without its
bounds. ``--sizes`` and ``--runs`` go to the roster bench (``--sizes`` to the LP bench too).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    ("staff", "bench.staff_bench", "staffing speed (Erlang requirements)"),
    ("forecast", "bench.forecast_bench", "forecast accuracy (WAPE vs seasonal-naive and MSTL)"),
    ("roster", "bench.roster_bench", "roster engine (plain vs hinted CP-SAT vs full search)"),
    ("lp", "bench.lp_alone", "lower bounds (by week, total and per term) solved alone"),
    ("ladder", "bench.scale_ladder", "scale ladder (50 to 1,000 agents, 4 weeks)"),
    (
        "dashboard",
        "bench.dashboard_paint",
        "dashboard first paint (Chromium, sample data, against a trivial Streamlit page)",
    ),
    (
        "email",
        "bench.email_bench",
        "email service level on both horizons of issue 8, and its upper bounds",
    ),
    (
        "curtois",
        "bench.curtois_bench",
        "Curtois & Qu benchmark (24 public instances, 60 s and 600 s)",
    ),
)
QUICK_FORECAST_CASE = "4"
"""The forecast bench's first default case: the last 4 weeks of history."""


def section_args(name: str, args: argparse.Namespace) -> list[str]:
    """The options one bench gets from ours."""
    if name == "forecast" and args.quick:
        return ["--case", QUICK_FORECAST_CASE]
    if name == "lp":
        if args.quick:
            return ["--seconds", "30"]
        return ["--sizes", args.sizes or "sample,300", "--whole", "sample"]
    if name in ("curtois", "ladder", "dashboard", "email") and args.quick:
        return ["--quick"]
    if name == "ladder":
        # The 300-agent bound alone: inside a solve it stops before its LPs end.
        return ["--bound-seconds", "900", "--bound-sizes", "300"]
    if name == "roster":
        out = ["--quick"] if args.quick else []
        if args.sizes is not None:
            out += ["--sizes", args.sizes]
        if args.runs is not None:
            out += ["--runs", str(args.runs)]
        return out
    return []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke runs of every bench")
    parser.add_argument("--sizes", help="roster bench sizes, e.g. sample,300")
    parser.add_argument("--runs", type=int, help="roster bench runs per mode")
    parser.add_argument(
        "--only",
        action="append",
        choices=[name for name, _, _ in SECTIONS],
        help="run only this bench (repeatable)",
    )
    args = parser.parse_args(argv)
    outcomes: list[tuple[str, int, float]] = []
    for name, module, title in SECTIONS:
        if args.only and name not in args.only:
            continue
        command = [sys.executable, "-m", module, *section_args(name, args)]
        print(f"\n{'=' * 78}\n{title}\n$ python -m {' '.join(command[2:])}\n{'=' * 78}", flush=True)
        began = time.monotonic()
        try:
            code = subprocess.run(command, cwd=ROOT, check=False).returncode
        except KeyboardInterrupt:
            print(f"\n{name}: interrupted", flush=True)
            return 130
        outcomes.append((name, code, time.monotonic() - began))
    print(f"\n{'=' * 78}")
    for name, code, seconds in outcomes:
        verdict = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:<9} {verdict:<18} {seconds:7.0f} s")
    return 1 if any(code != 0 for _, code, _ in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
