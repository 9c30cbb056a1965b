"""The company holiday calendar: which local dates are holidays, and which.

No approved state makes a private employer grant holidays, so the calendar is a
company policy (``[holidays]`` in config): by default US federal observed days
from the ``holidays`` package; optionally each agent's state days instead, plus
extra company dates and minus removed ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays as holidays_lib

from planner.domain import Agent, HolidayPolicy


class HolidayCalendar:
    """Answers "is this local date a holiday (for this agent), and which one"."""

    def __init__(self, policy: HolidayPolicy, years: Iterable[int]) -> None:
        self.policy = policy
        self.years = tuple(sorted(set(years)))
        self._extra = dict.fromkeys(policy.extra_dates, "Company holiday")
        self._removed = set(policy.removed_dates)

    @lru_cache(maxsize=32)  # noqa: B019 - one calendar per subdivision, few instances
    def _table(self, subdiv: str | None) -> dict[date, str]:
        days = holidays_lib.country_holidays(
            self.policy.country,
            subdiv=subdiv,
            years=self.years,
            categories=self.policy.categories,
        )
        table = {d: name for d, name in days.items() if d not in self._removed}
        table.update(self._extra)
        return table

    def name(self, day: date, state: str | None = None) -> str | None:
        """The holiday's name on ``day`` (for ``state`` when the policy uses states)."""
        subdiv = state if self.policy.use_agent_state else None
        return self._table(subdiv).get(day)

    def is_holiday(self, day: date, state: str | None = None) -> bool:
        return self.name(day, state) is not None

    def for_agent(self, agent: Agent, day: date) -> str | None:
        """The holiday in force for ``agent`` on their local date ``day``, if any."""
        return self.name(day, agent.state)

    def company_days(self) -> dict[date, str]:
        """Every holiday of the company calendar (no state days), sorted by date."""
        return dict(sorted(self._table(None).items()))
