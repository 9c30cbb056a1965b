"""An agent's run of working days and days off as a path through a small automaton: the
exact (flow) formulation of the three stretch rules together, posted beside their own
constraints to give CP-SAT's LP a tight view of them.

The rules :mod:`constraints.max_consecutive_days`, :mod:`constraints.min_consecutive_days`
and :mod:`constraints.min_consecutive_days_off` each post their own linear constraints
(sliding windows, forbidden "off, s worked, off" patterns). Those are exact on whole numbers
but weak in the LP relaxation: a plan working 0.7 of every day satisfies every pattern, so
the LP bound of a roster with minimum stretches is far below its optimum (Curtois & Qu
Instance5: 738 against the optimum 1,143). Here each day's worked flag is the sum of the
"work" arcs of a layered graph whose states are (working or off, length of the current
stretch, whether the stretch touches the first date); one unit of flow runs from the first
date to the last. Every path is a sequence allowed by the three rules and every allowed
sequence is a path, and a network flow's LP is integral, so the LP sees exactly the
sequences the rules allow (for one agent; the other rules stay as they are). Same horizon
edges as the rules: a stretch touching the first or the last date may be short; days before
the horizon (``--previous``) count towards the maximum only.

Posted only where it adds something: for a free agent whose every horizon date is in the
model (the whole model, not a few days of a neighbourhood) and whose minimum stretch or
minimum days off is above 1 (a maximum alone is already exact in the LP: its windows are an
interval matrix), in a model of at most :data:`MAX_CANDIDATES` free candidate shifts. The
flow is several times the size of the candidates; in a larger model it slows CP-SAT's own
neighbourhood search more than its bound helps (measured at 60 s, 2 workers, on a loaded
2-core machine: Curtois Instance8, 2,158 candidates, 2,944 with it against 1,723 without;
Instance9 660 against 465; while it proves Instance2 and 3 optimal in 5-10 s, which
without it were not proven in 60 s). Built once per agent however many rules ask
(:func:`add_stretch_flow`). Never in ``diagnose`` mode: redundant with the rules' own
constraints, which name the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from planner.roster.variables import Expr, Variables

State = tuple[bool, int, bool]
"""(working, length of the current stretch, the stretch touches the first date). The
length of a stretch of days off is capped at the minimum (longer ones behave the same).
Before the first date the state is ``(False, -b, True)``: ``b`` dates worked just before it."""
CACHE = "stretch_flow"
MAX_CANDIDATES = 2000
"""Largest model (free candidate shifts) the flow is posted in (module docstring)."""


class _Rules:
    """One agent's stretch limits and the automaton's step."""

    def __init__(self, most: int, least: int, least_off: int) -> None:
        self.most = most
        self.least = least
        self.least_off = least_off

    def step(self, state: State, work: bool) -> State | None:
        """The state after one more date (``None``: the rules forbid it)."""
        working, length, first = state
        if length <= 0:  # the first date; ``-length`` dates worked just before it
            run = 1 - length if work else 1
            return None if run > self.most else self._canon((work, run, True))
        if work:
            if working:
                return self._canon((True, length + 1, first)) if length < self.most else None
            if not first and length < self.least_off:
                return None  # too few days off between two working stretches
            return self._canon((True, 1, False))
        if working:
            if not first and length < self.least:
                return None  # a working stretch too short between two days off
            return self._canon((False, 1, False))
        return self._canon((False, min(length + 1, self.least_off), first))

    def _canon(self, state: State) -> State:
        """Stretches past their minimum behave the same whether or not they touch the first
        date: one state for both."""
        working, length, _ = state
        if length >= (self.least if working else self.least_off):
            return (working, length, False)
        return state


def wanted(v: Variables, agent: int) -> bool:
    """The flow is worth posting for ``agent`` (module docstring)."""
    contract = v.problem.contract
    return (
        not v.scope.diagnose
        and v.is_free_agent(agent)
        and v.days == range(v.problem.n_days)
        and len(v.free_ids) <= MAX_CANDIDATES
        and max(int(contract.min_consecutive[agent]), int(contract.min_days_off[agent])) > 1
    )


def add_stretch_flow(v: Variables, agent: int) -> None:
    """Post the flow of ``agent`` once (idempotent; nothing when not :func:`wanted`)."""
    done = v.cache.setdefault(CACHE, set())
    assert isinstance(done, set)
    if agent in done or not wanted(v, agent):
        return
    done.add(agent)
    n = v.problem.n_days
    contract = v.problem.contract
    most = int(contract.max_consecutive[agent])
    before = _worked_before(v, agent, most)
    rules = _Rules(
        most if most > 0 else n + before,
        max(1, int(contract.min_consecutive[agent])),
        max(1, int(contract.min_days_off[agent])),
    )
    start: State = (False, -before, True)
    works = [v.works(agent, d) for d in range(n)]
    layers = _alive_layers(rules, start, works)
    path = _incumbent_path(rules, start, v, agent)
    _post(v, agent, rules, layers, works, path)


def _worked_before(v: Variables, agent: int, most: int) -> int:
    """Dates in a row worked just before the horizon (``--previous``), up to the maximum."""
    count = 0
    while count < max(most, 0) and v.works(agent, -1 - count) == 1:
        count += 1
    return count


def _labels(work: Expr) -> tuple[bool, ...]:
    """The worked values a date can take (a fixed date: its own)."""
    if isinstance(work, int):
        return (bool(work),)
    return (False, True)


def _alive_layers(rules: _Rules, start: State, works: list[Expr]) -> list[set[State]]:
    """States before each date (and after the last) on some complete path."""
    layers = [{start}]
    for work in works:
        layers.append(
            {
                nxt
                for state in layers[-1]
                for label in _labels(work)
                if (nxt := rules.step(state, label)) is not None
            }
        )
    for d in range(len(works) - 1, -1, -1):
        layers[d] = {
            state
            for state in layers[d]
            if any(rules.step(state, label) in layers[d + 1] for label in _labels(works[d]))
        }
    return layers


def _incumbent_path(rules: _Rules, start: State, v: Variables, agent: int) -> list[State] | None:
    """The states the incumbent roster passes through (for the hints), ``None`` when it
    breaks a rule (an empty incumbent never does)."""
    chosen = v.incumbent.chosen
    state: State | None = start
    path = [start]
    for d in range(v.problem.n_days):
        ids = v.shifts_of(agent, d)
        assert state is not None
        state = rules.step(state, bool(chosen[ids.start : ids.stop].any()))
        if state is None:
            return None
        path.append(state)
    return path


def _post(  # noqa: PLR0917
    v: Variables,
    agent: int,
    rules: _Rules,
    layers: list[set[State]],
    works: list[Expr],
    path: list[State] | None,
) -> None:
    """One Boolean per arc; one unit leaves the start; flow in = flow out at every state;
    a date's worked flag = its work arcs."""
    model = v.model
    into: dict[State, list[cp_model.IntVar]] = {}
    for d, work in enumerate(works):
        out: dict[State, list[cp_model.IntVar]] = {}
        worked: list[cp_model.IntVar] = []
        following: dict[State, list[cp_model.IntVar]] = {}
        for state in sorted(layers[d]):
            for label in _labels(work):
                nxt = rules.step(state, label)
                if nxt not in layers[d + 1]:
                    continue
                arc = model.new_bool_var(f"stretch[{agent},{d},{int(label)},{state}]")
                if path is not None:
                    v.hint(arc, int(path[d] == state and path[d + 1] == nxt))
                out.setdefault(state, []).append(arc)
                following.setdefault(nxt, []).append(arc)
                if label:
                    worked.append(arc)
        if d == 0:
            model.add(cp_model.LinearExpr.sum([a for arcs in out.values() for a in arcs]) == 1)
        else:
            for state in layers[d]:
                model.add(
                    cp_model.LinearExpr.sum(into.get(state, []))
                    == cp_model.LinearExpr.sum(out.get(state, []))
                )
        if not isinstance(work, int):
            model.add(work == cp_model.LinearExpr.sum(worked))
        into = following
