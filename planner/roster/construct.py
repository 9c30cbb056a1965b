"""The constructive start: a roster that keeps every hard rule, within seconds.

Every hard rule is about one agent at a time (coverage, the only thing agents share, is a
soft goal). So agents are scheduled one after the other: each gets the schedule that keeps
all of their hard rules over the whole horizon and helps coverage most given the agents
already scheduled — a one-agent CP-SAT model (about a thousand candidate shifts), in which
each shift's effect on under- and over-staffing is an exact constant
(:attr:`planner.roster.variables.Variables.marginal`), so it solves in milliseconds.

Why not a day-by-day greedy: weekly minimum hours, minimum rest across days and consecutive
days across weeks make a day-by-day greedy paint itself into corners (it can fall short of an
agent's minimum at the end of a week with no repair left), while the one-agent model is exact
for that agent's rules. It also tells us, per agent, when the hard rules cannot all hold: that
agent's model is infeasible whatever the others do (the explanation starts there).

Agents with the fewest candidate shifts go first (they have the least choice), then the
others; ties by input order, so the result is deterministic for a given seed. Deferred
channels (email) are priced here against their ``staff_needed`` profile, per interval
(:func:`planner.roster.problem.profile_view`): priced through their queue, the first agents
would see all the horizon's email waiting and go where the backlog is longest, whatever the
live channels need. The search prices them through the queue.

Large teams (over :data:`THIN_ABOVE` candidate shifts): each agent is offered every other start
time (:func:`thin`), which halves the first roster's time at 300 agents; the search that
follows works with every candidate.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np

from planner.roster.model import build_model, solve_model
from planner.roster.problem import RosterProblem, profile_view
from planner.roster.variables import Incumbent, Scope

log = logging.getLogger(__name__)

AGENT_TIME_LIMIT = 2.0
"""Seconds for one agent's model (they usually need a few hundredths)."""
FEASIBILITY_TIME_LIMIT = 20.0
"""Seconds for a hard-rules-only retry when the optimising run found nothing in time."""
THIN_ABOVE = 100_000
"""Above this many candidate shifts (about 100 agents over 4 weeks) the constructive start
offers each agent every other start time only (:func:`thin`)."""


@dataclass
class ConstructResult:
    """The constructive roster (``None`` when cancelled) and the agents left unscheduled."""

    incumbent: Incumbent | None
    infeasible_agents: tuple[int, ...]
    unknown_agents: tuple[int, ...]
    seconds: float

    @property
    def complete(self) -> bool:
        """Every agent has a schedule keeping their hard rules."""
        return self.incumbent is not None and not self.infeasible_agents and not self.unknown_agents


def agent_order(problem: RosterProblem) -> list[int]:
    """Agents by number of candidate shifts (fewest first), then input order."""
    sizes = np.diff(problem.day_offsets[:, [0, -1]], axis=1).ravel()
    return sorted(range(problem.n_agents), key=lambda a: (int(sizes[a]), a))


def thin(problem: RosterProblem) -> np.ndarray | None:
    """The candidates the constructive start offers on a large team (``None``: all).

    One agent's model costs time in proportion to their candidate shifts, and a team of
    1,000 agents has a thousand of them: the first roster took 13 minutes there. Above
    :data:`THIN_ABOVE` candidates, each agent is offered the starts on every other step of
    the start grid (on the hour with 30-minute steps), plus the earliest and latest start of
    each (agent, date, paid length), which give the rest rule the most room, and every
    published shift. This is a restriction, so every roster it gives keeps every hard rule;
    an agent it leaves without a schedule is scheduled again over all their candidates
    (:func:`schedule_agent`), and the search afterwards uses every candidate. Not with
    several shifts a day or named shifts (few candidates each). Measured at 300 agents on a
    loaded machine: the constructive start 287 s -> 137 s, its roster 0.7% worse.

    Leaving fairness out of the one-agent models as well (0.64 s -> 0.25 s an agent at 300
    agents) was tried and dropped: at 1,000 agents the first roster came 19% worse (3.61
    million against 3.04), and the search had not made that up by the 10-minute mark."""
    cands = problem.cands
    config = problem.config
    if len(cands) <= THIN_ABOVE or config.rules.max_shifts_per_day > 1 or config.shift_types:
        return None
    step = max(1, config.shifts.start_step_minutes)
    keep = (cands.local_start // step) % 2 == 0
    key = (cands.agent.astype(np.int64) * problem.n_days + cands.day) * 4096 + cands.paid
    _, first = np.unique(key, return_index=True)
    _, last = np.unique(key[::-1], return_index=True)
    keep[first] = True
    keep[len(key) - 1 - last] = True
    return keep | problem.published_candidates


def schedule_agent(
    problem: RosterProblem,
    agent: int,
    incumbent: Incumbent,
    *,
    inactive: frozenset[int] = frozenset(),
    hint: np.ndarray | None = None,
    seed: int = 0,
    time_limit: float = AGENT_TIME_LIMIT,
    cancel: threading.Event | None = None,
    keep: np.ndarray | None = None,
) -> tuple[str, np.ndarray | None]:
    """The best schedule of one agent over the horizon with everyone else fixed, among the
    candidates ``keep`` (``None``: all; when they give none, over all).

    Returns (status, chosen candidate indices or ``None``); the status is ``INFEASIBLE`` when
    the agent's hard rules cannot all hold whatever the others do.
    """
    if keep is not None:
        status, chosen = _schedule(
            problem, agent, incumbent, inactive, hint, seed, time_limit, cancel, keep
        )
        if chosen is not None or (cancel is not None and cancel.is_set()):
            return status, chosen
        log.info("agent %s: no schedule among the thinned shifts, trying all", agent)
    return _schedule(problem, agent, incumbent, inactive, hint, seed, time_limit, cancel, None)


def _schedule(  # noqa: PLR0917
    problem: RosterProblem,
    agent: int,
    incumbent: Incumbent,
    inactive: frozenset[int],
    hint: np.ndarray | None,
    seed: int,
    time_limit: float,
    cancel: threading.Event | None,
    keep: np.ndarray | None,
) -> tuple[str, np.ndarray | None]:
    """:func:`schedule_agent` over the candidates ``keep``."""
    scope = Scope((agent,), range(problem.n_days), inactive=inactive, keep=keep)
    # The incumbent has nothing of this agent yet: hinting it would say "every day off", which
    # steers CP-SAT away from feasibility under a minimum of hours (Curtois Instance20: a
    # one-agent year found in 0.1 s unhinted, nothing in 22 s hinted with zeros).
    built = build_model(problem, scope, incumbent, hints=hint is not None, hint=hint)
    outcome = solve_model(built, time_limit=time_limit, workers=1, seed=seed, cancel=cancel)
    if outcome.has_solution or outcome.status == "INFEASIBLE":
        return outcome.status, outcome.chosen
    if cancel is not None and cancel.is_set():
        return outcome.status, None
    log.info("agent %s: no schedule in %.1f s, trying the hard rules alone", agent, time_limit)
    scope = Scope((agent,), range(problem.n_days), hard_only=True, keep=keep)
    built = build_model(problem, scope, incumbent, hints=hint is not None, hint=hint)
    outcome = solve_model(
        built, time_limit=FEASIBILITY_TIME_LIMIT, workers=1, seed=seed, cancel=cancel
    )
    return outcome.status, outcome.chosen


def construct(
    problem: RosterProblem,
    *,
    seed: int = 0,
    cancel: threading.Event | None = None,
    hint: np.ndarray | None = None,
    agent_time_limit: float = AGENT_TIME_LIMIT,
) -> ConstructResult:
    """Schedule every agent in turn (see the module docstring).

    ``hint`` (candidates of a previous roster) guides each agent's model; ``cancel`` stops
    between agents and gives no roster.
    """
    began = time.perf_counter()
    incumbent = Incumbent.empty(problem)
    order = agent_order(problem)
    # Deferred channels are priced against their staffing profile here (profile_view); the
    # search then prices them through their queue.
    view = profile_view(problem)
    keep = thin(problem)
    waiting = set(order)
    infeasible: list[int] = []
    unknown: list[int] = []
    for agent in order:
        if cancel is not None and cancel.is_set():
            return ConstructResult(None, (), (), time.perf_counter() - began)
        waiting.discard(agent)
        status, chosen = schedule_agent(
            view,
            agent,
            incumbent,
            inactive=frozenset(waiting),
            hint=hint,
            seed=seed,
            time_limit=agent_time_limit,
            cancel=cancel,
            keep=keep,
        )
        if chosen is not None:
            incumbent.update(problem, chosen, on=True)
        elif status == "INFEASIBLE":
            infeasible.append(agent)
        else:
            unknown.append(agent)
    seconds = time.perf_counter() - began
    log.info("constructive start: %d agents in %.2f s", len(order), seconds)
    return ConstructResult(incumbent, tuple(infeasible), tuple(unknown), seconds)
