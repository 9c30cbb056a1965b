"""What the dashboard shows of a run, computed from what the store holds: the forecast with its
backtest, the review of a roster (coverage per interval, service levels, fairness, the
objective term by term), a scenario comparison, and an agent's own schedule.

Pure functions of a data set, a run's stored frames and report, and rows; the access checks
are the service layer's (:mod:`planner.store.service`), which calls these after them. Data sets
are immutable once stored, so their parsed form is cached by (database, id).
"""

from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from planner.data.io import DataSet
from planner.demand.forecast import backtest
from planner.domain import Agent, Break, Horizon, Roster, Shift
from planner.pipeline import calendar_for
from planner.verify.kpi import interval_table

CACHED_DATASETS = 8
"""Parsed data sets kept in memory (each is the team's files, history included)."""

CACHED_REVIEWS = 16
"""Interval tables of finished runs kept in memory (one per run reviewed recently)."""

HISTORY_WEEKS_SHOWN = 12
"""Weeks of history drawn before the forecast."""

BACKTEST_WEEKS = 2


class _Lru:
    """A small thread-safe least-recently-used cache (Streamlit serves sessions on threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_DATASETS = _Lru(CACHED_DATASETS)
_BACKTESTS = _Lru(CACHED_DATASETS)
_REVIEWS = _Lru(CACHED_REVIEWS)


def cached_dataset(key: tuple[str, int], load: Callable[[], DataSet]) -> DataSet:
    """The parsed data set ``key`` = (database URL, data set id), loaded once."""
    result: DataSet = _DATASETS.get(key, load)
    return result


def cached_review(key: tuple[str, int], make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The interval table of finished run ``key`` = (database URL, run id), made once. The
    caller has checked the reader's access to the run: the cache never decides who sees it."""
    table: pd.DataFrame = _REVIEWS.get(key, make)
    return table


def read_frame(content: str) -> pd.DataFrame:
    """A stored interval frame (forecast or requirements CSV) with UTC instants."""
    frame = pd.read_csv(io.StringIO(content))
    frame["interval_start"] = pd.to_datetime(frame["interval_start"], utc=True)
    return frame


# --------------------------------------------------------------------------- forecast


@dataclass(frozen=True)
class Accuracy:
    """Backtest accuracy of one channel: WAPE of the model and of seasonal-naive, in %."""

    channel: str
    model_wape_pct: float | None
    naive_wape_pct: float | None


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def backtest_accuracy(key: tuple[str, int], data: DataSet) -> list[Accuracy]:
    """The forecast's accuracy on the last :data:`BACKTEST_WEEKS` weeks of history (held out,
    forecast from the weeks before) against seasonal-naive; empty without history."""

    def compute() -> list[Accuracy]:
        if data.history is None or not len(data.history):
            return []
        last = pd.Timestamp(data.history["interval_start"].max()).date()
        horizon = Horizon(last - timedelta(days=7 * BACKTEST_WEEKS), BACKTEST_WEEKS)
        try:
            result = backtest(
                data.history, data.config, calendar_for(data, horizon), BACKTEST_WEEKS
            )
        except ValueError:
            return []
        return [Accuracy(a.channel, _pct(a.model_wape), _pct(a.naive_wape)) for a in result.overall]

    found: list[Accuracy] = _BACKTESTS.get(key, compute)
    return found


def recent_history(data: DataSet) -> pd.DataFrame:
    """The last :data:`HISTORY_WEEKS_SHOWN` weeks of history (empty frame without any)."""
    if data.history is None or not len(data.history):
        return pd.DataFrame(columns=["interval_start", "channel", "contacts"])
    history = data.history
    when = pd.to_datetime(history["interval_start"], utc=True)
    cut = when.max() - pd.Timedelta(weeks=HISTORY_WEEKS_SHOWN)
    return history[when > cut].reset_index(drop=True)


def holidays_between(data: DataSet, first: date, end: date) -> list[date]:
    """The company holidays on the local dates ``[first, end)``."""
    span = max(1, (end - first).days)
    calendar = calendar_for(data, Horizon(first, (span + 6) // 7))
    return [
        first + timedelta(days=k)
        for k in range(span)
        if calendar.is_holiday(first + timedelta(days=k))
    ]


# --------------------------------------------------------------------------- review


def review_intervals(
    data: DataSet, roster: Roster, requirements: pd.DataFrame, start: date, weeks: int
) -> pd.DataFrame:
    """Per interval and channel: needed, present, under, over, projected service level."""
    calendar = calendar_for(data, Horizon(start, weeks))
    return interval_table(roster, data.agents, data.config, requirements, calendar)


def team_rates(counts: Mapping[str, Mapping[str, float]], kinds: Sequence[str]) -> dict[str, float]:
    """The team's mean count per kind over its agents (what one agent compares against)."""
    if not counts:
        return dict.fromkeys(kinds, 0.0)
    return {
        kind: round(float(np.mean([float(c.get(kind, 0)) for c in counts.values()])), 2)
        for kind in kinds
    }


# --------------------------------------------------------------------------- comparison


RESPONSE_MEASURES = {
    "mean_open_hours": "response, mean (open hours)",
    "p90_open_hours": "response, 90th percentile (open hours)",
}
"""A deferred channel's response times a comparison shows (hours the team is open: the clock
of ``response_hours``)."""


def comparison_row(name: str, report: Mapping[str, Any] | None, headcount: int) -> dict[str, Any]:
    """One scenario's line of a comparison, from its run's report (hours are staff-hours)."""
    kpis = (report or {}).get("kpis") or {}
    channels = kpis.get("channels") or {}
    needed = sum(float(c.get("needed_staff_hours") or 0) for c in channels.values())
    under = sum(float(c.get("under_staff_hours") or 0) for c in channels.values())
    scheduled = sum(float(v or 0) for v in (kpis.get("paid_hours_by_agent") or {}).values())
    spread = kpis.get("fairness_spread") or kpis.get("spread") or {}
    row: dict[str, Any] = {
        "scenario": name,
        "required staff-hours": round(needed, 1),
        "scheduled paid hours": round(scheduled, 1),
        "under-staffed staff-hours": round(under, 1),
        "overtime hours": round(float(kpis.get("overtime_hours") or 0), 1),
        "headcount": headcount,
        "fairness spread (max-min shifts)": max(
            (int(v) for group in spread.values() for v in group.values()), default=0
        ),
    }
    for channel, values in channels.items():
        level = values.get("service_level")
        row[f"{channel} service level %"] = None if level is None else round(100 * level, 1)
    for channel, values in channels.items():
        response = values.get("response") or {}
        for key, label in RESPONSE_MEASURES.items():
            if key in response:
                value = response[key]
                row[f"{channel} {label}"] = None if value is None else round(float(value), 2)
    return row


def daily_levels(report: Mapping[str, Any] | None, channel: str) -> pd.Series:
    """Projected service level (%) per business-local date of one channel."""
    days = (((report or {}).get("kpis") or {}).get("daily_service_level") or {}).get(channel, {})
    return pd.Series(
        {date.fromisoformat(d): (None if v is None else 100 * float(v)) for d, v in days.items()},
        dtype=float,
    )


# --------------------------------------------------------------------------- an agent's view


def own_changes(
    diffs: Iterable[tuple[int, Mapping[str, Any]]], agent_id: str
) -> list[dict[str, str]]:
    """An agent's lines of the diffs of versions (number, diff), oldest first: what was added,
    removed or moved, in their own local times."""
    lines: list[dict[str, str]] = []
    for number, diff in diffs:
        mine = (diff.get("agents") or {}).get(agent_id) or {}
        for item in mine.get("added", []):
            lines.append(
                {
                    "version": str(number),
                    "change": "added",
                    "date": item["date"],
                    "was": "",
                    "now": f"{item['start']} to {item['end']}",
                }
            )
        for item in mine.get("removed", []):
            lines.append(
                {
                    "version": str(number),
                    "change": "removed",
                    "date": item["date"],
                    "was": f"{item['start']} to {item['end']}",
                    "now": "",
                }
            )
        for item in mine.get("moved", []):
            lines.append(
                {
                    "version": str(number),
                    "change": "moved",
                    "date": item["date"],
                    "was": f"{item['from']['start']} to {item['from']['end']}",
                    "now": f"{item['to']['start']} to {item['to']['end']}",
                }
            )
    return lines


def weekly_hours(shifts: Iterable[Shift], week_start: date) -> dict[date, float]:
    """Paid hours per week (weeks starting on ``week_start``'s weekday, keyed by first day)."""
    totals: dict[date, float] = {}
    for s in shifts:
        first = s.date - timedelta(days=(s.date - week_start).days % 7)
        totals[first] = round(totals.get(first, 0.0) + s.paid_hours, 2)
    return dict(sorted(totals.items()))


def agent_roster(shifts: Sequence[Shift], breaks: Sequence[Break]) -> Roster:
    return Roster(tuple(shifts), tuple(breaks))


def agent_of(agents: Iterable[Agent], agent_id: str | None) -> Agent | None:
    return next((a for a in agents if a.agent_id == agent_id), None)


_AGENT = re.compile(r"^agent (?P<agent>[^\s:']+)(?:'s)?(?P<sep>:?)\s*(?P<rest>.*)$", re.DOTALL)
_RULE_LIST = re.compile(r"^[a-z_]+(?:, [a-z_]+)*$")


def _precheck_rules(text: str) -> list[str]:
    """The hard rules (OBJECTIVE.md's names) behind one of the solver's quick pre-check
    sentences (:func:`planner.roster.solve.precheck`), read from its wording."""
    if "frozen" in text:
        return ["frozen_shifts"]
    rules = ["weekly_hours"]
    if "availability" in text:
        rules.append("availability")
    if "time off" in text:
        rules.append("time_off")
    if "shift rules" in text or "h shift" in text or "no possible shift" in text:
        rules.append("shift_shape")
    if "days a week" in text:
        rules.append("min_days_off")
    return rules


def explanation_row(line: str) -> dict[str, str]:
    """One line of why a solve found no roster as agent, rules, why. The solver writes
    ``agent A001: ...: rule_a, rule_b`` (CP-SAT's conflict), ``agent A001: ...`` and the
    pre-check's ``agent A001 needs 40 h but ...`` / ``agent A001's published shift ...``
    (rules read from the wording); a line naming no agent is one row of its own."""
    found = _AGENT.match(line)
    if found is None:
        return {"agent": "", "rules": "", "why": line}
    agent, rest = found["agent"], found["rest"].strip()
    if not found["sep"]:  # a pre-check sentence: the agent is its subject
        return {"agent": agent, "rules": ", ".join(_precheck_rules(rest)), "why": rest}
    detail, _, tail = rest.rpartition(": ")
    if detail and _RULE_LIST.match(tail.strip()):
        return {"agent": agent, "rules": tail.strip(), "why": detail.strip()}
    return {"agent": agent, "rules": "", "why": rest}


def explanation_rows(lines: Iterable[str]) -> list[dict[str, str]]:
    """Why a solve found no roster, as rows by agent and rule (:func:`explanation_row`)."""
    return [explanation_row(line) for line in lines]


def next_week_start(today: date, week_starts: str = "Sun") -> date:
    """The first day of the next week (``Sun``: the coming Sunday, never today)."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    wanted = days.index(week_starts[:3].title()) if week_starts[:3].title() in days else 6
    ahead = (wanted - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)
