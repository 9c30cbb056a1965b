"""Run one generated case through the command line, in process, and judge what it printed.

``validate`` -> ``staff`` -> ``solve`` -> ``check``, each through ``planner.cli.main`` with its
output captured (a subprocess per command would cost more than the small solves do). The
verdict follows CONTRACT.md: valid data must validate and staff; ``solve`` either writes a
roster that ``check`` accepts (exit 0) or says why none exists (exit 1); an unexpected
exception (``error: <Type>: ...`` from the CLI's last-resort handler), exit 2 on valid data,
or a traceback anywhere is a fault.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.generated.spec import CaseSpec
from tests.generated.writer import write_case

UNEXPECTED = re.compile(r"^error: [A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt)\b", re.M)
"""The line ``planner/cli.py`` prints for an exception no command handled."""


@dataclass
class Command:
    """One command line run: its arguments, exit status, output and time."""

    argv: list[str]
    status: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def describe(self) -> str:
        """The command and what it printed, for a failure report."""
        out = self.output.strip()
        if len(out) > 4000:  # the head says what failed; progress lines add nothing
            out = out[:2000] + "\n[...]\n" + out[-2000:]
        return f"$ python -m planner {' '.join(self.argv)}\n-> exit {self.status}\n{out}"


@dataclass
class Outcome:
    """What a case did: the commands run and every fault found (none: the case passed)."""

    directory: Path
    commands: list[Command] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)

    @property
    def solve_status(self) -> int | None:
        return next((c.status for c in self.commands if c.argv[0] == "solve"), None)


def run_cli(argv: Sequence[str]) -> Command:
    """``python -m planner ARGV`` in this process, output captured."""
    from planner.cli import main  # imported late: collecting the tests should not need it

    out, err = io.StringIO(), io.StringIO()
    began = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as stop:  # argparse usage errors exit this way
            status = stop.code if isinstance(stop.code, int) else 2
    return Command(list(argv), status, out.getvalue(), err.getvalue(), time.perf_counter() - began)


def _general_faults(command: Command) -> list[str]:
    """Faults any command can show: a traceback, or an exception the CLI did not expect."""
    faults = []
    if "Traceback" in command.output:
        faults.append(f"{command.argv[0]}: printed a traceback")
    match = UNEXPECTED.search(command.output)
    if match:
        line = command.output[match.start() :].splitlines()[0]
        faults.append(f"{command.argv[0]}: unexpected exception: {line}")
    return faults


def roster_args(spec: CaseSpec, directory: Path) -> list[str]:
    """The options ``solve`` and ``check`` share: agents, their files, config, horizon."""
    args = ["--agents", str(directory / "agents.csv")]
    if spec.write_availability:
        args += ["--availability", str(directory / "availability.csv")]
    if spec.write_time_off:
        args += ["--time-off", str(directory / "time_off.csv")]
    args += ["--config", str(directory / "config.toml")]
    args += ["--start", spec.start.isoformat(), "--weeks", str(spec.weeks)]
    return args


def run_case(spec: CaseSpec, directory: Path, time_limit: float = 3.0) -> Outcome:
    """Write ``spec`` into ``directory`` and run the pipeline; stops at the first fault that
    leaves nothing for the next command to read."""
    write_case(spec, directory)
    outcome = Outcome(directory)
    requirements = directory / "requirements.csv"
    roster, breaks = directory / "roster.csv", directory / "breaks.csv"

    def step(argv: list[str], ok: Sequence[int]) -> Command:
        command = run_cli(argv)
        outcome.commands.append(command)
        outcome.faults += _general_faults(command)
        if command.status not in ok:
            outcome.faults.append(f"{argv[0]}: exit {command.status} (expected {list(ok)})")
        return command

    if step(["validate", str(directory)], (0,)).status != 0:
        return outcome
    staff = ["staff", "--forecast", str(directory / "forecast.csv")]
    staff += ["--config", str(directory / "config.toml"), "--out", str(requirements)]
    if step(staff, (0,)).status != 0:
        return outcome
    solve = ["solve", *roster_args(spec, directory), "--requirements", str(requirements)]
    solve += ["--time-limit", f"{time_limit:g}", "--workers", "1", "--lp-bound-seconds", "0"]
    solve += [
        "--out",
        str(roster),
        "--breaks",
        str(breaks),
        "--report",
        str(directory / "report.json"),
    ]
    solved = step(solve, (0, 1))
    if solved.status == 1:
        # No roster is a fair answer only with the reason (CONTRACT.md): "no roster: <status>"
        # then at least one indented line saying which agents and rules conflict.
        if not re.search(r"^no roster: .*\n  \S", solved.stderr, re.M):
            outcome.faults.append("solve: exit 1 without an explanation of why no roster exists")
        if roster.exists():
            outcome.faults.append("solve: exit 1 but roster.csv was written")
        return outcome
    if solved.status != 0:
        return outcome
    check = ["check", *roster_args(spec, directory), "--roster", str(roster)]
    check += ["--breaks", str(breaks), "--requirements", str(requirements)]
    checked = step(check, (0,))
    # The checker recomputes the objective from the files alone (STYLE.md); the solver's
    # figure for the roster it wrote must be the same number.
    solved_objective, checked_objective = _objective(solved.stdout), _objective(checked.stdout)
    if checked.status == 0 and solved_objective != checked_objective:
        outcome.faults.append(
            f"objective: solve says {solved_objective}, check says {checked_objective}"
        )
    return outcome


def _objective(output: str) -> int | None:
    """The last ``objective: N`` line of a command's output (solve writes 1,234)."""
    found = re.findall(r"^objective: ([\d,]+)$", output, re.M)
    return int(found[-1].replace(",", "")) if found else None


def report(spec: CaseSpec, outcome: Outcome, max_agent_weeks: int | None = None) -> str:
    """A failure report: the faults, how to rebuild the case, then every command's output."""
    cap = "" if max_agent_weeks is None else f" --max-agent-weeks {max_agent_weeks}"
    source = (
        f"--seed {spec.seed}{cap}" if spec.seed >= 0 else f"--spec {outcome.directory}/spec.json"
    )
    lines = [
        f"case {spec.summary()}",
        f"folder: {outcome.directory}",
        f"rebuild: python -m tests.generated DIR {source} --run",
        "faults:",
        *(f"  - {fault}" for fault in outcome.faults),
        "",
        *(command.describe() + "\n" for command in outcome.commands),
    ]
    return "\n".join(lines)
