"""Run every command of docs/build.md and of the README's "Build your own image"
section, in order, and compare their output with the documented one (slow:
`pytest -m slow`).

`$ micropython-wasi ...` lines run in a scratch directory that has the
repository's examples/ (MICROPY_WASI_SOURCE names the source tree, as if run
from it); `$ pip ...` lines run at the top of the source tree. A command
followed by output lines must print exactly that; one without must succeed.
The Python example of docs/build.md is run too.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import micropython_wasi

from conftest import REPO

pytestmark = pytest.mark.slow

DOCS = REPO / "docs" / "build.md"


def console_commands(path: Path, section: str | None = None) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ ` line of the ```console blocks."""
    text = path.read_text()
    if section is not None:
        match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
        assert match, f"{path.name} has no '{section}' section"
        text = match.group(1)
    commands: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
    return commands


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("docs")
    (work / "examples").symlink_to(REPO / "examples")
    return work


def run_documented(command: str, expected: list[str], workdir: Path) -> None:
    argv = shlex.split(command)
    env = dict(os.environ, MICROPY_WASI_SOURCE=str(REPO))
    if argv[0] == "pip":
        dist = REPO / "dist"
        before = {w: w.stat().st_mtime for w in dist.glob("*.whl")} if dist.exists() else {}
        result = subprocess.run([sys.executable, "-m", *argv], cwd=REPO, env=env, capture_output=True,
                                text=True, timeout=3600)
        assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        [wheel] = [w for w in dist.glob("micropython_wasi-*.whl") if before.get(w) != w.stat().st_mtime]
        try:
            check_wheel(wheel, argv)
        finally:
            wheel.unlink()  # a custom wheel must not be mistaken for a release
        return
    assert argv[0] == "micropython-wasi", command
    result = subprocess.run([sys.executable, "-m", "micropython_wasi.cli", *argv[1:]], cwd=workdir, env=env,
                            capture_output=True, text=True, timeout=3600)
    if expected:
        assert (result.stdout + result.stderr).splitlines() == expected, command
    else:
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


def check_wheel(wheel: Path, argv: list[str]) -> None:
    """The wheel bundles the image the -C cmake.define options asked for."""
    defines: dict[str, str] = {}
    for i, arg in enumerate(argv):
        if arg == "-C" and argv[i + 1].startswith("cmake.define."):
            name, _, value = argv[i + 1].removeprefix("cmake.define.").partition("=")
            defines[name] = value
    with zipfile.ZipFile(wheel) as zf:
        manifest = json.loads(zf.read("micropython_wasi/image/micropython.json"))
        assert len(zf.read("micropython_wasi/image/micropython.wasm")) == manifest["image_size"]
    assert manifest["variant"] == defines.get("MICROPY_WASI_VARIANT", "standard")
    assert manifest["module_changes"] == [m for m in re.split("[;,]", defines.get("MICROPY_WASI_MODULES", "")) if m]


def test_docs_commands(workdir: Path) -> None:
    commands = console_commands(DOCS)
    assert len(commands) >= 10
    for command, expected in commands:
        run_documented(command, expected, workdir)
    # The images the commands wrote, with their manifests.
    for name in ("minimal", "small", "editdistance", "textkit", "textkit-package"):
        info = micropython_wasi.image_info(workdir / f"{name}.wasm")
        assert info.manifest["image_size"] == (workdir / f"{name}.wasm").stat().st_size


def test_docs_python_example(workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    [code] = re.findall(r"```python\n(.*?)```", DOCS.read_text(), re.S)
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("MICROPY_WASI_SOURCE", str(REPO))
    exec(compile(code, str(DOCS), "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1].startswith("standard [")
    assert "'textkit.fuzzy'" in printed[-1] and "'keyword'" in printed[-1]


def test_readme_commands(workdir: Path) -> None:
    commands = console_commands(REPO / "README.md", "Build your own image")
    assert commands, "the README's build section has no commands"
    for command, expected in commands:
        run_documented(command, expected, workdir)
