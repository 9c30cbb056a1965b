"""The CP-SAT model: every rule of :mod:`constraints.registry` on one :class:`Scope`, and the
objective, summed here and nowhere else.

``build_model(problem, scope, incumbent)`` gives the model of the free part of a roster with
everything else fixed: the full model (scope = everyone, every day), a one-agent model (the
constructive start), a neighbourhood (the search) or a diagnosis model (infeasibility). The
objective equals ``sum weight x raw`` of docs/OBJECTIVE.md on the whole roster (constants
included), with breaks at their default positions. :func:`evaluate` computes the same terms
exactly on a concrete roster (breaks where they are, covered as a maximum flow), without
CP-SAT.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from constraints.registry import HARD_RULES, SOFT_RULES
from planner.roster.problem import RosterProblem
from planner.roster.variables import Expr, Incumbent, Scope, Solution, Term, Variables


@dataclass(frozen=True)
class TermValue:
    """One objective term on a roster: raw value, weight and cost (= weight x raw)."""

    name: str
    raw: int
    weight: int

    @property
    def cost(self) -> int:
        return self.raw * self.weight


@dataclass
class BuiltModel:
    """A CP-SAT model with its variables container and its named penalty terms."""

    model: cp_model.CpModel
    variables: Variables
    terms: tuple[Term, ...]


def objective(terms: tuple[Term, ...]) -> Expr:
    """The objective: ``sum weight x raw`` over the named terms (the one place it is summed)."""
    return sum((t.weight * t.expr for t in terms), start=0)


def build_model(
    problem: RosterProblem,
    scope: Scope | None = None,
    incumbent: Incumbent | None = None,
    *,
    hints: bool = True,
    hint: np.ndarray | None = None,
) -> BuiltModel:
    """Post every hard rule and (unless ``scope.hard_only``) every penalty term on a model of
    ``scope`` (default: the whole roster) with the rest fixed to ``incumbent`` (default:
    nobody works). Free candidates are hinted with ``hint`` (a worked flag per candidate) or,
    without it, with the incumbent's values."""
    if scope is None:
        scope = Scope.everything(problem)
    if incumbent is None:
        incumbent = Incumbent.empty(problem)
    model = cp_model.CpModel()
    variables = Variables(model, problem, scope, incumbent)
    for rule in HARD_RULES:
        rule.add(variables)
    terms: tuple[Term, ...] = ()
    if not scope.hard_only:
        terms = tuple(rule.penalty(variables) for rule in SOFT_RULES)
        model.minimize(objective(terms))
    if hints:
        variables.add_hints(hint)
    return BuiltModel(model, variables, terms)


def evaluate(problem: RosterProblem, solution: Solution) -> dict[str, TermValue]:
    """Every term's exact raw value on a concrete roster, by name, in registry order."""
    weights = problem.config.weights
    return {
        rule.name: TermValue(rule.name, rule.value(solution), int(getattr(weights, rule.name)))
        for rule in SOFT_RULES
    }


def total(terms: dict[str, TermValue]) -> int:
    """``sum weight x raw``."""
    return sum(t.cost for t in terms.values())


def evaluate_incumbent(problem: RosterProblem, incumbent: Incumbent) -> dict[str, TermValue]:
    """Terms of the incumbent with breaks at their default positions (the model's view)."""
    return evaluate(problem, Solution.of(problem, incumbent))


@dataclass(frozen=True)
class Outcome:
    """What one CP-SAT run gave: status name, worked free candidates (``None`` without a
    solution), objective and best bound of the model, wall seconds."""

    status: str
    chosen: np.ndarray | None
    objective: float | None
    bound: float | None
    wall_seconds: float

    @property
    def has_solution(self) -> bool:
        return self.chosen is not None


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution (runs on a solver thread: it only calls ``report``)."""

    def __init__(self, report: Callable[[float, float, float], None]) -> None:
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(self.wall_time, self.objective_value, self.best_objective_bound)


def solve_model(
    built: BuiltModel,
    *,
    time_limit: float,
    workers: int = 1,
    seed: int = 0,
    relative_gap: float = 0.0,
    cancel: threading.Event | None = None,
    on_solution: Callable[[float, float, float], None] | None = None,
    subsolvers: tuple[str, ...] = (),
) -> Outcome:
    """Run CP-SAT on ``built`` for at most ``time_limit`` seconds (stopped early when
    ``cancel`` is set) and read the worked free candidates. ``subsolvers`` replaces CP-SAT's
    full-problem subsolvers when more than one worker runs (e.g. ``("max_lp",)``: with two
    workers CP-SAT's own choice is ``default_lp``, which does not use
    ``linearization_level`` 2)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, time_limit)
    params.num_workers = max(1, workers)
    params.random_seed = seed
    # The roster LP is tight (often integral); level 2 puts every linear constraint in
    # CP-SAT's LP even with one or two workers, which proves small models optimal quickly.
    params.linearization_level = 2
    # Ctrl-C belongs to the caller (it sets ``cancel``); CP-SAT's own SIGINT handler would
    # abort the process when it fires between solves.
    params.catch_sigint_signal = False
    if relative_gap > 0:
        params.relative_gap_limit = relative_gap
    if subsolvers and params.num_workers > 1:
        params.subsolvers.extend(subsolvers)
    stop = threading.Event()
    watcher = None
    if cancel is not None:
        if cancel.is_set():
            return Outcome("UNKNOWN", None, None, None, 0.0)

        def watch() -> None:
            while not stop.wait(0.05):
                if cancel.is_set():
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    began = time.perf_counter()
    try:
        callback = _Progress(on_solution) if on_solution is not None else None
        status = solver.solve(built.model, callback)
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
    wall = time.perf_counter() - began
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        response = solver.response_proto
        chosen = built.variables.values(response.solution)
        has_objective = bool(built.terms)
        return Outcome(
            name,
            chosen,
            solver.objective_value if has_objective else None,
            solver.best_objective_bound if has_objective else None,
            wall,
        )
    return Outcome(name, None, None, None, wall)
