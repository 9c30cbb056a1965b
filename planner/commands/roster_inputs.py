"""The inputs ``solve`` and ``check`` share: config, horizon, agents and their files.

Both commands read the same options the same way, collecting every problem before either
raises, so a manager sees all mistakes of one run together.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.data.config import parse_config
from planner.data.holiday_calendar import HolidayCalendar
from planner.data.io import (
    check_horizon_start,
    parse_date_option,
    read_agents,
    read_availability,
    read_time_off,
)
from planner.data.named_shifts_io import read_agent_rules, read_shift_cover, read_shift_requests
from planner.data.problems import Problems
from planner.data.roster_io import (
    FairnessCarry,
    Preference,
    read_fairness_history,
    read_preferences,
    read_roster,
)
from planner.domain import (
    Agent,
    AgentRules,
    AvailabilityWindow,
    Config,
    Horizon,
    Shift,
    ShiftCover,
    ShiftRequest,
    TimeOff,
)


@dataclass
class RosterInputs:
    """What was read; ``config`` and ``horizon`` are ``None`` when they were unreadable
    (the problems say why), ``usable`` is the config to keep checking other files with."""

    config: Config | None
    horizon: Horizon | None
    calendar: HolidayCalendar
    agents: list[Agent]
    availability: list[AvailabilityWindow]
    time_off: list[TimeOff]
    previous: list[Shift]
    preferences: list[Preference]
    fairness_history: dict[str, FairnessCarry] | None
    agent_rules: list[AgentRules] = field(default_factory=list)
    shift_requests: list[ShiftRequest] = field(default_factory=list)
    shift_cover: list[ShiftCover] = field(default_factory=list)

    @property
    def usable(self) -> Config:
        return self.config or Config()


def calendar_years(start: date | None, weeks: int) -> range:
    """Years the holiday calendar must know: the horizon's, with a year's margin."""
    if start is None:
        return range(2000, 2001)
    horizon = Horizon(start, max(weeks, 1))
    return range(horizon.start.year - 1, horizon.end.year + 2)


def add_named_shift_arguments(parser: argparse.ArgumentParser) -> None:
    """The optional named-shift files (``solve`` and ``check``)."""
    parser.add_argument(
        "--agent-rules", type=Path, help="agent_rules.csv: each agent's own contract limits"
    )
    parser.add_argument(
        "--shift-requests", type=Path, help="shift_requests.csv: on/off requests with weights"
    )
    parser.add_argument(
        "--shift-cover", type=Path, help="shift_cover.csv: agents needed per date and shift type"
    )


def read_roster_inputs(args: argparse.Namespace, problems: Problems) -> RosterInputs:
    """Read ``--config --start --weeks --agents [--availability] [--time-off] [--previous]
    [--preferences] [--fairness-history]``, adding every problem to ``problems``."""
    config = parse_config(args.config, problems)
    start = parse_date_option(args.start, "--start", problems)
    if args.weeks < 1:
        problems.add("command line", None, "--weeks", f"--weeks {args.weeks} must be 1 or more")
    if start is not None and config is not None:
        check_horizon_start(start, config, problems)
    agents = read_agents(args.agents, config, problems)
    ids = [a.agent_id for a in agents]
    usable = config or Config()
    named = {
        "agent_rules": (
            read_agent_rules(args.agent_rules, set(ids), usable, problems)
            if getattr(args, "agent_rules", None)
            else []
        ),
        "shift_requests": (
            read_shift_requests(args.shift_requests, set(ids), usable, problems)
            if getattr(args, "shift_requests", None)
            else []
        ),
        "shift_cover": (
            read_shift_cover(args.shift_cover, usable, problems)
            if getattr(args, "shift_cover", None)
            else []
        ),
    }
    return RosterInputs(
        config=config,
        horizon=Horizon(start, max(args.weeks, 1)) if start is not None else None,
        calendar=HolidayCalendar(usable.holidays, calendar_years(start, args.weeks)),
        agents=agents,
        availability=(
            read_availability(args.availability, ids, problems) if args.availability else []
        ),
        time_off=read_time_off(args.time_off, ids, problems) if args.time_off else [],
        # The previous roster may predate a change of holiday policy: its flags are not checked.
        previous=read_roster(args.previous, problems) if args.previous else [],
        preferences=(
            read_preferences(args.preferences, agents, problems) if args.preferences else []
        ),
        fairness_history=(
            read_fairness_history(args.fairness_history, agents, problems)
            if args.fairness_history
            else None
        ),
        **named,  # type: ignore[arg-type]
    )
