"""Scenarios: a base (or the defaults) plus overrides, resolved into the pipeline's
:class:`~planner.pipeline.Scenario`, and that scenario as plain JSON (what a run stores).

Override keys are the scenario's own fields: ``time_limit``, ``workers``, ``seed``, ``mode``,
``lp_bound_seconds`` and the staffing what-ifs ``staffing.volume_multiplier``,
``staffing.aht_multiplier``, ``staffing.service_level_override``,
``staffing.shrinkage_override``; and edits of the data the run reads (:data:`DATA_KEYS`):
``headcount.add`` (a list of ``{"count", "state", "contract", "skills"}``: new agents, each like
the team's first agent of that contract in weekly hours and shift lengths, in the state's main
time zone, with no availability limits), ``headcount.remove`` (agent ids left out, with their
availability and time off), ``rules.max_consecutive_days`` and ``rules.min_staff`` (a table of
channel name -> the channel's floor, ``channels.<name>.min_staff``: agents with that skill on
shift in every open interval; 0 turns a floor off; channels not named keep their configured
floor). A run records its data edits in ``inputs["data_edits"]`` and the worker applies them
to the data set it reads.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from planner.data.io import DataSet
from planner.data.zones import main_zone
from planner.demand.staffing import StaffingScenario
from planner.pipeline import Scenario
from planner.roster.modes import MODES
from planner.store.access import Refused
from planner.store.models import ScenarioRow

STAFFING_KEYS = tuple(f"staffing.{f.name}" for f in dataclasses.fields(StaffingScenario))
DATA_KEYS = (
    "headcount.add",
    "headcount.remove",
    "rules.max_consecutive_days",
    "rules.min_staff",
)
KEYS = ("time_limit", "workers", "seed", "mode", "lp_bound_seconds", *STAFFING_KEYS, *DATA_KEYS)
CONTRACTS = ("full_time", "part_time")
MAX_ADDED = 200
MAX_FLOOR = 500
"""The largest ``rules.min_staff`` floor a scenario may ask of one channel."""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _added_problem(value: object) -> str | None:
    if not isinstance(value, list) or not value:
        return "headcount.add must be a list of {count, state, contract, skills}"
    for item in value:
        if not isinstance(item, dict) or set(item) != {"count", "state", "contract", "skills"}:
            return "headcount.add: each entry names count, state, contract and skills"
        count = item["count"]
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_ADDED:
            return f"headcount.add: count {count!r} must be a whole number 1 to {MAX_ADDED}"
        if item["contract"] not in CONTRACTS:
            return f"headcount.add: contract {item['contract']!r} must be {' or '.join(CONTRACTS)}"
        skills = item["skills"]
        if (
            not isinstance(skills, list)
            or not skills
            or not all(isinstance(k, str) for k in skills)
        ):
            return "headcount.add: skills must be a non-empty list of channel names"
        if not isinstance(item["state"], str) or not item["state"].strip():
            return "headcount.add: state must be a state code such as NC"
    return None


def _floors_problem(value: object) -> str | None:
    if not isinstance(value, dict) or not value:
        return "rules.min_staff must be a table of channel name -> agents on shift"
    for channel, floor in value.items():
        if not isinstance(channel, str) or not channel:
            return "rules.min_staff: each key is a channel name"
        if isinstance(floor, bool) or not isinstance(floor, int) or not 0 <= floor <= MAX_FLOOR:
            return f"rules.min_staff: {channel} {floor!r} must be a whole number 0 to {MAX_FLOOR}"
    return None


def _data_problem(key: str, value: object) -> str | None:
    if key == "headcount.add":
        return _added_problem(value)
    if key == "rules.min_staff":
        return _floors_problem(value)
    if key == "headcount.remove":
        if not isinstance(value, list) or not all(isinstance(a, str) and a for a in value):
            return "headcount.remove must be a list of agent ids"
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 13:
        return f"rules.max_consecutive_days {value!r} must be a whole number 1 to 13"
    return None


def _key_problem(key: str, value: object) -> str | None:
    number = _number(value)
    if key not in KEYS:
        return f"{key!r} is not a scenario key ({', '.join(KEYS)})"
    if key in DATA_KEYS:
        return _data_problem(key, value)
    if key == "mode":
        return None if value in MODES else f"mode {value!r} must be one of {', '.join(MODES)}"
    if key in ("workers", "seed"):
        if isinstance(value, bool) or not isinstance(value, int) or value < (key == "workers"):
            return f"{key} {value!r} must be a whole number of at least {int(key == 'workers')}"
        return None
    if value is None and key in ("lp_bound_seconds", *STAFFING_KEYS[2:]):
        return None
    if number is None:
        return f"{key} {value!r} must be a number"
    if key == "time_limit" and not number > 0:
        return f"time_limit {value!r} must be more than 0 seconds"
    if key == "lp_bound_seconds" and number < 0:
        return f"lp_bound_seconds {value!r} must be 0 or more"
    return None


def check_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides, checked; :class:`Refused` naming every bad key."""
    problems = [p for k, v in overrides.items() if (p := _key_problem(k, v)) is not None]
    staffing = {k.split(".", 1)[1]: v for k, v in overrides.items() if k in STAFFING_KEYS}
    if not problems:
        try:
            StaffingScenario(**staffing)
        except (TypeError, ValueError) as error:
            problems.append(f"staffing: {error}")
    if problems:
        raise Refused("bad scenario: " + "; ".join(problems))
    return dict(overrides)


def apply_overrides(base: Scenario, overrides: Mapping[str, Any], name: str) -> Scenario:
    """``base`` with ``overrides`` (checked keys) applied; data edits are not the pipeline
    scenario's (see :func:`data_edits`)."""
    top = {k: v for k, v in overrides.items() if "." not in k}
    staffing = {k.split(".", 1)[1]: v for k, v in overrides.items() if k.startswith("staffing.")}
    return dataclasses.replace(
        base, name=name, staffing=dataclasses.replace(base.staffing, **staffing), **top
    )


def resolve(session: Session, row: ScenarioRow | None) -> Scenario:
    """The pipeline scenario of a stored one: the defaults, then each base's overrides, then
    its own (``None``: the defaults, named baseline)."""
    chain: list[ScenarioRow] = []
    while row is not None:
        chain.append(row)
        row = session.get(ScenarioRow, row.base_id) if row.base_id is not None else None
    scenario = Scenario()
    for item in reversed(chain):
        scenario = apply_overrides(scenario, item.overrides, item.name)
    return scenario


def to_json(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON (stored with a run: exactly what it used)."""
    return dataclasses.asdict(scenario)


def from_json(data: Mapping[str, Any]) -> Scenario:
    values = dict(data)
    values["staffing"] = StaffingScenario(**values.get("staffing", {}))
    return Scenario(**values)


def data_edits(session: Session, row: ScenarioRow | None) -> dict[str, Any]:
    """The data edits of a stored scenario and its bases (a scenario's own win; agents added
    or removed by its bases are kept)."""
    chain: list[ScenarioRow] = []
    while row is not None:
        chain.append(row)
        row = session.get(ScenarioRow, row.base_id) if row.base_id is not None else None
    edits: dict[str, Any] = {}
    for item in reversed(chain):
        for key in DATA_KEYS:
            if key not in item.overrides:
                continue
            value = item.overrides[key]
            if key.startswith("headcount"):
                edits[key] = [*edits.get(key, []), *value]
            elif key == "rules.min_staff":  # a base's floors stay unless this one names them
                edits[key] = {**edits.get(key, {}), **value}
            else:
                edits[key] = value
    return edits


def check_data_edits(edits: Mapping[str, Any], data: DataSet) -> None:
    """Refuse (:class:`Refused`, every problem) edits that do not fit the data set: an unknown
    state, a skill no channel has, an agent to remove who is not on the team."""
    problems = []
    channels = set(data.config.channel_names)
    known = {a.agent_id for a in data.agents}
    for item in edits.get("headcount.add", []):
        if item["state"] not in data.config.site.approved_states:
            allowed = ", ".join(data.config.site.approved_states)
            problems.append(f"headcount.add: state {item['state']!r} is not one of {allowed}")
        unknown = sorted(set(item["skills"]) - channels)
        if unknown:
            problems.append(f"headcount.add: no channel named {', '.join(unknown)}")
        if not any(a.contract == item["contract"] for a in data.agents):
            problems.append(f"headcount.add: the team has no {item['contract']} agent to copy")
    unknown_floors = sorted(set(edits.get("rules.min_staff", {})) - channels)
    if unknown_floors:
        problems.append(f"rules.min_staff: no channel named {', '.join(unknown_floors)}")
    missing = sorted(set(edits.get("headcount.remove", [])) - known)
    if missing:
        problems.append(f"headcount.remove: no agent {', '.join(missing)} on the team")
    if problems:
        raise Refused("bad scenario: " + "; ".join(problems))


def edit_dataset(data: DataSet, edits: Mapping[str, Any]) -> DataSet:
    """The data set a scenario's run reads: agents removed and added, rules changed."""
    if not edits:
        return data
    gone = set(edits.get("headcount.remove", []))
    agents = [a for a in data.agents if a.agent_id not in gone]
    number = 0
    for item in edits.get("headcount.add", []):
        like = next(a for a in data.agents if a.contract == item["contract"])
        for _ in range(item["count"]):
            number += 1
            agents.append(
                dataclasses.replace(
                    like,
                    agent_id=f"NEW{number:03d}",
                    name=f"New hire {number} ({item['state']})",
                    state=item["state"],
                    timezone=main_zone(item["state"]),
                    skills=tuple(item["skills"]),
                )
            )
    config = data.config
    if "rules.max_consecutive_days" in edits:
        rules = dataclasses.replace(
            config.rules, max_consecutive_days=int(edits["rules.max_consecutive_days"])
        )
        config = dataclasses.replace(config, rules=rules)
    floors = edits.get("rules.min_staff") or {}
    if floors:
        channels = [
            dataclasses.replace(c, min_staff=int(floors[c.name])) if c.name in floors else c
            for c in config.channels
        ]
        config = dataclasses.replace(config, channels=tuple(channels))
    return dataclasses.replace(
        data,
        config=config,
        agents=agents,
        availability=[w for w in data.availability if w.agent_id not in gone],
        time_off=[t for t in data.time_off if t.agent_id not in gone],
    )
