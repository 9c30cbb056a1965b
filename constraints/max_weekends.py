"""Maximum weekends worked: in any ``rules.weekend_window_weeks`` weekends in a row an agent
works at most ``rules.max_weekends`` of them (``agent_rules.csv`` ``max_weekends`` for that
agent when given). A weekend (a Saturday and the Sunday after, local dates) counts as worked
when the agent has a shift on either day.

In a manager's words: "nobody works more than two weekends in four"; with
``weekend_window_weeks = 0`` the window is the whole horizon ("at most one weekend this
fortnight").

Config keys: ``rules.max_weekends`` (absent: off), ``rules.weekend_window_weeks``;
``agent_rules.csv`` ``max_weekends``.
Penalty: none (hard rule).
Model: a weekend flag ``y >= works`` of each of its days (only ``<=`` constraints read it, so
it is 1 exactly when needed), and ``sum y <= max`` over each window of weekends.

Checker twin: :func:`planner.verify.contract_rules.check_max_weekends`.
Test: ``tests/constraints/test_max_weekends.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.roster.variables import Expr, Variables

NAME = "max_weekends"


def add(v: Variables) -> None:
    """``sum weekend flags <= max`` over each window holding a free date."""
    limits = v.problem.contract
    weekends = limits.weekends
    size = limits.weekend_window
    for agent in v.agents:
        cap = int(limits.max_weekends[agent])
        if cap < 0 or len(weekends) <= cap:
            continue
        flags = [_flag(v, agent, i, days) for i, days in enumerate(weekends)]
        for first in range(max(1, len(weekends) - size + 1)):
            window = flags[first : first + size]
            total = sum(window, start=0)
            if not isinstance(total, int):
                v.add_hard(NAME, agent, total <= cap)


def _flag(v: Variables, agent: int, index: int, days: tuple[int, ...]) -> Expr:
    """1 when the agent works on the weekend (a constant when none of its days is free)."""
    worked = [v.works(agent, d) for d in days]
    if all(isinstance(w, int) for w in worked):
        return int(any(worked))
    if len(worked) == 1:
        return worked[0]
    flag = v.model.new_bool_var(f"weekend[{agent},{index}]")
    v.hint(flag, int(any(bool(v.incumbent.chosen[v.shifts_of(agent, d)].any()) for d in days)))
    for w in worked:
        v.add_hard(NAME, agent, flag >= w)
    return flag
