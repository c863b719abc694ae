"""WebAssembly binaries as bytes: just enough to snapshot an image's memory into it.

A pre-initialised image (see _runtime.py) is the original with its memory
section and data segments replaced by the memory of an initialised instance.
Pure functions: bytes in, bytes out.
"""

from __future__ import annotations

import re

_WASM_PAGE = 65536


def _leb(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def sections(data: bytes) -> list[tuple[int, bytes]]:
    """(id, body) of each section of a wasm module (ValueError or IndexError if it is not one)."""
    if data[:8] != b"\0asm\x01\0\0\0":
        raise ValueError("not a wasm module")
    found = []
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, pos = _leb(data, pos + 1)
        found.append((section_id, data[pos:pos + size]))
        pos += size
    return found


def can_preinitialise(sections: list[tuple[int, bytes]]) -> bool:
    """Whether a memory snapshot alone captures an instance's state after mpw_init.

    That is so for the images this project builds: one linear memory, active
    data segments only, no start function, and one mutable global (the C stack
    pointer, which is back at its initial value whenever the guest returns).
    """
    ids = [section_id for section_id, _ in sections]
    if 8 in ids or 5 not in ids:
        return False
    for section_id, body in sections:
        if section_id == 2:
            count, pos = _leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, pos = _leb(body, pos)
                    pos += n
                kind = body[pos]
                if kind in (2, 3):  # an imported memory or global
                    return False
                pos += 1
                if kind == 0:
                    _, pos = _leb(body, pos)
                elif kind == 1:
                    pos += 1
                    flags, pos = _leb(body, pos + 0)
                    _, pos = _leb(body, pos)
                    if flags & 1:
                        _, pos = _leb(body, pos)
                elif kind == 4:
                    pos += 1
                    _, pos = _leb(body, pos)
        elif section_id == 5:
            count, _ = _leb(body, 0)
            if count != 1:
                return False
        elif section_id == 6:
            count, pos = _leb(body, 0)
            mutable = 0
            for index in range(count):
                pos += 1  # value type
                is_mutable = body[pos]
                pos += 1
                if is_mutable:
                    mutable += 1
                    if index != 0:
                        return False
                # skip the constant expression
                while body[pos] != 0x0B:
                    opcode = body[pos]
                    pos += 1
                    if opcode in (0x41, 0x42, 0x23):
                        _, pos = _leb(body, pos)
                    elif opcode == 0x44:
                        pos += 8
                    elif opcode == 0x43:
                        pos += 4
                    else:
                        return False
                pos += 1
            if mutable > 1:
                return False
        elif section_id == 11:
            count, pos = _leb(body, 0)
            for _ in range(count):
                flags, pos = _leb(body, pos)
                if flags != 0:
                    return False
                if body[pos] != 0x41:
                    return False
                _, pos = _leb(body, pos + 1)
                if body[pos] != 0x0B:
                    return False
                size, pos = _leb(body, pos + 1)
                pos += size
    return True


# Zero runs shorter than this do not split a data segment.
_SEGMENT_GAP = 64


def data_segments(memory: bytes) -> list[tuple[int, bytes]]:
    """(offset, bytes) of the non-zero runs of memory, as data segments."""
    segments: list[tuple[int, bytes]] = []
    start = end = -1
    for match in re.finditer(rb"[^\x00]+", memory):
        if start >= 0 and match.start() - end < _SEGMENT_GAP:
            end = match.end()
            continue
        if start >= 0:
            segments.append((start, memory[start:end]))
        start, end = match.start(), match.end()
    if start >= 0:
        segments.append((start, memory[start:end]))
    return segments


def _section(section_id: int, body: bytes) -> bytes:
    return bytes([section_id]) + _uleb(len(body)) + body


def with_memory(sections: list[tuple[int, bytes]], memory: bytes) -> bytes:
    """The module of `sections` with `memory` as its initial memory."""
    pages = len(memory) // _WASM_PAGE
    segments = data_segments(memory)
    data_body = bytearray(_uleb(len(segments)))
    for offset, chunk in segments:
        data_body += b"\0\x41" + _sleb(offset) + b"\x0b" + _uleb(len(chunk)) + chunk
    out = bytearray(b"\0asm\x01\0\0\0")
    for section_id, body in sections:
        if section_id == 5:
            _, pos = _leb(body, 0)
            flags, pos = _leb(body, pos)
            _, pos = _leb(body, pos)
            new = _uleb(1) + _uleb(flags) + _uleb(pages) + body[pos:]
            out += _section(5, new)
        elif section_id == 12:
            out += _section(12, _uleb(len(segments)))
        elif section_id == 11:
            out += _section(11, bytes(data_body))
        else:
            out += _section(section_id, body)
    return bytes(out)


# -- custom sections (a prepared image's record of how it was made) ----------------


def custom_section(sections: list[tuple[int, bytes]], name: str) -> bytes | None:
    """The payload of the custom section called `name`, or None."""
    wanted = name.encode()
    for section_id, body in sections:
        if section_id == 0:
            length, pos = _leb(body, 0)
            if bytes(body[pos:pos + length]) == wanted:
                return bytes(body[pos + length:])
    return None


def with_custom_section(module: bytes, name: str, payload: bytes) -> bytes:
    """The module with a custom section appended (custom sections do not change what it does)."""
    encoded = name.encode()
    return module + _section(0, _uleb(len(encoded)) + encoded + payload)


PREPARED_SECTION = "micropython-wasi.prepared"
"""The custom section that marks a prepared image (see prepare.py): its memory is an interpreter's already."""


def is_prepared(data: bytes) -> bool:
    """Whether the module is a prepared image, whose instances must not be initialised again."""
    try:
        return custom_section(sections(data), PREPARED_SECTION) is not None
    except (ValueError, IndexError):
        return False
