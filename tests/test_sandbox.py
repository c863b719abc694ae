"""The runner's API: run(), Sandbox, Result, options, errors, isolation and state."""

from __future__ import annotations

import copy
import pickle
import threading
import time
from pathlib import Path

import pytest

import micropython_wasi
from micropython_wasi import (
    GuestError,
    ImageError,
    OptionError,
    Result,
    Sandbox,
    SandboxClosedError,
    SandboxError,
    TimeoutExceeded,
    run,
)


def test_run_returns_output_and_ok_result() -> None:
    result = run("print('hello', 6 * 7)\nimport sys\nprint('err', file=sys.stderr)")
    assert isinstance(result, Result)
    assert result.stdout == "hello 42\n"
    assert result.stderr == "err\n"
    assert result.ok and result.exception is None and result.exit_code == 0
    assert result.fuel_consumed is None
    assert 0 < result.elapsed < 5
    assert result.check() is result


def test_guest_exception_keeps_type_message_and_traceback() -> None:
    result = run("def f():\n    raise ValueError('bad value')\nf()")
    assert not result.ok and result.exit_code == 1
    exc = result.exception
    assert exc is not None
    assert exc.type == "ValueError" and exc.message == "bad value"
    assert exc.traceback.splitlines() == [
        "Traceback (most recent call last):",
        '  File "<stdin>", line 3, in <module>',
        '  File "<stdin>", line 2, in f',
        "ValueError: bad value",
    ]
    assert result.stderr == exc.traceback  # printed like the `micropython` binary does
    with pytest.raises(GuestError, match="ValueError: bad value") as info:
        result.check()
    assert info.value.result is result


def test_custom_exception_type_name() -> None:
    exc = run("class Oops(Exception):\n    pass\nraise Oops('x', 2)").exception
    assert exc is not None and exc.type == "Oops" and exc.message == "('x', 2)"


def test_syntax_error_is_a_guest_exception() -> None:
    exc = run("def (:").exception
    assert exc is not None and exc.type == "SyntaxError"


def test_sys_exit_sets_exit_code_without_exception() -> None:
    result = run("import sys\nprint('bye')\nsys.exit(3)")
    assert result.stdout == "bye\n" and result.exception is None and result.exit_code == 3
    assert not result.ok
    with pytest.raises(GuestError, match="exited with status 3"):
        result.check()
    assert run("import sys\nsys.exit()").ok


def test_each_run_is_isolated() -> None:
    assert run("x = 41\nimport sys\nsys.path.append('/marker')\nprint(x + 1)").stdout == "42\n"
    result = run("import sys\nprint('/marker' in sys.path)\nprint(x)")
    assert result.stdout == "False\n"
    assert result.exception is not None and result.exception.type == "NameError"


def test_sandbox_keeps_globals_imports_functions_and_objects() -> None:
    with Sandbox() as sb:
        sb.run("import json\nclass Counter:\n    def __init__(self):\n        self.n = 0\n"
               "    def inc(self):\n        self.n += 1\n        return self.n\n"
               "c = Counter()\ndef twice(v):\n    return 2 * v\ndata = {'k': [1, 2]}").check()
        assert sb.run("c.inc(); print(c.inc(), twice(21), json.dumps(data))").stdout == '2 42 {"k": [1, 2]}\n'
        # A failing run does not lose state.
        assert sb.run("c.inc(); 1/0").exception is not None
        assert sb.run("print(c.n)").stdout == "3\n"


def test_sandboxes_are_isolated_from_each_other() -> None:
    with Sandbox() as a, Sandbox() as b:
        a.run("x = 'a'").check()
        b.run("x = 'b'").check()
        assert a.run("print(x)").stdout == "a\n"
        assert b.run("print(x)").stdout == "b\n"


def test_output_is_per_run() -> None:
    with Sandbox() as sb:
        assert sb.run("print(1)").stdout == "1\n"
        assert sb.run("print(2)").stdout == "2\n"


def test_unicode_and_large_output() -> None:
    result = run("print('h\u00e9llo \u2603 \U0001f600')\nprint('x' * 100000)")
    assert result.stdout.splitlines() == ["h\u00e9llo \u2603 \U0001f600", "x" * 100000]


def test_stdin_feeds_input_and_sys_stdin() -> None:
    result = run("name = input('name? ')\nimport sys\nrest = sys.stdin.read()\nprint(name.upper(), repr(rest))",
                 stdin="ada\nmore\n")
    assert result.stdout == "name? ADA 'more\\n'\n"
    # Without stdin the guest sees end of input.
    assert run("import sys\nprint(repr(sys.stdin.read()))").stdout == "''\n"


def test_set_argv() -> None:
    with Sandbox() as sb:
        sb.set_argv(["prog", "a", "\u00e9"])
        assert sb.run("import sys\nprint(sys.argv[:2], sys.argv[2] == '\u00e9')").stdout == "['prog', 'a'] True\n"


def test_nothing_from_the_host_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROPY_WASI_SECRET", "s3cret")
    out = run("import os, sys\n"
              "print(hasattr(os, 'getenv'), hasattr(os, 'system'))\n"
              "print(os.listdir('/'))\n"
              "for p in ('/etc/passwd', '/proc/self/environ', 'setup.py'):\n"
              "    try:\n        open(p)\n        print('opened', p)\n    except OSError:\n        pass\n"
              "for m in ('socket', 'ffi', 'machine', '_thread'):\n"
              "    try:\n        __import__(m)\n        print('imported', m)\n    except ImportError:\n        pass\n")
    assert out.stdout == "False False\n[]\n"


def test_run_file_and_run_module(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("VALUE = 7\n")
    (tmp_path / "main.py").write_text("import helper\nprint('main', helper.VALUE, __name__)\n")
    (tmp_path / "mod.py").write_text("print('module', __name__)\n")
    with Sandbox(mounts={"/app": tmp_path}) as sb:
        assert sb.run_file("/app/main.py").stdout == "main 7 __main__\n"
        sb.run("import sys\nsys.path.append('/app')").check()
        assert sb.run_module("mod").stdout == "module __main__\n"
        missing = sb.run_file("/app/nope.py").exception
        assert missing is not None and missing.type == "OSError"
    with pytest.raises(OptionError, match="not a module name"):
        Sandbox().run_module("no such")


def test_close_and_context_manager() -> None:
    sb = Sandbox()
    with sb:
        assert sb.alive and not sb.closed
    assert sb.closed and not sb.alive
    with pytest.raises(SandboxClosedError, match="closed"):
        sb.run("pass")
    with pytest.raises(SandboxClosedError):
        sb.register_function(len)
    sb.close()  # closing twice is harmless


def test_reset_starts_a_fresh_interpreter_with_the_same_host_functions() -> None:
    with Sandbox(host_functions={"seven": lambda: 7}) as sb:
        sb.run("x = 1").check()
        sb.reset()
        assert sb.run("print(seven())\nprint(x)").exception.type == "NameError"  # type: ignore[union-attr]
        assert sb.run("print(seven())").stdout == "7\n"


def test_concurrent_use_of_one_sandbox_is_refused() -> None:
    with Sandbox(timeout=5) as sb:
        started = threading.Event()

        def slow() -> None:
            started.set()
            sb.run("import time\ntime.sleep(0.5)")

        worker = threading.Thread(target=slow)
        worker.start()
        started.wait()
        time.sleep(0.1)
        with pytest.raises(SandboxError, match="already running"):
            sb.run("pass")
        worker.join()
        assert sb.run("print('free')").stdout == "free\n"


def test_interrupt_from_another_thread() -> None:
    with Sandbox(timeout=None) as sb:
        timer = threading.Timer(0.2, sb.interrupt)
        timer.start()
        result = sb.run("while True:\n    pass")
        timer.join()
        assert result.exception is not None and result.exception.type == "KeyboardInterrupt"
        assert sb.run("print('usable')").stdout == "usable\n"
        assert sb.interrupt() is False  # nothing running


def test_close_from_another_thread_interrupts_the_run() -> None:
    sb = Sandbox(timeout=None)
    results: list[Result] = []
    worker = threading.Thread(target=lambda: results.append(sb.run("while True:\n    pass")))
    worker.start()
    time.sleep(0.2)
    sb.close()
    worker.join(10)
    assert not worker.is_alive()
    assert results[0].exception is not None and results[0].exception.type == "KeyboardInterrupt"
    assert sb.closed
    with pytest.raises(SandboxClosedError):
        sb.run("pass")


def test_separate_threads_run_separate_sandboxes() -> None:
    outputs: dict[int, str] = {}

    def work(i: int) -> None:
        with Sandbox() as sb:
            sb.run(f"n = {i}").check()
            outputs[i] = sb.run("s = 0\nfor k in range(20000):\n    s += k\nprint(n, s)").stdout

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outputs == {i: f"{i} 199990000\n" for i in range(4)}


def test_many_live_sandboxes_beyond_the_instance_pool() -> None:
    sandboxes = [Sandbox() for _ in range(40)]
    try:
        for i, sb in enumerate(sandboxes):
            sb.run(f"v = {i}").check()
        assert [sb.run("print(v)").stdout for sb in sandboxes] == [f"{i}\n" for i in range(40)]
    finally:
        for sb in sandboxes:
            sb.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"memory_limit": 1000}, "memory_limit must be between"),
        ({"memory_limit": "64M"}, "memory_limit must be an int"),
        ({"memory_limit": True}, "memory_limit must be an int"),
        ({"fuel": 0}, "fuel must be between"),
        ({"fuel": 1.5}, "fuel must be an int"),
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"timeout": -1}, "timeout must be a positive number"),
        ({"timeout": "1"}, "timeout must be a positive number"),
        ({"timeout": float("nan")}, "timeout must be a positive number"),
        ({"max_output": -1}, "max_output must be"),
        ({"max_payload": 1}, "max_payload must be"),
        ({"host_functions": {"f": 1}}, "not callable"),
        ({"host_functions": {"not valid": len}}, "identifier"),
        ({"host_functions": [len]}, "mapping"),
        ({"image": 42}, "image must be a path"),
    ],
)
def test_bad_options_are_clear_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(OptionError, match=message):
        Sandbox(**options)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match=message):
        run("pass", **options)


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        run("pass", memory=1)


def test_bad_source_type() -> None:
    with pytest.raises(OptionError, match="source must be a str"):
        run(b"print(1)")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="stdin must be str or bytes"):
        run("pass", stdin=3)  # type: ignore[arg-type]


def test_bad_images(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="image not found"):
        Sandbox(image=tmp_path / "missing.wasm")
    not_wasm = tmp_path / "text.wasm"
    not_wasm.write_text("hello")
    with pytest.raises(ImageError, match="not a WebAssembly image"):
        Sandbox(image=not_wasm)
    # A valid module that is not an interpreter image.
    other = tmp_path / "other.wasm"
    other.write_bytes(bytes.fromhex("0061736d01000000"))
    with pytest.raises(ImageError, match="not a micropython-wasi image"):
        Sandbox(image=other)


def test_custom_image_option(image_path: Path) -> None:
    assert run("print('custom')", image=str(image_path)).stdout == "custom\n"
    assert run("print('path')", image=image_path).stdout == "path\n"


def test_image_info_describes_the_bundled_image() -> None:
    info = micropython_wasi.image_info()
    assert info.path.is_file() and info.micropython_version
    assert "host" in info.modules


def test_repr_and_state_properties() -> None:
    sb = Sandbox(timeout=3)
    assert "alive" in repr(sb) and "timeout=3.0" in repr(sb)
    sb.close()
    assert "closed" in repr(sb)


def test_results_and_errors_pickle_and_copy() -> None:
    """They cross process boundaries (multiprocessing, concurrent.futures)."""
    result = run("print('out')\nraise ValueError('bad')")
    assert pickle.loads(pickle.dumps(result)) == result == copy.copy(result)
    assert pickle.loads(pickle.dumps(result.exception)) == result.exception
    with pytest.raises(GuestError) as caught:
        result.check()
    error = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(error, GuestError) and str(error) == "ValueError: bad" and error.result == result
    limit = pickle.loads(pickle.dumps(TimeoutExceeded("too slow", result)))
    assert str(limit) == "too slow" and limit.result == result


def test_the_host_side_of_the_interface_is_not_public() -> None:
    """The guest's imports are served by a private object: help(Sandbox) and completion show the API only."""
    import pydoc

    public = {name for name in dir(Sandbox) if not name.startswith("_")}
    assert public == {"alive", "close", "closed", "fuel", "host_functions", "interrupt", "max_output", "max_payload",
                      "memory_limit", "register_function", "repl", "reset", "run", "run_file", "run_module",
                      "set_argv", "timeout", "snapshot", "restore", "from_snapshot", "fork"}
    with Sandbox() as box:
        assert not [name for name in vars(box) if not name.startswith("_")]
    assert "host_write" not in pydoc.render_doc(Sandbox, renderer=pydoc.plaintext)
