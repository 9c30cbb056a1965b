"""``python -m planner runs submit|list|show|cancel|publish``: a team's runs, from the command
line (the machine's operator: audited as ``command line``, with a manager's rights on every
team).

- ``submit --start DATE --weeks N [--team T] [--kind solve|forecast] [--scenario NAME]
  [--time-limit S] [--workers K] [--seed S] [--lp-bound-seconds S]``: queue a run exactly as
  the dashboard does (the newest data set, the scenario, the last published version as
  ``previous``, the fairness ledger as carry-over); ``python -m planner worker`` (``--once``)
  executes it.
- ``list [--team T] [--limit N]``: the team's runs, newest first, one a line.
- ``show RUN``: where a run is and what it produced (status, objective, bound, gap, the
  independent check's verdict, shifts of its roster).
- ``cancel RUN``: a queued run at once; a running one stops and keeps its best roster.
- ``publish RUN [--override-reason TEXT]``: publish the run's roster as the team's next
  version (refused: a stale base, a roster the check did not accept, changes in the freeze
  window without a reason); prints the version and its diff counts.

``--team`` may be left out when the database has one team. Exit 0 done, 1 the database could
not be used, 2 bad input or a refusal (nothing changed).
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.commands.store_options import (
    add_database_option,
    guarded,
    ready_store,
    settings_of,
    team_of,
)
from planner.data.io import parse_date_option
from planner.data.problems import Problems
from planner.store import publish, runs
from planner.store.access import COMMAND_LINE, NotFound, Refused
from planner.store.models import FINISHED, Run, ScenarioRow, ShiftRow
from planner.store.service import queue_run
from planner.store.settings import StoreSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    sub = parser.add_subparsers(dest="action", required=True)
    submit = sub.add_parser("submit", help="queue a solve or a forecast for a team")
    submit.add_argument("--team", help="the team (may be left out when there is one)")
    submit.add_argument("--start", required=True, help="first local date YYYY-MM-DD")
    submit.add_argument("--weeks", type=int, required=True, help="whole weeks (1 to 12)")
    submit.add_argument("--kind", choices=("solve", "forecast"), default="solve")
    submit.add_argument("--scenario", help="a scenario of the team, by name")
    submit.add_argument("--time-limit", type=float, help="seconds for the search")
    submit.add_argument("--workers", type=int, help="CP-SAT workers")
    submit.add_argument("--seed", type=int, help="random seed")
    submit.add_argument(
        "--lp-bound-seconds", type=float, help="limit of the lower bounds (0: none)"
    )
    listing = sub.add_parser("list", help="the team's runs, newest first")
    listing.add_argument("--team")
    listing.add_argument("--limit", type=int, default=20)
    for name, text in (("show", "one run"), ("cancel", "cancel a run")):
        one = sub.add_parser(name, help=text)
        one.add_argument("run_id", metavar="RUN", type=int)
    out = sub.add_parser("publish", help="publish a run's roster as the team's next version")
    out.add_argument("run_id", metavar="RUN", type=int)
    out.add_argument("--override-reason", help="publish changes inside the freeze window")


def run(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    actions = {
        "submit": _submit,
        "list": _list,
        "show": _show,
        "cancel": _cancel,
        "publish": _publish,
    }
    return guarded(lambda: actions[args.action](args, settings))


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    chosen = {
        "time_limit": args.time_limit,
        "workers": args.workers,
        "seed": args.seed,
        "lp_bound_seconds": args.lp_bound_seconds,
    }
    return {k: v for k, v in chosen.items() if v is not None}


def _scenario_id(session: Session, team_id: int, name: str | None) -> int | None:
    if name is None:
        return None
    found = session.scalar(
        select(ScenarioRow.id).where(ScenarioRow.team_id == team_id, ScenarioRow.name == name)
    )
    if found is None:
        raise Refused(f"--scenario {name!r} is not a scenario of the team")
    return found


def _submit(args: argparse.Namespace, settings: StoreSettings) -> int:
    problems = Problems()
    start = parse_date_option(args.start, "--start", problems)
    problems.raise_if_errors()
    assert start is not None
    store = ready_store(settings)
    try:
        with store.write() as session:
            team = team_of(session, args.team)
            row = queue_run(
                session,
                COMMAND_LINE,
                start,
                args.weeks,
                kind=args.kind,
                scenario_id=_scenario_id(session, team.id, args.scenario),
                team_id=team.id,
                overrides=_overrides(args),
            )
            base = row.inputs["previous_version"]
            on = f"on version {base}" if base else "on no published roster"
            print(
                f"queued run {row.id}: {row.kind} of team {team.name}, {row.weeks} week(s) "
                f"from {row.start}, {on}; `python -m planner worker --once` executes it"
            )
        return 0
    finally:
        store.dispose()


def _run(session: Session, run_id: int) -> Run:
    found = session.get(Run, run_id)
    if found is None:
        raise NotFound(f"there is no run {run_id}")
    return found


def _line(r: Run) -> str:
    objective = "-" if r.objective is None else f"{r.objective:,}"
    return (
        f"{r.id}\t{r.kind}\t{r.status}\t{r.start}\t{r.weeks}\t{objective}\t"
        f"{'-' if r.check_ok is None else ('ok' if r.check_ok else 'violations')}\t{r.message}"
    )


def _list(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.read() as session:
            team = team_of(session, args.team)
            rows = session.scalars(
                select(Run).where(Run.team_id == team.id).order_by(Run.id.desc()).limit(args.limit)
            )
            print("run\tkind\tstatus\tstart\tweeks\tobjective\tcheck\tmessage")
            for r in rows:
                print(_line(r))
        return 0
    finally:
        store.dispose()


def _show(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.read() as session:
            r = _run(session, args.run_id)
            shifts = session.scalar(select(func.count(ShiftRow.id)).where(ShiftRow.run_id == r.id))
            gap = "-" if r.gap is None else f"{100 * r.gap:.2f}%"
            bound = "-" if r.bound is None else f"{r.bound:,.0f}"
            lines = [
                f"run {r.id}: {r.kind} of {r.weeks} week(s) from {r.start}, {r.status}",
                f"  {r.message}" if r.message else "",
                f"  solve status {r.solve_status or '-'}, proven optimal {r.proven_optimal}",
                f"  objective {'-' if r.objective is None else f'{r.objective:,}'}, "
                f"bound {bound}, gap {gap}",
                f"  independent check: {_verdict(r.check)}",
                f"  roster: {shifts} shift(s)",
            ]
            print("\n".join(line for line in lines if line))
        return 0
    finally:
        store.dispose()


def _verdict(check: dict[str, Any] | None) -> str:
    if check is None:
        return "-"
    if check.get("ok"):
        return "no violation"
    return f"{len(check.get('violations') or [])} violation(s)"


def _cancel(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        with store.write() as session:
            r = _run(session, args.run_id)
            if r.status in FINISHED:
                raise Refused(f"run {r.id} is already {r.status}")
            runs.request_cancel(session, COMMAND_LINE, r)
        print(f"run {args.run_id}: cancel asked for")
        return 0
    finally:
        store.dispose()


def _publish(args: argparse.Namespace, settings: StoreSettings) -> int:
    store = ready_store(settings)
    try:
        try:
            with store.write() as session:
                r = _run(session, args.run_id)
                version = publish.publish(session, COMMAND_LINE, r, args.override_reason)
                counts = version.diff["counts"]
                print(
                    f"published run {r.id} as version {version.version}: "
                    f"{counts['added']} added, {counts['removed']} removed, "
                    f"{counts['moved']} moved"
                )
        except IntegrityError as error:
            raise Refused(
                "stale base: another version was published at the same moment; run the solve again"
            ) from error
        return 0
    finally:
        store.dispose()
