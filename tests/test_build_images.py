"""Custom images, built for real (slow: `pytest -m slow`).

Each test builds with micropython_wasi.build() into a build directory kept
under build/ in the source tree (build/test-VARIANT), so that a second run
only rebuilds what changed, then runs the image in the sandbox.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

import micropython_wasi
from micropython_wasi import BuildError, ImageInfo

from conftest import REPO, run_cli

pytestmark = pytest.mark.slow

EXAMPLES = REPO / "examples"


def build_dir(name: str) -> Path:
    return REPO / "build" / f"test-{name}"


def build(output: Path, build_name: str, **options: object) -> ImageInfo:
    lines: list[str] = []
    info = micropython_wasi.build(output, source=REPO, build_dir=build_dir(build_name), progress=lines.append, **options)
    assert lines[-1].startswith(f"wrote {output} (")
    return info


def run(image: Path, source: str) -> micropython_wasi.Result:
    return micropython_wasi.run(source, image=image)


def out(image: Path, source: str) -> str:
    result = run(image, source)
    assert result.exception is None, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    image = tmp_path_factory.mktemp("minimal") / "minimal.wasm"
    build(image, "minimal", variant="minimal")
    return image


def test_minimal_is_smaller_and_has_only_the_core(minimal: Path, image_path: Path) -> None:
    info = micropython_wasi.image_info(minimal)
    assert info.variant == "minimal"
    assert info.modules == ["__main__", "builtins", "host", "micropython", "sys"]
    assert info.frozen_modules == []
    standard = micropython_wasi.image_info(image_path)
    assert standard.variant == "standard"
    assert minimal.stat().st_size < 0.85 * image_path.stat().st_size
    assert info.manifest["image_size"] == minimal.stat().st_size
    # The core language is all there ...
    assert out(minimal, """
class A:
    def __init__(self, n): self.n = n
    def __repr__(self): return "A(%d)" % self.n
def gen(n):
    for i in range(n):
        yield i * i
async def coro():
    return 5
c = coro()
try:
    c.send(None)
except StopIteration as e:
    r = e.value
print(A(3), list(gen(4)), 2**100 % 7, 1.5 * 4, {1, 2} | {3}, [1, 2, 3][::-1], r)
""") == "A(3) [0, 1, 4, 9] 2 6.0 {1, 2, 3} [3, 2, 1] 5\n"
    # ... tracebacks keep line numbers ...
    result = run(minimal, "x = 1\nraise ValueError('bad')")
    assert result.exception is not None and "line 2" in result.exception.traceback
    # ... and the optional modules are not.
    for name in ("json", "re", "os", "time", "math", "gc", "array", "collections", "struct", "io", "random",
                 "base64", "functools"):
        result = run(minimal, f"import {name}")
        assert result.exception is not None and result.exception.type == "ImportError", name


def test_module_selection(tmp_path: Path, minimal: Path) -> None:
    image = tmp_path / "small.wasm"
    info = build(image, "minimal", variant="minimal", modules=["+json", "+re"])
    assert info.module_changes == info.manifest["module_changes"] == ["+json", "+re"]
    # (json needs io, which came with it.)
    assert set(info.modules) == {"__main__", "builtins", "host", "micropython", "sys", "io", "json", "re"}
    assert out(image, "import json, re; print(json.dumps(re.compile(',').split('a,b')))") == '["a", "b"]\n'
    assert image.stat().st_size > minimal.stat().st_size
    assert run(image, "import math").exception.type == "ImportError"


def test_module_removed_and_added_on_standard(tmp_path: Path) -> None:
    image = tmp_path / "custom.wasm"
    info = build(image, "standard-modules", modules="-re,+framebuf")
    assert "re" not in info.modules and "framebuf" in info.modules
    assert run(image, "import re").exception.type == "ImportError"
    assert out(image, """
import framebuf
fb = framebuf.FrameBuffer(bytearray(8), 8, 8, framebuf.MONO_HLSB)
fb.hline(0, 0, 8, 1)
print(fb.pixel(3, 0), fb.pixel(3, 1))
""") == "1 0\n"


def test_full_variant(tmp_path: Path) -> None:
    image = tmp_path / "full.wasm"
    info = build(image, "full", variant="full")
    assert {"_asyncio", "select", "framebuf", "marshal", "uctypes"} <= set(info.modules)
    assert {"asyncio", "asyncio.core"} <= set(info.frozen_modules)
    assert out(image, """
import asyncio
async def square(n):
    await asyncio.sleep_ms(5 * n)
    return n * n
async def main():
    return await asyncio.gather(*(square(i) for i in range(4)))
print(asyncio.run(main()))
""") == "[0, 1, 4, 9]\n"
    # Waiting in select/asyncio still honours the run's timeout.
    with micropython_wasi.Sandbox(image=image, timeout=0.5) as sandbox:
        started = time.monotonic()
        with pytest.raises(micropython_wasi.TimeoutExceeded):
            sandbox.run("import asyncio\nasync def f():\n    await asyncio.sleep(60)\nasyncio.run(f())")
        assert time.monotonic() - started < 5


@pytest.fixture(scope="module")
def textkit_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The standard variant with the example C module, the example manifest and a single frozen file."""
    work = tmp_path_factory.mktemp("textkit")
    (work / "greeting.py").write_text("def hello(name):\n    return 'hello ' + name\n")
    image = work / "textkit.wasm"
    build(image, "standard", c_modules=[EXAMPLES / "editdistance"],
          manifests=[EXAMPLES / "textkit" / "manifest.py"], freeze=[work / "greeting.py"])
    return image


def test_c_module_and_frozen_package(textkit_image: Path) -> None:
    info = micropython_wasi.image_info(textkit_image)
    assert "editdistance" in info.modules
    assert info.manifest["user_c_modules"] == [{"path": str(EXAMPLES / "editdistance"), "modules": ["editdistance"]}]
    assert info.user_c_modules == ["editdistance"]
    assert info.user_frozen_modules == [
        "greeting", "keyword", "textkit", "textkit.formats", "textkit.formats.tabular", "textkit.fuzzy"]
    # The variant's own frozen modules are still there.
    assert {"base64", "bisect", "functools"} <= set(info.frozen_modules)
    assert out(textkit_image, """
import editdistance, textkit, greeting
from textkit.formats import table
from textkit.formats.tabular import offsets
print(editdistance.distance("kitten", "sitting"), editdistance.distance(b"abc", b"abd"), editdistance.distance("héllo", "hello"))
print(textkit.closest("pyhton", ["java", "python", "perl"]), textkit.fuzzy.ACCELERATED)
print(table([["a", 1], ["bbb", 22]]))
print(offsets([3, 2]), greeting.hello("you"))
try:
    editdistance.distance("a", b"a")
except TypeError as e:
    print(e)
""") == ("3 1 1\n['python'] True\na   | 1\nbbb | 22\n[0, 6] hello you\n"
         "distance() needs two strs or two bytes-like objects\n")
    # Frozen modules are imported from the image (their __file__ is their path in it), not from files.
    assert out(textkit_image, "import textkit.formats.tabular as t\nprint(t.__file__)") == "textkit/formats/tabular.py\n"


def test_info_lists_user_modules(textkit_image: Path) -> None:
    result = run_cli("--info", "--image", str(textkit_image))
    assert result.returncode == 0, result.stderr
    assert "user C modules: editdistance" in result.stdout
    assert "user frozen modules: greeting keyword textkit textkit.formats textkit.formats.tabular textkit.fuzzy" \
        in result.stdout


def test_long_c_call_is_interrupted_by_the_timeout(textkit_image: Path) -> None:
    with micropython_wasi.Sandbox(image=textkit_image, timeout=0.5) as sandbox:
        started = time.monotonic()
        with pytest.raises(micropython_wasi.TimeoutExceeded):
            sandbox.run("import editdistance\neditdistance.distance('a' * 50000, 'b' * 50000)")
        assert time.monotonic() - started < 5


def test_rebuild_after_changing_one_frozen_file_is_quick(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(EXAMPLES / "textkit" / "textkit", package / "textkit")
    image = tmp_path / "image.wasm"
    name = "standard-rebuild"
    started = time.monotonic()
    build(image, name, freeze=[package / "textkit"])
    first = time.monotonic() - started
    assert out(image, "import textkit; print(textkit.__version__)") == "1.0\n"

    init = package / "textkit" / "__init__.py"
    init.write_text(init.read_text().replace('__version__ = "1.0"', '__version__ = "2.0"'))
    started = time.monotonic()
    build(image, name, freeze=[package / "textkit"])
    rebuild = time.monotonic() - started
    assert out(image, "import textkit; print(textkit.__version__)") == "2.0\n"
    # Only the changed file was compiled again, and only the frozen content recompiled.
    log = (build_dir(name) / "build.log").read_text()
    assert re.findall(r"^MPY (\S+)", log, re.M) == ["textkit/__init__.py"]
    # (the object suffix is .o or .obj, depending on the CMake version)
    assert [Path(c).stem for c in re.findall(r"Building C object (\S+)", log)] == ["frozen_content.c"]
    assert rebuild < 120, f"rebuild took {rebuild:.0f} s (the first build {first:.0f} s)"

    # A file removed from the package leaves the image; dropping the package removes it all.
    (package / "textkit" / "formats" / "tabular.py").unlink()
    (package / "textkit" / "formats" / "__init__.py").write_text("")
    info = build(image, name, freeze=[package / "textkit"])
    assert "textkit.formats.tabular" not in info.frozen_modules
    assert run(image, "import textkit.formats.tabular").exception.type == "ImportError"
    info = build(image, name)
    assert not any(m.startswith("textkit") for m in info.frozen_modules)
    assert run(image, "import textkit").exception.type == "ImportError"


def test_syntax_error_in_a_frozen_file_names_file_and_line(tmp_path: Path) -> None:
    package = tmp_path / "brokenpkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .sub import mod\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "mod.py").write_text("def fine():\n    return 1\n\n\ndef broken(:\n    pass\n")
    output = tmp_path / "out.wasm"
    output.write_bytes(b"previous image")
    with pytest.raises(BuildError) as info:
        micropython_wasi.build(output, freeze=[package], source=REPO, build_dir=build_dir("standard-rebuild"))
    assert str(info.value) == f"{package / 'sub' / 'mod.py'}:5: SyntaxError: invalid syntax (frozen as brokenpkg/sub/mod.py)"
    # A failed build leaves the previous image as it was, and no temporary files.
    assert output.read_bytes() == b"previous image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brokenpkg", "out.wasm"]


def test_c_module_compile_error_keeps_the_previous_image(tmp_path: Path, textkit_image: Path) -> None:
    module = tmp_path / "brokenmod"
    shutil.copytree(EXAMPLES / "editdistance", module)
    source = module / "editdistance.c"
    source.write_text(source.read_text().replace("size_t cost =", "size_t cost = undefined_name +"))
    output = tmp_path / "out.wasm"
    shutil.copyfile(textkit_image, output)
    before = output.read_bytes()
    with pytest.raises(BuildError) as info:
        build(output, "standard-broken", c_modules=[module])
    message = str(info.value)
    assert message.startswith("C compilation failed:\n")
    assert f"{source}:" in message and "error: use of undeclared identifier 'undefined_name'" in message
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brokenmod", "out.wasm"]


def test_c_module_from_micropython_mk(tmp_path: Path) -> None:
    module = tmp_path / "editdistance"
    shutil.copytree(EXAMPLES / "editdistance", module)
    (module / "micropython.cmake").unlink()
    image = tmp_path / "mk.wasm"
    info = build(image, "standard-broken", c_modules=[module])
    assert "editdistance" in info.modules
    assert out(image, "import editdistance; print(editdistance.distance('flaw', 'lawn'))") == "2\n"


def test_manifest_written_next_to_the_image(textkit_image: Path) -> None:
    manifest = json.loads(textkit_image.with_suffix(".json").read_text())
    assert manifest["image_size"] == textkit_image.stat().st_size
    assert manifest["variant"] == "standard"
    assert manifest["freeze_manifests"] == [str(EXAMPLES / "textkit" / "manifest.py")]
