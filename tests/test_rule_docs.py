"""Every rule module of ``constraints/`` names, in its docstring, its checker twin in
``planner/verify`` (which must exist) and its tests (files that must exist, one of them under
``tests/constraints/``): the solver and the checker are read side by side."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from constraints.registry import HARD_RULES, SOFT_RULES

ROOT = Path(__file__).resolve().parent.parent
RULE_MODULES = sorted(
    p.stem for p in (ROOT / "constraints").glob("*.py") if p.stem not in {"__init__", "registry"}
)


def _docstring(stem: str) -> str:
    return importlib.import_module(f"constraints.{stem}").__doc__ or ""


def test_every_rule_module_is_registered() -> None:
    registered = {r.name for r in (*HARD_RULES, *SOFT_RULES)}
    names = {importlib.import_module(f"constraints.{stem}").NAME for stem in RULE_MODULES}
    assert names == registered


@pytest.mark.parametrize("stem", RULE_MODULES)
def test_rule_docstring_names_an_existing_checker_twin(stem: str) -> None:
    doc = " ".join(_docstring(stem).split())
    found = re.search(r"Checker twin: :func:`([\w.]+)`", doc)
    assert found, f"constraints/{stem}.py: no 'Checker twin: :func:`...`' in its docstring"
    module_name, _, function = found.group(1).rpartition(".")
    assert module_name.startswith("planner.verify."), found.group(1)
    assert callable(getattr(importlib.import_module(module_name), function, None)), found.group(1)


@pytest.mark.parametrize("stem", RULE_MODULES)
def test_rule_docstring_names_existing_tests(stem: str) -> None:
    doc = _docstring(stem)
    tail = doc[re.search(r"Checker twin:", doc).start() :] if "Checker twin:" in doc else doc
    named = re.findall(r"``(tests/[\w/]+\.py)``", tail)
    assert any(n.startswith("tests/constraints/") for n in named), (
        f"constraints/{stem}.py names no test under tests/constraints/"
    )
    missing = [n for n in named if not (ROOT / n).is_file()]
    assert not missing, f"constraints/{stem}.py names missing tests: {missing}"
