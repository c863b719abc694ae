"""The host's environment, process, clocks, randomness, modules and network stay out of reach."""

from __future__ import annotations

import os
import time

import pytest

import micropython_wasi
from micropython_wasi import Sandbox

from .helpers import QUICK, guest_raised, within

SECRET = "s3cr3t-host-value-9f1c"


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MICROPY_WASI_TEST_SECRET", SECRET)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    return SECRET


@pytest.mark.parametrize("source", [
    "import os; os.environ",
    "import os; os.getenv('HOME')",
    "import os; os.putenv('X', '1')",
    "import os; os.getpid()",
    "import os; os.getppid()",
    "import os; os.getuid()",
    "import os; os.uname()",
    "import os; os.system('id')",
    "import os; os.popen('id')",
    "import os; os.fork()",
    "import os; os.kill(1, 9)",
    "import os; os.execv('/bin/sh', ['sh'])",
    "import sys; sys.executable",
    "import sys; sys.getrefcount(1)",
])
def test_no_environment_or_process_interface(source: str, secret_env: str) -> None:
    with within(QUICK):
        result = micropython_wasi.run(source)
    guest_raised(result, "AttributeError")


def test_host_environment_appears_nowhere(secret_env: str) -> None:
    """Everything the guest can enumerate about its surroundings, searched for a host secret."""
    source = """
import sys, os, platform, micropython, builtins
seen = [sys.argv, sys.path, sys.platform, sys.implementation, sys.version, sys.byteorder,
        sys.maxsize, list(sys.modules), dir(sys), dir(os), platform.platform(),
        dir(builtins), sys.stdin, sys.stdout, sys.stderr]
print(repr(seen))
"""
    result = micropython_wasi.run(source)
    assert result.ok, result.stderr
    assert secret_env not in result.stdout
    assert os.environ.get("HOME", "/nonexistent-home") not in result.stdout.replace("'/'", "")
    assert "sys.argv" not in result.stdout and "[]" in result.stdout  # argv is empty unless the host sets it


@pytest.mark.parametrize("module", [
    "socket", "usocket", "network", "ssl", "tls", "_thread", "threading", "subprocess",
    "ffi", "ctypes", "uctypes", "machine", "pyb", "esp", "webrepl", "requests", "urllib", "http",
    "signal", "termios", "pty", "fcntl", "mmap", "shutil", "pathlib", "tempfile",
    "bluetooth", "cryptolib", "lwip", "marshal", "importlib", "inspect", "code", "pickle",
])
def test_modules_that_are_not_built_in_cannot_be_imported(module: str) -> None:
    with within(QUICK):
        result = micropython_wasi.run(f"import {module}")
    guest_raised(result, "ImportError", module)


@pytest.mark.parametrize("source", [
    "__import__('socket')",
    "exec('import socket')",
    "import sys; sys.path.append('/lib'); import socket",
    "open('/dev/tcp/127.0.0.1/80')",
])
def test_no_way_to_a_socket(source: str) -> None:
    with within(QUICK):
        result = micropython_wasi.run(source)
    assert result.exception is not None and result.exception.type in ("ImportError", "OSError"), result


def test_the_wasi_interface_grants_no_sockets() -> None:
    """Beyond the modules: the image imports no socket functions from WASI at all."""
    from micropython_wasi import _runtime
    from micropython_wasi._image import resolve_image

    runtime = _runtime.get_runtime(resolve_image(None), False)
    imports = {(i.module, i.name) for i in runtime.module.imports}
    assert not [name for module, name in imports if name.startswith("sock_")], imports
    assert {module for module, _ in imports} <= {"wasi_snapshot_preview1", "micropython_wasi"}


def test_wall_clock_is_the_hosts_and_time_zone_is_utc() -> None:
    before = time.time()
    result = micropython_wasi.run("import time; print(time.time()); print(time.localtime() == time.gmtime())")
    after = time.time()
    now, utc = result.stdout.split()
    assert before - 1 <= float(now) <= after + 1
    assert utc == "True"  # no host time zone


def test_monotonic_clock_reveals_no_host_uptime() -> None:
    """ticks_ms() starts near zero for every interpreter, whatever the host's uptime."""
    with Sandbox() as box:
        first = int(box.run("import time; print(time.ticks_ms())").stdout)
        time.sleep(0.05)
        second = int(box.run("import time; print(time.ticks_ms())").stdout)
    assert 0 <= first < 5000
    assert second >= first


def test_randomness_is_independent_between_interpreters() -> None:
    """Interpreters start from one snapshot: the random state must still differ between them."""
    source = "import random, os; print(random.getrandbits(32), os.urandom(16).hex())"
    outputs = [micropython_wasi.run(source).stdout for _ in range(5)]
    assert len({o.split()[0] for o in outputs}) == 5
    assert len({o.split()[1] for o in outputs}) == 5


def test_sleep_is_bounded_by_the_timeout() -> None:
    with Sandbox(timeout=1) as box, within(1 + 3.0):
        with pytest.raises(micropython_wasi.TimeoutExceeded):
            box.run("import time; time.sleep(3600)")
        assert box.alive  # the soft timeout interrupts sleep; the interpreter carries on
