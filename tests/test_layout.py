"""The layout shows the data flow (STYLE.md): imports run one way, down the stages.

data -> demand -> roster -> verify -> pipeline -> store -> views, with ``domain`` below
everything and ``cli`` and ``commands`` on top. ``pipeline`` composes the stages before it into
one pure function; ``store`` (the database, runs, publishing) wraps that function; ``views``
(plotly figures for the dashboard) reads the domain and the store's read models. The dashboard
(``app.py``, ``pages/``, ``server.py``) sits outside the package and alone imports Streamlit.
``constraints/`` sits inside the roster stage: the rules read the prepared problem and the
variables container, and the model reads the rules; nothing the rules read imports a rule.
Every import counts, type-only ones included.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

STAGES = (
    "domain", "data", "demand", "roster", "verify", "pipeline", "store", "views", "benchmarks",
    "top",
)  # fmt: skip
"""Stage order: a module may import its own stage and earlier ones only."""

RULE_READS = (
    "planner.roster.problem",
    "planner.roster.variables",
    "planner.roster.coverage",
    "planner.roster.timing",
    "planner.roster.break_rules",
    "planner.roster.floors",
    "planner.roster.stretches",
)
"""What the rule modules may import from the roster stage (the prepared data and queries)."""

MODEL_SIDE = (
    "planner.roster.model",
    "planner.roster.construct",
    "planner.roster.search",
    "planner.roster.solve",
    "planner.roster.bounds",
    "planner.roster.deferred_bound",
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
    if len(parts) == 1 or parts[1] in ("cli", "commands", "__main__"):
        return "top" if module != "planner" else "domain"
    if parts[1] == "pipeline":
        return "pipeline"
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


def test_the_dashboard_loads_no_solver_and_no_workbook_library() -> None:
    """What the dashboard's pages import (the service layer, the read models, the figures)
    loads neither OR-Tools nor the roster engine nor openpyxl: a page's first paint does not
    wait for them (the worker solves; a workbook is read or written on demand)."""
    code = (
        "import sys\n"
        "import planner.store.service, planner.store.insight, planner.views.charts\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('ortools', 'constraints',"
        " 'openpyxl') or (m.startswith('planner.roster.') and m != 'planner.roster.modes'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_only_the_dashboard_imports_streamlit() -> None:
    """Streamlit is the dashboard's alone (``app.py``, ``server.py``, ``pages/``): the package
    stays usable, and testable, without it; pages call the service layer and the figures."""
    dashboard = {ROOT / "app.py", ROOT / "server.py", *ROOT.glob("pages/*.py")}
    everything = [
        *ROOT.glob("planner/**/*.py"),
        *ROOT.glob("constraints/*.py"),
        *ROOT.glob("bench/**/*.py"),
        *ROOT.glob("*.py"),
    ]
    wrong = []
    for path in everything:
        if path in dashboard:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                wrong.append(str(path.relative_to(ROOT)))
    assert not wrong, wrong


def test_pages_call_the_service_layer_only() -> None:
    """A page reads and changes the store through :mod:`planner.store.service` (which checks
    the role), never through the store's inner modules or the database directly."""
    allowed = {
        "planner.store.service",
        "planner.store.db",
        "planner.store.settings",
        "planner.store.insight",
        "planner.store.signin",  # server.py's start-up check (secrets files, no database)
        "planner.views.charts",
        "planner.views",
        "planner.data.problems",
        "planner.domain",
    }
    wrong = []
    for path in [ROOT / "app.py", ROOT / "server.py", *ROOT.glob("pages/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                if node.module.startswith("planner") and not any(n in allowed for n in names):
                    wrong.append(f"{path.name}: from {node.module} import ...")
            if isinstance(node, ast.Import):
                wrong += [
                    f"{path.name}: import {a.name}"
                    for a in node.names
                    if a.name.startswith(("planner", "sqlalchemy"))
                ]
    assert not wrong, wrong
