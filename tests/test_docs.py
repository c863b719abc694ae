"""The Python examples of docs/api.md and of the README run, and print what they say.

Each document's ```python blocks run in order in one namespace. A line
`print(...)  # TEXT` says that it prints TEXT: the non-empty lines a block
prints must be exactly those texts, in order.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from conftest import REPO

PRINT_WITH_OUTPUT = re.compile(r"^\s*print\(.*\)\s+# (.*)$")


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.S)


def expected_output(block: str) -> list[str]:
    return [m.group(1).rstrip() for line in block.splitlines() if (m := PRINT_WITH_OUTPUT.match(line))]


def run_blocks(path: Path, blocks: list[str]) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, block in enumerate(blocks, 1):
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured):
            exec(compile(block, f"{path.name} block {number}", "exec"), namespace)
        printed = [line.rstrip() for line in captured.getvalue().splitlines() if line.strip()]
        assert printed == expected_output(block), f"{path.name} block {number}:\n{block}"


def test_api_examples() -> None:
    path = REPO / "docs" / "api.md"
    blocks = python_blocks(path)
    assert len(blocks) >= 10
    assert sum(len(expected_output(b)) for b in blocks) >= 15  # the examples do say what they print
    run_blocks(path, blocks)


def test_readme_examples() -> None:
    path = REPO / "README.md"
    blocks = [b for b in python_blocks(path) if "micropython_wasi" in b and "build(" not in b]
    assert blocks
    run_blocks(path, blocks)


def test_every_print_in_the_api_examples_says_what_it_prints() -> None:
    for block in python_blocks(REPO / "docs" / "api.md"):
        for line in block.splitlines():
            if line.startswith("print(") or line.startswith("    print("):
                if '"""' in block and line.startswith("    print(") and "# " not in line:
                    continue  # guest code inside a string
                assert PRINT_WITH_OUTPUT.match(line), line


@pytest.mark.parametrize("name", ["run", "Sandbox", "Result", "Mount", "TimeoutExceeded", "FuelExhausted",
                                  "MemoryLimitExceeded", "OutputLimitExceeded", "GuestError", "MountError",
                                  "OptionError", "SandboxClosedError", "register_function", "reset()"])
def test_api_doc_mentions(name: str) -> None:
    assert name in (REPO / "docs" / "api.md").read_text()
