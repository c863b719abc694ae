"""Host memory that decoding one host-function payload costs, for payload shapes that cost the most.

Each shape is a call payload of about `--size` bytes (default: the default
max_payload, 16 MiB), decoded by the host's decoder with no deadline, in a
fresh process: printed are the payload's size, the growth of the process's
peak resident memory while it decodes (VmHWM after a reset, Linux), its
ratio to the payload's size, and the decoding time (no deadline).

    python benchmarks/payload_memory.py
    python benchmarks/payload_memory.py --size 1048576
"""

from __future__ import annotations

import argparse
import gc
import platform
import struct
import subprocess
import sys
import time
from collections.abc import Callable

from micropython_wasi import _codec
from micropython_wasi.sandbox import DEFAULT_MAX_PAYLOAD


def call_payload(tag: bytes, count: int, item: bytes) -> bytes:
    """((container of `count` items,), {}) encoded as the guest encodes a call."""
    return b"t" + struct.pack("<I", 1) + tag + struct.pack("<I", count) + item * count + b"d" + struct.pack("<I", 0)


def dict_payload(count: int) -> bytes:
    items = b"".join(b"i" + struct.pack("<q", i) + b"N" for i in range(count))
    return b"t" + struct.pack("<I", 1) + b"d" + struct.pack("<I", count) + items + b"d" + struct.pack("<I", 0)


SHAPES: dict[str, Callable[[int], bytes]] = {
    "list of empty lists": lambda size: call_payload(b"l", size // 5, b"l\0\0\0\0"),
    "list of empty dicts": lambda size: call_payload(b"l", size // 5, b"d\0\0\0\0"),
    "list of None": lambda size: call_payload(b"l", size, b"N"),
    "list of small ints": lambda size: call_payload(b"l", size // 9, b"i" + struct.pack("<q", 7)),
    "list of floats": lambda size: call_payload(b"l", size // 9, b"f" + struct.pack("<d", 0.5)),
    "list of 2-char str": lambda size: call_payload(b"l", size // 7, b"s\2\0\0\0ab"),
    "dict of int: None": lambda size: dict_payload(size // 10),
}


def rss(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(name: str, size: int) -> None:
    """(In a child process.) Decode one shape and print: payload bytes, peak growth, seconds."""
    payload = SHAPES[name](size)
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # (resets the peak, VmHWM, to the current resident size)
    before = rss("VmRSS")
    started = time.perf_counter()
    value = _codec.decode_call(payload)
    elapsed = time.perf_counter() - started
    print(len(payload), rss("VmHWM") - before, elapsed)
    del value


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_MAX_PAYLOAD)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.size)
        return
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, Python {platform.python_version()}, "
          f"payload {args.size} bytes")
    print(f"{'shape':24} {'payload MiB':>11} {'peak +MiB':>9} {'ratio':>6} {'decode s':>9}")
    for name in SHAPES:
        out = subprocess.run([sys.executable, __file__, "--size", str(args.size), "--measure", name],
                             capture_output=True, text=True, check=True).stdout.split()
        length, grown, elapsed = int(out[0]), int(out[1]), float(out[2])
        print(f"{name:24} {length / 2**20:11.1f} {grown / 2**20:9.1f} {grown / length:6.1f} {elapsed:9.2f}")


if __name__ == "__main__":
    main()
