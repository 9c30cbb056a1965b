"""The command line: ``python -m planner <command>`` (see CONTRACT.md).

Each command lives in ``planner/commands/<name>.py`` with ``add_arguments(parser)``
and ``run(args) -> int``. This module only registers them and turns errors into
exit codes: 0 done, 1 the work could not be done, 2 bad input. No traceback
reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from planner.data.problems import InputError

COMMANDS: dict[str, tuple[str, str]] = {
    "sample-data": ("planner.commands.sample_data", "write a realistic, seeded data set"),
    "validate": ("planner.commands.validate", "validate every contract file in a folder"),
    "forecast": ("planner.commands.forecast", "interval forecast per channel"),
    "staff": ("planner.commands.staff", "staffing requirement per interval and channel"),
    "solve": ("planner.commands.solve", "build the roster"),
    "check": ("planner.commands.check", "re-check every hard rule on a roster"),
    "pipeline": ("planner.commands.pipeline", "forecast, staff, solve and check a data folder"),
    "db": ("planner.commands.db", "the shared database: init, upgrade, seed, backup, restore"),
    "users": ("planner.commands.users", "who may sign in: add, list, disable, enable"),
    "teams": ("planner.commands.teams", "the teams of the database: add, list"),
    "worker": ("planner.commands.worker", "execute the queued runs (solves, forecasts, sweeps)"),
    "runs": ("planner.commands.runs", "a team's runs: submit, list, show, cancel, publish"),
    "export": ("planner.commands.export", "published rosters as files: calendar (.ics), roster"),
    "dashboard": (
        "planner.commands.dashboard",
        "serve the dashboard: database, sign-in, worker and first roster (make run)",
    ),
    "sign-in-provider": (
        "planner.commands.sign_in_provider",
        "the local OpenID provider for sign-in when none is configured",
    ),
    "bench-curtois": (
        "planner.commands.bench_curtois",
        "solve a Curtois & Qu benchmark instance and check the solution",
    ),
}

log = logging.getLogger("planner")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 2 with the option named, as bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"error: command line: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m planner",
        description="Workforce scheduling and coverage planner: forecast, staff, roster, check.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def print_problems(error: InputError) -> None:
    """Print every input problem, one per line, errors first."""
    for problem in sorted(error.problems, key=lambda p: p.severity != "error"):
        print(problem, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.run(args))
    except InputError as error:
        print_problems(error)
        return 2
    except KeyboardInterrupt:
        print("cancelled; nothing was written", file=sys.stderr)
        return 1
    except Exception as error:
        log.debug("unexpected failure", exc_info=True)
        print(f"error: {type(error).__name__}: {error} (run with -v for detail)", file=sys.stderr)
        return 1
