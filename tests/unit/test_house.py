"""The structure of the code, read from its imports: no circles, no import running back up a floor.

ARCHITECTURE.md draws the floors; this test holds the code to them, so a shortcut taken in a
hurry (a read model importing a use case's private helper, a service importing the window, two
modules importing each other through a function-level import) fails here, with the path that
closes the circle, instead of growing quietly. Every import counts: module level, inside a
function, under ``TYPE_CHECKING`` and ``importlib.import_module("literal")``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("desktop", "ui")
#: Modules allowed above ~500 lines: generated or data-like files, not code anybody reads through.
SIZE_EXEMPT = ("desktop/store/migrations/versions/",)
MAX_LINES = 500

#: The floors of the house, lowest first. A module may import its own floor or a lower one.
#: Prefixes are matched longest first, so ``desktop.services.reads`` is above
#: ``desktop.services``'s own base modules.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("desktop.domain",),
    ("desktop.errors", "desktop.processes", "desktop.resources"),
    ("desktop.i18n", "desktop.config", "desktop.setting_types", "desktop.settings", "desktop.crash_log",
     "desktop.times"),
    ("desktop.store", "desktop.mail", "desktop.acts", "desktop.secrets"),
    ("desktop.services.seed",),
    ("desktop.services.workspace",),
    ("desktop.services.upkeep", "desktop.services.display_zone"),
    ("desktop.services.account_secrets",),
    ("desktop.services.clients", "desktop.services.accounts", "desktop.services.account_checks",
     "desktop.services.attachments", "desktop.services.catalogs", "desktop.services.saved_views"),
    ("desktop.services.tickets", "desktop.services.composer"),
    ("desktop.services.replies", "desktop.services.acts", "desktop.services.regulation"),
    ("desktop.services.regulation_preview", "desktop.services.regulation_settings"),
    ("desktop.services.calendar_import", "desktop.services.client_plan"),
    ("desktop.services.reads", "desktop.services.background"),
    ("desktop.services.demo",),
    ("ui",),
    ("desktop.cli",),
)
#: Packages whose ``__init__`` holds something of its own, and its floor.
PACKAGE_FLOORS = {"desktop": 0}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


SOURCES = _sources()


def _imported(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            for alias in node.names:
                yield f"{base}.{alias.name}"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.args[0].value


def _resolve(name: str) -> str | None:
    """The project module an import names (``from a import b`` may name module ``a.b``)."""
    while name:
        if name in SOURCES:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_empty_package(module: str) -> bool:
    path = SOURCES[module]
    if path.name != "__init__.py":
        return False
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in SOURCES.items():
        targets = {_resolve(n) for n in _imported(path)}
        # An empty package is only passed through on the way to its modules: not an edge.
        graph[module] = {t for t in targets
                         if t and t != module and not module.startswith(t + ".") and not _is_empty_package(t)}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def floor_of(module: str) -> int:
    if module in PACKAGE_FLOORS:
        return PACKAGE_FLOORS[module]
    best, floor = -1, len(FLOORS)
    for number, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), number
    return floor


def test_the_floors_cover_every_module() -> None:
    assert [m for m in SOURCES if floor_of(m) == len(FLOORS) and not _is_empty_package(m)] == []


def test_no_import_circle_anywhere() -> None:
    assert _circles(_graph()) == []


def test_no_import_runs_back_up_a_floor() -> None:
    upward = sorted(
        f"{a} (floor {floor_of(a)}) imports {b} (floor {floor_of(b)})"
        for a, targets in _graph().items() for b in targets if floor_of(b) > floor_of(a)
    )
    assert upward == []


def test_the_engine_never_imports_the_window() -> None:
    """``desktop`` runs without widgets (the CLI, the sync process); ``desktop.cli.gui`` starts
    the window by name, which is the one allowed way up."""
    offenders = []
    for module, path in SOURCES.items():
        if not module.startswith("desktop") or module == "desktop.cli.gui":
            continue
        names = set(_imported(path))
        if any(n == "ui" or n.startswith("ui.") for n in names) or any("QtWidgets" in n for n in names):
            offenders.append(module)
    assert offenders == []


def test_the_domain_imports_nothing_of_the_project_but_itself() -> None:
    offenders = {
        m: sorted(t for t in targets if not t.startswith("desktop.domain"))
        for m, targets in _graph().items() if m.startswith("desktop.domain")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_module_is_over_the_size_a_reader_holds(module: str) -> None:
    path = SOURCES[module]
    rel = path.relative_to(ROOT).as_posix()
    if rel.startswith(SIZE_EXEMPT):
        pytest.skip("generated migration")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{rel} has {lines} lines; split it by what it holds"


def test_the_checks_see_a_circle_when_there_is_one() -> None:
    """The circle finder itself: a two-module loop and a self-contained chain."""
    assert _circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
