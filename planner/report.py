"""``report.json``: what a solve did (CONTRACT.md).

Status, objective and its named terms (raw value, weight, cost = weight x raw), the best
bound and where it comes from, the gap, wall time, time to the first valid roster, the
under-staffed staff-hours per channel and, when :mod:`planner.kpi` can compute them, the KPIs
(service levels, overtime, weekend/holiday/evening counts per agent).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.atomic import write_text
from planner.solve import SolveResult


def _number(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(float(value), digits)


def build_report(result: SolveResult, kpis: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-ready report of a solve."""
    return {
        "status": result.status,
        "proven_optimal": result.status == "optimal",
        "objective": result.objective,
        "terms": {
            name: {"raw": t.raw, "weight": t.weight, "cost": t.cost}
            for name, t in result.terms.items()
        },
        "model_objective": result.model_objective,
        "bound": _number(result.bound),
        "bound_source": result.bound_source,
        "gap": _number(result.gap),
        "wall_seconds": _number(result.wall_seconds, 3),
        "first_roster_seconds": _number(result.first_roster_seconds, 3),
        "prepare_seconds": _number(result.prepare_seconds, 3),
        "mode": result.mode,
        "under_staffed_hours": result.under_staffed_hours,
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
