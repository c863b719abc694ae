"""Nothing leaks between run() calls, between Sandboxes, or through a reused instance's memory."""

from __future__ import annotations

import pytest

import micropython_wasi
from micropython_wasi import GuestCrash, Sandbox

from .helpers import guest_raised

TAMPER = """
import builtins, sys, os, random
secret = 'SECRET-{tag}'
builtins.print_orig = print
builtins.len = lambda x: -1
builtins.SECRET_BUILTIN = secret
sys.path.insert(0, '/evil')
sys.modules['json'] = 'poisoned'
sys.argv.append(secret)
random.seed(1234)
class Leak:
    data = secret
sys.modules['leak'] = Leak
import micropython
micropython.schedule(lambda _: print('scheduled', secret), None)
"""

CHECK = """
import builtins, sys, json, random
print(hasattr(builtins, 'SECRET_BUILTIN'), 'secret' in globals(), '/evil' in sys.path,
      'leak' in sys.modules, isinstance(json, str), len('abc'), sys.argv)
"""


def test_run_function_starts_fresh_every_time() -> None:
    micropython_wasi.run(TAMPER.format(tag="run"))
    result = micropython_wasi.run(CHECK)
    assert result.ok, result.stderr
    assert result.stdout == "False False False False False 3 []\n"
    assert "SECRET" not in result.stdout + result.stderr


def test_sandboxes_do_not_share_state() -> None:
    with Sandbox() as first, Sandbox() as second:
        assert first.run(TAMPER.format(tag="first")).ok
        result = second.run(CHECK)
        assert result.stdout == "False False False False False 3 []\n"
        # The tampered interpreter keeps its own state (Sandbox state persists by design).
        assert first.run("print(len('abc'), secret)").stdout.endswith("-1 SECRET-first\n")


def test_reset_discards_all_state() -> None:
    with Sandbox() as box:
        box.run(TAMPER.format(tag="reset"))
        box.reset()
        result = box.run(CHECK)
        assert result.stdout == "False False False False False 3 []\n"


def test_heap_lock_left_by_a_program_affects_only_its_sandbox() -> None:
    with Sandbox() as locked, Sandbox() as other:
        locked.run("import micropython\nmicropython.heap_lock()")
        assert other.run("print([i for i in range(10)])").stdout == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
        locked.reset()
        assert locked.run("print('unlocked')").stdout == "unlocked\n"


@pytest.mark.parametrize("count", [3])
def test_memory_of_a_closed_sandbox_is_not_visible_to_the_next(count: int) -> None:
    """A secret written all over one instance's memory is gone from every later instance.

    Instances reuse pooled memory slots; this reads each new instance's whole
    linear memory from the host side (white-box) looking for the marker.
    """
    marker = b"LEAK-MARKER-5d9e7c"
    fill = ("m = b'LEAK-MARKER-5d9e7c' * 4096\nkeep = [m + bytes([i]) for i in range(200)]\n"
            "del keep\nimport gc\ngc.collect()")
    for _ in range(count):
        with Sandbox() as writer:
            assert writer.run(fill).ok
            assert writer._guest is not None
            assert marker in writer._guest.read_memory(0, writer._guest.memory_size())
        with Sandbox() as reader:
            assert reader._guest is not None
            memory = reader._guest.read_memory(0, reader._guest.memory_size())
            assert marker not in memory
            # Nor can the guest find it by any means it has.
            result = reader.run("import gc\nprint(gc.mem_free() > 0)")
            assert result.stdout == "True\n"


def test_killed_interpreter_leaves_nothing_behind() -> None:
    """After a run that ends an interpreter, the next Sandbox (possibly in the same slot) is clean."""
    def stop() -> None:
        raise SystemExit(1)

    with Sandbox(host_functions={"stop": stop}) as box:
        box.run("secret = 'KILLED-SECRET'")
        with pytest.raises(SystemExit):
            box.run("stop()")
        assert not box.alive
    with Sandbox() as box:
        guest_raised(box.run("print(secret)"), "NameError")


def test_stopped_interpreter_cannot_be_used_and_reset_gives_a_fresh_one() -> None:
    with Sandbox(fuel=5_000_000, timeout=None) as box:
        box.run("secret = 'FUEL-SECRET'")
        with pytest.raises(micropython_wasi.FuelExhausted):
            box.run("while True:\n    pass")
        with pytest.raises(micropython_wasi.SandboxClosedError, match=r"an earlier run was stopped \(FuelExhausted\)"):
            box.run("print(secret)")
        assert not box.alive and repr(box).startswith("<Sandbox stopped ")
        box.reset()
        assert box.alive and repr(box).startswith("<Sandbox alive ")
        guest_raised(box.run("print(secret)"), "NameError")


def test_output_of_one_run_is_not_in_the_next() -> None:
    with Sandbox() as box:
        box.run("print('first run output')\nimport sys\nsys.stderr.write('first run error')")
        result = box.run("print('second')")
        assert result.stdout == "second\n" and result.stderr == ""


def test_guest_crash_type_is_reported_not_raised_into_other_sandboxes() -> None:
    assert issubclass(GuestCrash, micropython_wasi.SandboxError)
    with Sandbox() as a, Sandbox() as b:
        a.run("x = 1")
        assert b.run("print('b')").stdout == "b\n"
        assert a.run("print(x)").stdout == "1\n"
