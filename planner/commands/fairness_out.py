"""Where ``solve`` and ``pipeline`` write the next period's ``fairness_history.csv``.

The history written is the one read plus this roster (:func:`planner.verify.fairness.
next_fairness_history`), so it must never replace the file it was read from: a re-run of the
same solve would then count this roster twice. The rules:

- ``--fairness-out PATH`` given: written there; PATH being the ``--fairness-history`` input is
  bad input (exit 2, before solving).
- Not given: ``fairness_history.csv`` beside the roster (in the ``--out`` folder), unless that
  file is the input (not written, a note says so) or already exists and is not this period's
  own output, i.e. its ``through`` column does not name this horizon's last date on every row
  (not written, a note says so; an earlier run of the same period is replaced).
"""

from __future__ import annotations

import argparse
import csv
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.data.problems import Problems
from planner.data.roster_io import FairnessHistory

LINE = "command line"
FILE_NAME = "fairness_history.csv"


def add_argument(parser: argparse.ArgumentParser) -> None:
    """``--fairness-out PATH``."""
    parser.add_argument(
        "--fairness-out",
        type=Path,
        help="next period's fairness_history.csv (carried counts + this roster's); default: "
        f"{FILE_NAME} in the folder of the roster, never over the --fairness-history input",
    )


def same_file(a: Path, b: Path | None) -> bool:
    """Whether two paths name one file (existing or not)."""
    if b is None:
        return False
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


@dataclass(frozen=True)
class Target:
    """Where to write the next history (``None``: nowhere) and why not, when not."""

    path: Path | None
    note: str | None = None


def check_explicit(explicit: Path | None, source: Path | None, problems: Problems) -> None:
    """An explicit ``--fairness-out`` must not be the history read (exit 2 before solving)."""
    if explicit is not None and same_file(explicit, source):
        problems.add(
            LINE,
            None,
            "--fairness-out",
            f"{explicit} is the --fairness-history input: writing over it would count this "
            "roster twice on a re-run; give another path",
        )


def choose(explicit: Path | None, folder: Path, source: Path | None, last: date) -> Target:
    """The path to write the next history to (module docstring)."""
    if explicit is not None:
        return Target(explicit)
    default = folder / FILE_NAME
    advice = "give --fairness-out PATH to write it"
    if same_file(default, source):
        return Target(None, f"next {FILE_NAME} not written: {default} is the input ({advice})")
    if default.exists() and written_through(default) != {last.isoformat()}:
        return Target(
            None,
            f"next {FILE_NAME} not written: {default} exists and is not this period's output "
            f"(its through column is not {last}; {advice})",
        )
    return Target(default)


def written_through(path: Path) -> set[str]:
    """The values of the ``through`` column (empty when unreadable or absent)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()
    return {(row.get("through") or "").strip() for row in rows} if rows else set()


def check_overlap(
    history: FairnessHistory | None, source: Path | None, start: date | None, problems: Problems
) -> None:
    """Warn when the history read already covers dates of this horizon (counted twice)."""
    if not history or source is None or start is None:
        return
    covered = [c.through for c in history.values() if c.through is not None]
    if covered and max(covered) >= start:
        problems.add(
            str(source),
            None,
            "through",
            f"runs through {max(covered)}, on or after the horizon start {start}: shifts of "
            "this period may be counted twice (use the history written before this period)",
            "warning",
        )
