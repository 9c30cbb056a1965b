"""Generated data sets through the whole command line: validate, staff, solve, check.

Each case is a data folder drawn from a seed (:mod:`tests.generated`): 5 to 120 agents over
1 to 3 weeks starting on any weekday, horizons over both DST changes and holiday weeks,
15/30/60-minute intervals, coverage from a narrow evening to 24/7, demand from nothing to
some in every interval, 1 to 3 channels, any skill mix, mostly-Washington teams, dense time
off. Valid data must validate and staff; ``solve`` (3 s, one worker) must either write a
roster that ``check`` accepts or exit 1 saying why none exists; nothing may print a
traceback or an unexpected exception.

``PLANNER_FUZZ_CASES`` sets the number of cases (40 by default; ``make fuzz`` runs 500) and
``PLANNER_FUZZ_MAX_AGENT_WEEKS`` caps agents x weeks (120 by default, so the larger teams
get one week and the run stays within a few minutes). A failure prints the case, its folder
and the command that rebuilds it: ``python -m tests.generated DIR --seed S --run``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.generated.run import report, run_case, run_cli
from tests.generated.spec import CaseSpec, spec_from_seed
from tests.generated.strategies import case_specs
from tests.generated.writer import write_case

CASES = int(os.environ.get("PLANNER_FUZZ_CASES", "40"))
MAX_AGENT_WEEKS = int(os.environ.get("PLANNER_FUZZ_MAX_AGENT_WEEKS", "120"))
TIME_LIMIT = 3.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(CASES), ids=lambda seed: f"seed{seed}")
def test_generated_case_solves_or_explains(seed: int, tmp_path: Path) -> None:
    spec = spec_from_seed(seed, max_agent_weeks=MAX_AGENT_WEEKS)
    outcome = run_case(spec, tmp_path / f"case{seed}", TIME_LIMIT)
    assert not outcome.faults, report(spec, outcome, MAX_AGENT_WEEKS)


@settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case_specs(max_agent_weeks=MAX_AGENT_WEEKS))
def test_generated_data_sets_validate_and_staff(spec: CaseSpec) -> None:
    """The generator's own precondition, shrinkable: every spec it draws is valid data."""
    with tempfile.TemporaryDirectory() as folder:
        directory = write_case(spec, Path(folder))
        validated = run_cli(["validate", str(directory)])
        assert validated.status == 0, f"{spec.to_json()}\n{validated.describe()}"
        staffed = run_cli(
            [
                "staff",
                "--forecast",
                str(directory / "forecast.csv"),
                "--config",
                str(directory / "config.toml"),
                "--out",
                str(directory / "requirements.csv"),
            ]
        )
        assert staffed.status == 0, f"{spec.to_json()}\n{staffed.describe()}"
