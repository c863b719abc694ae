"""The host's copy of the image interface (_abi.py) agrees with the port's (mpw_abi.h)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from micropython_wasi import _abi

REPO = Path(__file__).resolve().parent.parent
HEADER = REPO / "ports" / "wasi" / "mpw_abi.h"

# C name in mpw_abi.h -> name in _abi.py.
NAMES = {
    "MPW_EXEC_SOURCE": "EXEC_SOURCE",
    "MPW_EXEC_FILE": "EXEC_FILE",
    "MPW_EXEC_MODULE": "EXEC_MODULE",
    "MPW_EXEC_REPL": "EXEC_REPL",
    "MPW_EXIT": "EXIT_FLAG",
    "MPW_LIMIT_TIMEOUT": "LIMIT_TIMEOUT",
    "MPW_LIMIT_MEMORY": "LIMIT_MEMORY",
    "MPW_OPTION_VERBOSE": "OPTION_VERBOSE",
    "MPW_OPTION_OPTIMISE": "OPTION_OPTIMISE",
    "MPW_OPTION_COMPILE_ONLY": "OPTION_COMPILE_ONLY",
    "MPW_OPTION_CONSOLE_MODE": "OPTION_CONSOLE_MODE",
    "MPW_STREAM_STDOUT": "STREAM_STDOUT",
    "MPW_STREAM_STDERR": "STREAM_STDERR",
    "MPW_STREAM_CONSOLE_MODE": "STREAM_CONSOLE_MODE",
    "MPW_CONSOLE_BUF_SIZE": "CONSOLE_BUFFER_SIZE",
    "MICROPY_WASI_ENGINE_STACK": "ENGINE_STACK",
    "MPW_IMPORT_MODULE": "IMPORT_MODULE",
}
# Macros that are not numbers the host uses.
NOT_VALUES = {"MICROPY_INCLUDED_WASI_MPW_ABI_H", "MPW_HOST_IMPORT"}
C_SIZES = {"int32_t": 4, "uint32_t": 4}


def _value(expression: str) -> Any:
    expression = expression.strip()
    if re.fullmatch(r'"[^"]*"', expression):
        return expression[1:-1]
    if not re.fullmatch(r"[0-9a-fA-Fx()*+<| ]+", expression):
        raise ValueError(f"not a simple constant: {expression!r}")
    return eval(expression, {"__builtins__": {}})  # digits and operators only (checked above)


def parse_header(text: str) -> dict[str, Any]:
    """Every value mpw_abi.h defines: macros, enumerators, the imports and the console buffer's layout."""
    text = re.sub(r"//[^\n]*", "", text)
    values: dict[str, Any] = {}
    for name, expression in re.findall(r"^\s*#define\s+(\w+)(?:\s+([^\n]+))?$", text, re.M):
        if name not in NOT_VALUES:
            values[name] = _value(expression)
    for body in re.findall(r"enum\s*\{([^}]*)\}", text):
        for name, expression in re.findall(r"(\w+)\s*=\s*([^,]+)", body):
            values[name] = _value(expression)
    imports = {}
    for name, result, params in re.findall(r"MPW_HOST_IMPORT\((\w+)\)\s+(\w+)\s+\w+\(([^)]*)\);", text):
        count = 0 if params.strip() in ("", "void") else params.count(",") + 1
        imports[name] = (count, 0 if result == "void" else 1)
    values["imports"] = imports
    struct = re.search(r"typedef struct _mpw_console_state_t \{([^}]*)\}", text)
    assert struct is not None, "mpw_abi.h has no mpw_console_state_t"
    fields = re.findall(r"(\w+)\s+(\w+)(\[\w+\])?;", struct.group(1))
    values["console_fields"] = [(name, array is not None and array != "") for _, name, array in fields]
    values["console_header"] = sum(C_SIZES[ctype] for ctype, _, array in fields if not array)
    return values


def mismatches(values: dict[str, Any]) -> list[str]:
    """How parse_header()'s values differ from _abi.py's ([] when they agree)."""
    found = []
    for name, value in values.items():
        if name in ("imports", "console_fields", "console_header"):
            continue
        if name not in NAMES:
            found.append(f"{name} = {value!r} is in mpw_abi.h but not in _abi.py (add it to both, and to NAMES)")
        elif getattr(_abi, NAMES[name]) != value:
            found.append(f"{name} = {value!r} in mpw_abi.h, but _abi.{NAMES[name]} = {getattr(_abi, NAMES[name])!r}")
    for name in NAMES.keys() - values.keys():
        found.append(f"{name} is missing from mpw_abi.h")
    if values["imports"] != _abi.IMPORTS:
        found.append(f"imports: mpw_abi.h has {values['imports']}, _abi.IMPORTS is {_abi.IMPORTS}")
    if values["console_fields"] != [("stream", False), ("len", False), ("buf", True)]:
        found.append(f"the console buffer's fields changed: {values['console_fields']}")
    if values["console_header"] != _abi.CONSOLE_HEADER_SIZE:
        found.append(f"the console header is {values['console_header']} bytes, "
                     f"_abi.CONSOLE_HEADER_SIZE = {_abi.CONSOLE_HEADER_SIZE}")
    return found


def test_the_host_and_the_port_agree_on_every_number() -> None:
    assert mismatches(parse_header(HEADER.read_text())) == []


@pytest.mark.parametrize("change", [
    ("MPW_LIMIT_MEMORY (0x400)", "MPW_LIMIT_MEMORY (0x800)"),
    ("MPW_EXEC_REPL = 3", "MPW_EXEC_REPL = 4"),
    ("MPW_CONSOLE_BUF_SIZE (4096)", "MPW_CONSOLE_BUF_SIZE (8192)"),
    ("(1024 * 1024)", "(2 * 1024 * 1024)"),
    ("import_name(#name)))\n", "import_name(#name)))\n#define MPW_NEW_FLAG (0x800)\n"),
    ("int32_t mpw_host_read(void *buf, size_t len)", "int32_t mpw_host_read(void *buf, size_t len, int flags)"),
    ("    uint32_t len;\n", "    uint64_t pad;\n    uint32_t len;\n"),
])
def test_a_changed_number_in_the_header_is_found(change: tuple[str, str]) -> None:
    text = HEADER.read_text()
    old, new = change
    assert old in text
    try:
        found = mismatches(parse_header(text.replace(old, new, 1)))
    except KeyError:  # an unknown C type in the console buffer
        found = ["unknown type"]
    assert found


def test_the_status_flags_and_the_exit_code_do_not_overlap() -> None:
    assert _abi.STATUS_MASK == _abi.EXIT_FLAG | 0xFF
    assert not (_abi.LIMIT_TIMEOUT | _abi.LIMIT_MEMORY) & _abi.STATUS_MASK


def test_the_port_exports_what_the_host_requires() -> None:
    exported = set()
    for source in (REPO / "ports" / "wasi").glob("*.c"):
        exported |= set(re.findall(r"MPW_EXPORT\((\w+)\)", source.read_text()))
    assert _abi.REQUIRED_EXPORTS - {"memory"} <= exported
