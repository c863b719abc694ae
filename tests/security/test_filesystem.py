"""Filesystem attacks: the guest sees only what is mounted, as it is mounted."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from micropython_wasi import Mount, Sandbox

from .helpers import QUICK, assert_alive, guest_raised, within

# MicroPython's errno numbers (Linux's).
ENOENT = 2
EPERM = 1
ENODEV = 19

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp_path/secret.txt outside the mount; tmp_path/data mounted, with files and a subdirectory."""
    (tmp_path / "secret.txt").write_text("host secret")
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "hello.txt").write_text("hello")
    (data / "sub" / "inner.txt").write_text("inner")
    return tmp_path


@pytest.fixture
def ro(tree: Path) -> Iterator[Sandbox]:
    with Sandbox(mounts={"/data": str(tree / "data")}) as box:
        yield box
        assert_alive(box)


@pytest.fixture
def rw(tree: Path) -> Iterator[Sandbox]:
    with Sandbox(mounts={"/data": Mount(str(tree / "data"), writable=True)}) as box:
        yield box
        assert_alive(box)


def oserror(result, errno: int) -> None:
    guest_raised(result, "OSError")
    assert f"[Errno {errno}]" in result.exception.message, result.exception


def test_mounted_file_is_readable(ro: Sandbox) -> None:
    """The baseline the attacks are measured against: the mount itself works."""
    result = ro.run("print(open('/data/hello.txt').read(), open('/data/sub/inner.txt').read())")
    assert result.ok and result.stdout == "hello inner\n"


@pytest.mark.parametrize("path", ["/etc/passwd", "/etc/hostname", "/proc/self/environ", "/proc/self/maps",
                                  "/dev/zero", "/root/.ssh/id_rsa", "C:\\Windows\\win.ini", "/tmp"])
def test_no_host_file_by_absolute_path(path: str) -> None:
    with Sandbox() as box, within(QUICK):
        result = box.run(f"open({path!r})")
    oserror(result, ENOENT)


def test_secret_is_not_reachable_by_absolute_host_path(ro: Sandbox, tree: Path) -> None:
    with within(QUICK):
        result = ro.run(f"open({str(tree / 'secret.txt')!r}).read()")
    oserror(result, ENOENT)


@pytest.mark.parametrize("source", [
    "open('/data/../secret.txt').read()",
    "open('/data/sub/../../secret.txt').read()",
    "open('/data/./sub/../../secret.txt').read()",
    "open('/data/' + '../' * 40 + 'etc/passwd').read()",
    "import os; os.chdir('/data'); open('../secret.txt').read()",
    "import os; os.chdir('/data/sub'); open('../../secret.txt').read()",
    "import os; os.stat('/data/../secret.txt')",
    "import vfs, os; vfs.mount(vfs.VfsPosix('/data/..'), '/up'); open('/up/secret.txt')",
])
def test_dotdot_cannot_leave_the_mount(ro: Sandbox, source: str) -> None:
    with within(QUICK):
        result = ro.run(source)
    oserror(result, EPERM)


@needs_symlinks
@pytest.mark.parametrize("target", ["relative", "absolute", "directory"])
def test_symlink_in_mount_pointing_outside_is_refused(tree: Path, target: str) -> None:
    link = tree / "data" / "link"
    if target == "relative":
        link.symlink_to("../secret.txt")
    elif target == "absolute":
        link.symlink_to(tree / "secret.txt")
    else:
        link.symlink_to("..", target_is_directory=True)
    source = "import os; print(os.listdir('/data/link'))" if target == "directory" else "open('/data/link').read()"
    with Sandbox(mounts={"/data": str(tree / "data")}) as box, within(QUICK):
        result = box.run(source)
        oserror(result, EPERM)
        # A link that stays inside the mount is followed: the refusal is about the target.
        (tree / "data" / "inside").symlink_to("hello.txt")
        assert box.run("print(open('/data/inside').read())").stdout == "hello\n"


@needs_symlinks
def test_symlink_loop_fails_fast(tree: Path) -> None:
    (tree / "data" / "a").symlink_to("b")
    (tree / "data" / "b").symlink_to("a")
    with Sandbox(mounts={"/data": str(tree / "data")}) as box, within(QUICK):
        result = box.run("open('/data/a')")
    guest_raised(result, "OSError")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_mount_does_not_block_the_host(tree: Path) -> None:
    """Opening a FIFO would block the host's thread where no time limit can reach it."""
    os.mkfifo(tree / "data" / "fifo")
    with Sandbox(mounts={"/data": str(tree / "data")}, timeout=2) as box, within(QUICK):
        result = box.run("open('/data/fifo').read()")
    oserror(result, EPERM)


@pytest.mark.parametrize("source", [
    "open('/data/new.txt', 'w')",
    "open('/data/hello.txt', 'w')",
    "open('/data/hello.txt', 'a').write('x')",
    "open('/data/hello.txt', 'r+')",
    "import os; os.remove('/data/hello.txt')",
    "import os; os.rename('/data/hello.txt', '/data/moved.txt')",
    "import os; os.mkdir('/data/newdir')",
    "import os; os.rmdir('/data/sub')",
])
def test_read_only_mount_cannot_be_changed(ro: Sandbox, tree: Path, source: str) -> None:
    before = sorted(p.name for p in (tree / "data").iterdir())
    with within(QUICK):
        result = ro.run(source)
    oserror(result, EPERM)
    assert sorted(p.name for p in (tree / "data").iterdir()) == before
    assert (tree / "data" / "hello.txt").read_text() == "hello"


def test_writable_mount_writes_stay_inside(rw: Sandbox, tree: Path) -> None:
    result = rw.run("f = open('/data/out.txt', 'w'); f.write('from guest'); f.close(); print('ok')")
    assert result.ok and result.stdout == "ok\n"
    assert (tree / "data" / "out.txt").read_text() == "from guest"
    with within(QUICK):
        for source in ["import os; os.rename('/data/out.txt', '/data/../escaped.txt')",
                       "open('/data/../escaped.txt', 'w')",
                       "import os; os.mkdir('/data/../escaped')"]:
            oserror(rw.run(source), EPERM)
    assert sorted(p.name for p in tree.iterdir()) == ["data", "secret.txt"]


@pytest.mark.parametrize("source", [
    "open('/x.txt', 'w')",
    "open('/tmp/x.txt', 'w')",
    "open('/data2/x.txt', 'w')",
    "import os; os.mkdir('/newdir')",
])
def test_nothing_can_be_created_outside_mounts(ro: Sandbox, source: str) -> None:
    with within(QUICK):
        result = ro.run(source)
    oserror(result, ENOENT)


def test_root_lists_nothing_without_mounts() -> None:
    with Sandbox() as box, within(QUICK):
        result = box.run("import os; print(os.listdir('/'), os.listdir(), os.getcwd())")
    assert result.ok and result.stdout == "[] [] /\n", result


@pytest.mark.parametrize("path", ["/", "/data/..", "/data/sub/../..", ".", ""])
def test_root_shows_no_host_directories_with_mounts(ro: Sandbox, path: str) -> None:
    # Only the mount point: "/" is virtual, whatever host directory holds the mount.
    result = ro.run(f"import os\nprint(sorted(os.listdir({path!r})))")
    assert result.ok and result.stdout == "['data']\n", result


def test_unmounting_root_exposes_nothing(ro: Sandbox) -> None:
    result = ro.run("import vfs, os\nvfs.umount('/')\nprint(os.listdir('/'))")
    assert result.ok and result.stdout == "[]\n"
    oserror(ro.run("open('/data/hello.txt')"), ENODEV)


@pytest.mark.parametrize("source", ["open('/data/hello\\x00.txt')", "open('/data/' + 'a' * 100000)"])
def test_strange_paths_are_errors(ro: Sandbox, source: str) -> None:
    with within(QUICK):
        result = ro.run(source)
    guest_raised(result, "OSError")


def test_run_file_outside_mounts_is_refused(ro: Sandbox, tree: Path) -> None:
    with within(QUICK):
        result = ro.run_file(str(tree / "secret.txt"))
    oserror(result, ENOENT)
    with within(QUICK):
        result = ro.run_file("/data/../secret.txt")
    oserror(result, EPERM)


def test_import_path_outside_mounts_finds_nothing(ro: Sandbox, tree: Path) -> None:
    (tree / "evil.py").write_text("print('escaped')")
    result = ro.run(f"import sys\nsys.path.insert(0, {str(tree)!r})\nsys.path.insert(0, '/data/..')\nimport evil")
    guest_raised(result, "ImportError", "evil")
    assert "escaped" not in result.stdout


def test_mounts_are_per_sandbox(tree: Path) -> None:
    """A Sandbox started after one with a mount (possibly in the same pooled slot) does not see it."""
    with Sandbox(mounts={"/data": str(tree / "data")}) as first:
        assert first.run("print(open('/data/hello.txt').read())").stdout == "hello\n"
    with Sandbox() as second:
        oserror(second.run("open('/data/hello.txt')"), ENOENT)
