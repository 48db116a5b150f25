"""The package's shape: no import cycles, and data flows one way (issue 12).

Every module is imported in a fresh interpreter (so a cycle that only bites on a cold import
shows), and the import graph, read from the source with :mod:`ast`, has no cycle and no module
importing one of a later layer:

vocab/errors/checks/settings/result → landscape → demand/baseline → travel → access/optimise →
scenario → report/maps → folders → cli.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zorglandschap"

#: Layer of each top-level part; a module may import its own layer or earlier ones only.
LAYERS: dict[str, int] = {
    "vocab": 0,
    "errors": 0,
    "checks": 1,
    "files": 1,
    "settings": 2,
    "result": 2,
    "landscape": 3,
    "indicators": 3,
    "demand": 4,
    "baseline": 4,
    "travel": 5,
    "calibrate": 5,
    "access": 6,
    "optimise": 6,
    "scenario": 7,
    "report": 8,
    "maps": 9,
    "folders": 10,
    "cli": 11,
    "web": 11,
}


def module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def import_graph() -> nx.DiGraph:
    """Module → module it imports (at any place in the file, type-checking imports excluded)."""
    modules = module_names()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        type_checking = {
            id(child)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for child in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in type_checking:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name and not target.startswith(name + "."):
                    graph.add_edge(name, target)
    return graph


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return -1  # the package's __init__ re-exports
    return LAYERS[parts[1]]


def test_every_top_level_part_has_a_layer() -> None:
    parts = {name.split(".")[1] for name in module_names() if "." in name}
    assert parts - set(LAYERS) == set(), "give each new top-level module a layer in LAYERS"


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == []


def test_nothing_imports_downstream() -> None:
    graph = import_graph()
    upstream = [
        f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
        for a, b in graph.edges
        if layer(a) >= 0 and layer(b) > layer(a)
    ]
    assert upstream == []


def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    names = [n for n in module_names() if not n.endswith("__main__")]
    # one interpreter each (an import-order cycle shows on a cold start), a few at a time
    running = [
        (name, subprocess.Popen([sys.executable, "-c", code, name], stderr=subprocess.PIPE))
        for name in names
    ]
    failed = {}
    for name, process in running:
        _, err = process.communicate(timeout=120)
        if process.returncode != 0:
            failed[name] = err.decode(errors="replace")[-800:]
    assert failed == {}
