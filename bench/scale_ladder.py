"""Scale ladder: how the roster engine's cost grows with the team, 50 to 1,000 agents.

    .venv/bin/python -m bench.scale_ladder [--sizes 50,150,300,600,1000] [--runs N] [--quick]

Each size is a seeded synthetic data set of the project's own generator
(``python -m planner sample-data --agents N --seed N``: 3 channels, evening-only and
weekend-heavy availability, time off), forecast from its history and staffed with demand
scaled with the team (``staff --volume-multiplier N/80``), solved over 4 weeks from Sunday
2026-11-29 at 30-minute intervals with 2 CP-SAT workers in ``full`` mode (construct, LNS,
LP bounds in their own process beside the search). The data and requirements are those of
:mod:`bench.roster_bench` (same cache), and so is the child process of each run
(:func:`bench.roster_bench.run_child`): every run is its own interpreter, reaped with
``wait4``, killed after its time limit plus a margin.

Per size (median of 3 runs, seeds 0-2; one run at 1,000 agents):

- build s: candidate shifts and the problem prepared (the engine's ``prepare``; the LNS
  builds its CP-SAT sub-models as it goes, their time is search time);
- first valid s: the constructive roster ready (a roster that keeps every hard rule);
- settled s: when the search first came within 1% of the objective it ended with (what the
  time limit buys: the rest of the run gains less than 1%);
- solve s: the engine's wall time (the time limit, unless the bound proves the roster);
- solve MB / bounds MB: peak resident memory of the run's own process (inputs, solve,
  check) and of its bounds process (``RUSAGE_CHILDREN`` of the run), and their sum;
- covered %, under-staffed staff-hours (all channels), objective (exact, breaks placed),
  the bound (LP by week, or CP-SAT's when it proved optimality) and the gap of the model
  objective to it; check: :func:`planner.verify.check.check_roster` found no violation.

Writes ``bench/results/scale_ladder.json`` and ``.md`` (after every run) and a plotly chart
of time, memory and gap against agents: ``scale_ladder.html`` and a PNG (``--png``; kaleido
when installed, else Debian's headless chromium screenshots the HTML).

``--bound-seconds S``: after a size's runs, its bounds again with the machine to the bounds
alone (:func:`bench.lp_alone.lp_alone`, S seconds): the bound inside a solve shares two cores
with the search and, at 150 agents and more on a loaded machine, stops before its LPs end; the
gap is then against the better of the two (the bound is the instance's, whatever the run).

``--quick``: 50 and 150 agents, one run each, 45 s a run (bounds included).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.lp_alone import lp_alone
from bench.roster_bench import (
    CACHE,
    RESULTS,
    ROOT,
    START,
    WEEKS,
    WORKERS,
    RunSpec,
    Size,
    _commit,
    _machine,
    _median,
    hard_timeout,
    prepare_dataset,
    run_child,
)
from planner.data.atomic import write_text
from planner.roster.search import relative_gap

LADDER = (50, 150, 300, 600, 1000)
TIME_LIMITS = {50: 120.0, 150: 180.0, 300: 300.0, 600: 450.0, 1000: 600.0}
"""Seconds a run per size: the 1,000-agent target is 10 minutes."""
RUNS = {1000: 1}
DEFAULT_RUNS = 3
QUICK_SIZES = (50, 150)
QUICK_TIME_LIMIT = 45.0
SETTLED_SHARE = 0.01
"""A run has settled when its objective is within this share of its final objective."""

TARGET_SECONDS = 600.0
TARGET_MB = 8192.0
TARGET_GAP_300 = 0.15

JSON_NAME = "scale_ladder.json"
MD_NAME = "scale_ladder.md"
HTML_NAME = "scale_ladder.html"
PNG_NAME = "scale_ladder.png"
DOCS_PNG = ROOT / "docs" / PNG_NAME


@dataclass(frozen=True)
class Rung:
    """One size of the ladder: agents, seconds a run, runs."""

    agents: int
    time_limit: float
    runs: int
    bound_seconds: float = 0.0


def time_limit_for(agents: int) -> float:
    """The ladder's time limit for a team size (interpolated between the rungs)."""
    if agents in TIME_LIMITS:
        return TIME_LIMITS[agents]
    below = max((n for n in TIME_LIMITS if n < agents), default=min(TIME_LIMITS))
    above = min((n for n in TIME_LIMITS if n > agents), default=max(TIME_LIMITS))
    if below == above:
        return TIME_LIMITS[below]
    share = (agents - below) / (above - below)
    return TIME_LIMITS[below] + share * (TIME_LIMITS[above] - TIME_LIMITS[below])


# =========================================================================== one run


def settled_seconds(record: dict[str, Any], share: float = SETTLED_SHARE) -> float | None:
    """When the run's progress first came within ``share`` of its last objective."""
    events = [e for e in record.get("progress", []) if e.get("objective") is not None]
    if not events:
        return None
    final = events[-1]["objective"]
    for event in events:
        if event["objective"] <= final + share * abs(final):
            return float(event["elapsed"])
    return None


def ladder_record(record: dict[str, Any], rung: Rung) -> dict[str, Any]:
    """The figures the ladder reports, from a :func:`bench.roster_bench.run_child` record."""
    under = record.get("under_staffed_hours") or {}
    return {
        "agents": rung.agents,
        "seed": record.get("seed"),
        "time_limit": rung.time_limit,
        "exit": record.get("exit"),
        "status": record.get("status"),
        "has_roster": bool(record.get("has_roster")),
        "candidates": record.get("candidates"),
        "build_seconds": record.get("prepare_seconds") or record.get("build_seconds"),
        "first_valid_seconds": record.get("first_valid_seconds"),
        "settled_seconds": settled_seconds(record),
        "solve_seconds": record.get("solve_seconds"),
        "child_wall_seconds": record.get("child_wall_seconds"),
        "solve_mb": record.get("peak_mb_self") or record.get("peak_mb_tree"),
        "bounds_mb": record.get("bounds_child_peak_mb"),
        "peak_mb": record.get("peak_mb"),
        "covered_pct": record.get("covered_pct"),
        "under_staffed_hours": round(sum(under.values()), 2) if under else None,
        "under_by_channel": under,
        "objective": record.get("objective"),
        "model_objective": record.get("model_objective"),
        "bound": record.get("bound"),
        "bound_source": record.get("bound_source"),
        "gap": record.get("gap"),
        "lp_note": record.get("lp_note"),
        "check_ok": record.get("check_ok"),
        "check_objective": record.get("check_objective"),
        "violations_by_rule": record.get("violations_by_rule", {}),
        "iterations": record.get("iterations"),
        "improvements": record.get("improvements"),
        "log": record.get("log"),
        "error": record.get("error"),
    }


def bound_alone(rung: Rung) -> dict[str, Any]:
    """The size's bounds computed with nothing else running (``rung.bound_seconds``)."""
    found = lp_alone(str(rung.agents), rung.bound_seconds)
    bounds = found.get("bounds") or {}
    return {
        "total": bounds.get("total"),
        "complete": bounds.get("complete"),
        "seconds": found.get("wall_seconds"),
        "note": found.get("note"),
    }


def with_bound(record: dict[str, Any], alone: dict[str, Any]) -> dict[str, Any]:
    """``record`` with the better of its own bound and the bound alone, and the gap to it."""
    total = alone.get("total")
    record["bound_alone"] = total
    record["bound_alone_seconds"] = alone.get("seconds")
    record["bound_alone_complete"] = alone.get("complete")
    if total is not None and (record["bound"] is None or total > record["bound"]):
        record["bound"] = float(total)
        record["bound_source"] = "LP by week, alone"
        record["gap"] = relative_gap(record.get("model_objective"), record["bound"])
    return record


def run_rung(rung: Rung, seed: int, out: Path, cache: Path) -> dict[str, Any]:
    """Solve one size once in its own process; the ladder's record of it."""
    data = prepare_dataset(Size(str(rung.agents), rung.agents, rung.time_limit, 1, 0.0), cache)
    spec = RunSpec(
        size=str(rung.agents),
        folder=str(data.folder),
        requirements=str(data.requirements),
        mode="full",
        seed=seed,
        time_limit=rung.time_limit,
        lp_seconds=rung.time_limit,
        workers=WORKERS,
        out=str(out / f".ladder-{rung.agents}-{seed}.json"),
        kill_after=hard_timeout(rung.time_limit),
    )
    log = out / "ladder_logs" / f"{rung.agents}-seed{seed}.log"
    record = run_child(spec, log, spec.kill_after)
    Path(spec.out).unlink(missing_ok=True)
    record.setdefault("agents", data.agents)
    return ladder_record(record, rung)


# =========================================================================== summary

MEDIANS = (
    "build_seconds",
    "first_valid_seconds",
    "settled_seconds",
    "solve_seconds",
    "solve_mb",
    "bounds_mb",
    "peak_mb",
    "covered_pct",
    "under_staffed_hours",
    "objective",
    "bound",
    "gap",
)


def summarise(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Medians per size, in ladder order; the largest peak and the check count too."""
    rows = []
    for agents in sorted({r["agents"] for r in records}):
        runs = [r for r in records if r["agents"] == agents]
        row: dict[str, Any] = {
            "agents": agents,
            "runs": len(runs),
            "time_limit": runs[0]["time_limit"],
            "with_roster": sum(1 for r in runs if r["has_roster"]),
            "check_ok": sum(1 for r in runs if r.get("check_ok")),
            "peak_mb_max": max((r["peak_mb"] or 0.0 for r in runs), default=None),
            "bound_sources": sorted({str(r["bound_source"]) for r in runs if r["bound_source"]}),
            "lp_notes": sorted({r["lp_note"] for r in runs if r.get("lp_note")}),
        }
        for key in MEDIANS:
            row[key] = _median([r.get(key) for r in runs])
        rows.append(row)
    return rows


def slope(rows: Sequence[dict[str, Any]], key: str) -> float | None:
    """Least-squares growth of ``key`` per 100 agents over the sizes that have it."""
    points = [(r["agents"], r[key]) for r in rows if r.get(key) is not None]
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return 100.0 * sum((x - mx) * (y - my) for x, y in points) / sxx


def targets(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The issue's targets, each said met or missed, with the figure."""
    out = []
    growth = {k: slope(rows, k) for k in ("build_seconds", "first_valid_seconds", "peak_mb")}
    out.append(
        "growth per 100 agents (least squares over the sizes): "
        + ", ".join(
            f"{name} {'-' if value is None else f'{value:,.1f}'}"
            for name, value in (
                ("build s", growth["build_seconds"]),
                ("first valid s", growth["first_valid_seconds"]),
                ("peak MB", growth["peak_mb"]),
            )
        )
    )
    big = next((r for r in rows if r["agents"] == max(LADDER)), None)
    if big is not None:
        ok = (
            big["with_roster"] == big["runs"]
            and big["check_ok"] == big["runs"]
            and (big["solve_seconds"] or 1e9) <= TARGET_SECONDS
            and (big["peak_mb_max"] or 1e9) < TARGET_MB
        )
        out.append(
            f"1,000 agents x 4 weeks under 10 min and 8 GB with a roster passing check: "
            f"{'met' if ok else 'MISSED'} (solve {_num(big['solve_seconds'])} s, peak "
            f"{_int(big['peak_mb_max'])} MB, check {big['check_ok']}/{big['runs']})"
        )
    mid = next((r for r in rows if r["agents"] == 300), None)
    if mid is not None:
        gap = mid["gap"]
        ok = gap is not None and gap < TARGET_GAP_300
        out.append(
            f"gap to the LP bound at 300 agents under 15%: {'met' if ok else 'MISSED'} "
            f"({'-' if gap is None else f'{100 * gap:.1f}%'})"
        )
    return out


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _int(value: float | None) -> str:
    return "-" if value is None else f"{round(value):,}"


HEAD = (
    "agents",
    "runs",
    "limit s",
    "build s",
    "first valid s",
    "settled s",
    "solve s",
    "solve MB",
    "bounds MB",
    "peak MB",
    "% covered",
    "under h",
    "objective",
    "LP bound",
    "gap",
    "check",
)


def table(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The Markdown table of the medians."""
    lines = [
        "| " + " | ".join(HEAD) + " |",
        "|" + "|".join("---:" for _ in HEAD) + "|",
    ]
    for r in rows:
        cells = [
            f"{r['agents']:,}",
            str(r["runs"]),
            _int(r["time_limit"]),
            _num(r["build_seconds"]),
            _num(r["first_valid_seconds"]),
            _num(r["settled_seconds"]),
            _num(r["solve_seconds"]),
            _int(r["solve_mb"]),
            _int(r["bounds_mb"]),
            _int(r["peak_mb"]),
            _num(r["covered_pct"], 2),
            _num(r["under_staffed_hours"]),
            _int(r["objective"]),
            _int(r["bound"]),
            "-" if r["gap"] is None else f"{100 * r['gap']:.1f}%",
            f"{r['check_ok']}/{r['runs']}" if r["with_roster"] else "no roster",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown(
    rows: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]], meta: dict[str, Any]
) -> str:
    """The report: the table, runs in trouble, bounds notes, the targets."""
    lines = [f"# Scale ladder ({meta['when']})", "", f"{meta['machine']}; {meta['settings']}", ""]
    lines += table(rows)
    trouble = [
        f"- {r['agents']} seed {r['seed']}: {r['exit']}, status {r['status']}, check "
        f"{r['check_ok']} {r['violations_by_rule'] or ''} (log {r['log']})"
        for r in records
        if r["exit"] != "ok" or not r["has_roster"] or r.get("check_ok") is False
    ]
    if trouble:
        lines += ["", "Runs without a valid roster:", "", *trouble]
    notes = [f"- {r['agents']}: {'; '.join(r['lp_notes'])}" for r in rows if r["lp_notes"]]
    notes += [
        f"- {r['agents']}: computed alone: {_int(r['bound_alone'])} in "
        f"{_num(r['bound_alone_seconds'])} s{'' if r['bound_alone_complete'] else ' (incomplete)'}"
        for r in records
        if r.get("bound_alone") is not None and r["seed"] == 0
    ]
    if notes:
        lines += ["", "Bounds:", "", *notes]
    lines += ["", "Targets (issue 11):", "", *(f"- {t}" for t in targets(rows))]
    lines += [
        "",
        "Medians over runs. build s = candidate shifts prepared; first valid s = constructive "
        "roster ready; settled s = first within 1% of the final objective; solve s = the "
        "engine's wall time; solve MB = the run's own process (inputs, solve, check), bounds "
        "MB = its bounds process, peak MB = their sum; under h = under-staffed staff-hours, "
        "all channels (planner.verify.kpi); gap = (model objective - bound) / model "
        "objective; check = planner.verify.check found no violation.",
    ]
    return "\n".join(lines) + "\n"


# =========================================================================== plot


def figure(rows: Sequence[dict[str, Any]]) -> Any:
    """Time, memory and gap against agents: three plotly panels side by side."""
    from plotly.subplots import make_subplots  # noqa: PLC0415  (plotly only for the plot)

    agents = [r["agents"] for r in rows]
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=("time (s)", "peak memory (MB)", "gap to the LP bound (%)"),
        horizontal_spacing=0.07,
    )
    for key, name in (
        ("build_seconds", "build"),
        ("first_valid_seconds", "first valid roster"),
        ("settled_seconds", "within 1% of final"),
        ("solve_seconds", "solve (time limit)"),
    ):
        fig.add_scatter(x=agents, y=[r[key] for r in rows], name=name, row=1, col=1)
    for key, name in (
        ("solve_mb", "solve process"),
        ("bounds_mb", "bounds process"),
        ("peak_mb", "sum"),
    ):
        fig.add_scatter(x=agents, y=[r[key] for r in rows], name=name, row=1, col=2)
    gaps = [None if r["gap"] is None else 100 * r["gap"] for r in rows]
    fig.add_scatter(x=agents, y=gaps, name="gap", row=1, col=3)
    fig.update_xaxes(title_text="agents (4 weeks, 30-min intervals)")
    fig.update_layout(
        width=1500,
        height=520,
        title="Roster engine scale ladder (2 CP-SAT workers, medians)",
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 60, "r": 30, "t": 80, "b": 40},
    )
    return fig


def write_png(fig: Any, html: Path, png: Path) -> str:
    """The chart as PNG: kaleido when it is installed and works, else Debian's chromium
    headless screenshot of the self-contained HTML. Says which, or why neither."""
    with contextlib.suppress(Exception):
        fig.write_image(png)
        return f"PNG by kaleido: {png}"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return f"no PNG: kaleido unavailable and no chromium; open {html}"
    width, height = fig.layout.width, fig.layout.height
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "--virtual-time-budget=5000",
                f"--screenshot={png}",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0 or not png.is_file():
        return f"no PNG: chromium exited {done.returncode}; open {html}"
    return f"PNG by headless chromium (kaleido not installed): {png}"


def plot(rows: Sequence[dict[str, Any]], out: Path, png: Path) -> str:
    """Write the HTML (plotly.js inline: no network) and the PNG."""
    fig = figure(rows)
    html = out / HTML_NAME
    fig.write_html(html, include_plotlyjs=True, config={"displayModeBar": False})
    png.parent.mkdir(parents=True, exist_ok=True)
    return write_png(fig, html, png)


# =========================================================================== main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated team sizes (default 50,150,300,600,1000)")
    parser.add_argument("--runs", type=int, help="runs per size (default 3; 1 at 1,000)")
    parser.add_argument("--time-limit", type=float, help="seconds a run (overrides the ladder's)")
    parser.add_argument("--quick", action="store_true", help="50 and 150 agents, 1 run, 45 s")
    parser.add_argument(
        "--bound-seconds",
        type=float,
        default=0.0,
        help="also compute each size's bounds alone for this long (0: no)",
    )
    parser.add_argument(
        "--bound-sizes", help="the sizes --bound-seconds applies to (default: every size)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    parser.add_argument(
        "--png",
        type=Path,
        help=f"the chart's PNG (default: in --out; {DOCS_PNG.relative_to(ROOT)} for the whole "
        "ladder)",
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be 1 or more")
    if args.time_limit is not None and not args.time_limit > 0:
        parser.error("--time-limit must be more than 0")
    return args


def rungs_of(args: argparse.Namespace) -> list[Rung]:
    """The sizes to run with their time limits and runs."""
    if args.quick:
        sizes: Sequence[int] = QUICK_SIZES
    elif args.sizes:
        try:
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        except ValueError:
            raise SystemExit(f"--sizes: team sizes, e.g. 50,150 (got {args.sizes!r})") from None
    else:
        sizes = LADDER
    bound_sizes = set(sizes)
    if args.bound_sizes:
        try:
            bound_sizes = {int(s) for s in args.bound_sizes.split(",") if s.strip()}
        except ValueError:
            raise SystemExit(f"--bound-sizes: team sizes (got {args.bound_sizes!r})") from None
    rungs = []
    for agents in sizes:
        if agents < 1:
            raise SystemExit("--sizes: team sizes are 1 or more")
        limit = QUICK_TIME_LIMIT if args.quick else time_limit_for(agents)
        runs = 1 if args.quick else RUNS.get(agents, DEFAULT_RUNS)
        rungs.append(
            Rung(
                agents,
                args.time_limit if args.time_limit is not None else limit,
                args.runs if args.runs is not None else runs,
                0.0 if args.quick or agents not in bound_sizes else args.bound_seconds,
            )
        )
    return rungs


def ladder(
    rungs: Sequence[Rung], out: Path, *, cache: Path = CACHE, echo: Callable[[str], None] = print
) -> dict[str, Any]:
    """Run every rung, seeds interleaved size by size; write JSON and Markdown after each run."""
    out.mkdir(parents=True, exist_ok=True)
    settings = ", ".join(f"{r.agents}: {r.time_limit:g} s x {r.runs}" for r in rungs)
    meta = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "settings": f"{WORKERS} CP-SAT workers, full mode, {WEEKS} weeks from {START}; {settings}",
        "commit": _commit(),
    }
    records: list[dict[str, Any]] = []
    report: dict[str, Any] = {}

    def save() -> None:
        rows = summarise(records)
        report.update({"meta": meta, "summary": rows, "runs": records})
        report["markdown"] = markdown(rows, records, meta)
        write_text(out / JSON_NAME, json.dumps(report, indent=1, default=str))
        write_text(out / MD_NAME, report["markdown"])

    for rung in rungs:
        mine: list[dict[str, Any]] = []
        for seed in range(rung.runs):
            echo(f"[{rung.agents} agents seed {seed}] solving, {rung.time_limit:g} s ...")
            record = run_rung(rung, seed, out, cache)
            records.append(record)
            mine.append(record)
            echo(f"[{rung.agents} agents seed {seed}] {_line(record)}")
            save()
        if rung.bound_seconds > 0:
            echo(f"[{rung.agents} agents] bounds alone, {rung.bound_seconds:g} s ...")
            alone = bound_alone(rung)
            for record in mine:
                with_bound(record, alone)
            echo(
                f"[{rung.agents} agents] bound alone {_int(alone['total'])} in "
                f"{_num(alone['seconds'])} s ({alone['note']})"
            )
            save()
    save()
    return report


def _line(r: dict[str, Any]) -> str:
    if r["exit"] != "ok":
        return f"{r['exit']} after {_num(r['child_wall_seconds'])} s (log {r['log']})"
    gap = "-" if r["gap"] is None else f"{100 * r['gap']:.1f}%"
    return (
        f"{r['status']}, objective {_int(r['objective'])}, bound {_int(r['bound'])} (gap "
        f"{gap}), build {_num(r['build_seconds'])} s, first valid "
        f"{_num(r['first_valid_seconds'])} s, solve {_num(r['solve_seconds'])} s, peak "
        f"{_int(r['solve_mb'])} + {_int(r['bounds_mb'])} MB, check "
        f"{'ok' if r['check_ok'] else 'FAILED'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rungs = rungs_of(args)
    whole = not args.quick and [r.agents for r in rungs] == list(LADDER)
    png = args.png or (DOCS_PNG if whole else args.out / PNG_NAME)
    try:
        report = ladder(rungs, args.out)
    except (RuntimeError, OSError) as error:
        print(f"scale ladder failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: the runs done so far are in {args.out / MD_NAME}")
        return 130
    print()
    print(report["markdown"])
    print(plot(report["summary"], args.out, png))
    print(f"figures written to {args.out / JSON_NAME} and {args.out / MD_NAME}")
    bad = [r for r in report["runs"] if r["exit"] != "ok" or r.get("check_ok") is not True]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
