"""The variables container: creates and names every CP-SAT variable and answers queries.

Constraint modules never index raw dicts; they ask this container: ``x(j)`` (is candidate
``j`` worked), ``works(agent, day)``, ``paid_minutes(agent, week)``,
``workweek_paid(agent, week)``, ``kind_count(agent, kind)``, ``presence(t, group)``,
``covered(t, channel)``. Each answer is a linear expression: a variable for what the model
decides, a constant for what it does not.

A model covers a :class:`Scope`: some *free* agents over some days. Everything else is fixed
to the :class:`Incumbent` roster and enters the model as constants, which is how the
constructive start (one agent at a time) and the large-neighbourhood search (a few agents or a
few days at a time) reuse the same rule modules as the full model (scope = everyone, all days).
Hard rules are only posted where they involve a free candidate.

The model stays linear (bool and integer variables, linear constraints, linear objective), so
its proto can be relaxed to an LP (:mod:`planner.roster.lp_bound`). The one exception is the
``diagnose`` mode, used only to explain infeasibility: each hard constraint is then enforced by
a per-(rule, agent) literal that CP-SAT can assume.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from ortools.sat.python import cp_model

from planner.roster.problem import KINDS, RosterProblem

Expr = cp_model.LinearExpr | int
"""A linear expression or a constant (what every query answers)."""
BoundedExpr = cp_model.BoundedLinearExpression


# --------------------------------------------------------------------------- roster state


@dataclass
class Incumbent:
    """A roster as chosen candidates, with its coverage bookkeeping kept up to date.

    ``group_presence[t, g]`` is the minutes present (default breaks) of skill group ``g`` in
    interval ``t``, summed over the chosen candidates.
    """

    chosen: np.ndarray
    group_presence: np.ndarray

    @classmethod
    def empty(cls, problem: RosterProblem) -> Incumbent:
        n_groups = problem.group_mask.shape[0]
        return cls(
            np.zeros(len(problem.cands), dtype=bool),
            np.zeros((problem.grid.n_intervals, n_groups), dtype=np.int64),
        )

    @classmethod
    def from_chosen(cls, problem: RosterProblem, chosen: np.ndarray) -> Incumbent:
        result = cls.empty(problem)
        result.update(problem, np.flatnonzero(chosen), on=True)
        return result

    def copy(self) -> Incumbent:
        return Incumbent(self.chosen.copy(), self.group_presence.copy())

    def update(self, problem: RosterProblem, ids: Sequence[int] | np.ndarray, *, on: bool) -> None:
        """Choose (``on``) or drop the candidates ``ids`` (incremental coverage update)."""
        ids = np.asarray(ids, dtype=np.int64)
        ids = ids[self.chosen[ids] != on]
        if not len(ids):
            return
        self.chosen[ids] = on
        sign = 1 if on else -1
        rows = problem.cands.presence[ids].tocoo()
        groups = problem.cand_group[ids][rows.row]
        np.add.at(self.group_presence, (rows.col, groups), sign * rows.data.astype(np.int64))

    def replace(self, problem: RosterProblem, drop: np.ndarray, add: np.ndarray) -> None:
        """Drop the chosen candidates among ``drop`` and choose ``add``."""
        self.update(problem, drop, on=False)
        self.update(problem, add, on=True)


@dataclass(frozen=True)
class Solution:
    """A concrete roster for exact evaluation: chosen candidates and the presence per
    (interval, skill group) with its breaks where they really are."""

    problem: RosterProblem
    chosen: np.ndarray
    group_presence: np.ndarray

    @classmethod
    def of(cls, problem: RosterProblem, incumbent: Incumbent) -> Solution:
        """The incumbent with its breaks at their default positions."""
        return cls(problem, incumbent.chosen, incumbent.group_presence)


# --------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """What a model decides: ``agents`` over ``days`` (horizon day indices).

    ``inactive`` agents are left out of rules that compare agents (fairness): the constructive
    start uses it for agents not scheduled yet. ``diagnose`` enforces every hard constraint
    by a per-(rule, agent) literal for infeasibility explanations (not linear: never used for
    solving). ``hard_only`` leaves the objective out. ``aggregate`` names the per-day worked
    flag, the weekly paid minutes and the per-agent kind counts as variables of their own,
    each defined by one equality, instead of repeating their sums of candidates in every
    constraint that uses them: the same relaxation with a quarter fewer coefficients (80
    agents, 4 weeks), which is what the bounds (:mod:`planner.roster.bounds`) are solved on.
    """

    agents: tuple[int, ...]
    days: range
    inactive: frozenset[int] = frozenset()
    diagnose: bool = False
    hard_only: bool = False
    aggregate: bool = False
    keep: np.ndarray | None = field(default=None, compare=False)
    """The candidates a free agent may take (a mask over all candidates; ``None``: all);
    the others of a free agent are fixed to the incumbent, like a fixed agent's. The
    constructive start's thinned choice on large teams (:func:`planner.roster.construct.thin`)."""

    @classmethod
    def everything(cls, problem: RosterProblem, **kwargs: bool) -> Scope:
        return cls(tuple(range(problem.n_agents)), range(problem.n_days), **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Term:
    """A named soft penalty: ``weight x expr`` where ``expr`` is the raw value (OBJECTIVE.md)."""

    name: str
    expr: Expr
    weight: int


@dataclass
class _Coverage:
    """Coverage variables of one model: the decided intervals, presence per (interval, skill
    group) where free candidates add to it, covered staff-minutes per (interval, live
    channel) with need, served minutes per (interval, deferred column), the fixed roster's
    presence, and which intervals are decided."""

    intervals: np.ndarray
    presence_vars: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    covered_vars: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    served_vars: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    fixed: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    in_scope: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


class Variables:
    """Every CP-SAT variable of one model, and the queries the rule modules use."""

    def __init__(
        self,
        model: cp_model.CpModel,
        problem: RosterProblem,
        scope: Scope,
        incumbent: Incumbent,
    ) -> None:
        self.model = model
        self.problem = problem
        self.scope = scope
        self.incumbent = incumbent
        self._free_agents = frozenset(scope.agents)
        ids = [
            np.arange(
                problem.day_offsets[a, scope.days.start], problem.day_offsets[a, scope.days.stop]
            )
            for a in scope.agents
            if len(scope.days)
        ]
        self.free_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        if scope.keep is not None:
            self.free_ids = self.free_ids[scope.keep[self.free_ids]]
        self.free_mask = np.zeros(len(problem.cands), dtype=bool)
        self.free_mask[self.free_ids] = True
        self._x: dict[int, cp_model.IntVar] = {}
        for j in self.free_ids.tolist():
            self._x[j] = model.new_bool_var(f"x[{j}]")
        self._works: dict[tuple[int, int], Expr] = {}
        self._named_vars: dict[str, cp_model.IntVar] = {}
        self._assumptions: dict[tuple[str, int], cp_model.IntVar] = {}
        self._coverage: _Coverage | None = None
        self.cache: dict[str, object] = {}
        self._aux_hints: list[tuple[cp_model.IntVar, int]] = []

    # ------------------------------------------------------------------ scope queries

    @property
    def agents(self) -> tuple[int, ...]:
        """The free agents."""
        return self.scope.agents

    @property
    def days(self) -> range:
        """The free days."""
        return self.scope.days

    def is_free_agent(self, agent: int) -> bool:
        return agent in self._free_agents

    def is_active(self, agent: int) -> bool:
        return agent not in self.scope.inactive

    def is_free_day(self, agent: int, day: int) -> bool:
        return agent in self._free_agents and day in self.scope.days

    def weeks(self) -> range:
        """Weeks holding at least one free day."""
        if not len(self.scope.days):
            return range(0)
        return range(self.scope.days.start // 7, (self.scope.days.stop - 1) // 7 + 1)

    # ------------------------------------------------------------------ shift variables

    def x(self, j: int) -> Expr:
        """Candidate ``j`` is worked: its variable, or the incumbent's 0/1 when fixed."""
        var = self._x.get(j)
        if var is not None:
            return var
        return int(self.incumbent.chosen[j])

    def var(self, j: int) -> cp_model.IntVar:
        """The variable of free candidate ``j``."""
        return self._x[j]

    def free_vars(self) -> dict[int, cp_model.IntVar]:
        """Free candidate index -> variable."""
        return self._x

    def shifts_of(self, agent: int, day: int) -> range:
        """Candidate indices of ``agent`` on horizon day ``day``."""
        return self.problem.candidates_of(agent, day)

    def sum_x(
        self, ids: Iterable[int] | np.ndarray, coefs: Sequence[int] | np.ndarray | None = None
    ) -> Expr:
        """``sum coef_j x_j`` with fixed candidates folded into the constant."""
        idx = np.fromiter(ids, dtype=np.int64) if not isinstance(ids, np.ndarray) else ids
        if self.free_mask[idx].all():  # the common case: no constants to fold
            variables = [self._x[j] for j in idx.tolist()]
            if not variables:
                return 0
            if coefs is None:
                return cp_model.LinearExpr.sum(variables)
            return cp_model.LinearExpr.weighted_sum(variables, np.asarray(coefs).tolist())
        weights = (
            np.ones(len(idx), dtype=np.int64) if coefs is None else np.asarray(coefs, np.int64)
        )
        free = self.free_mask[idx]
        fixed = ~free
        constant = int(weights[fixed][self.incumbent.chosen[idx[fixed]]].sum())
        keep = free & (weights != 0)
        if not keep.any():
            return constant
        variables = [self._x[j] for j in idx[keep].tolist()]
        w = weights[keep]
        if (w == 1).all():
            expr = cp_model.LinearExpr.sum(variables)
        else:
            expr = cp_model.LinearExpr.weighted_sum(variables, w.tolist())
        return expr + constant if constant else expr

    def works(self, agent: int, day: int) -> Expr:
        """1 when ``agent`` works on ``day`` (negative days: the ``--previous`` roster)."""
        if day < 0:
            return int(any(s.day == day for s in self.problem.history[agent]))
        if day >= self.problem.n_days:
            return 0
        key = (agent, day)
        cached = self._works.get(key)
        if cached is not None:
            return cached
        ids = self.shifts_of(agent, day)
        if not self.is_free_day(agent, day) or not len(ids):
            value: Expr = int(self.incumbent.chosen[ids.start : ids.stop].any())
        elif self.problem.config.rules.max_shifts_per_day <= 1:
            value = self._named(
                f"works[{agent},{day}]", self.sum_x(np.arange(ids.start, ids.stop)), len(ids)
            )
        else:
            # Several shifts a day: a day indicator, linear: w >= x_j, w <= sum x_j.
            w = self.model.new_bool_var(f"works[{agent},{day}]")
            self.hint(w, int(self.incumbent.chosen[ids.start : ids.stop].any()))
            for j in ids:
                self.model.add(w >= self._x[j])
            self.model.add(w <= cp_model.LinearExpr.sum([self._x[j] for j in ids]))
            value = w
        self._works[key] = value
        return value

    def paid_minutes(self, agent: int, week: int) -> Expr:
        """Paid minutes of ``agent`` in horizon week ``week``."""
        days = range(week * 7, min(week * 7 + 7, self.problem.n_days))
        lo = int(self.problem.day_offsets[agent, days.start])
        hi = int(self.problem.day_offsets[agent, days.stop])
        coefs = self.problem.cands.paid[lo:hi]
        paid = self.sum_x(np.arange(lo, hi), coefs)
        return self._named(f"paid[{agent},{week}]", paid, int(coefs.sum()))

    def workweek_paid(self, agent: int, week: int) -> Expr:
        """Paid minutes of ``agent``'s roster shifts in FLSA workweek ``week``
        (:class:`planner.roster.problem.Workweeks`; the previous roster's are not in it)."""
        problem = self.problem
        ids, minutes = problem.workweeks.parts(
            problem.candidates_of_agent(agent), problem.cands.paid, week
        )
        paid = self.sum_x(ids, minutes)
        return self._named(f"workweek_paid[{agent},{week}]", paid, int(minutes.sum()))

    def free_workweeks(self, agent: int) -> list[int]:
        """The FLSA workweeks in which a free candidate of ``agent`` is paid."""
        ids = self.problem.candidates_of_agent(agent)
        free = np.arange(ids.start, ids.stop)[self.free_mask[ids.start : ids.stop]]
        workweeks = self.problem.workweeks
        index = workweeks.index[free]
        tail = index[self.problem.cands.paid[free] > workweeks.first[free]] + 1
        return sorted(set(index.tolist()) | set(tail.tolist()))

    def kind_count(self, agent: int, kind: str) -> Expr:
        """Shifts of ``kind`` (weekend, evening, holiday) of ``agent`` in the horizon."""
        ids = self.problem.candidates_of_agent(agent)
        flags = self.problem.cands.kinds[ids.start : ids.stop, KINDS.index(kind)]
        count = self.sum_x(np.arange(ids.start, ids.stop), flags.astype(np.int64))
        return self._named(f"count[{agent},{kind}]", count, int(flags.sum()))

    def _named(self, name: str, expr: Expr, upper: int) -> Expr:
        """``expr`` (a sum of candidates with non-negative weights summing to ``upper``)
        itself, or with ``scope.aggregate`` a variable defined equal to it (cached by
        ``name``, so each sum is written once however many constraints use it)."""
        if not self.scope.aggregate or isinstance(expr, int):
            return expr
        cached = self._named_vars.get(name)
        if cached is None:
            cached = self.model.new_int_var(0, upper, name)
            self.model.add(cached == expr)
            self._named_vars[name] = cached
        return cached

    # ------------------------------------------------------------------ hard constraints

    def add_hard(
        self, rule: str, agent: int | None, constraint: BoundedExpr | bool | np.bool_
    ) -> None:
        """Post a hard constraint of ``rule`` about ``agent`` (in ``diagnose`` mode, enforced
        by the (rule, agent) literal so CP-SAT can name it in an explanation)."""
        if isinstance(constraint, bool | np.bool_):
            if constraint:
                return
            # Trivially violated: a constant that cannot be 1.
            constraint = cast(BoundedExpr, self.model.new_constant(0) >= 1)
        ct = self.model.add(constraint)
        if self.scope.diagnose:
            ct.only_enforce_if(self.assumption(rule, agent if agent is not None else -1))

    def assumption(self, rule: str, agent: int) -> cp_model.IntVar:
        key = (rule, agent)
        lit = self._assumptions.get(key)
        if lit is None:
            lit = self.model.new_bool_var(f"rule[{rule},{agent}]")
            self._assumptions[key] = lit
        return lit

    def assumptions(self) -> dict[tuple[str, int], cp_model.IntVar]:
        return self._assumptions

    # ------------------------------------------------------------------ coverage

    @property
    def marginal(self) -> bool:
        """Coverage is priced per candidate instead of modelled per interval.

        Exact when one agent is free and two of their shifts never share an interval (the
        rest between shifts is at least an interval): each chosen shift then adds its own
        presence to intervals nobody else in the model touches, so its effect on the
        coverage terms is a constant computed beforehand (:mod:`constraints.under_staffing`).
        """
        if self.scope.hard_only or self.scope.diagnose or len(self.scope.agents) != 1:
            return False
        if len(self.problem.grid.deferred.channels) > 1:
            return False  # a later deferred channel's leftover depends on an earlier's queue
        rest = round(self.problem.config.rules.min_rest_hours * 60)
        return rest >= self.problem.grid.interval_minutes

    def fixed_presence(self) -> np.ndarray:
        """(intervals x groups) presence of the fixed part of the roster."""
        cached = self.cache.get("fixed_presence")
        if cached is not None:
            return cached  # type: ignore[return-value]
        fixed = self.incumbent.group_presence.copy()
        chosen_free = self.free_ids[self.incumbent.chosen[self.free_ids]]
        if len(chosen_free):
            sub = self.problem.cands.presence[chosen_free].tocoo()
            groups = self.problem.cand_group[chosen_free[sub.row]]
            np.add.at(fixed, (sub.col, groups), -sub.data.astype(np.int64))
        self.cache["fixed_presence"] = fixed
        return fixed

    def coverage(self) -> _Coverage:
        """Presence and coverage variables for the intervals free candidates touch."""
        if self._coverage is not None:
            return self._coverage
        problem = self.problem
        grid = problem.grid
        sub = problem.cands.presence[self.free_ids].tocoo()
        intervals = np.unique(sub.col) if sub.nnz else np.zeros(0, dtype=np.int64)
        fixed = self.fixed_presence()
        cov = _Coverage(intervals=intervals, fixed=fixed)
        cov.in_scope = np.zeros(grid.n_intervals, dtype=bool)
        cov.in_scope[intervals] = True
        free_upper = np.zeros_like(fixed)
        if sub.nnz:
            groups = problem.cand_group[self.free_ids[sub.row]]
            order = np.lexsort((groups, sub.col))
            col, grp = sub.col[order], groups[order]
            row, data = sub.row[order], sub.data[order]
            cut = np.flatnonzero((np.diff(col) != 0) | (np.diff(grp) != 0)) + 1
            starts = np.concatenate([[0], cut])
            stops = np.concatenate([cut, [len(col)]])
            for s, e in zip(starts.tolist(), stops.tolist(), strict=True):
                t, g = int(col[s]), int(grp[s])
                variables = [self._x[int(self.free_ids[r])] for r in row[s:e].tolist()]
                weights = data[s:e].tolist()
                free_upper[t, g] = int(sum(weights))
                var = self.model.new_int_var(0, int(free_upper[t, g]), f"presence[{t},{g}]")
                self.hint(var, int(self.incumbent.group_presence[t, g] - fixed[t, g]))
                self.model.add(var == cp_model.LinearExpr.weighted_sum(variables, weights))
                cov.presence_vars[(t, g)] = var
        need = grid.live_need
        deferred = grid.deferred.channels
        for t in intervals.tolist():
            for c in range(len(grid.channels)):
                if need[t, c] > 0:
                    cov.covered_vars[(t, c)] = self.model.new_int_var(
                        0, int(need[t, c]), f"covered[{t},{grid.channels[c]}]"
                    )
            for k, c in enumerate(deferred):
                # Deferred channels take what they can use: bounded by the skills rule's
                # Hall constraints (their need is unbounded) and by the queue.
                skilled = problem.group_mask[:, c]
                upper = int(fixed[t, skilled].sum() + free_upper[t, skilled].sum())
                if upper > 0:
                    cov.served_vars[(t, k)] = self.model.new_int_var(
                        0, upper, f"served[{t},{grid.channels[c]}]"
                    )
        self._coverage = cov
        return cov

    def served_var(self, t: int, column: int, upper: int) -> cp_model.IntVar:
        """A new variable for the minutes deferred column ``column`` serves in interval ``t``
        outside the decided intervals (see :func:`planner.roster.coverage.deferred_queue`)."""
        channel = self.problem.grid.channels[self.problem.grid.deferred.channels[column]]
        return self.model.new_int_var(0, upper, f"served[{t},{channel}]")

    def coverage_intervals(self) -> np.ndarray:
        """Intervals whose coverage the model decides (the others are constants)."""
        return self.coverage().intervals

    def presence(self, t: int, group: int) -> Expr:
        """Minutes present in interval ``t`` of agents of skill group ``group``."""
        cov = self.coverage()
        var = cov.presence_vars.get((t, group))
        base = int(cov.fixed[t, group])
        return base if var is None else var + base

    def presence_is_free(self, t: int, group: int) -> bool:
        return (t, group) in self.coverage().presence_vars

    def covered(self, t: int, channel: int) -> Expr:
        """Staff-minutes allocated to ``channel`` in interval ``t`` (a decided interval)."""
        var = self.coverage().covered_vars.get((t, channel))
        return 0 if var is None else var

    def hint(self, var: cp_model.IntVar, value: int) -> None:
        """The incumbent's value of an auxiliary variable (written by :meth:`add_hints`)."""
        self._aux_hints.append((var, int(value)))

    def add_hints(self, hint: np.ndarray | None = None) -> None:
        """Hint every free candidate with ``hint`` (a flag per candidate) or, by default,
        the whole incumbent: candidates and every auxiliary variable, so CP-SAT starts from
        a complete solution."""
        if not self._x:
            return
        chosen = self.incumbent.chosen if hint is None else hint
        ids = np.fromiter(self._x.keys(), dtype=np.int64, count=len(self._x))
        hints = self.model.proto.solution_hint
        hints.vars.extend(v.index for v in self._x.values())
        hints.values.extend(chosen[ids].astype(np.int64).tolist())
        if hint is None and self._aux_hints:
            hints.vars.extend(var.index for var, _ in self._aux_hints)
            hints.values.extend(value for _, value in self._aux_hints)

    def values(self, solution: Sequence[int] | np.ndarray) -> np.ndarray:
        """The free candidates worked in a CP-SAT solution (``response.solution`` values
        indexed by variable index)."""
        if not self._x:
            return np.zeros(0, dtype=np.int64)
        ids = np.fromiter(self._x.keys(), dtype=np.int64, count=len(self._x))
        index = np.fromiter((v.index for v in self._x.values()), dtype=np.int64, count=len(ids))
        values = np.asarray(solution, dtype=np.int64)[index]
        return ids[values > 0]
