"""Snapshots of an interpreter as bytes: the format, its checks, its signature.

Between runs an interpreter's whole state is its linear memory (the image's
only mutable global, the C stack pointer, is back at its initial value then:
see _wasm_binary.can_preinitialise), plus, on the host, the names of its host
functions and a deterministic Sandbox's World. A snapshot stores the pages of
memory that differ from the memory a new instance of the image starts with
(its "base"), so unused memory costs nothing.

Layout (little-endian):
    magic    b"MPWSNAP\\0"
    header   version u16, flags u16, meta length u32, data length u64
    meta     JSON: image and base hashes, memory size, the runs of memory stored,
             host function names, World state
    data     the runs' bytes, in order (zlib-compressed with FLAG_COMPRESSED)
    tag      HMAC-SHA256 of all that precedes it with FLAG_SIGNED, else its CRC-32

Snapshots are untrusted input: everything is checked (tag first) before any
of it reaches an instance, and memory only ever reaches one through copies
into its linear memory, never through wasmtime's deserialisation.
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import wasmtime

from ._guest import Guest
from ._options import check_function_name
from .errors import OptionError, SnapshotError

MAGIC = b"MPWSNAP\0"
VERSION = 1
FLAG_SIGNED = 1
FLAG_COMPRESSED = 2
_HEADER = struct.Struct("<8sHHIQ")
_PAGE = 4096  # granularity of the diff against the base
_WASM_PAGE = 65536
_MAX_META = 16 * 1024 * 1024
_MAX_FUNCTIONS = 10_000


@dataclass
class Snapshot:
    """A checked snapshot, ready to write into an instance."""

    memory_size: int
    runs: list[tuple[int, int]]
    data: bytes
    data_offset: int
    functions: list[str]
    world: dict[str, int | None] | None


# -- the base: the memory a new instance starts with ------------------------------

_bases: dict[str, tuple[bytes, str]] = {}


def base_memory(runtime: Any) -> tuple[bytes, str]:
    """(memory, sha256) of a new instance of the runtime's image, which snapshots are diffs against."""
    found = _bases.get(runtime.image_hash)
    if found is None:
        guest = Guest(runtime, 64 * 1024 * 1024, wasmtime.WasiConfig(), initialise=False)
        try:
            memory = guest.read_memory(0, guest.memory_size())
        finally:
            guest.close()
        found = _bases[runtime.image_hash] = (memory, hashlib.sha256(memory).hexdigest())
    return found


def check_runtime(runtime: Any) -> None:
    if not runtime.preinitialised or not runtime.image_hash:
        raise SnapshotError(
            f"the image {runtime.image_path} does not support snapshots (its state after start-up is not "
            f"its memory alone: see micropython_wasi._wasm_binary.can_preinitialise)")


# -- writing ----------------------------------------------------------------------


def changed_runs(memory: bytes, base: bytes) -> list[tuple[int, int]]:
    """(offset, length) of the runs of pages where memory differs from base (zeros past its end)."""
    runs: list[tuple[int, int]] = []
    zero = bytes(_PAGE)
    for offset in range(0, len(memory), _PAGE):
        page = memory[offset:offset + _PAGE]
        if page == (base[offset:offset + _PAGE] if offset < len(base) else zero):
            continue
        if runs and runs[-1][0] + runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], runs[-1][1] + _PAGE)
        else:
            runs.append((offset, _PAGE))
    return runs


def encode(guest: Guest, runtime: Any, functions: list[str], world: dict[str, int | None] | None,
           key: bytes | None, compress: bool) -> bytes:
    base, base_hash = base_memory(runtime)
    memory = guest.read_memory(0, guest.memory_size())
    runs = changed_runs(memory, base)
    data = b"".join(memory[offset:offset + length] for offset, length in runs)
    if compress:
        data = zlib.compress(data, 1)
    meta = json.dumps({
        "image": runtime.image_hash, "base": base_hash, "memory_size": len(memory),
        "runs": runs, "functions": functions, "world": world,
    }, separators=(",", ":")).encode()
    flags = (FLAG_SIGNED if key is not None else 0) | (FLAG_COMPRESSED if compress else 0)
    body = _HEADER.pack(MAGIC, VERSION, flags, len(meta), len(data)) + meta + data
    return body + _tag(body, key)


def _tag(body: bytes | memoryview, key: bytes | None) -> bytes:
    if key is not None:
        return hmac.new(key, body, hashlib.sha256).digest()
    return struct.pack("<I", zlib.crc32(body))


# -- reading ----------------------------------------------------------------------


def decode(data: Any, runtime: Any, *, key: bytes | None, memory_limit: int) -> Snapshot:
    """Check a snapshot for this runtime's image and memory_limit; SnapshotError says what is wrong."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise SnapshotError(f"a snapshot is bytes (from Sandbox.snapshot()), got {type(data).__name__}")
    data = bytes(data)
    if len(data) < _HEADER.size or not data.startswith(MAGIC):
        raise SnapshotError("not a micropython-wasi snapshot (it does not start with the snapshot magic)")
    _, version, flags, meta_len, data_len = _HEADER.unpack_from(data)
    if version != VERSION:
        raise SnapshotError(f"snapshot format version {version} is not supported (this release reads version "
                            f"{VERSION}): take the snapshot again with this release")
    if flags & ~(FLAG_SIGNED | FLAG_COMPRESSED):
        raise SnapshotError(f"the snapshot has unknown flags {flags:#x}: it is damaged or from a newer release")
    signed = bool(flags & FLAG_SIGNED)
    tag_len = 32 if signed else 4
    expected = _HEADER.size + meta_len + data_len + tag_len
    if len(data) != expected:
        raise SnapshotError(f"the snapshot is {'truncated' if len(data) < expected else 'too long'}: "
                            f"{len(data)} bytes where its header says {expected}")
    if signed and key is None:
        raise SnapshotError("the snapshot is signed: pass the snapshot_key it was signed with to restore it")
    if not signed and key is not None:
        raise SnapshotError("the snapshot is not signed, and this Sandbox has a snapshot_key: it only restores "
                            "snapshots signed with that key")
    body = memoryview(data)[:-tag_len]
    if not hmac.compare_digest(_tag(body, key), data[-tag_len:]):
        raise SnapshotError("the snapshot's signature does not verify (wrong snapshot_key, or the data was "
                            "altered)" if signed else "the snapshot is damaged (its checksum does not match)")
    try:
        meta = json.loads(data[_HEADER.size:_HEADER.size + meta_len]) if meta_len <= _MAX_META else None
    except ValueError:
        meta = None
    if not isinstance(meta, dict):
        raise SnapshotError("the snapshot's metadata is not a JSON object: it is damaged")
    if meta.get("image") != runtime.image_hash:
        raise SnapshotError(f"the snapshot was taken with another image (sha256 {str(meta.get('image'))[:16]}...), "
                            f"not {runtime.image_path} (sha256 {runtime.image_hash[:16]}...): restore it with "
                            f"image= the image it was taken with")
    base, base_hash = base_memory(runtime)
    if meta.get("base") != base_hash:
        raise SnapshotError("the snapshot was taken from another start-up state of this image (pre-initialised "
                            "differently): it cannot be restored here")
    size = meta.get("memory_size")
    if not _is_int(size) or size % _WASM_PAGE or not len(base) <= size:
        raise SnapshotError(f"the snapshot's memory size {size!r} is not valid for this image")
    if size > memory_limit:
        raise SnapshotError(f"the snapshot holds {size} bytes of guest memory, more than memory_limit="
                            f"{memory_limit}: restore it into a Sandbox with a larger memory_limit")
    runs = _runs(meta.get("runs"), size)
    payload_offset, payload_len = _HEADER.size + meta_len, data_len
    total = sum(length for _, length in runs)
    if flags & FLAG_COMPRESSED:
        try:
            inflate = zlib.decompressobj()
            # (no more than the runs need: a small stream cannot inflate into a huge one)
            data = inflate.decompress(memoryview(data)[payload_offset:payload_offset + data_len], total + 1)
            if not inflate.eof:
                raise zlib.error("incomplete stream")
        except zlib.error as exc:
            raise SnapshotError(f"the snapshot's compressed memory is damaged: {exc}") from None
        payload_offset, payload_len = 0, len(data)
    if payload_len != total:
        raise SnapshotError(f"the snapshot's memory data is {payload_len} bytes where its runs need {total}")
    return Snapshot(size, runs, data, payload_offset, _functions(meta.get("functions")),
                    _world(meta.get("world")))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _runs(value: Any, size: int) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        raise SnapshotError("the snapshot's list of memory runs is missing: it is damaged")
    runs: list[tuple[int, int]] = []
    end = 0
    for run in value:
        if (not isinstance(run, list) or len(run) != 2 or not all(_is_int(v) for v in run)
                or run[0] < end or run[1] == 0 or run[0] + run[1] > size):
            raise SnapshotError(f"the snapshot's memory run {run!r} is out of order or outside its memory "
                                f"({size} bytes): it is damaged")
        runs.append((run[0], run[1]))
        end = run[0] + run[1]
    return runs


def _functions(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > _MAX_FUNCTIONS:
        raise SnapshotError("the snapshot's list of host function names is missing: it is damaged")
    try:
        return [check_function_name(name) for name in value]
    except OptionError as exc:
        raise SnapshotError(f"the snapshot names an invalid host function: {exc}") from None


def _world(value: Any) -> dict[str, int | None] | None:
    if value is None:
        return None
    # field: (bound, may be None)
    fields = {"epoch_ns": (2**62, True), "clock_ns": (2**63, False), "seed": (2**256, True),
              "position": (2**63, False)}
    if not isinstance(value, dict) or set(value) != set(fields) or not all(
            (value[name] is None and optional) or (_is_int(value[name]) and value[name] < bound)
            for name, (bound, optional) in fields.items()):
        raise SnapshotError(f"the snapshot's clock and random state is not valid: {value!r}")
    return value


def write(guest: Guest, snapshot: Snapshot) -> None:
    """Copy the snapshot's memory into a new instance (grown to its size by the caller)."""
    address = guest.memory_address()
    source = ctypes.cast(ctypes.c_char_p(snapshot.data), ctypes.c_void_p).value or 0
    position = source + snapshot.data_offset
    for offset, length in snapshot.runs:
        ctypes.memmove(address + offset, position, length)
        position += length
