"""The company holiday calendar: which local dates are holidays, and which.

No approved state makes a private employer grant holidays, so the calendar is a
company policy (``[holidays]`` in config): by default US federal days from the
``holidays`` package; optionally each agent's state days instead, plus extra company
dates and minus removed ones.

A holiday counts on one date. The package lists a holiday that falls on a weekend twice,
on its own date and on the weekday it is observed on (4 July 2026, a Saturday, and
"Independence Day (observed)" on Friday 3 July); ``holidays.observed`` keeps one of the two:
``"actual"`` the holiday's own date, ``"observed"`` the observed weekday. A holiday the
package lists only on an observed date (Georgia's "Washington's Birthday", moved to
December) keeps that date in both modes: it has no other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
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
        days = one_date_per_holiday(
            self.policy.country,
            subdiv,
            self.policy.categories,
            self.years,
            observed=self.policy.observed == "observed",
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

    def days(self, state: str | None = None) -> dict[date, str]:
        """Every holiday in force (for ``state`` when the policy uses states), by date."""
        subdiv = state if self.policy.use_agent_state else None
        return dict(sorted(self._table(subdiv).items()))

    def company_days(self) -> dict[date, str]:
        """Every holiday of the company calendar (no state days), sorted by date."""
        return dict(sorted(self._table(None).items()))


OBSERVED_WITHIN_DAYS = 7
"""An observed date lies this close to its holiday (Friday before, Monday after, or the
Monday after a Sunday holiday whose Monday is taken)."""


def one_date_per_holiday(
    country: str,
    subdiv: str | None,
    categories: Collection[str],
    years: Collection[int],
    *,
    observed: bool,
) -> dict[date, str]:
    """The holidays of ``years`` with each holiday on one date: its observed date when
    ``observed``, else its own date (names joined by ``"; "`` when two share a date).

    The package is asked for a year either side, so that a holiday observed across a
    new year (New Year's Day 2028, a Saturday, observed on Friday 31 December 2027) is
    paired with its own date; only dates in ``years`` are returned.
    """
    wide = sorted({y + d for y in years for d in (-1, 0, 1)})
    listed = holidays_lib.country_holidays(
        country, subdiv=subdiv, years=wide, categories=tuple(categories)
    )
    own = holidays_lib.country_holidays(
        country, subdiv=subdiv, years=wide, categories=tuple(categories), observed=False
    )
    pairs = _observed_pairs(listed, own)
    # "observed": the holiday's own date goes; "actual": its observed copy goes.
    drop = set(pairs) if observed else set(pairs.values())
    kept: dict[date, list[str]] = {}
    for day in sorted(listed):
        names = [n for n in listed.get_list(day) if (day, n) not in drop]
        if names and day.year in years:
            kept[day] = names
    return {day: "; ".join(names) for day, names in kept.items()}


def _observed_pairs(
    listed: holidays_lib.HolidayBase, own: holidays_lib.HolidayBase
) -> dict[tuple[date, str], tuple[date, str]]:
    """(own date, name) -> (observed date, observed name) for every holiday the package
    also lists on an observed date."""
    label = getattr(listed, "observed_label", "%s (observed)")
    pairs: dict[tuple[date, str], tuple[date, str]] = {}
    for day in own:
        for name in own.get_list(day):
            moved_name = label % name
            for shift in range(-OBSERVED_WITHIN_DAYS, OBSERVED_WITHIN_DAYS + 1):
                moved = date.fromordinal(day.toordinal() + shift)
                if shift and moved_name in listed.get_list(moved):
                    pairs[(day, name)] = (moved, moved_name)
    return pairs
