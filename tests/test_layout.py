"""The layout shows the data flow (STYLE.md): imports run one way, down the stages.

data -> demand -> roster -> verify -> store -> views, with ``domain`` below everything and
``pipeline``, ``cli`` and ``commands`` on top. ``constraints/`` sits inside the roster stage:
the rules read the prepared problem and the variables container, and the model reads the
rules; nothing the rules read imports a rule. Every import counts, type-only ones included.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STAGES = ("domain", "data", "demand", "roster", "verify", "store", "views", "benchmarks", "top")
"""Stage order: a module may import its own stage and earlier ones only."""

RULE_READS = (
    "planner.roster.problem",
    "planner.roster.variables",
    "planner.roster.coverage",
    "planner.roster.timing",
    "planner.roster.break_rules",
)
"""What the rule modules may import from the roster stage (the prepared data and queries)."""

MODEL_SIDE = (
    "planner.roster.model",
    "planner.roster.construct",
    "planner.roster.search",
    "planner.roster.solve",
    "planner.roster.bounds",
)
"""The roster modules that build or drive the model from the rules."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    files = [*ROOT.glob("planner/**/*.py"), *ROOT.glob("constraints/*.py")]
    return {module_name(p): p for p in files}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Project modules ``path`` imports (at any depth of the file, type-only included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found.update(n for n in names if n in known)
    return found


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    return {name: imports_of(path, known) - {name} for name, path in modules.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "constraints":
        return "roster"
    if len(parts) == 1 or parts[1] in ("pipeline", "cli", "commands", "__main__"):
        return "top" if module != "planner" else "domain"
    if parts[1] == "domain":
        return "domain"
    return parts[1]


def test_no_import_cycle_among_the_project_modules() -> None:
    edges = graph()
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> None:
        if node in done:
            return
        if node in path:
            cycle = [*path[path.index(node) :], node]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        path.append(node)
        for target in sorted(edges[node]):
            visit(target)
        path.pop()
        done.add(node)

    for module in sorted(edges):
        visit(module)


def test_stages_import_only_earlier_stages() -> None:
    wrong = [
        f"{module} ({stage(module)}) imports {target} ({stage(target)})"
        for module, targets in graph().items()
        for target in targets
        if STAGES.index(stage(target)) > STAGES.index(stage(module))
    ]
    assert not wrong, "\n".join(wrong)


def test_rules_read_prepared_data_and_prepared_data_reads_no_rule() -> None:
    edges = graph()
    wrong = []
    for module, targets in edges.items():
        for target in targets:
            if (
                module.startswith("constraints.")
                and target.startswith("planner.roster.")
                and target not in RULE_READS
            ):
                wrong.append(f"rule {module} imports {target}")
            if (
                module.startswith("planner.roster.")
                and target.startswith("constraints")
                and module not in MODEL_SIDE
            ):
                wrong.append(f"{module} (prepared data or a query) imports rule {target}")
    assert not wrong, "\n".join(wrong)


def test_solve_and_search_import_no_rule_module_but_the_registry() -> None:
    edges = graph()
    for module in ("planner.roster.solve", "planner.roster.search"):
        rules = {t for t in edges[module] if t.startswith("constraints")}
        assert rules <= {"constraints.registry", "constraints"}, (module, rules)


def test_verify_imports_no_ortools_even_indirectly() -> None:
    verify = sorted(m for m in project_modules() if m.startswith("planner.verify"))
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in verify)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ortools', 'constraints')"
        " or m.startswith('planner.roster.'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
