"""The packages of mynah import one another in one direction only: no package-level cycle.

Every `import mynah.x...` / `from mynah.x... import` in `src/mynah` (including those under
TYPE_CHECKING and inside functions) is an edge from the importing package to the imported one, where
a package is the first level below `mynah` (`mynah.audio`, `mynah.engines`, `mynah.config`, ...).
A cycle between packages fails the test and names the imports that close it.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _edges() -> dict[str, dict[str, list[str]]]:
    edges: dict[str, dict[str, list[str]]] = {}
    for path in sorted((SRC / "mynah").rglob("*.py")):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        source = _package(module)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            else:
                continue
            for target in targets:
                if target.startswith("mynah.") and _package(target) != source:
                    where = f"{path.relative_to(SRC)}:{node.lineno} imports {target}"
                    edges.setdefault(source, {}).setdefault(_package(target), []).append(where)
    return edges


def _cycle(edges: dict[str, dict[str, list[str]]]) -> list[str] | None:
    """One cycle of packages (first package repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_no_import_cycle_between_packages() -> None:
    edges = _edges()
    cycle = _cycle(edges)
    if cycle is not None:
        lines = [edges[a][b][0] for a, b in itertools.pairwise(cycle)]
        raise AssertionError("import cycle " + " -> ".join(cycle) + ":\n  " + "\n  ".join(lines))


def test_the_cycle_finder_finds_cycles() -> None:
    edges = {
        "mynah.a": {"mynah.b": ["a.py:1"]},
        "mynah.b": {"mynah.c": ["b.py:1"]},
        "mynah.c": {"mynah.a": ["c.py:1"]},
    }
    assert _cycle(edges) == ["mynah.a", "mynah.b", "mynah.c", "mynah.a"]
    assert _cycle({"mynah.a": {"mynah.b": ["a.py:1"]}}) is None


def test_the_value_types_sit_at_the_bottom() -> None:
    assert "mynah.types" not in _edges(), "mynah.types must import nothing of mynah's"
