"""``report.json``: what a solve did (CONTRACT.md).

Status, objective and its named terms (raw value, weight, cost = weight x raw; and on the
model's footing, breaks at default positions: model cost, a lower bound on it and the gap), the
best bound and where it comes from, the gap, wall time, time to the first valid roster, the
under-staffed staff-hours per channel, the hours short of the channel floors and of the leads'
floor (``floor_short_hours``) and, when :mod:`planner.verify.kpi` can compute them, the KPIs
(service levels, overtime, weekend/holiday/evening counts per agent).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.data.atomic import write_text

if TYPE_CHECKING:  # the report reads a result; importing the engine would pull in OR-Tools
    from planner.roster.solve import SolveResult


def _number(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(float(value), digits)


def term_rows(result: SolveResult) -> dict[str, dict[str, Any]]:
    """Per term: ``raw``, ``weight``, ``cost`` on the final roster; ``model_cost`` with breaks
    at their default positions (what the bounds bound); ``bound``, a lower bound on
    ``model_cost`` for every roster keeping the hard rules, and ``bound_method``, how it was
    found (``None`` without bounds); ``gap = (model_cost - bound) / max(1, model_cost)``."""
    rows: dict[str, dict[str, Any]] = {}
    for name, t in result.terms.items():
        model = result.model_terms.get(name)
        raw_bound = result.term_bounds.get(name)
        bound = None if raw_bound is None else raw_bound * t.weight
        model_cost = None if model is None else model.cost
        gap = None
        if bound is not None and model_cost is not None:
            gap = _number(max(0, model_cost - bound) / max(1, model_cost))
        rows[name] = {
            "raw": t.raw,
            "weight": t.weight,
            "cost": t.cost,
            "model_cost": model_cost,
            "bound": bound,
            "bound_method": result.bound_methods.get(name),
            "gap": gap,
        }
    return rows


def build_report(result: SolveResult, kpis: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-ready report of a solve."""
    return {
        "status": result.status,
        "proven_optimal": result.status == "optimal",
        "objective": result.objective,
        "terms": term_rows(result),
        "model_objective": result.model_objective,
        "bound": _number(result.bound),
        "bound_source": result.bound_source,
        "gap": _number(result.gap),
        "wall_seconds": _number(result.wall_seconds, 3),
        "first_roster_seconds": _number(result.first_roster_seconds, 3),
        "prepare_seconds": _number(result.prepare_seconds, 3),
        "mode": result.mode,
        "under_staffed_hours": result.under_staffed_hours,
        "floor_short_hours": result.floor_short_hours,
        "shifts": len(result.roster.shifts) if result.roster is not None else 0,
        "breaks": len(result.roster.breaks) if result.roster is not None else 0,
        "search": {
            "candidate_shifts": result.candidates,
            "iterations": result.iterations,
            "improvements": result.improvements,
        },
        "explanation": result.explanation,
        "notes": result.notes,
        "kpis": kpis,
    }


def write_report(path: str | Path, report: dict[str, Any]) -> None:
    """Write ``report.json`` atomically."""
    write_text(path, json.dumps(report, indent=2, sort_keys=False) + "\n")
