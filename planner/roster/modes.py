"""The search modes of the roster engine, by name (no OR-Tools here: the store and the
dashboard check a scenario's ``mode`` without loading the solver)."""

from __future__ import annotations

from typing import Literal

Mode = Literal["full", "plain", "hinted"]
"""``plain``: CP-SAT on the whole model; ``hinted``: the same from the constructed roster;
``full``: construction, then large-neighbourhood search (:mod:`planner.roster.search`)."""

MODES: tuple[Mode, ...] = ("full", "plain", "hinted")
