"""Bad images, and an image that abuses the host interface as a fully compromised interpreter could.

The interpreter is C code: a memory-safety bug in it would let a program do
anything the wasm module itself can. The host must hold even then. The
hostile image below calls the host imports with out-of-range pointers,
absurd lengths and unexpected names, recurses without bound, loops and grows
its memory, and every one of these must end as a SandboxError.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import wasmtime

from micropython_wasi import _engine
from micropython_wasi import (
    GuestCrash,
    ImageError,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    Sandbox,
    SandboxClosedError,
    SandboxError,
    TimeoutExceeded,
)

from .helpers import QUICK, SLACK, within

IMPORTS = """
  (import "micropython_wasi" "write" (func $write (param i32 i32 i32)))
  (import "micropython_wasi" "read" (func $read (param i32 i32) (result i32)))
  (import "micropython_wasi" "call" (func $call (param i32 i32 i32 i32) (result i32)))
  (import "micropython_wasi" "reply" (func $reply (param i32 i32)))
  (import "micropython_wasi" "exception" (func $exception (param i32 i32)))
"""

# mpw_exec runs the attack named by the first byte of the "source" the host wrote at 1024.
HOSTILE = """
(module
%s
  (memory (export "memory") 2)
  (data (i32.const 2048) "echo")
  (data (i32.const 2100) "Boom\\00\\ff\\fe not utf-8\\00trace")
  (data (i32.const 2200) "t\\00\\00\\00\\00d\\00\\00\\00\\00")
  (data (i32.const 2300) "KeyboardInterrupt\\00\\00")
  (func (export "mpw_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "mpw_buffer") (param i32) (result i32) (i32.const 1024))
  (func (export "mpw_register_host_function") (param i32) (result i32) (i32.const 0))
  (func $recurse (param i32) (result i32) (call $recurse (i32.add (local.get 0) (i32.const 1))))
  (func (export "mpw_exec") (param $len i32) (param $kind i32) (param $timeout i64) (result i32)
    (local $op i32) (local $n i32)
    (local.set $op (i32.load8_u (i32.const 1024)))
    ;; a: write from beyond the end of memory
    (if (i32.eq (local.get $op) (i32.const 97)) (then (call $write (i32.const 1) (i32.const 0xFFFFFF00) (i32.const 4096))))
    ;; b: write with a length far larger than memory
    (if (i32.eq (local.get $op) (i32.const 98)) (then (call $write (i32.const 1) (i32.const 0) (i32.const 0x7FFFFFFF))))
    ;; c: a well-formed write (the baseline)
    (if (i32.eq (local.get $op) (i32.const 99)) (then (call $write (i32.const 1) (i32.const 2048) (i32.const 4))))
    ;; d: read stdin into memory that does not exist
    (if (i32.eq (local.get $op) (i32.const 100)) (then (drop (call $read (i32.const 0xFFFFFFF0) (i32.const 100)))))
    ;; e: call a host function whose name lies outside memory
    (if (i32.eq (local.get $op) (i32.const 101))
      (then (drop (call $call (i32.const 0xFFFF0000) (i32.const 10) (i32.const 0) (i32.const 10)))))
    ;; f: call an unregistered name with a garbage payload, then fetch the reply out of bounds
    (if (i32.eq (local.get $op) (i32.const 102))
      (then (local.set $n (call $call (i32.const 2100) (i32.const 4) (i32.const 0) (i32.const 64)))
            (call $reply (i32.const 0xFFFFFFF0) (local.get $n))))
    ;; g: call a registered function with a garbage payload; fetch the reply properly
    (if (i32.eq (local.get $op) (i32.const 103))
      (then (local.set $n (call $call (i32.const 2048) (i32.const 4) (i32.const 0) (i32.const 64)))
            (call $reply (i32.const 4096) (local.get $n))
            (call $write (i32.const 1) (i32.const 4096) (local.get $n))))
    ;; h: report an exception from beyond memory
    (if (i32.eq (local.get $op) (i32.const 104)) (then (call $exception (i32.const 0xFFFFFFF0) (i32.const 32))))
    ;; i: unbounded recursion
    (if (i32.eq (local.get $op) (i32.const 105)) (then (drop (call $recurse (i32.const 0)))))
    ;; j: an endless loop
    (if (i32.eq (local.get $op) (i32.const 106)) (then (loop $l (br $l))))
    ;; k: grow memory beyond any limit, then report whether it worked
    (if (i32.eq (local.get $op) (i32.const 107)) (then (return (memory.grow (i32.const 60000)))))
    ;; l: trap
    (if (i32.eq (local.get $op) (i32.const 108)) (then unreachable))
    ;; m: write to a stream that does not exist
    (if (i32.eq (local.get $op) (i32.const 109)) (then (call $write (i32.const 99) (i32.const 2048) (i32.const 4))))
    ;; n: negative lengths
    (if (i32.eq (local.get $op) (i32.const 110)) (then (call $write (i32.const 1) (i32.const 16) (i32.const -16))))
    ;; o: an exception report that is not UTF-8 and has no separators where expected
    (if (i32.eq (local.get $op) (i32.const 111)) (then (call $exception (i32.const 2100) (i32.const 24)) (return (i32.const 1))))
    ;; p: write without end
    (if (i32.eq (local.get $op) (i32.const 112))
      (then (loop $l (call $write (i32.const 1) (i32.const 0) (i32.const 65536)) (br $l))))
    ;; q: a status the host never defined
    (if (i32.eq (local.get $op) (i32.const 113)) (then (return (i32.const 0x7FFFFFFF))))
    ;; r: ask to read far more than memory holds
    (if (i32.eq (local.get $op) (i32.const 114))
      (then (drop (call $read (i32.const 0) (i32.const 0x7FFFFFFF)))))
    ;; s: a reply fetched without any call before it
    (if (i32.eq (local.get $op) (i32.const 115)) (then (call $reply (i32.const 0) (i32.const 1000000))))
;; u: call echo(), then report KeyboardInterrupt without the port's timeout flag
    (if (i32.eq (local.get $op) (i32.const 117))
      (then (drop (call $call (i32.const 2048) (i32.const 4) (i32.const 2200) (i32.const 10)))
            (call $exception (i32.const 2300) (i32.const 19))
            (return (i32.const 1))))
        ;; t: grow memory to 20 MiB, call a 16 MiB name (all 'x'), write the reply out
    (if (i32.eq (local.get $op) (i32.const 116))
      (then (drop (memory.grow (i32.const 318)))
            (memory.fill (i32.const 65536) (i32.const 120) (i32.const 16777216))
            (local.set $n (call $call (i32.const 65536) (i32.const 16777216) (i32.const 0) (i32.const 0)))
            (if (i32.gt_u (local.get $n) (i32.const 60000)) (then (return (i32.const 0x1FF))))
            (call $reply (i32.const 4096) (local.get $n))
            (call $write (i32.const 1) (i32.const 4096) (local.get $n))))
    (i32.const 0))
)
""" % IMPORTS


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.wasm"
    path.write_bytes(wasmtime.wat2wasm(HOSTILE))
    return path


def echo(*args: object) -> object:
    return list(args)


def run_attack(image: Path, op: str, stdin: str | None = None, **options: object) -> object:
    with Sandbox(image=image, host_functions={"echo": echo}, **options) as box:  # type: ignore[arg-type]
        return box.run(op, stdin=stdin)


def test_hostile_image_baseline(hostile: Path) -> None:
    """The hostile image works as an image: a well-formed write arrives."""
    result = run_attack(hostile, "c")
    assert result.stdout == "echo"  # type: ignore[attr-defined]


@pytest.mark.parametrize("op", ["a", "b", "d", "e", "f", "h", "n"])
def test_out_of_bounds_pointers_are_caught_by_the_host(hostile: Path, op: str) -> None:
    # The guest's fault, found by the host's bounds check: not reported as a failure of the host.
    with within(QUICK), pytest.raises(GuestCrash, match="^the interpreter failed: the guest passed a buffer outside its memory"):
        run_attack(hostile, op, stdin="input for the reads " * 100)


def test_unknown_names_and_garbage_payloads_get_an_error_reply(hostile: Path) -> None:
    result = run_attack(hostile, "g")
    # The reply is an encoded error ('E' + type + message) that the host wrote back.
    assert result.stdout.startswith("E")  # type: ignore[attr-defined]
    assert "TypeError" in result.stdout  # type: ignore[attr-defined]


def test_unbounded_recursion_is_a_stack_overflow(hostile: Path) -> None:
    with within(QUICK), pytest.raises(GuestCrash, match="stack"):
        run_attack(hostile, "i")


def test_endless_loop_is_killed_by_the_hard_limit(hostile: Path) -> None:
    with within(1 + 2 + SLACK), pytest.raises(TimeoutExceeded):
        run_attack(hostile, "j", timeout=1)


def test_memory_cannot_grow_past_the_limit(hostile: Path) -> None:
    result = run_attack(hostile, "k", memory_limit=8 * 1024 * 1024)
    # memory.grow returned -1, which the host reads as an exit status.
    assert result.exception is None and result.exit_code == 255  # type: ignore[attr-defined]


def test_trap_is_a_guest_crash(hostile: Path) -> None:
    # The message keeps the trap's code and reason, not wasmtime's backtrace header.
    with within(QUICK), pytest.raises(GuestCrash, match="UNREACHABLE.*unreachable") as info:
        run_attack(hostile, "l")
    assert "backtrace" not in str(info.value)


def test_keyboard_interrupt_after_the_timeout_is_not_taken_for_a_timeout(hostile: Path) -> None:
    """Only the interpreter's report makes a TimeoutExceeded, not the exception's name and the time taken."""
    def echo() -> None:
        time.sleep(0.5)

    with Sandbox(image=hostile, host_functions={"echo": echo}, timeout=0.3) as box, within(QUICK):
        result = box.run("u")
    assert result.exception is not None and result.exception.type == "KeyboardInterrupt"
    assert result.elapsed >= 0.3


def test_huge_function_name_is_refused_without_reading_it(hostile: Path) -> None:
    """A 16 MiB name gets a short NameError reply (no host work or memory in proportion to it)."""
    with within(QUICK):
        result = run_attack(hostile, "t", memory_limit=64 * 1024 * 1024)
    assert result.exit_code == 0, "the reply was longer than 60000 bytes"  # type: ignore[attr-defined]
    assert result.stdout.startswith("E") and "NameError" in result.stdout  # type: ignore[attr-defined]
    assert "16777216 bytes" in result.stdout  # type: ignore[attr-defined]


def test_unknown_stream_status_and_stray_reply_are_harmless(hostile: Path) -> None:
    result = run_attack(hostile, "m")
    assert result.ok  # type: ignore[attr-defined]
    result = run_attack(hostile, "q")
    assert result.exit_code == 255 and result.exception is None  # type: ignore[attr-defined]
    result = run_attack(hostile, "s")  # no call was made: the reply is empty
    assert result.ok  # type: ignore[attr-defined]
    result = run_attack(hostile, "r", stdin="abc")  # a read may ask for more than there is
    assert result.ok  # type: ignore[attr-defined]


def test_malformed_exception_report_is_decoded_safely(hostile: Path) -> None:
    result = run_attack(hostile, "o")
    assert result.exception is not None and result.exception.type == "Boom"  # type: ignore[attr-defined]


def test_write_flood_is_stopped_by_max_output(hostile: Path) -> None:
    with within(QUICK), pytest.raises(OutputLimitExceeded):
        run_attack(hostile, "p", max_output=1024 * 1024)


# ---------------------------------------------------------------------------
# Images that are not images


def test_truncated_image(tmp_path: Path, image_path: Path) -> None:
    bad = tmp_path / "truncated.wasm"
    bad.write_bytes(image_path.read_bytes()[: image_path.stat().st_size // 2])
    with within(30), pytest.raises(ImageError):
        Sandbox(image=bad)


@pytest.mark.parametrize(("content", "match"), [
    (b"", "not a WebAssembly image"),
    (b"\x7fELF" + b"\0" * 60, "not a WebAssembly image"),
    (b"#!/bin/sh\nrm -rf /\n", "not a WebAssembly image"),
    (b"\0asm\x01\0\0\0\xff\xff\xff", "not a loadable WebAssembly image"),
    (b"\0asm\x0d\0\x01\0", "not a loadable WebAssembly image"),
])
def test_garbage_is_not_an_image(tmp_path: Path, content: bytes, match: str) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(content)
    with within(QUICK), pytest.raises(ImageError, match=match):
        Sandbox(image=bad)


@pytest.mark.parametrize(("wat", "match"), [
    ("(module)", "does not export"),
    ('(module (memory (export "memory") 1))', "does not export"),
    ('(module (import "env" "system" (func (param i32))) (memory (export "memory") 1))', "env"),
    ('(module (import "micropython_wasi" "spawn" (func)) (memory (export "memory") 1))', "spawn"),
    ('(module (import "micropython_wasi" "write" (func (param i64))) (memory (export "memory") 1))', "write"),
    ('(module (import "wasi_snapshot_preview1" "sock_open" (func (param i32 i32 i32) (result i32))))', "sock_open"),
    ('(module (import "wasi_snapshot_preview1" "proc_exec" (func (param i32) (result i32))))', "proc_exec"),
    ('(module (import "env" "memory" (memory 1)))', "env"),
])
def test_foreign_images_are_refused(tmp_path: Path, wat: str, match: str) -> None:
    bad = tmp_path / "foreign.wasm"
    bad.write_bytes(wasmtime.wat2wasm(wat))
    with within(QUICK), pytest.raises(ImageError, match=match):
        Sandbox(image=bad)


def stub_image(tmp_path: Path, init: str = "(i32.const 0)", buffer: str = "(i32.const 0)", extra: str = "") -> Path:
    """A minimal image with the host imports, these mpw_init and mpw_buffer bodies and extra exports."""
    wat = ('(module %s (memory (export "memory") 1)'
           ' (func (export "mpw_init") (param i32 i32) (result i32) %s)'
           ' (func (export "mpw_buffer") (param i32) (result i32) %s)'
           ' (func (export "mpw_exec") (param i32 i32 i64) (result i32) (i32.const 0)) %s)') % (
        IMPORTS, init, buffer, extra)
    path = tmp_path / "stub.wasm"
    path.write_bytes(wasmtime.wat2wasm(wat))
    return path


def test_image_that_traps_while_starting(tmp_path: Path) -> None:
    bad = stub_image(tmp_path, init="unreachable")
    with within(QUICK), pytest.raises(SandboxError):
        Sandbox(image=bad)


def test_image_whose_buffer_is_out_of_range(tmp_path: Path) -> None:
    bad = stub_image(tmp_path, buffer="(i32.const 0x7FFFFFF0)")
    with Sandbox(image=bad) as box, within(QUICK), pytest.raises(
            GuestCrash, match="^the interpreter failed: the guest passed a buffer outside its memory"):
        box.run("x")


def test_image_that_refuses_memory(tmp_path: Path) -> None:
    # (its mpw_buffer returns NULL: no guest memory for the source text)
    bad = stub_image(tmp_path)
    with Sandbox(image=bad) as box, within(QUICK), pytest.raises(MemoryLimitExceeded):
        box.run("x")


@pytest.mark.parametrize("call", ["register_function", "set_argv"])
def test_a_trap_between_runs_stops_the_interpreter(tmp_path: Path, call: str) -> None:
    bad = stub_image(tmp_path, buffer="(i32.const 1024)", extra=(
        '(func (export "mpw_register_host_function") (param i32) (result i32) unreachable)'
        ' (func (export "mpw_set_argv") (param i32) unreachable)'))
    with Sandbox(image=bad) as box:
        with within(QUICK), pytest.raises(GuestCrash, match="state is lost"):
            box.register_function(len) if call == "register_function" else box.set_argv(["prog"])
        assert not box.alive
        with pytest.raises(SandboxClosedError, match="reset"):
            box.run("x")


# ---------------------------------------------------------------------------
# Images that never finish starting


LOOP = "(loop $l (br $l))"


@pytest.fixture
def quick_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up bounds of half a second and 10**7 fuel, so that these tests take about that long."""
    monkeypatch.setattr(_engine, "STARTUP_TIMEOUT", 0.5)
    monkeypatch.setattr(_engine, "STARTUP_FUEL", 10**7)


@pytest.mark.parametrize("where", ["start", "mpw_init", "_initialize"])
@pytest.mark.parametrize("limits", [{}, {"timeout": None, "fuel": 10**9}], ids=["timeout", "fuel"])
def test_image_that_loops_while_starting_is_stopped(tmp_path: Path, quick_startup: None, where: str,
                                                    limits: dict[str, object]) -> None:
    if where == "start":
        bad = stub_image(tmp_path, extra="(func $start %s) (start $start)" % LOOP)
    elif where == "mpw_init":
        bad = stub_image(tmp_path, init=LOOP + " (i32.const 0)")
    else:
        bad = stub_image(tmp_path, extra='(func (export "_initialize") %s)' % LOOP)
    with within(2 * 0.5 + SLACK), pytest.raises(GuestCrash, match="did not finish starting|fuel starting"):
        Sandbox(image=bad, **limits)  # type: ignore[arg-type]
