"""Release engineering: versions, supported platforms, the sdist and the wheel.

The quick tests run by default. The `release` tests build the sdist and the
wheel the way the release workflow does (with the same tools/release_check.py
subcommands) from a clean clone of HEAD, so commit before running them:

    python -m pytest -m release      # about 5 minutes on 2 cores
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pytest

import micropython_wasi

from conftest import REPO, run_cli

SCRIPT = REPO / "tools" / "release_check.py"
WORKFLOWS = REPO / ".github" / "workflows"


def release_check(*args: str | Path, python: str | Path = sys.executable,
                  timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit status {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def pyproject() -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        from pip._vendor import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads((REPO / "pyproject.toml").read_text())


# --- versions ---------------------------------------------------------------

def test_version_comes_from_the_installed_distribution() -> None:
    version = metadata.version("micropython-wasi")
    assert micropython_wasi.__version__ == version
    # A tag vX.Y.Z gives X.Y.Z; commits after it a .devN+gHASH version (setuptools-scm).
    assert re.fullmatch(r"\d+(\.\d+)+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[0-9a-z.]+)?", version), version
    assert version != "0.0", "built without git metadata or PKG-INFO: the version is unknown"


def test_cli_version_shows_the_package_image_toolchain_and_runtime_versions() -> None:
    info = micropython_wasi.image_info()
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"micropython-wasi {micropython_wasi.__version__}"
    assert lines[1].startswith(f"MicroPython {info.micropython_version} ")
    assert re.fullmatch(r"MicroPython \d+\.\d+\.\d+ \(\w+ variant\)", lines[1]), lines[1]
    toolchain = info.manifest["toolchain"]
    assert f"compiler: {toolchain['compiler']}" in proc.stdout
    assert f"wasm-opt: {toolchain['wasm_opt']}" in proc.stdout
    assert re.search(r"(zig|wasi-sdk) \d", toolchain["compiler"]), toolchain
    assert f"wasmtime {metadata.version('wasmtime')}" in proc.stdout


def pinned_commit_time() -> int:
    text = (REPO / "cmake" / "reproducible.cmake").read_text()
    match = re.search(r"set\(MICROPY_WASI_MICROPYTHON_COMMIT_TIME (\d+)\)", text)
    assert match, "cmake/reproducible.cmake has no MICROPY_WASI_MICROPYTHON_COMMIT_TIME"
    return int(match.group(1))


def test_image_build_date_is_the_pinned_micropython_release_date() -> None:
    """The image says when MicroPython was released, not when it was built."""
    date = datetime.fromtimestamp(pinned_commit_time(), timezone.utc).strftime("%Y-%m-%d")
    info = micropython_wasi.image_info()
    result = micropython_wasi.run("import sys\nprint(sys.version)")
    assert result.stdout.strip().endswith(f"MicroPython v{info.micropython_version} on {date}"), result.stdout


def test_pinned_date_matches_the_micropython_submodule() -> None:
    if not (REPO / "micropython" / ".git").exists():
        pytest.skip("micropython/ is not a git checkout")
    proc = subprocess.run(["git", "-C", str(REPO / "micropython"), "log", "-1", "--format=%ct"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"git cannot read micropython/: {proc.stderr.strip()}")
    assert int(proc.stdout) == pinned_commit_time(), (
        "micropython/ moved: set MICROPY_WASI_MICROPYTHON_COMMIT_TIME in cmake/reproducible.cmake "
        f"to {proc.stdout.strip()} (git -C micropython log -1 --format=%ct)")


# --- supported platforms ----------------------------------------------------

def matrix_values(workflow: str, key: str) -> list[str]:
    if not WORKFLOWS.is_dir():
        pytest.skip("no .github/workflows (an sdist does not carry them)")
    text = (WORKFLOWS / workflow).read_text()
    match = re.search(rf"^\s*{key}: \[(.*)\]\s*$", text, re.M)
    assert match, f"{workflow} has no one-line `{key}: [...]` matrix"
    return [v.strip().strip("'\"") for v in match.group(1).split(",")]


def test_supported_python_versions_agree_in_classifiers_ci_and_readme() -> None:
    project = pyproject()["project"]
    classified = sorted((c.rsplit(" :: ", 1)[1] for c in project["classifiers"]
                         if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)),
                        key=lambda v: int(v.split(".")[1]))
    assert classified, "no Python version classifiers"
    assert matrix_values("test.yml", "python") == classified
    assert project["requires-python"] == f">={classified[0]}"
    readme = (REPO / "README.md").read_text()
    assert f"Python {classified[0]}–{classified[-1]}" in readme, "README.md does not state the Python versions"


def test_supported_operating_systems_agree_in_classifiers_ci_and_readme() -> None:
    classifiers = set(pyproject()["project"]["classifiers"])
    runners = {"Linux": "ubuntu-latest", "macOS": "macos-latest", "Windows": "windows-latest"}
    classifier = {"Linux": "Operating System :: POSIX :: Linux", "macOS": "Operating System :: MacOS",
                  "Windows": "Operating System :: Microsoft :: Windows"}
    supported_line = next((line for line in (REPO / "README.md").read_text().splitlines()
                           if line.startswith("Supported:")), "")
    assert sorted(matrix_values("test.yml", "os")) == sorted(runners.values())
    for name in runners:
        assert classifier[name] in classifiers
        assert name in supported_line, f"README.md's 'Supported:' line does not name {name}"


# --- the checks themselves fail when they should -----------------------------

def make_sdist(path: Path, files: dict[str, bytes]) -> Path:
    top = "micropython_wasi-1.2.3"
    files = {"PKG-INFO": b"Metadata-Version: 2.4\nName: micropython-wasi\nVersion: 1.2.3\n"
                         b"License-Expression: MIT\nLicense-File: LICENSE\n\n", **files}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            member = tarfile.TarInfo(f"{top}/{name}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return path


def test_check_sdist_reports_missing_sources_and_build_output(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "micropython_wasi-1.2.3.tar.gz", {
        "LICENSE": b"MIT", "pyproject.toml": b"", "CMakeLists.txt": b"", "README.md": b"",
        "micropython/py/mpconfig.h": b"", "build/py3-none-any/micropython.wasm": b"\0asm",
        "micropython/ports/unix/main.c": b"", "python/micropython_wasi/__pycache__/x.pyc": b"",
    })
    proc = release_check("check-sdist", sdist)
    assert proc.returncode == 1, output(proc)
    assert "micropython/LICENSE" in proc.stderr and "micropython/lib/micropython-lib/LICENSE" in proc.stderr
    assert "ports/wasi/main.c" in proc.stderr
    assert "build/py3-none-any/micropython.wasm" in proc.stderr
    assert "micropython/ports/unix/main.c" in proc.stderr
    assert "sdist.include" in proc.stderr, "the message should say where to fix it"


def make_wheel(path: Path, *, image: bytes | None, manifest_hash: str | None = None,
               licences: tuple[str, ...] = ("LICENSE", "micropython/LICENSE",
                                            "micropython/lib/micropython-lib/LICENSE")) -> Path:
    dist_info = "micropython_wasi-1.2.3.dist-info"
    with zipfile.ZipFile(path, "w") as zf:
        for name in ("__init__.py", "cli.py", "py.typed"):
            zf.writestr(f"micropython_wasi/{name}", "")
        if image is not None:
            zf.writestr("micropython_wasi/image/micropython.wasm", image)
            zf.writestr("micropython_wasi/image/micropython.json", json.dumps(
                {"image_sha256": manifest_hash or hashlib.sha256(image).hexdigest()}))
        zf.writestr(f"{dist_info}/METADATA", "Metadata-Version: 2.4\nName: micropython-wasi\nVersion: 1.2.3\n"
                    "License-Expression: MIT\nRequires-Python: >=3.10\nRequires-Dist: wasmtime<51,>=50\n"
                    "Requires-Dist: ziglang\n")
        zf.writestr(f"{dist_info}/entry_points.txt", "[console_scripts]\nmicropython-wasi = x:main\n")
        for lic in licences:
            zf.writestr(f"{dist_info}/licenses/{lic}", "licence")
    return path


def test_check_wheel_reports_a_missing_image_licence_and_extra_dependency(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "micropython_wasi-1.2.3-py3-none-any.whl", image=None, licences=("LICENSE",))
    proc = release_check("check-wheel", "--contents-only", wheel)
    assert proc.returncode == 1, output(proc)
    assert "micropython_wasi/image/micropython.wasm" in proc.stderr
    assert "licenses/micropython/LICENSE" in proc.stderr
    assert "expected only wasmtime" in proc.stderr


def test_check_wheel_reports_an_image_that_does_not_match_its_manifest(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "micropython_wasi-1.2.3-py3-none-any.whl", image=b"\0asm\1\0\0\0",
                       manifest_hash="0" * 64)
    proc = release_check("check-wheel", "--contents-only", wheel)
    assert proc.returncode == 1, output(proc)
    assert "image_sha256" in proc.stderr


def test_reproducibility_check_compares_images_byte_for_byte(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.wasm", tmp_path / "b.wasm", tmp_path / "c.wasm"
    a.write_bytes(b"\0asm\1\0\0\0same")
    b.write_bytes(b"\0asm\1\0\0\0same")
    c.write_bytes(b"\0asm\1\0\0\0sane")
    proc = release_check("reproducible", "--builds", "0", "--compare", a, b)
    assert proc.returncode == 0, output(proc)
    assert hashlib.sha256(a.read_bytes()).hexdigest() in proc.stderr
    proc = release_check("reproducible", "--builds", "0", "--compare", a, b, c)
    assert proc.returncode == 1, output(proc)
    assert "first differ at byte 10" in proc.stderr


# --- release: the sdist and wheel, built and installed -------------------------

@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("release")


@pytest.fixture(scope="session")
def tools_python(release_dir: Path) -> Path:
    """A virtual environment with what the release workflow installs: build and twine."""
    venv = release_dir / "tools"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "build", "twine"], check=True)
    return python


@pytest.fixture(scope="session")
def checkout(release_dir: Path) -> Path:
    """A clean clone of HEAD: what a release is built from."""
    proc = release_check("clone", release_dir / "src")
    assert proc.returncode == 0, output(proc)
    return release_dir / "src"


@pytest.fixture(scope="session")
def wasm_opt(release_dir: Path) -> Path:
    proc = release_check("wasm-opt", "--dest", release_dir / "binaryen")
    assert proc.returncode == 0, output(proc)
    return Path(proc.stdout.strip())


@pytest.fixture(scope="session")
def sdist(tools_python: Path, checkout: Path, release_dir: Path) -> Path:
    dist = release_dir / "dist"
    proc = subprocess.run([str(tools_python), "-m", "build", "--sdist", "--outdir", str(dist), str(checkout)],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, output(proc)
    (sdist,) = dist.glob("*.tar.gz")
    return sdist


@pytest.fixture(scope="session")
def sdist_wheel(tools_python: Path, sdist: Path, wasm_opt: Path, release_dir: Path) -> Iterator[Path]:
    proc = release_check("wheel-from-sdist", sdist, "--outdir", release_dir / "dist", "--wasm-opt", wasm_opt,
                         python=tools_python)
    assert proc.returncode == 0, output(proc)
    assert "without git" in proc.stderr and "without network access" in proc.stderr, proc.stderr
    (wheel,) = (release_dir / "dist").glob("*.whl")
    yield wheel


@pytest.mark.release
def test_sdist_holds_what_an_offline_build_needs(sdist: Path) -> None:
    proc = release_check("check-sdist", sdist)
    assert proc.returncode == 0, output(proc)
    version = sdist.name.removeprefix("micropython_wasi-").removesuffix(".tar.gz")
    # From a clean checkout: a tag's version, or a dev version naming the commit (no ".dDATE" for changes).
    assert re.fullmatch(r"\d+(\.\d+)+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+\+g[0-9a-f]+)?", version), version


@pytest.mark.release
def test_wheel_builds_from_the_sdist_alone(sdist: Path, sdist_wheel: Path) -> None:
    version = sdist.name.removeprefix("micropython_wasi-").removesuffix(".tar.gz")
    assert sdist_wheel.name == f"micropython_wasi-{version}-py3-none-any.whl"


@pytest.mark.release
def test_twine_accepts_the_sdist_and_wheel(tools_python: Path, sdist: Path, sdist_wheel: Path) -> None:
    proc = subprocess.run([str(tools_python), "-m", "twine", "check", "--strict", str(sdist), str(sdist_wheel)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, output(proc)
    assert proc.stdout.count("PASSED") == 2, proc.stdout


@pytest.mark.release
def test_wheel_installs_and_runs_in_a_fresh_environment(tools_python: Path, sdist_wheel: Path) -> None:
    proc = release_check("check-wheel", sdist_wheel, "--python", sys.executable, python=tools_python,
                         timeout=900)
    assert proc.returncode == 0, output(proc)
    version = sdist_wheel.name.split("-")[1]
    assert f"micropython-wasi {version}\nMicroPython " in proc.stderr, proc.stderr


@pytest.mark.release
def test_image_is_reproducible(checkout: Path, sdist_wheel: Path, wasm_opt: Path) -> None:
    """A clean build of the git checkout gives the same image as the wheel built
    from the sdist (another path, no git, another build frontend)."""
    proc = release_check("reproducible", "--source", checkout, "--builds", "1", "--compare", sdist_wheel,
                         "--wasm-opt", wasm_opt)
    assert proc.returncode == 0, output(proc)
    assert "2 images are byte-identical" in proc.stderr


@pytest.mark.release
def test_pip_wheel_from_a_plain_clone_checks_out_the_submodules(tools_python: Path, release_dir: Path) -> None:
    """README's `pip install .` in a `git clone` without --recursive: the build
    initialises the submodules itself, and the wheel still carries every licence."""
    clone, out = release_dir / "plain-clone", release_dir / "plain-wheel"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=300)
    assert not (clone / "micropython" / "py").exists()
    proc = subprocess.run([str(tools_python), "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out),
                           str(clone)], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, output(proc)
    (wheel,) = out.glob("*.whl")
    proc = release_check("check-wheel", wheel, "--python", sys.executable, python=tools_python, timeout=900)
    assert proc.returncode == 0, output(proc)
