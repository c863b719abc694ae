"""Limits: timeout (soft and hard), fuel, memory, output, and what a Sandbox does after one."""

from __future__ import annotations

import time

import pytest

from micropython_wasi import (
    FuelExhausted,
    LimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    Sandbox,
    SandboxClosedError,
    SandboxError,
    TimeoutExceeded,
    run,
)

BUSY_LOOP = "n = 0\nwhile True:\n    n += 1"
IGNORES_INTERRUPTS = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass"


def test_all_limit_errors_are_sandbox_errors() -> None:
    for cls in (TimeoutExceeded, FuelExhausted, MemoryLimitExceeded, OutputLimitExceeded):
        assert issubclass(cls, LimitExceeded) and issubclass(cls, SandboxError)


# -- timeout ------------------------------------------------------------------------


def test_soft_timeout_interrupts_and_the_sandbox_stays_usable() -> None:
    with Sandbox(timeout=0.3) as sb:
        sb.run("state = 'kept'").check()
        started = time.monotonic()
        with pytest.raises(TimeoutExceeded, match="timeout of 0.3 s") as info:
            sb.run("print('before')\n" + BUSY_LOOP)
        elapsed = time.monotonic() - started
        assert 0.25 < elapsed < 2.0
        partial = info.value.result
        assert partial is not None and partial.stdout == "before\n"
        assert partial.exception is not None and partial.exception.type == "KeyboardInterrupt"
        assert sb.alive
        assert sb.run("print(state, n > 0)").stdout == "kept True\n"


def test_hard_timeout_stops_a_guest_that_ignores_the_interrupt() -> None:
    with Sandbox(timeout=0.3) as sb:
        started = time.monotonic()
        with pytest.raises(TimeoutExceeded, match="did not stop when interrupted") as info:
            sb.run(IGNORES_INTERRUPTS)
        assert time.monotonic() - started < 3.0
        assert "state is lost" in str(info.value)
        assert not sb.alive
        with pytest.raises(SandboxClosedError, match=r"stopped \(TimeoutExceeded\).*reset\(\)"):
            sb.run("pass")
        sb.reset()
        assert sb.alive and sb.run("print('fresh')").stdout == "fresh\n"


def test_hard_timeout_stops_long_c_code() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutExceeded):
        run("x = 10 ** 10 ** 8", timeout=0.3)
    assert time.monotonic() - started < 3.0


def test_timeout_covers_sleep() -> None:
    with pytest.raises(TimeoutExceeded):
        run("import time\ntime.sleep(30)", timeout=0.2)


def test_timeout_none_allows_long_runs_and_default_is_set() -> None:
    assert Sandbox().timeout == 10.0
    result = run("import time\ntime.sleep(0.3)\nprint('done')", timeout=None)
    assert result.stdout == "done\n" and result.elapsed >= 0.29


def test_explicit_keyboard_interrupt_is_not_a_timeout() -> None:
    result = run("raise KeyboardInterrupt", timeout=5)
    assert result.exception is not None and result.exception.type == "KeyboardInterrupt"


def test_catching_the_interrupt_and_finishing_returns_a_result() -> None:
    result = run("import time\ntry:\n    time.sleep(5)\nexcept KeyboardInterrupt:\n    print('cleaned up')",
                 timeout=0.2)
    assert result.ok and result.stdout == "cleaned up\n"


# -- fuel ---------------------------------------------------------------------------


def test_fuel_exhausted_kills_the_run() -> None:
    with Sandbox(fuel=2_000_000) as sb:
        with pytest.raises(FuelExhausted, match="fuel") as info:
            sb.run("print('start')\n" + BUSY_LOOP)
        assert info.value.result is not None and info.value.result.stdout == "start\n"
        with pytest.raises(SandboxClosedError, match="FuelExhausted"):
            sb.run("pass")


def test_fuel_is_per_run_and_reported() -> None:
    with Sandbox(fuel=200_000_000) as sb:
        small = sb.run("s = 0\nfor i in range(100):\n    s += i")
        large = sb.run("s = 0\nfor i in range(10000):\n    s += i")
        again = sb.run("s = 0\nfor i in range(100):\n    s += i")
        assert small.fuel_consumed is not None and large.fuel_consumed is not None
        assert 0 < small.fuel_consumed < large.fuel_consumed <= 200_000_000
        # Each run starts with the full budget: a run that fits fits every time.
        assert again.ok and again.fuel_consumed == pytest.approx(small.fuel_consumed, rel=0.2)


def test_fuel_counts_deterministically() -> None:
    source = "d = {}\nfor i in range(1000):\n    d[str(i)] = i * i"
    first = run(source, fuel=10**9).fuel_consumed
    assert first is not None and first == run(source, fuel=10**9).fuel_consumed


def test_fuel_left_after_a_run_is_not_charged_to_the_next_calls() -> None:
    """The host's calls between runs (the next source text, a registration,
    argv) do not spend what the last run left of its budget."""
    program = "s = 0\nfor i in range(2000):\n    s += i"
    with Sandbox(fuel=10**9, timeout=None) as probe:
        needed = probe.run(program).fuel_consumed
    assert needed is not None
    with Sandbox(fuel=needed + 5, timeout=None) as sb:
        assert sb.run(program).fuel_consumed == needed  # 5 units left
        sb.register_function(len)
        sb.set_argv(["prog", "arg"])
        result = sb.run("import sys\nprint(sys.argv)")
        assert result.stdout == "['prog', 'arg']\n" and sb.alive


# -- memory -------------------------------------------------------------------------


def test_memory_limit_raises_and_the_sandbox_recovers() -> None:
    with Sandbox(memory_limit=8 * 1024 * 1024) as sb:
        sb.run("keep = [1, 2, 3]").check()
        with pytest.raises(MemoryLimitExceeded, match="ran out of memory") as info:
            sb.run("hog = []\nwhile True:\n    hog.append(bytearray(100000))")
        assert info.value.result is not None
        assert info.value.result.exception.type == "MemoryError"  # type: ignore[union-attr]
        assert sb.alive
        assert sb.run("del hog\nimport gc\ngc.collect()\nprint(keep, len(bytearray(1000000)))").stdout == \
            "[1, 2, 3] 1000000\n"


def test_memory_limit_bounds_what_the_guest_can_allocate() -> None:
    big = "b = bytearray(40 * 1024 * 1024)\nprint(len(b))"
    with pytest.raises(MemoryLimitExceeded):
        run(big, memory_limit=16 * 1024 * 1024)
    assert run(big, memory_limit=64 * 1024 * 1024).stdout == "41943040\n"


def test_guest_can_catch_memory_error() -> None:
    result = run("try:\n    b = bytearray(100 * 1024 * 1024)\nexcept MemoryError:\n    print('too big')",
                 memory_limit=8 * 1024 * 1024)
    assert result.ok and result.stdout == "too big\n"


# -- output -------------------------------------------------------------------------


def test_output_limit_keeps_what_fits() -> None:
    with Sandbox(max_output=1000) as sb:
        with pytest.raises(OutputLimitExceeded, match="max_output=1000") as info:
            sb.run("while True:\n    print('x' * 99)")
        partial = info.value.result
        assert partial is not None and len(partial.stdout) == 1000 and set(partial.stdout) <= {"x", "\n"}
        with pytest.raises(SandboxClosedError):
            sb.run("pass")
        sb.reset()
        assert sb.run("print('ok')").stdout == "ok\n"


def test_output_limit_counts_stderr_too() -> None:
    with pytest.raises(OutputLimitExceeded):
        run("import sys\nfor i in range(100):\n    sys.stderr.write('e' * 50)", max_output=2000)
    assert run("print('x' * 999)", max_output=1000).stdout == "x" * 999 + "\n"


def test_output_limit_zero_and_none() -> None:
    assert run("pass", max_output=0).ok
    with pytest.raises(OutputLimitExceeded):
        run("print(1)", max_output=0)
    assert len(run("print('y' * 3000000)", max_output=None).stdout) == 3000001


def test_max_output_counts_the_bytes_written_before_decoding() -> None:
    """Invalid UTF-8 counts as the bytes the guest wrote; each such byte arrives as one U+FFFD."""
    with Sandbox(max_output=1000) as box:
        result = box.run("import sys\nsys.stdout.buffer.write(b'\\xff' * 1000)")
        assert result.stdout == "\ufffd" * 1000
        with pytest.raises(OutputLimitExceeded):
            box.run("import sys\nsys.stdout.buffer.write(b'\\xff' * 1001)")


# -- host functions and the timeout ---------------------------------------------------


def _sleep_host(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@pytest.mark.parametrize("seconds", [0.6, 1.0])
def test_host_function_past_the_timeout_interrupts_the_guest_as_it_returns(seconds: float) -> None:
    """Past the soft deadline (0.6 s) or the hard one (1.0 s): a soft timeout either way, state kept."""
    with Sandbox(timeout=0.5, host_functions={"sleep_host": _sleep_host}) as box:
        box.run("kept = 42")
        with pytest.raises(TimeoutExceeded, match="host function 'sleep_host' ran") as info:
            box.run(f"sleep_host({seconds})\nprint('not reached')")
        assert "did not stop" not in str(info.value) and "state is lost" not in str(info.value)
        assert info.value.result is not None and info.value.result.stdout == ""
        assert box.alive and box.run("print(kept)").stdout == "42\n"


def test_hard_limit_counts_from_the_return_of_a_slow_host_function() -> None:
    """The guest may clean up after the interrupt for a little less than the grace period."""
    source = ("import time\ntry:\n    sleep_host(1.0)\nexcept KeyboardInterrupt:\n"
              "    time.sleep_ms(60)\n    print('cleaned up')")
    with Sandbox(timeout=0.5, host_functions={"sleep_host": _sleep_host}) as box:
        result = box.run(source)
        assert result.ok and result.stdout == "cleaned up\n"


def test_guest_cannot_buy_time_with_host_calls_after_the_timeout() -> None:
    """Host calls made after the soft deadline do not move the hard one."""
    source = ("while True:\n    try:\n        while True:\n            sleep_host(0.05)\n"
              "    except KeyboardInterrupt:\n        pass")
    with Sandbox(timeout=0.3, host_functions={"sleep_host": _sleep_host}) as box:
        started = time.monotonic()
        with pytest.raises(TimeoutExceeded, match="killed"):
            box.run(source)
        assert time.monotonic() - started < 0.3 + 0.13 + 0.1 + 1.0
