"""Solving a Curtois & Qu instance with the product's engine (:func:`planner.roster.solve.solve`)
on the mapping of :mod:`planner.benchmarks.curtois`.

Search mode (``mode="auto"``): ``full`` on every instance, the constructive start then the
product's search (:func:`planner.roster.search.lns`): up to
:data:`planner.roster.search.WHOLE_MODEL_CANDIDATES` candidate shifts (instances 1-9) it first
runs CP-SAT on the whole model, hinted with the start, for half the time left (with the
``max_lp`` worker: its LP, with the stretch rules' flow (:mod:`planner.roster.stretches`), proves
Instance1-3 optimal in seconds), then neighbourhoods until the limit. Measured at 60 s on a
loaded 2-core machine (2026-12-03, README "Curtois & Qu benchmark"): ``full`` beat the
former choice, ``plain`` CP-SAT on the whole model up to 6,000 candidates, on 1-7 (Instance7:
1,071 against 1,377) and on 8-12 on average (36% above the best known against 67%);
``plain`` stays as a ``--mode`` for comparison.

On models small enough for the stretch flow (instances 1-7) the whole-model phase gets the
whole time, with CP-SAT's core-based worker beside ``max_lp``: measured at 60 s on a quiet
machine (2026-12-03 evening, one run each, seed 0), Instance4-7 gave 1,716, 1,150, 1,950
(proven optimal in 48 s) and 1,071 that way, against 1,719, 1,144, 2,048 and 1,071 with half
the time and ``max_lp`` alone; half the time with ``core`` gave 1,716, 1,153, 1,951, 1,086,
the whole time with ``max_lp`` alone 1,719, 1,143 (proven), 1,956, 1,069.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from planner.benchmarks.curtois import Assignment, Instance, roster_to_assignment, to_product
from planner.roster import stretches
from planner.roster.solve import SolveOptions, SolveResult, solve

Mode = Literal["auto", "full", "plain", "hinted"]


def candidate_count(instance: Instance) -> int:
    """Candidate shifts of the mapping: each employee, each day not off, each shift type
    whose cap is not 0."""
    total = 0
    for s in instance.staff:
        caps = dict(s.max_shifts)
        types = sum(1 for t in instance.shifts if caps.get(t.shift_id, 1) != 0)
        total += types * (instance.days - len(set(instance.days_off.get(s.staff_id, ()))))
    return total


def pick_mode(instance: Instance, mode: Mode) -> Literal["full", "plain", "hinted"]:
    """The search mode of ``mode`` (``auto``: ``full``, module docstring)."""
    del instance  # every size alike since the measurements of the module docstring
    return "full" if mode == "auto" else mode


@dataclass(frozen=True)
class BenchResult:
    """A solve of one instance: the engine's result and the benchmark rows of its roster."""

    result: SolveResult
    assignment: Assignment | None
    mode: str
    seconds: float

    @property
    def proven_optimal(self) -> bool:
        return self.result.status == "optimal"


def solve_instance(
    instance: Instance,
    *,
    time_limit: float,
    workers: int = 2,
    mode: Mode = "auto",
    seed: int = 0,
) -> BenchResult:
    """Solve ``instance`` within ``time_limit`` seconds (preparation included)."""
    began = time.perf_counter()
    data = to_product(instance)
    options = solve_options(instance, time_limit=time_limit, workers=workers, mode=mode, seed=seed)
    result = solve(
        data.agents,
        _no_requirements(),
        data.config,
        data.horizon,
        options,
        time_off=data.time_off,
        calendar=data.calendar,
        agent_rules=data.agent_rules,
        shift_requests=data.shift_requests,
        shift_cover=data.shift_cover,
    )
    assignment = (
        roster_to_assignment(result.roster, data.config) if result.roster is not None else None
    )
    return BenchResult(result, assignment, options.mode, time.perf_counter() - began)


def solve_options(
    instance: Instance, *, time_limit: float, workers: int, mode: Mode, seed: int
) -> SolveOptions:
    """The engine's options for ``instance``."""
    # With the stretch flow (models up to stretches.MAX_CANDIDATES: instances 1-7) the LP is
    # tight and CP-SAT on the whole model beats the neighbourhoods: it gets the whole time,
    # with the core-based worker beside max_lp (module docstring).
    tight = candidate_count(instance) <= stretches.MAX_CANDIDATES
    return SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        mode=pick_mode(instance, mode),
        lp_bound_seconds=0,  # the LP bounds are about interval coverage, empty here
        # The LP (linearization level 2) gives these models their bound: 1000 of the optimal
        # 1001 on Instance3 in a second, where CP-SAT's two-worker default_lp gave 1 in 16 s.
        subsolvers=("max_lp", "core") if tight else ("max_lp",),
        whole_model_share=1.0 if tight else 0.5,
    )


def _no_requirements() -> pd.DataFrame:
    """No interval demand: under- and over-staffing are 0 (module docstring)."""
    return pd.DataFrame(columns=["interval_start", "channel", "staff_needed"])
