"""``python -m tests.generated DIR (--seed S [--max-agent-weeks N] | --spec FILE) [--run]``:
rebuild one case.

Writes the data folder of case ``S`` (the same files the test wrote, plus ``spec.json``) into
``DIR``, or of the spec saved in ``FILE`` (a case folder's ``spec.json``, or the JSON a
failing hypothesis test printed); with ``--run`` also runs validate, staff, solve and check on
it and prints the verdict, as the test does. A failing test prints this command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.generated.run import report, run_case
from tests.generated.spec import CaseSpec, spec_from_seed
from tests.generated.writer import write_case


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.generated", description=__doc__)
    parser.add_argument("directory", metavar="DIR", type=Path, help="folder to write")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--seed", type=int, help="the case's seed")
    source.add_argument("--spec", type=Path, help="a spec.json to rebuild instead")
    parser.add_argument(
        "--max-agent-weeks",
        type=int,
        default=None,
        help="the size cap the test ran with (printed in its failure report)",
    )
    parser.add_argument("--run", action="store_true", help="also run the commands and judge")
    parser.add_argument("--time-limit", type=float, default=3.0, help="solve seconds (3)")
    args = parser.parse_args(argv)
    if args.spec is not None:
        spec = CaseSpec.from_json(args.spec.read_text(encoding="utf-8"))
    else:
        spec = spec_from_seed(args.seed, max_agent_weeks=args.max_agent_weeks)
    print(spec.summary())
    if not args.run:
        write_case(spec, args.directory)
        print(f"wrote {args.directory}")
        return 0
    outcome = run_case(spec, args.directory, args.time_limit)
    print(report(spec, outcome, args.max_agent_weeks))
    print("FAILED" if outcome.faults else "passed")
    return 1 if outcome.faults else 0


if __name__ == "__main__":
    sys.exit(main())
