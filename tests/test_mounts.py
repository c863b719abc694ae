"""Mounts: host directories the guest may see, read-only unless writable, and no way out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import micropython_wasi
from micropython_wasi import Mount, MountError, Sandbox, SandboxClosedError, run


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A host directory to mount, with a secret next to it."""
    root = tmp_path / "shared"
    (root / "sub").mkdir(parents=True)
    (root / "hello.txt").write_text("hello from the host\n")
    (root / "sub" / "data.bin").write_bytes(b"\x00\x01\x02")
    (root / "helper.py").write_text("ANSWER = 42\n")
    (tmp_path / "secret.txt").write_text("top secret\n")
    return root


def guest_ok(source: str, **options: object) -> str:
    result = run(source, **options)  # type: ignore[arg-type]
    assert result.ok, result.stderr
    return result.stdout


def test_read_only_mount_can_be_read(tree: Path) -> None:
    out = guest_ok(
        "import os\n"
        "print(open('/data/hello.txt').read().strip())\n"
        "print(sorted(os.listdir('/data')), open('/data/sub/data.bin', 'rb').read())\n"
        "print(os.stat('/data/hello.txt')[6])\n"
        "import sys\nsys.path.append('/data')\nimport helper\nprint(helper.ANSWER)",
        mounts={"/data": tree})
    assert out.splitlines() == [
        "hello from the host", "['hello.txt', 'helper.py', 'sub'] b'\\x00\\x01\\x02'", "20", "42",
    ]


@pytest.mark.parametrize("operation", [
    "open('/data/new.txt', 'w').write('x')",
    "open('/data/hello.txt', 'a').write('x')",
    "open('/data/hello.txt', 'w')",
    "import os\nos.remove('/data/hello.txt')",
    "import os\nos.mkdir('/data/newdir')",
    "import os\nos.rename('/data/hello.txt', '/data/renamed.txt')",
    "import os\nos.rmdir('/data/sub')",
])
def test_read_only_mount_refuses_writes(tree: Path, operation: str) -> None:
    before = sorted(p.name for p in tree.rglob("*"))
    result = run(operation, mounts={"/data": tree})
    assert result.exception is not None and result.exception.type == "OSError", result
    assert sorted(p.name for p in tree.rglob("*")) == before
    assert (tree / "hello.txt").read_text() == "hello from the host\n"


def test_writable_mount(tree: Path) -> None:
    guest_ok("open('/out/new.txt', 'w').write('written by the guest')\n"
             "import os\nos.mkdir('/out/made')\nos.remove('/out/hello.txt')",
             mounts={"/out": Mount(tree, writable=True)})
    assert (tree / "new.txt").read_text() == "written by the guest"
    assert (tree / "made").is_dir() and not (tree / "hello.txt").exists()


def test_read_only_and_writable_mounts_together(tree: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    guest_ok("open('/out/copy.txt', 'w').write(open('/in/hello.txt').read().upper())",
             mounts={"/in": str(tree), "/out": Mount(str(out_dir), writable=True)})
    assert (out_dir / "copy.txt").read_text() == "HELLO FROM THE HOST\n"


def test_nested_mount_points(tree: Path, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "x.txt").write_text("inner")
    out = guest_ok("print(open('/data/hello.txt').read().strip(), open('/data/deep/x.txt').read())",
                   mounts={"/data": tree, "/data/deep": inner})
    assert out == "hello from the host inner\n"


ESCAPES = [
    "open('/data/../secret.txt')",
    "open('/data/sub/../../secret.txt')",
    "open('/data/link_out/secret.txt')",
    "open('/data/link_file')",
    "open('/data/abs_link')",
    "open('/secret.txt')",
    "open('/etc/passwd')",
    "open('../secret.txt')",
    "import os\nos.chdir('/data')\nopen('../secret.txt')",
    "import os\nos.chdir('/')\nopen('secret.txt')",
    "import os\nos.chdir('/data/..')\nopen('secret.txt')",
]


@pytest.mark.parametrize("attempt", ESCAPES)
def test_mounts_cannot_be_escaped(tree: Path, tmp_path: Path, attempt: str) -> None:
    os.symlink(tmp_path, tree / "link_out")
    os.symlink(tmp_path / "secret.txt", tree / "link_file")
    os.symlink("/etc/passwd", tree / "abs_link")
    result = run(attempt + "\nprint('escaped')", mounts={"/data": tree})
    assert "escaped" not in result.stdout and "top secret" not in result.stdout
    assert result.exception is not None and result.exception.type == "OSError", result


def test_symlink_inside_the_mount_works(tree: Path) -> None:
    os.symlink("hello.txt", tree / "alias.txt")
    assert guest_ok("print(open('/data/alias.txt').read().strip())", mounts={"/data": tree}) == \
        "hello from the host\n"


def test_writable_mount_cannot_be_escaped_either(tree: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path, tree / "link_out")
    for attempt in ("open('/out/../evil.txt', 'w').write('x')", "open('/out/link_out/evil.txt', 'w').write('x')"):
        result = run(attempt, mounts={"/out": Mount(tree, writable=True)})
        assert result.exception is not None and result.exception.type == "OSError"
    assert not (tmp_path / "evil.txt").exists()


def test_no_files_without_mounts(tree: Path) -> None:
    result = run(f"open({str(tree / 'hello.txt')!r})")
    assert result.exception is not None and result.exception.type == "OSError"


def test_mounts_persist_in_a_sandbox(tree: Path) -> None:
    with Sandbox(mounts={"/data": tree}) as sb:
        sb.run("f = open('/data/hello.txt')").check()
        assert sb.run("print(f.read().strip())").stdout == "hello from the host\n"
        sb.reset()
        assert sb.run("print(open('/data/hello.txt').read().strip())").stdout == "hello from the host\n"


def test_a_mounted_directory_symlink_is_followed_on_the_host(tree: Path, tmp_path: Path) -> None:
    link = tmp_path / "link_to_shared"
    os.symlink(tree, link)
    assert guest_ok("print(open('/d/hello.txt').read().strip())", mounts={"/d": link}) == "hello from the host\n"


@pytest.mark.parametrize(("mounts", "message"), [
    ({"/data": "/definitely/not/here"}, "does not exist"),
    ({"data": "."}, "must be absolute"),
    ({"/a/../b": "."}, "must not contain '.' or '..'"),
    ({"/a\0b": "."}, "NUL"),
    ({1: "."}, "must be a str"),
    ({"/data": 3}, "expected a host directory path"),
    ({"/data": Mount(".", writable="yes")}, "writable must be True or False"),  # type: ignore[arg-type]
    ({"/data": ".", "/data/": "."}, "mounted twice"),
    (["/data"], "must be a mapping"),
])
def test_bad_mounts_are_clear_errors(mounts: object, message: str) -> None:
    with pytest.raises(MountError, match=message):
        Sandbox(mounts=mounts)  # type: ignore[arg-type]


def test_mount_of_a_file_is_refused(tree: Path) -> None:
    with pytest.raises(MountError, match="is not a directory"):
        Sandbox(mounts={"/f": tree / "hello.txt"})


def test_mount_error_is_an_option_error() -> None:
    from micropython_wasi import OptionError, SandboxError

    assert issubclass(MountError, OptionError) and issubclass(MountError, SandboxError)


def test_a_reset_that_fails_leaves_the_sandbox_stopped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with Sandbox(mounts={"/data": data}) as box:
        box.run("x = 1").check()
        data.rmdir()
        with pytest.raises(MountError):
            box.reset()
        assert not box.alive and repr(box).startswith("<Sandbox reset failed ")
        with pytest.raises(SandboxClosedError, match=r"reset\(\) failed \(MountError: mount '/data'"):
            box.run("print(1)")
        data.mkdir()
        box.reset()
        assert box.alive and box.run("print(1)").stdout == "1\n"


# -- what the guest sees around its mounts ----------------------------------------


def test_the_root_lists_the_mount_points(tree: Path, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "x.txt").write_text("inner")
    out = guest_ok(
        "import os\n"
        "print(os.getcwd(), sorted(os.listdir('/')), os.listdir('/deep'), os.listdir('/deep/er'))\n"
        "print(sorted(os.listdir()), sorted(os.listdir('/data/..')), os.listdir('/deep/er/in'))\n"
        "print([os.stat(p)[0] & 0o170000 == 0o040000 for p in ('/', '/deep', '/deep/er', '/data')])\n"
        "print([e[0] for e in os.ilistdir('/')])",
        mounts={"/data": tree, "/deep/er/in": inner, "/deep/er/other": inner})
    assert out.splitlines() == [
        "/ ['data', 'deep'] ['er'] ['in', 'other']",
        "['data', 'deep'] ['data', 'deep'] ['x.txt']",
        "[True, True, True, True]",
        "['data', 'deep']",
    ]


def test_the_root_of_a_guest_without_mounts_is_empty() -> None:
    assert guest_ok("import os\nprint(os.getcwd(), os.listdir('/'), os.listdir())") == "/ [] []\n"


def test_chdir_into_mounts_and_back_and_relative_paths(tree: Path, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "x.txt").write_text("inner")
    out = guest_ok(
        "import os\n"
        "os.chdir('/data')\nprint(os.getcwd(), open('hello.txt').read().strip(), sorted(os.listdir()))\n"
        "os.chdir('sub')\nprint(os.getcwd(), os.listdir(), open('data.bin', 'rb').read())\n"
        "os.chdir('/')\nprint(os.getcwd(), open('data/hello.txt').read().strip(), sorted(os.listdir()))\n"
        "os.chdir('a')\nprint(os.getcwd(), os.listdir(), open('b/x.txt').read())\n"
        "os.chdir('b')\nprint(os.getcwd(), os.listdir())\n"
        "os.chdir('..')\nprint(os.getcwd())\n"
        "os.chdir('/data/..')\nprint(os.getcwd())\n"
        "for bad in ('/nowhere', 'nowhere', '/data/hello.txt'):\n"
        "    try:\n"
        "        os.chdir(bad)\n"
        "    except OSError as e:\n"
        "        print(bad, e.errno)\n"
        "print(os.getcwd())",
        mounts={"/data": tree, "/a/b": inner})
    assert out.splitlines() == [
        "/data hello from the host ['hello.txt', 'helper.py', 'sub']",
        "/data/sub ['data.bin'] b'\\x00\\x01\\x02'",
        "/ hello from the host ['a', 'data']",
        "/a ['b'] inner",
        "/a/b ['x.txt']",
        "/a",
        "/",
        "/nowhere 2",
        "nowhere 2",
        "/data/hello.txt 20",
        "/",
    ]


@pytest.mark.parametrize("operation", [
    "open('/x.txt', 'w')",
    "open('/a/x.txt', 'w')",
    "import os\nos.mkdir('/new')",
    "import os\nos.mkdir('/a/new')",
    "import os\nos.rmdir('/a')",
    "import os\nos.listdir('/nowhere')",
    "import os\nos.stat('/a/nowhere')",
    "import os\nos.listdir('/data/hello.txt')",
])
def test_the_directories_above_mounts_are_read_only_and_empty(tree: Path, operation: str) -> None:
    result = run(operation, mounts={"/data": Mount(tree, writable=True), "/a/b": tree})
    assert result.exception is not None and result.exception.type == "OSError", result


# -- host directories that hand over the host ---------------------------------------


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no procfs")
@pytest.mark.parametrize("host", ["/", "/proc", "/proc/self", "/sys", "/dev", "/dev/shm"])
def test_kernel_filesystems_are_refused(host: str) -> None:
    if not os.path.isdir(host):
        pytest.skip(f"no {host} here")
    with pytest.raises(MountError, match="kernel filesystem"):
        run("print(open('/h/proc/self/maps').read())", mounts={"/h": host})


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no procfs")
def test_a_link_to_a_kernel_filesystem_is_refused(tmp_path: Path) -> None:
    os.symlink("/proc", tmp_path / "p")
    with pytest.raises(MountError, match=r"is on the kernel filesystem /proc \(proc\)"):
        Sandbox(mounts={"/p": tmp_path / "p"})
    os.symlink("/", tmp_path / "root")
    with pytest.raises(MountError, match="contains the kernel filesystem"):
        Sandbox(mounts={"/r": Mount(tmp_path / "root", writable=False)})


def test_kernel_filesystems_come_from_mountinfo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A kernel filesystem mounted somewhere unusual is found by its type."""
    from micropython_wasi import _mount_checks

    odd = tmp_path / "odd place"
    (odd / "inside").mkdir(parents=True)
    info = tmp_path / "mountinfo"
    mount_point = str(odd).replace(" ", "\\040")
    info.write_text(
        "22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n"
        f"99 22 0:99 / {mount_point} rw,relatime shared:7 master:1 - sysfs sysfs rw\n")
    monkeypatch.setattr(_mount_checks, "_MOUNTINFO", str(info))
    monkeypatch.setattr(_mount_checks, "_table", _mount_checks._MountTable())
    for host in (odd, odd / "inside", tmp_path):
        with pytest.raises(MountError, match="kernel filesystem .*odd place \\(sysfs\\)"):
            Sandbox(mounts={"/x": host})
    (tmp_path / "fine").mkdir()
    Sandbox(mounts={"/x": tmp_path / "fine"}).close()


def _mount(*args: str) -> bool:
    """Mount something on the host (root with CAP_SYS_ADMIN only); False if not possible."""
    import subprocess

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    import subprocess

    subprocess.run(["umount", str(path)], check=True)


def test_kernel_filesystems_mounted_later_and_bind_mounts_are_seen(tmp_path: Path) -> None:
    """The mount table is re-read after it changes; a bind mount of /proc is still procfs."""
    (tmp_path / "p").mkdir()
    Sandbox(mounts={"/d": tmp_path}).close()
    if not _mount("-t", "proc", "proc", str(tmp_path / "p")):
        pytest.skip("cannot mount here (needs root with CAP_SYS_ADMIN)")
    try:
        with pytest.raises(MountError, match=r"contains the kernel filesystem .*/p \(proc\)"):
            Sandbox(mounts={"/d": tmp_path})
    finally:
        _umount(tmp_path / "p")
    Sandbox(mounts={"/d": tmp_path}).close()
    assert _mount("--bind", "/proc", str(tmp_path / "p"))
    try:
        with pytest.raises(MountError, match=r"is on the kernel filesystem .*\(proc\)"):
            Sandbox(mounts={"/d": tmp_path / "p"})
    finally:
        _umount(tmp_path / "p")


def test_a_bind_mount_of_a_directory_holding_the_cache_is_refused_writable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / ".cache" / "micropython-wasi").mkdir(parents=True)
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(home / ".cache" / "micropython-wasi"))
    (tmp_path / "other").mkdir()
    if not _mount("--bind", str(home), str(tmp_path / "other")):
        pytest.skip("cannot mount here (needs root with CAP_SYS_ADMIN)")
    try:
        with pytest.raises(MountError, match="overlaps the compiled-image cache"):
            Sandbox(mounts={"/h": Mount(tmp_path / "other", writable=True)})
    finally:
        _umount(tmp_path / "other")


def test_a_remembered_verdict_does_not_outlive_what_it_depends_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mount checks are remembered for fresh run()s, but a new cache location, or a
    directory replaced by another at the same path, is checked again."""
    data = tmp_path / "data"
    data.mkdir()
    writable = {"/d": Mount(data, writable=True)}
    assert run("print(1)", mounts=writable).stdout == "1\n"
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(data / "cache"))
    with pytest.raises(MountError, match="overlaps the compiled-image cache"):
        run("print(1)", mounts=writable)
    monkeypatch.delenv("MICROPY_WASI_CACHE_DIR")
    assert run("print(1)", mounts=writable).stdout == "1\n"
    # The same path, now a different directory: one that holds the package.
    data.rmdir()
    package = Path(micropython_wasi.__file__).resolve().parent
    os.symlink(package.parent, data)
    with pytest.raises(MountError, match="overlaps the micropython_wasi package"):
        run("print(1)", mounts={"/d": Mount(data, writable=True)})
