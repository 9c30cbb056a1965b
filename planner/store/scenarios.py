"""Scenarios: a base (or the defaults) plus overrides, resolved into the pipeline's
:class:`~planner.pipeline.Scenario`, and that scenario as plain JSON (what a run stores).

Override keys are the scenario's own fields: ``time_limit``, ``workers``, ``seed``, ``mode``,
``lp_bound_seconds`` and the staffing what-ifs ``staffing.volume_multiplier``,
``staffing.aht_multiplier``, ``staffing.service_level_override``,
``staffing.shrinkage_override``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from planner.demand.staffing import StaffingScenario
from planner.pipeline import Scenario
from planner.roster.search import MODES
from planner.store.access import Refused
from planner.store.models import ScenarioRow

STAFFING_KEYS = tuple(f"staffing.{f.name}" for f in dataclasses.fields(StaffingScenario))
KEYS = ("time_limit", "workers", "seed", "mode", "lp_bound_seconds", *STAFFING_KEYS)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _key_problem(key: str, value: object) -> str | None:
    number = _number(value)
    if key not in KEYS:
        return f"{key!r} is not a scenario key ({', '.join(KEYS)})"
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
    """``base`` with ``overrides`` (checked keys) applied."""
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
