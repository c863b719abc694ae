"""`micropython-wasi image`: the command line of prepare.prepare_image()."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

USAGE_PROLOG = """\
Write an interpreter image whose every interpreter starts with the added
packages imported and the setup code run (see prepare_image in docs/api.md).
Run it with `micropython-wasi --image OUT.wasm`, Sandbox(image=...) or
MICROPY_WASI_IMAGE; `micropython-wasi --image OUT.wasm --info` describes it."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="micropython-wasi image", description=USAGE_PROLOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example: micropython-wasi image --add src/mypkg --setup setup.py -o app.wasm")
    parser.add_argument("-o", "--output", required=True, help="the image to write (.wasm; its manifest goes next to it)")
    parser.add_argument("--add", action="append", default=[], metavar="PATH[:GUEST]",
                        help="a package directory or .py file to import in the image, at GUEST "
                             "(default: /lib/NAME); repeatable")
    parser.add_argument("--setup", metavar="FILE", help="Python source to run after the imports")
    parser.add_argument("--base", metavar="IMAGE", help="the image to start from (default: the bundled one)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds each import and the setup may take (default: 60)")
    parser.add_argument("--memory-limit", type=_size, default=None, metavar="BYTES",
                        help="guest memory while preparing, e.g. 64m (default: 64m)")
    return parser


def _size(text: str) -> int:
    from ._cli_args import UsageError, parse_size

    try:
        return parse_size(text, "--memory-limit")
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_add(spec: str) -> tuple[str, str]:
    """(guest path, host path) of an --add PATH[:GUEST] value."""
    host, colon, guest = spec.rpartition(":")
    if not colon or not guest.startswith("/"):
        host, guest = spec, ""
    host = host.rstrip("/") or host
    return guest or f"/lib/{os.path.basename(host)}", host


def main(argv: Sequence[str] | None = None) -> int:
    """0 when the image was written, 1 when preparing it failed, 2 on bad arguments."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    from .errors import OptionError, SandboxError
    from .prepare import prepare_image

    files = dict(parse_add(spec) for spec in args.add)
    try:
        setup = None
        if args.setup is not None:
            try:
                with open(args.setup, encoding="utf-8") as f:
                    setup = f.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise OptionError(f"--setup {args.setup}: {exc}") from None
        options = {} if args.memory_limit is None else {"memory_limit": args.memory_limit}
        out = prepare_image(args.output, setup=setup, files=files, base=args.base, timeout=args.timeout, **options)
    except OptionError as exc:
        sys.stderr.write(f"micropython-wasi image: {exc}\n")
        return 2
    except SandboxError as exc:
        sys.stderr.write(f"micropython-wasi image: {exc}\n")
        return 1
    print(f"wrote {out} ({out.stat().st_size / 1024:.1f} KiB) and {out.with_suffix('.json')}")
    return 0
