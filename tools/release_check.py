#!/usr/bin/env python3
"""Build and check micropython-wasi's release artifacts.

Every step of the release workflow (.github/workflows/dist.yml) is a
subcommand here, and tests/test_packaging.py runs the same subcommands, so
what CI does on GitHub is what the local test suite checks:

  clone DEST               a clean clone of HEAD, with the submodules the build
                           needs, copied from this checkout (no network)
  check-sdist SDIST        the sdist holds what an offline build needs (our
                           sources, the parts of MicroPython the build reads,
                           licences) and nothing else
  wheel-from-sdist SDIST   build the wheel from the sdist alone: git is made
                           unavailable and nothing is downloaded during the build
  check-wheel WHEEL        the wheel's contents, then install it into a fresh
                           virtual environment (only its runtime dependency,
                           wasmtime, comes along) and run code with it
  reproducible             clean builds of the same sources give a
                           byte-identical image (and the wheels' images match)
  wasm-opt                 print a wasm-opt the build can use (installing the
                           pinned binaryen from npm if there is none)

Building needs Linux or macOS (see README.md); check-wheel runs anywhere.
Exit status: 0 when the check passed, 1 when it failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "micropython_wasi"
DISTRIBUTION = "micropython-wasi"
IMAGE_IN_WHEEL = f"{PACKAGE}/image/micropython.wasm"
MANIFEST_IN_WHEEL = f"{PACKAGE}/image/micropython.json"
MIN_WASM_OPT_VERSION = 120

# Licence files: ours, MicroPython's (which also covers the libraries it
# bundles) and micropython-lib's (frozen modules come from it).
LICENSE_FILES = ("LICENSE", "micropython/LICENSE", "micropython/lib/micropython-lib/LICENSE")

# What an offline build reads from the sdist.
SDIST_REQUIRED = (
    "PKG-INFO", "pyproject.toml", "CMakeLists.txt", "README.md", *LICENSE_FILES,
    "ports/wasi/CMakeLists.txt", "ports/wasi/main.c", "ports/wasi/mpconfigport.h",
    "ports/wasi/variants/standard/manifest.py", "ports/wasi/tools/image_config.py",
    "cmake/reproducible.cmake", "toolchain/zig.cmake", "toolchain/binaryen/package-lock.json",
    f"python/{PACKAGE}/__init__.py", f"python/{PACKAGE}/py.typed",
    "micropython/py/mpconfig.h", "micropython/py/py.cmake", "micropython/py/mkrules.cmake",
    "micropython/py/makeversionhdr.py", "micropython/extmod/extmod.cmake",
    "micropython/shared/runtime/pyexec.c", "micropython/mpy-cross/Makefile",
    "micropython/tools/makemanifest.py", "micropython/tools/mpy-tool.py",
    "micropython/lib/micropython-lib/README.md",
    "micropython/lib/micropython-lib/python-stdlib/base64/base64.py",
)
# Libraries under micropython/lib/ that the image compiles in (or freezes from).
SDIST_MICROPYTHON_LIBS = {"uzlib", "re1.5", "crypto-algorithms", "oofatfs", "littlefs", "micropython-lib"}
# Parts of the MicroPython tree that no build of ours reads.
SDIST_MICROPYTHON_UNUSED = {"ports", "tests", "docs", "examples", "drivers", "logo", ".github"}
SDIST_MAX_BYTES = 8 * 1024 * 1024
ARTIFACT_SUFFIXES = {".pyc", ".pyo", ".o", ".a", ".so", ".dylib", ".dll", ".wasm", ".cwasm", ".mpy", ".whl"}

WHEEL_REQUIRED = (
    f"{PACKAGE}/__init__.py", f"{PACKAGE}/cli.py", f"{PACKAGE}/py.typed", IMAGE_IN_WHEEL, MANIFEST_IN_WHEEL,
)
# Build tools that must not end up in a user's environment.
BUILD_ONLY_DISTRIBUTIONS = {"ziglang", "scikit-build-core", "setuptools-scm", "cmake", "ninja"}
# Present in any new virtual environment, depending on the Python version.
VENV_BOOTSTRAP = {"pip", "setuptools", "wheel"}


class CheckFailed(Exception):
    """A check found a problem; the message says what and how to fix it."""


def log(message: str) -> None:
    """Progress and results go to stderr (stdout is for what a subcommand prints)."""
    print(message, file=sys.stderr, flush=True)


def run(cmd: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        log_file: Path | None = None, timeout: float = 3600) -> str:
    """Run a command; return its output, or fail with the end of it."""
    args = [str(c) for c in cmd]
    log("$ " + " ".join(a if len(a) < 100 and "\n" not in a else a.split("\n", 1)[0][:40] + " …" for a in args))
    try:
        proc = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout)
    except FileNotFoundError as exc:
        raise CheckFailed(f"{args[0]} was not found: install it, or put it on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"timed out after {timeout:.0f} s: {' '.join(args)}") from exc
    if log_file is not None:
        log_file.write_text(proc.stdout)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        where = f" (full log: {log_file})" if log_file is not None else ""
        raise CheckFailed(f"command failed with exit status {proc.returncode}{where}: {' '.join(args)}\n{tail}")
    return proc.stdout


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        from pip._vendor import tomli as tomllib  # type: ignore[no-redef]
    with path.open("rb") as f:
        return tomllib.load(f)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment, without variables that would make a check use something else than it means to."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "MICROPY_WASI_IMAGE", "VIRTUAL_ENV"}}
    env.update(extra)
    return env


# --- clone ------------------------------------------------------------------

def clone(dest: Path, repo: Path = REPO, rev: str = "HEAD") -> Path:
    """A clean clone of repo at rev, with the micropython and micropython-lib submodules
    checked out from repo's own copies (no network)."""
    if dest.exists() and any(dest.iterdir()):
        raise CheckFailed(f"{dest} is not empty: clone needs a new directory")
    mp, mplib = repo / "micropython", repo / "micropython" / "lib" / "micropython-lib"
    if not (mp / "py" / "mpconfig.h").exists() or not (mplib / "README.md").exists():
        raise CheckFailed(f"the submodules are not checked out in {repo}: run `git submodule update --init "
                          "micropython && git -C micropython submodule update --init lib/micropython-lib`")
    run(["git", "clone", "--quiet", repo, dest])
    run(["git", "-C", dest, "checkout", "--quiet", "--detach", rev])
    file_ok = ["-c", "protocol.file.allow=always"]
    run(["git", "-C", dest, *file_ok, "-c", f"submodule.micropython.url={mp}",
         "submodule", "update", "--quiet", "--init", "micropython"])
    run(["git", "-C", dest / "micropython", *file_ok, "-c", f"submodule.lib/micropython-lib.url={mplib}",
         "submodule", "update", "--quiet", "--init", "lib/micropython-lib"])
    commit = run(["git", "-C", dest, "rev-parse", "--short", "HEAD"]).strip()
    log(f"OK: clone of {rev} ({commit}) in {dest}")
    return dest


# --- wasm-opt ---------------------------------------------------------------

def wasm_opt_version(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"version (\d+)", out)
    return int(match.group(1)) if match else None


def find_wasm_opt(dest: Path, source: Path = REPO) -> Path:
    """A wasm-opt for the build: $WASM_OPT, a new enough one on PATH, or the
    binaryen pinned in toolchain/binaryen installed from npm into dest."""
    candidates = [os.environ.get("WASM_OPT"), shutil.which("wasm-opt")]
    for candidate in candidates:
        if candidate and (wasm_opt_version(candidate) or 0) >= MIN_WASM_OPT_VERSION:
            return Path(candidate)
    installed = dest / "node_modules" / ".bin" / "wasm-opt"
    if not installed.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise CheckFailed("no wasm-opt: install Node.js with npm, or binaryen "
                              f"{MIN_WASM_OPT_VERSION}+ (wasm-opt on PATH), or set WASM_OPT")
        dest.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(source / "toolchain" / "binaryen" / name, dest / name)
        run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=dest)
    return installed


# --- sdist ------------------------------------------------------------------

def sdist_members(sdist: Path) -> tuple[str, dict[str, int]]:
    """The sdist's top directory and its files (path below the top -> size)."""
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if not m.isdir()]
    tops = {m.name.split("/", 1)[0] for m in members}
    if len(tops) != 1:
        raise CheckFailed(f"{sdist.name}: expected one top-level directory, found {sorted(tops)}")
    top = tops.pop()
    return top, {m.name.split("/", 1)[1]: m.size for m in members if "/" in m.name}


def read_sdist_file(sdist: Path, top: str, name: str) -> str:
    with tarfile.open(sdist) as tar:
        f = tar.extractfile(f"{top}/{name}")
        assert f is not None
        return f.read().decode()


def check_sdist(sdist: Path) -> None:
    top, files = sdist_members(sdist)
    problems: list[str] = []
    missing = [name for name in SDIST_REQUIRED if name not in files]
    if missing:
        problems.append("missing (add them to sdist.include in pyproject.toml): " + ", ".join(missing))
    unwanted: list[str] = []
    for name in files:
        parts = PurePosixPath(name).parts
        if (".git" in parts or "__pycache__" in parts or "node_modules" in parts or parts[0] == "build"
                or PurePosixPath(name).suffix in ARTIFACT_SUFFIXES or parts[0] in {".git", ".venv", "dist"}):
            unwanted.append(name)
        elif parts[0] == "micropython" and len(parts) > 2:
            if parts[1] in SDIST_MICROPYTHON_UNUSED:
                unwanted.append(name)
            elif parts[1] == "lib" and parts[2] not in SDIST_MICROPYTHON_LIBS:
                unwanted.append(name)
    if unwanted:
        problems.append(f"{len(unwanted)} files that do not belong in an sdist (build output, VCS data or "
                        f"unused MicroPython parts; see sdist.include/exclude in pyproject.toml), e.g. "
                        + ", ".join(sorted(unwanted)[:8]))
    total = sum(files.values())
    if total > SDIST_MAX_BYTES:
        problems.append(f"{total / 1e6:.1f} MB of files, more than the {SDIST_MAX_BYTES / 1e6:.0f} MB expected: "
                        "is something unneeded included?")
    if "PKG-INFO" in files:
        info = email.parser.Parser().parsestr(read_sdist_file(sdist, top, "PKG-INFO"))
        expected_top = f"{PACKAGE}-{info['Version']}"
        if top != expected_top:
            problems.append(f"top directory {top!r} does not match PKG-INFO's version ({expected_top!r})")
        if info["Version"] in (None, "0.0"):
            problems.append(f"version {info['Version']!r}: the sdist was not made from a git checkout "
                            "(setuptools-scm needs the git history and tags)")
        for name in info.get_all("License-File") or []:
            if name not in files:
                problems.append(f"PKG-INFO names licence file {name} that is not in the sdist")
        if not info["License-Expression"]:
            problems.append("PKG-INFO has no License-Expression")
    if problems:
        raise CheckFailed(f"{sdist.name}:\n  " + "\n  ".join(problems))
    log(f"OK: {sdist.name}: {len(files)} files, {total / 1e6:.1f} MB uncompressed, "
        f"{sdist.stat().st_size / 1e6:.1f} MB compressed")


def build_requirements(pyproject: Path) -> list[str]:
    """What an isolated build of this source tree installs."""
    requires = list(load_toml(pyproject)["build-system"]["requires"])
    # scikit-build-core asks for these only when the system has none.
    if shutil.which("ninja") is None:
        requires.append("ninja")
    cmake = shutil.which("cmake")
    version = re.search(r"version (\d+)\.(\d+)", subprocess.run([cmake, "--version"], capture_output=True,
                                                               text=True).stdout) if cmake else None
    if version is None or (int(version[1]), int(version[2])) < (3, 20):
        requires.append("cmake>=3.20")
    return requires


def extract(sdist: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # Python without extraction filters
            tar.extractall(dest)
    (top,) = list(dest.iterdir())
    return top


def wheel_from_sdist(sdist: Path, outdir: Path, *, wasm_opt: Path | None = None, offline: bool = True) -> Path:
    """Build the wheel from the sdist alone, as a user's `pip install <sdist>` would,
    with git unavailable and (offline) no package index or npm registry."""
    try:
        import build  # noqa: F401
    except ImportError as exc:
        raise CheckFailed(f"the `build` package is missing from {sys.executable}: pip install build") from exc
    work = Path(tempfile.mkdtemp(prefix="mpw-from-sdist-"))
    try:
        wheel = _wheel_from_sdist(sdist, outdir, work, wasm_opt=wasm_opt, offline=offline)
    except BaseException:
        log(f"(the build's files are kept in {work})")
        raise
    shutil.rmtree(work, ignore_errors=True)
    return wheel


def _wheel_from_sdist(sdist: Path, outdir: Path, work: Path, *, wasm_opt: Path | None, offline: bool) -> Path:
    source = extract(sdist, work / "src")
    if any(p.name == ".git" for p in source.rglob(".git")):
        raise CheckFailed(f"{sdist.name} contains git metadata")
    if wasm_opt is None:
        wasm_opt = find_wasm_opt(work / "binaryen", source)

    # A git that refuses to run, first on PATH, and records that it was asked.
    nogit = work / "nogit"
    nogit.mkdir()
    git_calls = work / "git-calls.log"
    (nogit / "git").write_text(f'#!/bin/sh\necho "git $*" >> "{git_calls}"\n'
                               'echo "git is not available to this build" >&2\nexit 127\n')
    (nogit / "git").chmod(0o755)
    env = clean_env(PATH=f"{nogit}{os.pathsep}{os.environ.get('PATH', '')}", WASM_OPT=str(wasm_opt),
                    npm_config_offline="true")
    if offline:
        # The build requirements are fetched first; the build itself then runs without an index.
        wheelhouse = work / "wheelhouse"
        run([sys.executable, "-m", "pip", "download", "--quiet", "--dest", wheelhouse,
             *build_requirements(source / "pyproject.toml")])
        env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse))
    outdir.mkdir(parents=True, exist_ok=True)
    before = set(outdir.glob("*.whl"))
    log_file = work / "build.log"
    run([sys.executable, "-m", "build", "--wheel", "--outdir", outdir, source], env=env, cwd=work,
        log_file=log_file)
    built = sorted(set(outdir.glob("*.whl")) - before) or sorted(outdir.glob(f"{PACKAGE}-*.whl"))
    if not built:
        raise CheckFailed(f"no wheel was written to {outdir} (log: {log_file})")
    wheel = built[-1]
    refused = len(git_calls.read_text().splitlines()) if git_calls.exists() else 0
    log(f"OK: {wheel.name} built from {sdist.name} without git ({refused} git calls refused)"
        f"{' and without network access' if offline else ''}")
    return wheel


# --- wheel ------------------------------------------------------------------

def parse_wheel_name(wheel: Path) -> tuple[str, str, str]:
    match = re.fullmatch(r"(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-(?P<tag>[^-]+-[^-]+-[^-]+)\.whl",
                         wheel.name)
    if not match:
        raise CheckFailed(f"{wheel.name} is not a wheel file name")
    return match["name"], match["version"], match["tag"]


def check_wheel_contents(wheel: Path) -> dict:
    """Check what the wheel holds; return its image manifest."""
    name, version, tag = parse_wheel_name(wheel)
    problems: list[str] = []
    if name != PACKAGE:
        problems.append(f"distribution {name!r}, expected {PACKAGE!r}")
    if tag != "py3-none-any":
        problems.append(f"tag {tag!r}: the wheel should be py3-none-any (the image is platform-independent)")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        dist_info = f"{name}-{version}.dist-info"
        required = [*WHEEL_REQUIRED, f"{dist_info}/METADATA", f"{dist_info}/entry_points.txt",
                    *(f"{dist_info}/licenses/{lic}" for lic in LICENSE_FILES)]
        missing = [n for n in required if n not in names]
        if missing:
            problems.append("missing: " + ", ".join(missing))
        junk = sorted(n for n in names if "__pycache__" in n or PurePosixPath(n).suffix in
                      ARTIFACT_SUFFIXES - {".wasm"})
        if junk:
            problems.append("build output that does not belong in a wheel: " + ", ".join(junk[:8]))
        manifest: dict = {}
        if IMAGE_IN_WHEEL in names and MANIFEST_IN_WHEEL in names:
            image = zf.read(IMAGE_IN_WHEEL)
            manifest = json.loads(zf.read(MANIFEST_IN_WHEEL))
            if manifest.get("image_sha256") != sha256(image):
                problems.append(f"the manifest's image_sha256 {manifest.get('image_sha256')} is not the "
                                f"image's ({sha256(image)})")
            if not image.startswith(b"\0asm"):
                problems.append(f"{IMAGE_IN_WHEEL} is not a WebAssembly module")
        if f"{dist_info}/METADATA" in names:
            meta = email.parser.Parser().parsestr(zf.read(f"{dist_info}/METADATA").decode())
            if meta["Version"] != version:
                problems.append(f"METADATA version {meta['Version']} is not the file name's {version}")
            requires = [r for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r]
            if [re.split(r"[ <>=!~;\[]", r, maxsplit=1)[0].lower() for r in requires] != ["wasmtime"]:
                problems.append(f"runtime dependencies {requires}: expected only wasmtime")
            if not meta["License-Expression"]:
                problems.append("METADATA has no License-Expression")
            if not meta["Requires-Python"]:
                problems.append("METADATA has no Requires-Python")
        if f"{dist_info}/entry_points.txt" in names:
            if "micropython-wasi = " not in zf.read(f"{dist_info}/entry_points.txt").decode():
                problems.append("no micropython-wasi console script")
    if problems:
        raise CheckFailed(f"{wheel.name}:\n  " + "\n  ".join(problems))
    log(f"OK: {wheel.name}: contents, licences, image hash {manifest['image_sha256'][:16]}…")
    return manifest


GUEST_CHECK = r"""
import hashlib, json, sys
from importlib import metadata
from pathlib import Path
import micropython_wasi

dist = metadata.distribution("micropython-wasi")
files = {str(f).replace("\\", "/"): f for f in dist.files or []}
def on_disk(suffix):
    found = [f for name, f in files.items() if name.endswith(suffix)]
    return bool(found) and Path(dist.locate_file(found[0])).is_file()

info = micropython_wasi.image_info()
result = micropython_wasi.run("import sys\nprint(sum(range(10)), sys.implementation.name)")
print(json.dumps({
    "version": micropython_wasi.__version__,
    "metadata_version": dist.version,
    "package_dir": str(Path(micropython_wasi.__file__).resolve().parent),
    "prefix": str(Path(sys.prefix).resolve()),
    "image": str(info.path.resolve()),
    "image_sha256": hashlib.sha256(info.path.read_bytes()).hexdigest(),
    "micropython_version": info.micropython_version,
    "stdout": result.stdout,
    "ok": result.ok,
    "files": {s: on_disk(s) for s in ["micropython_wasi/py.typed", "micropython_wasi/image/micropython.wasm",
                                      "micropython_wasi/image/micropython.json", "licenses/LICENSE",
                                      "licenses/micropython/LICENSE",
                                      "licenses/micropython/lib/micropython-lib/LICENSE"]},
}))
"""


def venv_paths(venv: Path) -> tuple[Path, Path]:
    """The Python and micropython-wasi executables of a virtual environment."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe", venv / "Scripts" / "micropython-wasi.exe"
    return venv / "bin" / "python", venv / "bin" / "micropython-wasi"


def check_wheel(wheel: Path, python: str = sys.executable) -> None:
    manifest = check_wheel_contents(wheel)
    _, version, _ = parse_wheel_name(wheel)
    work = Path(tempfile.mkdtemp(prefix="mpw-fresh-venv-"))
    try:
        venv = work / "venv"
        run([python, "-m", "venv", venv], env=clean_env())
        vpython, vcli = venv_paths(venv)
        env = clean_env()
        run([vpython, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel.resolve()],
            env=env, cwd=work)
        listed = json.loads(run([vpython, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                                env=env, cwd=work))
        installed = {p["name"].lower().replace("_", "-") for p in listed} - VENV_BOOTSTRAP
        problems: list[str] = []
        if installed != {DISTRIBUTION, "wasmtime"}:
            problems.append(f"the environment holds {sorted(installed)}: expected only "
                            f"{DISTRIBUTION} and wasmtime")
        if installed & BUILD_ONLY_DISTRIBUTIONS:
            problems.append(f"build tools were installed: {sorted(installed & BUILD_ONLY_DISTRIBUTIONS)}")

        out = run([vcli, "-c", "print('hello from the sandbox', 2**100)"], env=env, cwd=work)
        if out.strip() != f"hello from the sandbox {2**100}":
            problems.append(f"micropython-wasi -c printed {out!r}")
        version_text = run([vcli, "--version"], env=env, cwd=work)
        expected_lines = [f"micropython-wasi {version}", f"MicroPython {manifest.get('micropython_version')}",
                          str(manifest.get("toolchain", {}).get("compiler")), "wasmtime"]
        for expected in expected_lines:
            if expected not in version_text:
                problems.append(f"micropython-wasi --version does not show {expected!r}:\n{version_text}")

        out = run([vpython, "-c", GUEST_CHECK], env=env, cwd=work)
        report = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
        if report["version"] != version or report["metadata_version"] != version:
            problems.append(f"__version__ {report['version']!r} / metadata {report['metadata_version']!r}, "
                            f"expected {version!r}")
        if not report["package_dir"].startswith(report["prefix"]):
            problems.append(f"the package was imported from {report['package_dir']}, not the new environment")
        if not report["image"].startswith(report["prefix"]):
            problems.append(f"the image {report['image']} is not the installed one")
        if report["image_sha256"] != manifest["image_sha256"]:
            problems.append("the installed image differs from the wheel's")
        if report["stdout"] != "45 micropython\n" or not report["ok"]:
            problems.append(f"run() gave {report['stdout']!r} (ok={report['ok']})")
        absent = [name for name, present in report["files"].items() if not present]
        if absent:
            problems.append("not installed: " + ", ".join(absent))
        if problems:
            raise CheckFailed(f"{wheel.name} in a fresh environment ({python}):\n  " + "\n  ".join(problems))
        log(f"OK: {wheel.name} installed with only wasmtime into a fresh environment "
            f"({run([vpython, '--version'], env=env).strip()}) and ran code:\n" + version_text.rstrip())
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- reproducibility --------------------------------------------------------

def image_of(path: Path) -> bytes:
    """The image in a wheel, or an image file."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            return zf.read(IMAGE_IN_WHEEL)
    return path.read_bytes()


def build_image(source: Path, build_dir: Path, wasm_opt: Path) -> Path:
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    env = clean_env()
    run(["cmake", "-S", source, "-B", build_dir, *generator, f"-DWASM_OPT={wasm_opt}",
         f"-DPython3_EXECUTABLE={sys.executable}"], env=env,
        log_file=build_dir.parent / f"{build_dir.name}-configure.log")
    run(["cmake", "--build", build_dir], env=env, log_file=build_dir.parent / f"{build_dir.name}.log")
    image = build_dir / "micropython.wasm"
    manifest = json.loads(image.with_suffix(".json").read_text())
    if manifest.get("image_sha256") != sha256(image.read_bytes()):
        raise CheckFailed(f"{image.with_suffix('.json')}: image_sha256 is not the image's hash")
    return image


def first_difference(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def reproducible(*, source: Path | None, builds: int, compare: Iterable[Path], wasm_opt: Path | None,
                 rev: str = "HEAD", keep: bool = False) -> str:
    """Build the image `builds` times from clean trees (each in its own clone of rev
    unless a source tree is given) and check that every build, and every image or
    wheel in compare, is byte-identical."""
    work = Path(tempfile.mkdtemp(prefix="mpw-reproducible-"))
    # One commit for every clone, even if the branch moves meanwhile.
    commit = run(["git", "-C", REPO, "rev-parse", "--verify", f"{rev}^{{commit}}"]).strip() \
        if source is None and builds > 0 else ""
    try:
        # (Only builds need wasm-opt: comparing given images must not install it.)
        if wasm_opt is None and builds > 0:
            wasm_opt = find_wasm_opt(work / "binaryen", source or REPO)
        images: dict[str, bytes] = {}
        for i in range(builds):
            tree = source if source is not None else clone(work / f"src{i}", rev=commit)
            assert wasm_opt is not None
            image = build_image(tree, work / f"build{i}", wasm_opt)
            images[f"clean build {i + 1} ({tree})"] = image.read_bytes()
            log(f"build {i + 1}: {sha256(images[f'clean build {i + 1} ({tree})'])}")
        for path in compare:
            images[str(path)] = image_of(path)
        if not images:
            raise CheckFailed("nothing to compare: give --builds and/or --compare")
        hashes = {name: sha256(data) for name, data in images.items()}
        if len(set(hashes.values())) != 1:
            (name_a, a), *rest = images.items()
            lines = [f"{hashes[n]}  {n}" for n in images]
            for name_b, b in rest:
                if b != a:
                    lines.append(f"{name_a} and {name_b} first differ at byte {first_difference(a, b)} "
                                 f"(sizes {len(a)} and {len(b)})")
                    break
            raise CheckFailed("the images differ: the build is not reproducible\n  " + "\n  ".join(lines))
        digest = next(iter(hashes.values()))
        log(f"OK: {len(images)} images are byte-identical, sha256 {digest}")
        return digest
    finally:
        if keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# --- command line -----------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("clone", help="clean clone of HEAD with its submodules, from this checkout")
    p.add_argument("dest", type=Path)
    p.add_argument("--rev", default="HEAD", help="commit or tag to check out (default HEAD)")

    p = sub.add_parser("check-sdist", help="check an sdist's contents")
    p.add_argument("sdist", type=Path)

    p = sub.add_parser("wheel-from-sdist", help="build the wheel from the sdist alone (no git, no network)")
    p.add_argument("sdist", type=Path)
    p.add_argument("--outdir", type=Path, required=True)
    p.add_argument("--wasm-opt", type=Path, help="wasm-opt to build with (default: $WASM_OPT, PATH or npm)")
    p.add_argument("--online", action="store_true",
                   help="let the build reach the package index (default: build requirements are fetched "
                        "first, and the build runs without an index)")

    p = sub.add_parser("check-wheel", help="check a wheel and run it in a fresh virtual environment")
    p.add_argument("wheel", type=Path)
    p.add_argument("--python", default=sys.executable, help="Python for the environment (default: this one)")
    p.add_argument("--contents-only", action="store_true", help="check the files only, install nothing")

    p = sub.add_parser("reproducible", help="clean builds give a byte-identical image")
    p.add_argument("--source", type=Path, help="source tree to build (default: a new clone of --rev per build)")
    p.add_argument("--rev", default="HEAD", help="commit or tag to clone (default HEAD)")
    p.add_argument("--builds", type=int, default=2, help="number of clean builds (default 2)")
    p.add_argument("--compare", type=Path, nargs="*", default=[], help="wheels or images that must match")
    p.add_argument("--wasm-opt", type=Path, help="wasm-opt to build with (default: $WASM_OPT, PATH or npm)")
    p.add_argument("--keep", action="store_true", help="keep the build directories")

    p = sub.add_parser("wasm-opt", help="print a wasm-opt to build with")
    p.add_argument("--dest", type=Path, required=True, help="where to install binaryen if needed")

    args = parser.parse_args(argv)
    try:
        if args.command == "clone":
            clone(args.dest.resolve(), rev=args.rev)
        elif args.command == "check-sdist":
            check_sdist(args.sdist)
        elif args.command == "wheel-from-sdist":
            wheel_from_sdist(args.sdist.resolve(), args.outdir.resolve(), wasm_opt=args.wasm_opt,
                             offline=not args.online)
        elif args.command == "check-wheel":
            if args.contents_only:
                check_wheel_contents(args.wheel)
            else:
                check_wheel(args.wheel, args.python)
        elif args.command == "reproducible":
            if args.builds < 0:
                parser.error("--builds must be 0 or more")
            reproducible(source=args.source.resolve() if args.source else None, builds=args.builds,
                         compare=args.compare, wasm_opt=args.wasm_opt, rev=args.rev, keep=args.keep)
        elif args.command == "wasm-opt":
            print(find_wasm_opt(args.dest.resolve()))
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
