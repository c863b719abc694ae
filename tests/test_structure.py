"""The package's shape: small modules, no import cycles, wasmtime's private API in one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "python" / "micropython_wasi"
MODULES = {path.stem: path for path in sorted(PACKAGE.glob("*.py"))}
MAX_LINES = 500


def imports(path: Path) -> set[str]:
    """The package's modules that `path` imports, at import time or in a function (not for type checking only)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.level == 1:
                if child.module:
                    found.add(child.module.split(".")[0])
                else:  # from . import x: a module, or a name from __init__
                    found.update(a.name if a.name in MODULES else "__init__" for a in child.names)
            visit(child)

    visit(ast.parse(path.read_text()))
    return found & set(MODULES)


def test_the_package_is_where_the_tests_look() -> None:
    assert {"sandbox", "_guest", "_runtime", "_wasmtime_private"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_long(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name}.py has {lines} lines: split it by responsibility"


def test_no_import_cycles() -> None:
    graph = {name: imports(path) for name, path in MODULES.items()}
    done: set[str] = set()

    def walk(name: str, path: list[str]) -> None:
        if name in path:
            cycle = path[path.index(name):] + [name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for dep in sorted(graph[name]):
            walk(dep, path + [name])
        done.add(name)

    for name in graph:
        walk(name, [])


def test_imports_in_functions_count_and_type_checking_ones_do_not(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from . import sandbox\nif TYPE_CHECKING:\n    from ._runtime import Runtime\n"
                                   "def f():\n    from ._guest import Guest\n")
    assert imports(tmp_path / "a.py") == {"sandbox", "_guest"}


def test_only_one_module_uses_wasmtimes_private_api() -> None:
    users = [name for name, path in MODULES.items()
             if any(isinstance(node, ast.ImportFrom) and node.module is not None
                    and (node.module.startswith("wasmtime._") or node.module == "wasmtime"
                         and any(a.name.startswith("_") for a in node.names))
                    for node in ast.walk(ast.parse(path.read_text())))]
    assert users == ["_wasmtime_private"]
