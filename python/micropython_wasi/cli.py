"""The micropython-wasi command: run code in the sandbox like the `micropython` binary.

    micropython-wasi [options] [-c CODE | -m MODULE | FILE] [args...]

With no program and a terminal on stdin it starts MicroPython's interactive
REPL; with no program and a file or pipe on stdin it runs what stdin holds.
Output is streamed as the guest writes it. The exit status is the guest's:
0, 1 after an uncaught exception, or the value passed to sys.exit(); 1 when a
limit stopped the program, 2 for a bad command line.

What the guest sees of the host: the current directory (read-only, at its
own path, and the guest's current directory) unless --no-cwd, the directory
of FILE (read-only), directories named by MICROPYPATH (read-only) and
--mount directories. Nothing else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from ._cli_args import (
    USAGE, Options, PathMap, UsageError, load_host_function, parse_args, parse_mount, parse_size,
)
from ._console import Console, Terminal, in_worker, raw_tty
from .errors import LimitExceeded, SandboxError

__all__ = ["USAGE", "Options", "UsageError", "main", "parse_args", "parse_mount", "parse_size"]


def _version_text(image: str | None) -> str:
    from . import __version__
    from ._image import image_info
    from ._version import wasmtime_version

    info = image_info(image)
    toolchain = info.manifest.get("toolchain", {})
    return (
        f"micropython-wasi {__version__}\n"
        f"MicroPython {info.micropython_version} ({info.variant} variant)\n"
        f"compiler: {toolchain.get('compiler')}, wasm-opt: {toolchain.get('wasm_opt')}\n"
        f"runtime: wasmtime {wasmtime_version()}"
    )


def _load_host_function(spec: str) -> tuple[str, Callable[..., Any]]:
    name, eq, target = spec.partition("=")
    if not eq or not name:
        raise UsageError(f"--host-function {spec!r}: expected NAME=MODULE:ATTR, e.g. now=time:time")
    return name, load_host_function(name, target, "--host-function")


def _micropypath(paths: PathMap, mounts: dict[str, Any]) -> list[str] | None:
    """sys.path entries from MICROPYPATH, mounting the directories it names."""
    from .sandbox import Mount

    value = os.environ.get("MICROPYPATH")
    if value is None:
        return None
    entries = []
    for entry in value.split(os.pathsep):
        if not entry or entry == ".frozen" or not os.path.isdir(entry):
            entries.append(entry)
            continue
        guest = paths.to_guest(entry)
        if guest is None:
            real = os.path.realpath(entry)
            mounts[real] = Mount(real)
            paths.add(real, real, False)
            guest = real
        entries.append(guest if os.path.isabs(entry) else entry)
    return entries


def _may_mount(directory: str) -> bool:
    """Whether a directory may be shared read-only: not one that holds /proc and the like.

    The current directory is shared by default; in a container it is often
    "/", which must not be, and the program then runs without it.
    """
    from ._mount_checks import check_mount
    from .errors import MountError

    try:
        check_mount(directory, os.path.realpath(directory), False)
    except MountError:
        return False
    return True


def _execute(opts: Options) -> int:
    from . import _abi
    from ._command import CommandSandbox, one_interpreter_per_process
    from .sandbox import Mount

    one_interpreter_per_process()

    paths = PathMap()
    mounts: dict[str, Any] = {}
    for spec in opts.mounts:
        host, guest, writable = parse_mount(spec)
        mounts[guest] = Mount(host, writable=writable)
        paths.add(host, guest, writable)
    cwd = os.getcwd()
    if not opts.no_cwd and paths.to_guest(cwd) is None and _may_mount(cwd):
        mounts[cwd] = Mount(cwd)
        paths.add(os.path.realpath(cwd), cwd, False)

    program_file = None
    if opts.file is not None and opts.file != "-":
        if not os.path.isfile(opts.file):
            sys.stderr.write(f"micropython-wasi: can't open file '{opts.file}': [Errno 2] No such file or directory\n")
            return 2
        directory = os.path.dirname(os.path.realpath(opts.file))
        if paths.to_guest(directory) is None:
            mounts[directory] = Mount(directory)
            paths.add(directory, directory, False)
        guest_file = paths.to_guest(opts.file)
        assert guest_file is not None
        # Keep a relative name relative (as `micropython` shows it in tracebacks)
        # when the guest's current directory is ours; libc does not resolve
        # '..' across mounts, so such a name becomes absolute.
        relative = os.path.normpath(opts.file)
        if (not os.path.isabs(opts.file) and paths.to_guest(cwd) is not None
                and ".." not in relative.split(os.sep)):
            program_file = relative
        else:
            program_file = guest_file
    sys_path = _micropypath(paths, mounts)

    host_functions = dict(_load_host_function(spec) for spec in opts.host_functions)
    options: dict[str, Any] = {
        "timeout": opts.timeout, "fuel": opts.fuel, "max_output": opts.max_output,
        "mounts": mounts, "host_functions": host_functions, "image": opts.image,
    }
    if opts.memory_limit is not None:
        options["memory_limit"] = opts.memory_limit

    console = Console()
    interactive = opts.inspect or (opts.command is None and opts.module is None and opts.file is None)
    sandbox = CommandSandbox(**options)
    with sandbox:
        sandbox.set_console(console.write, console.read)
        setup = []
        guest_cwd = paths.to_guest(cwd)
        if guest_cwd is not None:
            # (An image without the os module, such as the minimal variant, stays at "/".)
            setup.append(f"try:\n    __import__('os').chdir({guest_cwd!r})\nexcept ImportError:\n    pass")
        if sys_path is not None:
            setup.append(f"__import__('sys').path[1:] = {sys_path!r}")
        if setup:
            sandbox.run("\n".join(setup)).check()
        # (After the set-up code, which -v would otherwise show.)
        for option, value, flag in (
                (_abi.OPTION_VERBOSE, opts.verbose, "-v"),
                (_abi.OPTION_OPTIMISE, opts.optimise, "-O"),
                (_abi.OPTION_COMPILE_ONLY, int(opts.compile_only), "-X compile-only")):
            if value and not sandbox.set_option(option, value):
                raise UsageError(f"{flag} is not supported by this image")

        command, module = opts.command, opts.module
        if command is not None:
            sandbox.set_argv(["-c", *opts.args])
            run: Callable[[], Any] = lambda: sandbox.run(command)  # noqa: E731
        elif module is not None:
            sandbox.set_argv([module, *opts.args])
            run = lambda: sandbox.run_module(module)  # noqa: E731
        elif program_file is not None:
            sandbox.set_argv([opts.file or "", *opts.args])
            run = lambda: sandbox.run_file(program_file)  # noqa: E731
        elif opts.file == "-" or not os.isatty(0):
            source = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
            sandbox.set_console(console.write, None)  # stdin is the program
            sandbox.set_argv(["", *opts.args])
            run = lambda: sandbox.run(source)  # noqa: E731
            interactive = False
        else:
            run = None  # type: ignore[assignment]

        exit_code = 0
        if run is not None:
            result = in_worker(sandbox, console, run)
            exit_code = result.exit_code
            if result.exit_code != 0 and result.exception is None and not opts.inspect:
                interactive = False  # sys.exit()
        if interactive and os.isatty(0):
            terminal = Terminal.open()
            if terminal is not None and sandbox.set_option(_abi.OPTION_CONSOLE_MODE, 1):
                # The guest switches the terminal (see Terminal).
                console.terminal = terminal
                restore: Callable[[], None] | None = terminal.restore
            else:
                restore = raw_tty()
                console.raw = restore is not None
            try:
                result = in_worker(sandbox, console, sandbox.repl)
            finally:
                console.raw = False
                console.terminal = None
                if restore is not None:
                    restore()
            exit_code = result.exit_code
        # As `micropython` exits: the sys.atexit function, -v's statistics, finalisers.
        in_worker(sandbox, console, sandbox.finish)
        return int(exit_code)


def _info(image: str | None) -> int:
    """--info: describe the image; 1 if it cannot be found or read."""
    from ._image import describe_image, image_info

    try:
        print(describe_image(image_info(image)))
    except SandboxError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["build"]:  # micropython-wasi build ...: see _build.py
        from ._build import main as build_main

        return build_main(argv[1:])
    if argv[:1] == ["batch"]:  # micropython-wasi batch ...: see _batch_cli.py
        from ._batch_cli import main as batch_main

        return batch_main(argv[1:])
    if argv[:1] == ["mcp"]:  # micropython-wasi mcp ...: see _mcp_server.py
        from ._mcp_server import main as mcp_main

        return mcp_main(argv[1:])
    if argv[:1] == ["image"]:  # micropython-wasi image ...: see _prepare_cli.py
        from ._prepare_cli import main as image_main

        return image_main(argv[1:])

    try:
        opts = parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n(micropython-wasi --help for usage)\n")
        return 2
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    try:
        if opts.info:
            return _info(opts.image)
        if opts.version:
            print(_version_text(opts.image))
            return 0
        return _execute(opts)
    except UsageError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 2
    except LimitExceeded as exc:
        sys.stdout.flush()
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 1
    except SandboxError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 1 if not isinstance(exc, ValueError) else 2


if __name__ == "__main__":
    sys.exit(main())
