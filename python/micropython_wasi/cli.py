"""The micropython-wasi command: run code in the sandbox like the `micropython` binary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from ._image import image_info
from ._version import wasmtime_version
from .errors import SandboxError
from .sandbox import Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="micropython-wasi",
        description="Run Python code in a sandboxed MicroPython interpreter (WebAssembly/WASI).",
    )
    parser.add_argument("-c", dest="command", metavar="CODE", help="program passed in as a string")
    parser.add_argument("--image", help="interpreter image to use instead of the bundled one")
    parser.add_argument("--version", action="store_true", help="print versions and exit")
    parser.add_argument("file", nargs="?", help="program read from a file")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the program in sys.argv")
    return parser


def _version_text(image: str | None) -> str:
    info = image_info(image)
    toolchain = info.manifest.get("toolchain", {})
    return (
        f"micropython-wasi {__version__}\n"
        f"MicroPython {info.micropython_version} ({info.variant} variant)\n"
        f"compiler: {toolchain.get('compiler')}, wasm-opt: {toolchain.get('wasm_opt')}\n"
        f"runtime: wasmtime {wasmtime_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.version:
            print(_version_text(args.image))
            return 0
        if args.command is not None:
            source, program_argv = args.command, ["-c", *([args.file] if args.file else []), *args.args]
        elif args.file is not None:
            try:
                source = Path(args.file).read_text()
            except OSError as exc:
                print(f"micropython-wasi: can't open file '{args.file}': {exc.strerror}", file=sys.stderr)
                return 2
            program_argv = [args.file, *args.args]
        else:
            _parser().print_usage(sys.stderr)
            return 2
        with Sandbox(image=args.image) as sandbox:
            sandbox.set_argv(program_argv)
            result = sandbox.run(source)
    except SandboxError as exc:
        print(f"micropython-wasi: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
