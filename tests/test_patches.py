"""The core patches (ports/wasi/patches) and ports/wasi/tools/patch_micropython.py,
which applies them to a copy of the MicroPython sources for the build."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
PATCHES = REPO / "ports" / "wasi" / "patches"

pytestmark = pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("patch_micropython", REPO / "ports" / "wasi" / "tools" / "patch_micropython.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


pm = _load()


def _source(root: Path) -> Path:
    """A small stand-in for micropython/."""
    (root / "py").mkdir(parents=True)
    (root / "py" / "mpconfig.h").write_text("#define MICROPY_VERSION_MAJOR 1\n")
    (root / "py" / "obj.c").write_text("int a = 1;\nint b = 2;\nint c = 3;\n")
    (root / "lib" / "x").mkdir(parents=True)
    (root / "LICENSE").write_text("licence\n")
    return root


PATCH_B = "why\n\n--- a/py/obj.c\n+++ b/py/obj.c\n@@ -1,3 +1,3 @@\n int a = 1;\n-int b = 2;\n+int b = 20;\n int c = 3;\n"


@pytest.mark.slow  # copies micropython/ (the build does this too, and stops if a patch fails)
def test_the_patches_apply_to_the_pinned_micropython(tmp_path: Path) -> None:
    assert pm.make_copy(REPO / "micropython", PATCHES, tmp_path / "mp")
    stamp = json.loads((tmp_path / "mp" / ".patched.json").read_text())
    assert stamp["patches"] == sorted(p.name for p in PATCHES.glob("*.patch")) != []
    assert (tmp_path / "mp" / "lib").resolve() == (REPO / "micropython" / "lib").resolve()
    # micropython/ itself is left as it was.
    assert "mp_mergesort" not in (REPO / "micropython" / "py" / "objlist.c").read_text()
    assert "mp_mergesort" in (tmp_path / "mp" / "py" / "objlist.c").read_text()


@pytest.mark.parametrize("patch", sorted(PATCHES.glob("*.patch")), ids=lambda p: p.name)
def test_each_patch_says_why_and_whether_it_went_upstream(patch: Path) -> None:
    header = patch.read_text().split("\n--- a/", 1)[0]
    assert re.match(r"\d{4}-[a-z0-9-]+\.patch$", patch.name)
    assert "Why the core must change:" in header
    assert "Upstream:" in header


def test_copy_is_patched_and_only_redone_when_inputs_change(tmp_path: Path) -> None:
    source, patches, out = _source(tmp_path / "src"), tmp_path / "patches", tmp_path / "out"
    patches.mkdir()
    (patches / "0001-b.patch").write_text(PATCH_B)
    assert pm.make_copy(source, patches, out)
    assert (out / "py" / "obj.c").read_text() == "int a = 1;\nint b = 20;\nint c = 3;\n"
    assert (out / "LICENSE").is_file() and (out / "lib").is_symlink()
    assert not pm.make_copy(source, patches, out)

    # A file that did not change keeps its time stamp (no needless rebuild);
    # one whose patch went away is rewritten (so that it is rebuilt).
    os.utime(out / "py" / "mpconfig.h", (1, 1))
    os.utime(out / "py" / "obj.c", (1, 1))
    (patches / "0001-b.patch").unlink()
    assert pm.make_copy(source, patches, out)
    assert (out / "py" / "obj.c").read_text() == "int a = 1;\nint b = 2;\nint c = 3;\n"
    assert (out / "py" / "obj.c").stat().st_mtime > 1
    assert (out / "py" / "mpconfig.h").stat().st_mtime == 1

    # A source file that changes or goes away changes the copy too.
    (source / "py" / "obj.c").unlink()
    assert pm.make_copy(source, patches, out)
    assert not (out / "py" / "obj.c").exists()


def test_a_patch_that_does_not_apply_stops_with_its_name(tmp_path: Path) -> None:
    source, patches, out = _source(tmp_path / "src"), tmp_path / "patches", tmp_path / "out"
    patches.mkdir()
    (patches / "0001-b.patch").write_text(PATCH_B.replace("int c = 3;", "int c = 4;"))
    with pytest.raises(pm.PatchError, match=r"0001-b\.patch does not apply"):
        pm.make_copy(source, patches, out)
    assert not (out / ".patched.json").exists()
    assert pm.main(["--source", str(source), "--patches", str(patches), "--output", str(out)]) == 1


def test_not_micropython_sources(tmp_path: Path) -> None:
    with pytest.raises(pm.PatchError, match="py/mpconfig.h is missing"):
        pm.make_copy(tmp_path, tmp_path, tmp_path / "out")
