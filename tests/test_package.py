"""The shape of the engine: modules of glossator/ import one another in one direction only."""

from __future__ import annotations

import ast

from conftest import REPO

PACKAGE = REPO / "glossator"


def imports_of(module: str) -> set[str]:
    """The package's modules that `module` imports anywhere: at the top, inside a function, or
    only for type checking."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import x: x may be a module or a name of __init__
                found |= {alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py").exists()}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("glossator."):
            found.add(node.module.split(".")[1])
    return found - {module, "__init__"}


def test_no_module_imports_one_that_imports_it_back():
    graph = {path.stem: imports_of(path.stem) for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    done, path = set(), []

    def visit(module: str) -> None:
        assert module not in path, "import cycle: " + " -> ".join(path[path.index(module):] + [module])
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
