"""Roster engine benchmark: plain CP-SAT, hinted CP-SAT and the full search, on the same data.

    .venv/bin/python -m bench.roster_bench [--sizes sample,300] [--runs 3] [--quick]

Sizes (4 weeks from Sunday 2026-11-29, 2 CP-SAT workers):

- ``sample``: the committed ``data/`` folder (80 agents), 120 s a run, 3 runs a mode
  (seeds 0, 1, 2), the median reported;
- ``N`` (e.g. ``300``): ``python -m planner sample-data --agents N --seed N`` into
  ``bench/results/cache/`` (regenerated when the generator, forecast or staffing code
  changes), demand scaled with the team (``staff --volume-multiplier N/80``), 300 s, 1 run.

Every size runs the three modes in the same bench run, interleaved per seed so that a
change in machine load hits them alike: ``plain`` (one CP-SAT model, no hint), ``hinted``
(the same model hinted with the constructive roster) and ``full`` (construct, then LNS; it
also computes the lower bounds, total and per term, of :mod:`planner.roster.bounds` in their own
process beside the search, on the same two cores). Each run is its own subprocess, so its
peak memory (``wait4`` rusage of that child, plus the peak of its bounds process) is its own,
and it is killed after the time limit plus a margin. The child calls
:func:`planner.roster.solve.solve` like ``planner solve`` does, then re-checks the final roster
with :func:`planner.verify.check.check_roster` (which never imports OR-Tools) and computes coverage
with :func:`planner.verify.kpi.compute_kpis`.

Prints a Markdown table (medians over runs) and the objective ratios full/plain and
full/hinted, and writes ``bench/results/roster_bench.json`` (every run, every figure) and
``bench/results/roster_bench.md`` (rewritten after every run, so an interrupted bench keeps
what it measured); each run's output and the engine's log go to
``bench/results/roster_logs/``, with every thread's stack dumped shortly before a kill.

``--quick``: the sample size only, 1 run, 20 s a run (bounds for at most 8 s). For
development: ``--modes full``, ``--time-limit S``, ``--lp-seconds S``, ``--out DIR``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import faulthandler
import hashlib
import json
import logging
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

import planner.roster.search as search_module
from planner.data.atomic import write_text
from planner.data.config import parse_config
from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import read_agents, read_availability, read_requirements, read_time_off
from planner.data.problems import Problems
from planner.domain import Agent, AvailabilityWindow, Config, Horizon, TimeOff
from planner.roster.search import Progress
from planner.roster.solve import CP_SAT_SOURCE, LP_SOURCE, SolveOptions, solve
from planner.verify.check import check_roster
from planner.verify.kpi import compute_kpis
from planner.verify.report import term_rows

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CACHE = RESULTS / "cache"
JSON_OUT = RESULTS / "roster_bench.json"
MD_OUT = RESULTS / "roster_bench.md"

START = date(2026, 11, 29)
WEEKS = 4
WORKERS = 2
MODES = ("plain", "hinted", "full")
SAMPLE_AGENTS = 80
"""Team size of ``data/``: a generated team of N agents gets N/80 times its demand."""

QUICK_TIME_LIMIT = 20.0
QUICK_LP_SECONDS = 8.0
MARGIN_SECONDS = 60.0
MARGIN_SHARE = 0.25
"""A child is killed after time limit x (1 + share) + seconds: reading inputs, checking and
KPIs happen outside the engine's time limit."""

MAX_EVENTS = 400
MB = 1024.0 * 1024.0

log = logging.getLogger(__name__)


# =========================================================================== sizes and data


@dataclass(frozen=True)
class Size:
    """One bench size: a data folder used as it is (``source``), or a generated team of
    ``agents`` agents (seed = team size) whose demand is scaled by ``agents / 80``."""

    name: str
    agents: int | None
    time_limit: float
    runs: int
    lp_seconds: float
    source: Path | None = None
    volume_multiplier: float | None = None

    @property
    def multiplier(self) -> float:
        """Scale of the forecast contacts (``staff --volume-multiplier``)."""
        if self.volume_multiplier is not None:
            return self.volume_multiplier
        return 1.0 if self.agents is None else self.agents / SAMPLE_AGENTS


def size_named(name: str) -> Size:
    """``sample``, or a team size N (generated data set, seed N)."""
    if name == "sample":
        return Size("sample", None, 120.0, 3, 120.0, source=ROOT / "data")
    if name.isdigit() and int(name) > 0:
        return Size(name, int(name), 300.0, 1, 300.0)
    raise argparse.ArgumentTypeError(f"size {name!r}: 'sample' or a number of agents")


@dataclass(frozen=True)
class Dataset:
    """Input files of one size, as ``planner solve`` reads them."""

    name: str
    folder: Path
    requirements: Path
    volume_multiplier: float

    @property
    def agents(self) -> int:
        """Rows of agents.csv (the header not counted)."""
        with (self.folder / "agents.csv").open() as f:
            return max(0, sum(1 for line in f if line.strip()) - 1)


FINGERPRINT_SOURCES = (
    "planner/data/sample_data.py",
    "planner/demand/forecast.py",
    "planner/demand/staffing.py",
    "planner/demand/erlang.py",
    "planner/data/config.py",
    "planner/data/io.py",
)
"""Code whose change invalidates the cached data sets and requirements."""


def _fingerprint(parts: Sequence[str], files: Sequence[Path]) -> str:
    digest = hashlib.sha256("\n".join(parts).encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _planner(*args: str) -> None:
    """Run a ``python -m planner`` command; its output goes to the log, failures raise."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    log.info("planner %s\n%s", args[0], done.stdout.strip())
    if done.returncode != 0:
        raise RuntimeError(
            f"`python -m planner {' '.join(args)}` exited {done.returncode}:\n{done.stderr.strip()}"
        )


def prepare_dataset(size: Size, cache: Path = CACHE) -> Dataset:
    """The size's input folder and its requirements (forecast from history, then staffing),
    generated once and reused while the fingerprint of their code and inputs holds."""
    sources = [ROOT / name for name in FINGERPRINT_SOURCES]
    multiplier = size.multiplier
    if size.source is not None:
        folder = size.source
    elif size.agents is None:
        raise ValueError(f"size {size.name}: neither a data folder nor a team size")
    else:
        folder = cache / f"agents{size.agents}-seed{size.agents}"
        stamp = folder / "fingerprint.txt"
        key = _fingerprint([str(size.agents)], sources)
        if not (stamp.is_file() and stamp.read_text() == key):
            print(f"generating {size.agents} agents (seed {size.agents}) into {folder}", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
            n = str(size.agents)
            _planner("sample-data", "--out", str(folder), "--agents", n, "--seed", n)
            stamp.write_text(key)
    work = cache / f"{size.name}-{START}-{WEEKS}w"
    requirements = work / "requirements.csv"
    stamp = work / "fingerprint.txt"
    inputs = [folder / "history.csv", folder / "config.toml"]
    key = _fingerprint([str(START), str(WEEKS), repr(multiplier), str(folder)], [*sources, *inputs])
    if not (requirements.is_file() and stamp.is_file() and stamp.read_text() == key):
        print(f"forecasting and staffing {size.name} (volume x {multiplier:g})", flush=True)
        work.mkdir(parents=True, exist_ok=True)
        config = str(folder / "config.toml")
        forecast = str(work / "forecast.csv")
        _planner(
            "forecast",
            *("--history", str(folder / "history.csv"), "--config", config),
            *("--start", START.isoformat(), "--weeks", str(WEEKS), "--out", forecast),
        )
        _planner(
            "staff",
            *("--forecast", forecast, "--config", config, "--out", str(requirements)),
            *("--volume-multiplier", repr(multiplier)),
        )
        stamp.write_text(key)
    return Dataset(size.name, folder, requirements, multiplier)


# =========================================================================== one run (child)


@dataclass(frozen=True)
class RunSpec:
    """What one child process solves, and where it writes its record."""

    size: str
    folder: str
    requirements: str
    mode: str
    seed: int
    time_limit: float
    lp_seconds: float
    workers: int
    out: str
    kill_after: float = 0.0
    """Seconds after which the parent kills this run (0: never); the child dumps its stacks
    into its log shortly before, so a hang shows where it is."""


class _LogTimes(logging.Handler):
    """Keeps (wall time, logger, message) of the engine's log records: the engine logs
    when its candidate shifts are ready, which is its build time."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[float, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.records.append((record.created, record.name, record.getMessage()))


@contextlib.contextmanager
def _timed_first_call(module: Any, name: str, seconds: list[float]) -> Iterator[None]:
    """Time the first call of ``module.name`` (the monolithic model build); a no-op when the
    engine has no such function any more."""
    original = getattr(module, name, None)
    if original is None:
        yield
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            if not seconds:
                seconds.append(time.perf_counter() - began)

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, original)


def _vm_hwm_mb() -> float | None:
    """This process's peak resident memory so far (Linux ``VmHWM``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _term_dict(terms: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, term in dict(terms or {}).items():
        out[str(name)] = {
            key: getattr(term, key) for key in ("raw", "weight", "cost") if hasattr(term, key)
        }
    return out


class Inputs(NamedTuple):
    agents: list[Agent]
    availability: list[AvailabilityWindow]
    time_off: list[TimeOff]
    requirements: pd.DataFrame
    config: Config
    horizon: Horizon
    calendar: HolidayCalendar


def read_inputs(folder: Path, requirements_path: Path) -> Inputs:
    """A size's inputs read like ``planner solve`` reads them: agents, availability, time
    off, requirements, config, the bench's horizon and its holiday calendar."""
    problems = Problems()
    config = parse_config(folder / "config.toml", problems)
    agents = read_agents(folder / "agents.csv", config, problems)
    ids = [a.agent_id for a in agents]
    optional = {name: folder / f"{name}.csv" for name in ("availability", "time_off")}
    availability = (
        read_availability(optional["availability"], ids, problems)
        if optional["availability"].is_file()
        else []
    )
    time_off = (
        read_time_off(optional["time_off"], ids, problems) if optional["time_off"].is_file() else []
    )
    requirements = read_requirements(requirements_path, config, problems)
    problems.raise_if_errors()
    assert config is not None
    assert requirements is not None
    horizon = Horizon(START, WEEKS)
    calendar = HolidayCalendar(config.holidays, range(START.year - 1, horizon.end.year + 2))
    return Inputs(
        agents, list(availability), list(time_off), requirements, config, horizon, calendar
    )


def run_one(spec: RunSpec) -> dict[str, Any]:
    """Solve once in this process and return the run's record (JSON-ready).

    Reads the inputs like ``planner solve``; times the engine; checks the final roster
    independently; computes coverage KPIs. Figures the engine does not give are ``None``.
    """
    agents, availability, time_off, requirements, config, horizon, calendar = read_inputs(
        Path(spec.folder), Path(spec.requirements)
    )

    events: list[dict[str, Any]] = []

    def on_progress(p: Progress) -> None:
        print(
            f"[{p.elapsed:7.1f} s] objective {p.objective}  bound {p.bound}  ({p.phase})",
            flush=True,
        )
        if len(events) < MAX_EVENTS:
            events.append(
                {
                    "elapsed": _round(p.elapsed),
                    "objective": p.objective,
                    "bound": _round(p.bound),
                    "phase": p.phase,
                }
            )

    options = SolveOptions(
        time_limit=spec.time_limit,
        workers=spec.workers,
        seed=spec.seed,
        mode=spec.mode,  # type: ignore[arg-type]
        lp_bound_seconds=spec.lp_seconds,
        progress=on_progress,
    )
    times = _LogTimes()
    root = logging.getLogger()
    root.addHandler(times)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    model_build: list[float] = []
    began_wall = time.time()
    began = time.perf_counter()
    with _timed_first_call(search_module, "build_model", model_build):
        result = solve(
            agents,
            requirements,
            config,
            horizon,
            options,
            availability=availability,
            time_off=time_off,
            calendar=calendar,
        )
    solve_seconds = time.perf_counter() - began
    solve_peak = _vm_hwm_mb()
    root.removeHandler(times)

    prepared = next(
        (t - began_wall for t, _, msg in times.records if msg.startswith("prepared")), None
    )
    constructed = next(
        (t - began_wall for t, _, msg in times.records if msg.startswith("constructive start")),
        None,
    )
    engine_build = getattr(result, "build_seconds", None)
    monolithic_build = model_build[0] if model_build and spec.mode != "full" else None
    if engine_build is not None:
        build, build_source = float(engine_build), "engine"
    elif prepared is not None:
        build = prepared + (monolithic_build or 0.0)
        build_source = "candidates" + (" + CP-SAT model" if monolithic_build else "")
    elif events:
        build, build_source = float(events[0]["elapsed"]), "first progress event"
    else:
        build, build_source = None, None

    explanation = [str(x) for x in getattr(result, "explanation", [])]
    notes = [str(x) for x in getattr(result, "notes", [])]
    lp_notes = [n for n in explanation + notes if n.startswith(("bounds", "no bound"))]
    record: dict[str, Any] = {
        "size": spec.size,
        "agents": len(agents),
        "weeks": WEEKS,
        "mode": spec.mode,
        "seed": spec.seed,
        "time_limit": spec.time_limit,
        "lp_bound_seconds": spec.lp_seconds,
        "status": str(result.status),
        "has_roster": result.roster is not None,
        "build_seconds": _round(build),
        "build_source": build_source,
        "prepare_seconds": _round(prepared),
        "model_build_seconds": _round(monolithic_build),
        # full and hinted build the constructive roster first; plain does not (None).
        "construct_done_seconds": _round(constructed),
        "first_progress_seconds": events[0]["elapsed"] if events else None,
        "first_valid_seconds": _round(getattr(result, "first_roster_seconds", None)),
        "solve_seconds": _round(getattr(result, "wall_seconds", solve_seconds)),
        "solve_peak_mb": _round(solve_peak, 1),
        "objective": result.objective,
        "model_objective": getattr(result, "model_objective", None),
        "bound": _round(result.bound),
        "bound_source": getattr(result, "bound_source", None),
        "gap": _round(result.gap, 6),
        "lp_note": "; ".join(lp_notes) or None,
        "terms": _term_dict(getattr(result, "terms", {})),
        "term_bounds": term_rows(result) if result.roster is not None else {},
        # The bounds' child process (reaped by now): its peak, beside this process's own.
        "bounds_child_peak_mb": _round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "engine_under_staffed_hours": dict(getattr(result, "under_staffed_hours", {}) or {}),
        "candidates": getattr(result, "candidates", None),
        "iterations": getattr(result, "iterations", None),
        "improvements": getattr(result, "improvements", None),
        "explanation": explanation,
        "notes": notes,
        "progress": events,
        "engine_log": [
            {"at": _round(t - began_wall), "logger": name, "message": msg[:300]}
            for t, name, msg in times.records[:MAX_EVENTS]
        ],
    }
    if result.roster is None:
        return record
    began = time.perf_counter()
    checked = check_roster(
        result.roster,
        agents,
        config,
        horizon,
        calendar,
        availability=availability,
        time_off=time_off,
        requirements=requirements,
    )
    kpis = compute_kpis(
        result.roster, agents, config, requirements, calendar, horizon, availability=availability
    )
    by_rule: dict[str, int] = {}
    for violation in checked.violations:
        by_rule[violation.rule] = by_rule.get(violation.rule, 0) + 1
    needed = sum(c.needed_staff_hours for c in kpis.channels.values())
    covered = sum(c.covered_staff_hours for c in kpis.channels.values())
    record.update(
        {
            "check_ok": checked.ok,
            "check_skipped": list(checked.skipped),
            "violations": len(checked.violations),
            "violations_by_rule": by_rule,
            "first_violations": [str(v) for v in checked.violations[:10]],
            "check_objective": checked.objective,
            "check_seconds": _round(time.perf_counter() - began),
            "shifts": len(result.roster.shifts),
            "under_staffed_hours": {
                name: round(c.under_staff_hours, 2) for name, c in kpis.channels.items()
            },
            "needed_hours": {
                name: round(c.needed_staff_hours, 2) for name, c in kpis.channels.items()
            },
            "covered_pct_by_channel": {
                name: _round(c.covered_pct, 3) for name, c in kpis.channels.items()
            },
            "covered_pct": _round(100.0 * covered / needed, 3) if needed > 0 else None,
        }
    )
    return record


def child_main(spec_path: Path) -> int:
    """Entry point of a child: read the spec, run, write the record atomically."""
    spec = RunSpec(**json.loads(spec_path.read_text()))
    if spec.kill_after > 0:
        faulthandler.dump_traceback_later(max(1.0, spec.kill_after - 5.0), exit=False)
    # The engine's log goes to the run's log file (this process's stderr).
    logging.basicConfig(
        level=logging.INFO, format="%(relativeCreated)9.0f ms %(name)s: %(message)s"
    )
    record = run_one(spec)
    record["peak_mb_self"] = _round(_vm_hwm_mb(), 1)
    write_text(spec.out, json.dumps(record, indent=1, default=str))
    return 0


# =========================================================================== one run (parent)


def _wait(pid: int, deadline: float) -> tuple[int | None, Any]:
    """Reap ``pid`` (killing it at ``deadline``); its exit status (None: killed on time-out)
    and its own rusage, so each run's peak memory is its own."""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), usage
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            return None, usage
        time.sleep(0.2)


def hard_timeout(time_limit: float) -> float:
    """Seconds after which a child is killed."""
    return time_limit * (1 + MARGIN_SHARE) + MARGIN_SECONDS


def run_child(spec: RunSpec, log_path: Path, timeout: float) -> dict[str, Any]:
    """Run one spec in a fresh interpreter; the record, plus exit, wall time and peak memory."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    out = Path(spec.out)
    out.unlink(missing_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(dataclasses.asdict(spec), handle)
        spec_path = Path(handle.name)
    began = time.monotonic()
    try:
        with log_path.open("w") as sink:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench.roster_bench", "--child", str(spec_path)],
                cwd=ROOT,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            try:
                code, usage = _wait(proc.pid, began + timeout)
            except BaseException:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                raise
            proc.returncode = -9 if code is None else code
    finally:
        spec_path.unlink(missing_ok=True)
    wall = time.monotonic() - began
    record: dict[str, Any] = {}
    if code == 0 and out.is_file():
        record = json.loads(out.read_text())
    record.update(
        {
            "size": spec.size,
            "mode": spec.mode,
            "seed": spec.seed,
            "time_limit": spec.time_limit,
            "exit": "ok" if code == 0 else ("timeout" if code is None else f"exit {code}"),
            "child_wall_seconds": round(wall, 2),
            # ru_maxrss is in KiB on Linux; wait4 gives the largest of the run's process and
            # its children. The run's peak: its own process (VmHWM) plus its bounds process,
            # an upper bound on what they held at the same time.
            "peak_mb_tree": round(usage.ru_maxrss / 1024.0, 1),
            "peak_mb": round(
                (record.get("peak_mb_self") or usage.ru_maxrss / 1024.0)
                + (record.get("bounds_child_peak_mb") or 0.0),
                1,
            ),
            "log": str(log_path.relative_to(ROOT))
            if log_path.is_relative_to(ROOT)
            else str(log_path),
        }
    )
    if code != 0:
        record["error"] = log_summary(log_path.read_text(errors="replace"))
    return record


def log_summary(text: str) -> str:
    """The last lines a child wrote before it died; for a hang, the innermost frame of each
    thread from the stacks faulthandler dumped just before the kill."""
    lines = text.strip().splitlines()
    dump = next((i for i, line in enumerate(lines) if line.startswith("Timeout (")), None)
    if dump is None:
        return "\n".join(lines[-5:])
    innermost = [
        lines[i + 1].strip()
        for i in range(dump, len(lines) - 1)
        if lines[i].startswith(("Thread 0x", "Current thread"))
    ]
    before = lines[max(0, dump - 3) : dump]
    return "\n".join([*before, "stacks at the kill (innermost frame per thread):", *innermost])


# =========================================================================== summary


def _median(values: Sequence[float | int | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return statistics.median(present) if present else None


SUMMED = (
    "build_seconds",
    "first_valid_seconds",
    "solve_seconds",
    "peak_mb",
    "covered_pct",
    "objective",
    "bound",
    "gap",
)


def summarise(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Medians per (size, mode) over runs, in run order of sizes and MODES order."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["size"], r["mode"]), []).append(r)
    sizes = list(dict.fromkeys(r["size"] for r in records))
    rows = []
    for size in sizes:
        for mode in MODES:
            runs = groups.get((size, mode))
            if not runs:
                continue
            with_roster = [r for r in runs if r.get("has_roster")]
            channels = list(
                dict.fromkeys(c for r in runs for c in r.get("under_staffed_hours", {}))
            )
            row: dict[str, Any] = {
                "size": size,
                "agents": next((r["agents"] for r in runs if "agents" in r), None),
                "weeks": WEEKS,
                "mode": mode,
                "runs": len(runs),
                "with_roster": len(with_roster),
                "check_ok": sum(1 for r in runs if r.get("check_ok")),
                "statuses": [r.get("status", r["exit"]) for r in runs],
                "bound_sources": sorted({str(r.get("bound_source")) for r in runs}),
                "lp_notes": sorted({r["lp_note"] for r in runs if r.get("lp_note")}),
                "under_staffed_hours": {
                    c: _median([r.get("under_staffed_hours", {}).get(c) for r in runs])
                    for c in channels
                },
                "peak_mb_max": max((r["peak_mb"] for r in runs), default=None),
            }
            for key in SUMMED:
                row[key] = _median([r.get(key) for r in runs])
            rows.append(row)
    return rows


def ratios(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Objective of the full search over plain and over hinted CP-SAT, per size (< 1: the
    full search is better; the objective is a cost)."""
    out = []
    by = {(r["size"], r["mode"]): r for r in rows}
    for size in dict.fromkeys(r["size"] for r in rows):
        full = by.get((size, "full"))
        for other in ("plain", "hinted"):
            base = by.get((size, other))
            if full is None or base is None:
                continue
            a, b = full["objective"], base["objective"]
            out.append(
                {
                    "size": size,
                    "versus": other,
                    "full": a,
                    "other": b,
                    "ratio": (a / b) if a is not None and b else None,
                    "full_better": a is not None and (b is None or a < b),
                }
            )
    return out


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _int(value: float | None) -> str:
    return "-" if value is None else f"{round(value):,}"


def _bound_cell(row: dict[str, Any]) -> str:
    if row["bound"] is None:
        return "-"
    sources = [s for s in row["bound_sources"] if s != "None"]
    names = {CP_SAT_SOURCE: "CP-SAT", LP_SOURCE: "LP"}
    label = "/".join(names.get(s, s) for s in sources)
    return f"{_int(row['bound'])} ({label})" if label else _int(row["bound"])


def markdown(
    rows: Sequence[dict[str, Any]],
    comparisons: Sequence[dict[str, Any]],
    meta: dict[str, Any],
    records: Sequence[dict[str, Any]] = (),
) -> str:
    """The report: medians, ratios, terms with their bounds, bounds notes, the targets."""
    channels = list(dict.fromkeys(c for r in rows for c in r["under_staffed_hours"]))
    head = [
        "agents",
        "weeks",
        "mode",
        "runs",
        "build s",
        "first valid s",
        "solve s",
        "peak MB",
        *(f"under h {c}" for c in channels),
        "% covered",
        "objective",
        "bound",
        "gap",
        "check",
    ]
    lines = [
        f"# Roster bench ({meta['when']})",
        "",
        f"{meta['machine']}; {meta['settings']}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" if i < 3 else "---:" for i in range(len(head))) + "|",
    ]
    for r in rows:
        roster_note = (
            ""
            if r["with_roster"] == r["runs"]
            else f" ({r['with_roster']}/{r['runs']} with roster)"
        )
        cells = [
            str(r["agents"]),
            str(r["weeks"]),
            r["mode"],
            str(r["runs"]),
            _num(r["build_seconds"]),
            _num(r["first_valid_seconds"]),
            _num(r["solve_seconds"]),
            _int(r["peak_mb"]),
            *(_num(r["under_staffed_hours"].get(c)) for c in channels),
            _num(r["covered_pct"], 2),
            _int(r["objective"]) + roster_note,
            _bound_cell(r),
            "-" if r["gap"] is None else f"{100 * r['gap']:.1f}%",
            f"{r['check_ok']}/{r['with_roster']} ok" if r["with_roster"] else "no roster",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += _trouble(records)
    lines += ["", "Objective, full search vs the monolithic modes (lower is better):", ""]
    for c in comparisons:
        if c["other"] is None:
            text = f"{c['versus']} found no roster; full {_int(c['full'])}"
        elif c["full"] is None:
            text = f"full found no roster; {c['versus']} {_int(c['other'])}"
        else:
            text = (
                f"full/{c['versus']} = {c['ratio']:.4f} "
                f"(full {_int(c['full'])} vs {c['versus']} {_int(c['other'])})"
            )
        verdict = "full better" if c["full_better"] else "full NOT better"
        lines.append(f"- {c['size']}: {text}: {verdict}")
    lines += _term_table(rows, records)
    lines += ["", "Bounds (full mode):", ""]
    for r in rows:
        if r["mode"] == "full":
            notes = list(r["lp_notes"])
            killed = [
                x
                for x in records
                if x["size"] == r["size"] and x["mode"] == "full" and x["exit"] != "ok"
            ]
            if killed:
                notes.append(f"{len(killed)} run(s) ended before reporting ({killed[0]['exit']})")
            text = "; ".join(notes) or "no bounds note from the engine"
            lines.append(f"- {r['size']}: {text}")
    lines += ["", "Targets (issue 4):", ""]
    lines += [f"- {t}" for t in targets(rows, comparisons)]
    lines += [
        "",
        "Columns: medians over runs. build s = the engine's build time: candidate shifts "
        "(from the engine's log), plus the one CP-SAT model for plain/hinted; first valid s = "
        "the engine's first_roster_seconds; solve s = the engine's wall time; peak MB = peak "
        "resident memory of the run's own process (inputs, solve, check) plus the peak of its "
        "bounds process (full mode); under h = "
        "under-staffed staff-hours per channel and % covered, from planner.verify.kpi on the final "
        "roster; objective = exact, breaks placed; bound and gap from the engine (gap "
        "against its model objective); check = planner.verify.check found no violation.",
    ]
    return "\n".join(lines) + "\n"


def _term_table(rows: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]]) -> list[str]:
    """Per size, the full search's objective term by term: model cost (breaks at default
    positions), lower bound and gap, medians over runs."""
    lines: list[str] = []
    for r in rows:
        if r["mode"] != "full":
            continue
        runs = [x for x in records if x["size"] == r["size"] and x["mode"] == "full"]
        names = list(dict.fromkeys(n for x in runs for n in x.get("term_bounds", {})))
        if not names:
            continue
        lines += [
            "",
            f"Full search, {r['size']}: objective term by term (medians over runs)",
            "",
            "| term | model cost | bound | gap |",
            "|---|---:|---:|---:|",
        ]
        for name in names:
            cells = [x.get("term_bounds", {}).get(name, {}) for x in runs]
            gap = _median([c.get("gap") for c in cells])
            lines.append(
                f"| {name} | {_int(_median([c.get('model_cost') for c in cells]))} | "
                f"{_int(_median([c.get('bound') for c in cells]))} | "
                f"{'-' if gap is None else f'{100 * gap:.1f}%'} |"
            )
    return lines


def _trouble(records: Sequence[dict[str, Any]]) -> list[str]:
    """One line per run without a roster, killed, crashed or failing the check."""
    lines = []
    for r in records:
        where = f"{r['size']} {r['mode']} seed {r['seed']}"
        if r["exit"] != "ok":
            error = (r.get("error") or "no output").strip().splitlines()
            stuck = [e for e in error if e.startswith("File ")][:1]
            last = stuck or error[-1:]
            lines.append(f"- {where}: {r['exit']}: {last[0]} (log {r['log']})")
        elif not r.get("has_roster"):
            why = "; ".join(r.get("explanation", [])[:2]) or "no explanation"
            lines.append(f"- {where}: status {r.get('status')}, no roster: {why}")
        elif r.get("check_objective") not in (None, r.get("objective")):
            lines.append(
                f"- {where}: objective {r.get('objective')} but check recomputes "
                f"{r['check_objective']}"
            )
        if r.get("check_ok") is False:
            broken = ", ".join(f"{k} {v}" for k, v in r.get("violations_by_rule", {}).items())
            lines.append(f"- {where}: check found {r['violations']} violation(s): {broken}")
    return ["", "Runs without a valid roster:", "", *lines] if lines else []


def targets(rows: Sequence[dict[str, Any]], comparisons: Sequence[dict[str, Any]]) -> list[str]:
    """The issue's speed and quality targets, each said met or missed."""
    out = []
    for size in dict.fromkeys(r["size"] for r in rows):
        pairs = [c for c in comparisons if c["size"] == size]
        if pairs:
            met = all(c["full_better"] for c in pairs)
            out.append(f"{size}: full search beats plain and hinted: {'met' if met else 'MISSED'}")
        full = next((r for r in rows if r["size"] == size and r["mode"] == "full"), None)
        if full is not None:
            ok = full["check_ok"] == full["runs"]
            out.append(
                f"{size}: every full-search roster passes check: {'met' if ok else 'MISSED'}"
            )
            if size != "sample":
                first = full["first_valid_seconds"]
                out.append(
                    f"{size}: valid roster within 60 s: "
                    f"{'met' if first is not None and first <= 60 else 'MISSED'} "
                    f"({_num(first)} s)"
                )
        if size != "sample" and full is not None:
            peak = full["peak_mb_max"] or 0.0
            out.append(
                f"{size}: peak memory of the full search (with its bounds process) under "
                f"4 GB: {'met' if peak < 4096 else 'MISSED'} (largest run {peak:,.0f} MB)"
            )
    return out


# =========================================================================== main


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        ortools = metadata.version("ortools")
    except metadata.PackageNotFoundError:
        ortools = "?"
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"OR-Tools {ortools}, load average {os.getloadavg()[0]:.2f} at start"
    )


def _commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
        return f"{head}{' (uncommitted changes)' if dirty else ''}" if head else None
    return None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="sample,300",
        help="comma-separated: 'sample' (data/) and/or team sizes (default sample,300)",
    )
    parser.add_argument("--runs", type=int, help="runs per mode (default: 3 sample, 1 others)")
    parser.add_argument("--quick", action="store_true", help="sample only, 1 run, 20 s")
    parser.add_argument("--time-limit", type=float, help="seconds a run (overrides the sizes')")
    parser.add_argument("--lp-seconds", type=float, help="bounds seconds in full mode")
    parser.add_argument("--modes", default=",".join(MODES), help="subset of plain,hinted,full")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be 1 or more")
    if args.time_limit is not None and not args.time_limit > 0:
        parser.error("--time-limit must be more than 0")
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or any(m not in MODES for m in modes):
        parser.error(f"--modes: a subset of {','.join(MODES)}")
    args.modes = modes
    return args


def sizes_of(args: argparse.Namespace) -> list[Size]:
    """The sizes to run, with --quick, --runs, --time-limit and --lp-seconds applied."""
    names = ["sample"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    sizes = []
    for name in names:
        try:
            size = size_named(name)
        except argparse.ArgumentTypeError as error:
            raise SystemExit(f"--sizes: {error}") from None
        if args.quick:
            size = dataclasses.replace(
                size, runs=1, time_limit=QUICK_TIME_LIMIT, lp_seconds=QUICK_LP_SECONDS
            )
        if args.runs is not None:
            size = dataclasses.replace(size, runs=args.runs)
        if args.time_limit is not None:
            size = dataclasses.replace(size, time_limit=args.time_limit)
        if args.lp_seconds is not None:
            size = dataclasses.replace(size, lp_seconds=args.lp_seconds)
        sizes.append(size)
    return sizes


def _run_line(r: dict[str, Any]) -> str:
    if r["exit"] != "ok":
        return f"{r['exit']} after {r['child_wall_seconds']:.0f} s (log {r['log']})"
    check = "-" if r.get("check_ok") is None else ("check ok" if r["check_ok"] else "CHECK FAILED")
    return (
        f"{r['status']}, objective {_int(r.get('objective'))}, bound {_int(r.get('bound'))}, "
        f"first valid {_num(r.get('first_valid_seconds'))} s, solve "
        f"{_num(r.get('solve_seconds'))} s, peak {r['peak_mb']:,.0f} MB, {check}"
    )


def bench(
    sizes: Sequence[Size],
    modes: Sequence[str],
    out: Path,
    *,
    cache: Path = CACHE,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run every size and mode; write JSON and Markdown into ``out`` after every run."""
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "roster_logs"
    settings = "; ".join(
        f"{s.name}: {s.time_limit:g} s a run, {s.runs} run(s) a mode (seeds "
        f"{', '.join(str(i) for i in range(s.runs))}), bounds {s.lp_seconds:g} s in full mode"
        for s in sizes
    )
    meta = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "settings": f"{WORKERS} CP-SAT workers, {WEEKS} weeks from {START}; {settings}",
        "commit": _commit(),
    }
    records: list[dict[str, Any]] = []
    report: dict[str, Any] = {}

    def save() -> None:
        rows = summarise(records)
        comparisons = ratios(rows)
        text = markdown(rows, comparisons, meta, records)
        report.update(
            {
                "meta": meta,
                "summary": rows,
                "ratios": comparisons,
                "runs": records,
                "markdown": text,
            }
        )
        write_text(out / JSON_OUT.name, json.dumps(report, indent=1, default=str))
        write_text(out / MD_OUT.name, text)

    for size in sizes:
        data = prepare_dataset(size, cache)
        for seed in range(size.runs):
            for mode in modes:
                spec = RunSpec(
                    size=size.name,
                    folder=str(data.folder),
                    requirements=str(data.requirements),
                    mode=mode,
                    seed=seed,
                    time_limit=size.time_limit,
                    lp_seconds=size.lp_seconds if mode == "full" else 0.0,
                    workers=WORKERS,
                    out=str(out / f".run-{size.name}-{mode}-{seed}.json"),
                    kill_after=hard_timeout(size.time_limit),
                )
                echo(f"[{size.name} {mode} seed {seed}] solving, {size.time_limit:g} s ...")
                record = run_child(
                    spec, logs / f"{size.name}-{mode}-seed{seed}.log", spec.kill_after
                )
                Path(spec.out).unlink(missing_ok=True)
                record.setdefault("agents", data.agents)
                record.setdefault("weeks", WEEKS)
                records.append(record)
                echo(f"[{size.name} {mode} seed {seed}] {_run_line(record)}")
                save()
    if not records:
        save()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        return child_main(args.child)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sizes = sizes_of(args)
    try:
        report = bench(sizes, args.modes, args.out)
    except (RuntimeError, OSError) as error:
        print(f"roster bench failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: the runs done so far are in {args.out / MD_OUT.name}")
        return 130
    print()
    print(report["markdown"])
    print(f"figures written to {args.out / JSON_OUT.name} and {args.out / MD_OUT.name}")
    failed = [r for r in report["runs"] if r["exit"] != "ok" or r.get("check_ok") is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
