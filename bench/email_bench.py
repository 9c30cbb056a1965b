"""Email on the sample data: projected service level, response times, phone and SMS coverage,
and an upper bound on the service level any roster of these agents can reach.

    .venv/bin/python -m bench.email_bench [--starts 2026-11-29,2026-12-06] [--time-limit 120]
        [--workers 2] [--runs 1] [--bound-seconds 1200] [--no-bound] [--quick]
    .venv/bin/python -m bench.email_bench --bound-only --starts 2026-12-06 \\
        --live-coverage phone=0.997,sms=0.996

Issue 8's email target: a projected email service level of at least 90% with the same agents,
over the README's horizon (4 weeks from Sunday 2026-11-29) and over the four weeks from
2026-12-06 (Christmas and New Year), phone and SMS coverage no lower than before.

Per horizon and run, ``python -m planner pipeline --data data --out DIR --start S --weeks 4
--time-limit T --workers W --seed K`` in its own process (the figures are what the command
prints; its ``report.json`` is read): email's service level overall and per week, its
response times (mean and 90th percentile, wall-clock and open hours), phone and SMS covered,
idle staff-hours, the objective. Then the bound
(:func:`planner.roster.deferred_bound.service_level_bound`): the most any roster of these
agents' candidate shifts could answer in time (an LP relaxation, valid by weak duality), with
phone and SMS covered at least as much as the run's roster covers them (``--bound-only``:
at least ``--live-coverage`` of their need). A bound below 90% proves the target out of reach
for this team on that horizon.

Prints a Markdown table and writes ``bench/results/email_bench.json`` and ``.md``; each run's
output goes to ``bench/results/email_logs/``. ``--quick``: one horizon (2026-11-29), 20 s,
no bound. Timings depend on the machine's load: every figure here is taken with the same time
limit and worker count, which the table states.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from planner.data.atomic import write_text
from planner.data.io import load_dataset
from planner.demand.forecast import forecast as make_forecast
from planner.demand.staffing import StaffingScenario, compute_requirements
from planner.domain import Horizon
from planner.pipeline import calendar_for
from planner.roster.candidates import prepare
from planner.roster.deferred_bound import (
    ServiceBound,
    fifo_service_level_bound,
    live_floors,
    service_level_bound,
)
from planner.roster.problem import RosterProblem

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "email_logs"
STARTS = (date(2026, 11, 29), date(2026, 12, 6))
WEEKS = 4
TIME_LIMIT = 120.0
WORKERS = 2
BOUND_SECONDS = 1200.0
TARGET = 0.9
STEP_HOURS = 3.0
"""Buckets of the FIFO bound: about this many hours of due points each."""
QUICK_TIME_LIMIT = 20.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """What every run of one bench shares."""

    data: Path
    weeks: int
    time_limit: float
    workers: int
    bound_seconds: float | None
    out: Path


def run_pipeline(settings: Settings, start: date, seed: int) -> dict[str, Any]:
    """One ``planner pipeline`` run in its own process; its figures from ``report.json``."""
    folder = settings.out / "email_runs" / f"{start}-seed{seed}"
    command = [
        sys.executable, "-m", "planner", "pipeline", "--data", str(settings.data),
        "--out", str(folder), "--start", str(start), "--weeks", str(settings.weeks),
        "--time-limit", f"{settings.time_limit:g}", "--workers", str(settings.workers),
        "--seed", str(seed),
    ]  # fmt: skip
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    logs = settings.out / "email_logs"
    logs.mkdir(parents=True, exist_ok=True)
    write_text(logs / f"{start}-seed{seed}.log", done.stdout + done.stderr)
    record: dict[str, Any] = {
        "start": str(start),
        "seed": seed,
        "command": "python -m planner " + " ".join(command[3:]),
        "exit": done.returncode,
        "wall_seconds": round(wall, 1),
    }
    if done.returncode != 0:
        record["error"] = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return record
    report = json.loads((folder / "report.json").read_text())
    record.update(figures(report))
    return record


def figures(report: Mapping[str, Any]) -> dict[str, Any]:
    """The bench's figures from a pipeline's ``report.json``."""
    kpis = report["kpis"]
    channels = kpis["channels"]
    email = channels["email"]
    response = email.get("response") or {}
    live = {name: c for name, c in channels.items() if c.get("response") is None}
    return {
        "objective": report["objective"],
        "email_sl": email["service_level"],
        "email_sl_weeks": kpis["weekly_service_level"]["email"],
        "response_mean_hours": response.get("mean_hours"),
        "response_p90_hours": response.get("p90_hours"),
        "response_mean_open_hours": response.get("mean_open_hours"),
        "response_p90_open_hours": response.get("p90_open_hours"),
        "covered_pct": {name: c["covered_pct"] for name, c in live.items()},
        "covered_minutes": {name: round(c["covered_staff_hours"] * 60) for name, c in live.items()},
        "live_sl": {name: c["service_level"] for name, c in live.items()},
        "idle_staff_hours": kpis["idle_staff_hours"],
        "shifts": report["shifts"],
        "iterations": report.get("search", {}).get("iterations"),
    }


def prepared(data: Path, start: date, weeks: int) -> tuple[RosterProblem, pd.DataFrame]:
    """The pipeline's forecast and requirements on one horizon, and the unpruned problem."""
    dataset = load_dataset(data, need_history=True, need_agents=True)
    horizon = Horizon(start, weeks)
    calendar = calendar_for(dataset, horizon)
    if dataset.forecast is not None:
        forecast = dataset.forecast
    else:
        assert dataset.history is not None
        forecast = make_forecast(dataset.history, dataset.config, calendar, start, weeks)
    requirements = compute_requirements(forecast, dataset.config, StaffingScenario(), calendar)
    problem = prepare(
        dataset.agents,
        requirements,
        dataset.config,
        horizon,
        availability_rows=dataset.availability,
        time_off_rows=dataset.time_off,
        calendar=calendar,
        prune=False,
    )
    return problem, requirements


def bounds_for(
    data: Path,
    start: date,
    weeks: int,
    *,
    floors: Mapping[str, int] | None = None,
    shares: Mapping[str, float] | None = None,
    seconds: float,
    fifo_week: int | None = None,
    step_hours: float = STEP_HOURS,
) -> list[ServiceBound]:
    """The service-level bounds on one horizon, live channels covered at least ``floors``
    staff-minutes (or ``shares`` of their need): the LP, and with ``fifo_week`` the FIFO
    bound over that week (target :data:`TARGET`)."""
    problem, requirements = prepared(data, start, weeks)
    needed = dict(floors) if floors is not None else live_floors(problem, shares or {})
    found = [service_level_bound(problem, requirements, needed, time_limit=seconds)]
    if fifo_week is not None:
        found.append(
            fifo_service_level_bound(
                problem,
                requirements,
                needed,
                week=fifo_week,
                target=TARGET,
                step_hours=step_hours,
                time_limit=seconds,
            )
        )
    return found


def bound_record(bound: ServiceBound, start: date, floors_from: str) -> dict[str, Any]:
    """One bound as the report keeps it."""
    return {
        "start": str(start),
        "method": bound.method,
        "week": bound.week,
        "buckets": [dataclasses.asdict(b) for b in bound.buckets],
        "floors_from": floors_from,
        "floors": bound.floors,
        "level": bound.level,
        "contacts": bound.contacts,
        "on_time": bound.on_time,
        "status": bound.status,
        "seconds": round(bound.seconds, 1),
        "rows": bound.rows,
        "cols": bound.cols,
    }


def _pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{100 * value:.{digits}f}%"


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table(report: Mapping[str, Any]) -> str:
    """The Markdown tables of one bench report."""
    settings = report["settings"]
    lines = [
        f"Email, `data/`, {settings['weeks']} weeks, `--time-limit "
        f"{settings['time_limit']:g} --workers {settings['workers']}` "
        f"({report['measured']}, {report['machine']}; shared, loaded machine)",
        "",
        "| 4 weeks from | seed | email SL | by week | response mean, p90 h (open h) "
        "| phone covered | sms covered | idle staff-h | objective | LNS iterations |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["runs"]:
        if r["exit"] != 0:
            lines.append(f"| {r['start']} | {r['seed']} | failed: {r.get('error')} |")
            continue
        weeks = " / ".join(_pct(w, 0) for w in r["email_sl_weeks"])
        response = (
            f"{_hours(r['response_mean_hours'])}, {_hours(r['response_p90_hours'])} "
            f"({_hours(r['response_mean_open_hours'])}, {_hours(r['response_p90_open_hours'])})"
        )
        covered = r["covered_pct"]
        lines.append(
            f"| {r['start']} | {r['seed']} | {_pct(r['email_sl'])} | {weeks} | {response} "
            f"| {covered.get('phone', 0):.2f}% | {covered.get('sms', 0):.2f}% "
            f"| {r['idle_staff_hours']:.0f} | {r['objective']:,} | {r['iterations']} |"
        )
    if report["bounds"]:
        lines += [
            "",
            "Upper bound on email's service level (LP relaxation, weak duality; "
            "`planner/roster/deferred_bound.py`):",
            "",
            "| 4 weeks from | bound | phone, sms covered at least (staff-h) | from "
            f"| bound on email SL | target {_pct(TARGET, 0)} | LP status, s |",
            "| --- | --- | --- | --- | ---: | --- | --- |",
        ]
        for b in report["bounds"]:
            floors = ", ".join(f"{m / 60:,.1f}" for m in b["floors"].values())
            verdict = (
                "-"
                if b["level"] is None
                else ("out of reach" if b["level"] < TARGET else "not excluded")
            )
            method = "LP" if b["method"] == "lp" else f"FIFO, week {b['week']}"
            lines.append(
                f"| {b['start']} | {method} | {floors} | {b['floors_from']} "
                f"| {_pct(b['level'], 2)} "
                f"| {verdict} | {b['status']}, {b['seconds']:.0f} |"
            )
    return "\n".join(lines) + "\n"


def machine() -> str:
    return f"{platform.machine()}, Python {platform.python_version()}"


def bench(
    settings: Settings,
    starts: Sequence[date],
    seeds: Sequence[int],
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every run, then each horizon's bound at its runs' lowest live coverage."""
    report: dict[str, Any] = {
        "measured": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": machine(),
        "settings": {
            "weeks": settings.weeks,
            "time_limit": settings.time_limit,
            "workers": settings.workers,
            "bound_seconds": settings.bound_seconds,
        },
        "runs": [],
        "bounds": [],
    }
    for start in starts:
        for seed in seeds:
            echo(f"pipeline {start} seed {seed} ...")
            record = run_pipeline(settings, start, seed)
            report["runs"].append(record)
            echo(f"  email SL {_pct(record.get('email_sl'))} in {record['wall_seconds']} s")
            _save(settings.out, report)
        done = [r for r in report["runs"] if r["start"] == str(start) and r["exit"] == 0]
        if settings.bound_seconds and done:
            floors = {
                name: min(r["covered_minutes"][name] for r in done)
                for name in done[0]["covered_minutes"]
            }
            week = _lowest_week(done)
            echo(f"bounds {start}: live channels covered at least {floors} staff-minutes ...")
            for bound in bounds_for(
                settings.data, start, settings.weeks, floors=floors,
                seconds=settings.bound_seconds, fifo_week=week,
            ):  # fmt: skip
                report["bounds"].append(bound_record(bound, start, "the runs' rosters"))
                echo(f"  {bound.method} bound {_pct(bound.level, 2)} ({bound.seconds:.0f} s)")
            _save(settings.out, report)
    return report


def _lowest_week(runs: Sequence[Mapping[str, Any]]) -> int:
    """The horizon week where the runs answered the least email in time (the FIFO bound's)."""
    levels = [r["email_sl_weeks"] for r in runs]
    weeks = len(levels[0])
    mean = [sum((lv[w] or 0.0) for lv in levels) / len(levels) for w in range(weeks)]
    return min(range(weeks), key=lambda w: mean[w])


def _save(out: Path, report: Mapping[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "email_bench.json", json.dumps(report, indent=2, default=str))
    write_text(out / "email_bench.md", table(report))


def _shares(text: str) -> dict[str, float]:
    """``phone=0.997,sms=0.996`` -> {"phone": 0.997, "sms": 0.996}."""
    shares = {}
    for part in filter(None, text.split(",")):
        name, _, value = part.partition("=")
        try:
            shares[name.strip()] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"--live-coverage: {part!r} is not NAME=SHARE"
            ) from None
    return shares


def _bound_only(args: argparse.Namespace, starts: Sequence[date]) -> int:
    """``--bound-only``: each horizon's bounds, printed."""
    floors = None
    if args.floors_from is not None:
        floors = figures(json.loads(args.floors_from.read_text()))["covered_minutes"]
    for start in starts:
        for bound in bounds_for(
            args.data, start, args.weeks, floors=floors, shares=args.live_coverage,
            seconds=args.bound_seconds, fifo_week=args.fifo_week, step_hours=args.step_hours,
        ):  # fmt: skip
            covered = ", ".join(f"{k} {m / 60:,.1f} staff-h" for k, m in bound.floors.items())
            what = "LP" if bound.method == "lp" else f"FIFO bound, week {bound.week}"
            print(
                f"{start}: {what}: email service level at most {_pct(bound.level, 2)} "
                f"({bound.on_time or 0:,.0f} of {bound.contacts:,.0f} contacts) with {covered} "
                f"covered; {bound.status} in {bound.seconds:.0f} s "
                f"({bound.rows:,} rows x {bound.cols:,} columns)",
                flush=True,
            )
            for b in bound.buckets:
                kind = "closed form" if b.trivial else b.status
                on_time = "-" if b.on_time is None else f"{b.on_time:,.0f}"
                print(f"  last on-time due point in ({b.after}, {b.upto}]: {on_time} ({kind})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--starts", default=",".join(map(str, STARTS)), help="first days, comma-separated"
    )
    parser.add_argument("--weeks", type=int, default=WEEKS)
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--runs", type=int, default=1, help="runs per horizon (seeds 0..N-1)")
    parser.add_argument("--bound-seconds", type=float, default=BOUND_SECONDS)
    parser.add_argument("--no-bound", action="store_true")
    parser.add_argument("--bound-only", action="store_true", help="the bound alone")
    parser.add_argument(
        "--live-coverage",
        type=_shares,
        default={},
        help="with --bound-only: share of each live channel's need kept covered, "
        "e.g. phone=0.997,sms=0.996",
    )
    parser.add_argument(
        "--floors-from",
        type=Path,
        help="with --bound-only: a pipeline's report.json; live channels covered at least "
        "as much as its roster covers them",
    )
    parser.add_argument(
        "--fifo-week",
        type=int,
        help="with --bound-only: also the FIFO bound over this horizon week (0-based)",
    )
    parser.add_argument("--step-hours", type=float, default=STEP_HOURS)
    parser.add_argument("--quick", action="store_true", help="one horizon, 20 s, no bound")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    starts = [date.fromisoformat(s) for s in args.starts.split(",") if s]
    if args.bound_only:
        return _bound_only(args, starts)
    quick = args.quick
    settings = Settings(
        data=args.data,
        weeks=args.weeks,
        time_limit=QUICK_TIME_LIMIT if quick else args.time_limit,
        workers=args.workers,
        bound_seconds=None if quick or args.no_bound else args.bound_seconds,
        out=args.out,
    )
    report = bench(settings, starts[:1] if quick else starts, range(max(1, args.runs)))
    print()
    print(table(report), flush=True)
    return 0 if all(r["exit"] == 0 for r in report["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
