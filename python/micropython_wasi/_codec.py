"""The value encoding used between host functions and the guest.

It must match ports/wasi/modhost.c, which documents the format at its top:

    'N' None, 'T' True, 'F' False,
    'i' int as 8 bytes little-endian, 'I' int as u32 length + decimal text,
    'f' float as 8 bytes little-endian IEEE-754,
    's' str, 'b' bytes: u32 length + data,
    'l' list, 't' tuple: u32 count + items, 'd' dict: u32 count + key, value pairs.

A call from the guest is a tuple of positional arguments followed by a dict of
keyword arguments; the reply is 'R' + value, or 'E' + type name + message
(both encoded as str values).
"""

from __future__ import annotations

import struct
import time
from typing import Any

MAX_DEPTH = 100
"""How deeply lists, tuples and dicts may nest in a value that crosses."""

_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_U32 = struct.Struct("<I")
_I64_MIN = -(2**63)
_I64_MAX = 2**63 - 1


# Decoding checks its deadline after this many values (each check costs a clock read).
_CHECK_EVERY = 4096


class CodecError(ValueError):
    """A value cannot cross between host and guest (unsupported type, too deep, malformed)."""


class DeadlineExceeded(CodecError):
    """Decoding a value from the guest was stopped at the run's time limit."""


def encode(value: Any) -> bytes:
    """Encode a host value for the guest."""
    out = bytearray()
    _encode(out, value, 0)
    return bytes(out)


def _encode(out: bytearray, value: Any, depth: int) -> None:
    if value is None:
        out += b"N"
    elif value is True:
        out += b"T"
    elif value is False:
        out += b"F"
    elif isinstance(value, int):
        value = int(value)
        if _I64_MIN <= value <= _I64_MAX:
            out += b"i"
            out += _I64.pack(value)
        else:
            try:
                text = str(value)
            except ValueError:  # beyond sys.get_int_max_str_digits()
                raise CodecError(
                    f"an int of about {value.bit_length() * 3 // 10} digits (too large to cross: "
                    f"the limit is sys.get_int_max_str_digits())") from None
            _data(out, b"I", text.encode("ascii"))
    elif isinstance(value, float):
        out += b"f"
        out += _F64.pack(value)
    elif isinstance(value, str):
        try:
            data = value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise CodecError(f"a str that is not valid Unicode cannot cross: {exc}") from None
        _data(out, b"s", data)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        _data(out, b"b", bytes(value))
    elif isinstance(value, (list, tuple, dict)):
        if depth >= MAX_DEPTH:
            raise CodecError(f"the value is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            out += b"d"
            out += _U32.pack(len(value))
            for key, item in value.items():
                _encode(out, key, depth + 1)
                _encode(out, item, depth + 1)
        else:
            out += b"l" if isinstance(value, list) else b"t"
            out += _U32.pack(len(value))
            for item in value:
                _encode(out, item, depth + 1)
    else:
        raise CodecError(
            f"a value of type {type(value).__name__} cannot cross to the guest "
            f"(supported: None, bool, int, float, str, bytes, list, tuple, dict)"
        )


def _data(out: bytearray, tag: bytes, data: bytes) -> None:
    if len(data) > 0xFFFFFFFF:
        raise CodecError("a str or bytes value of 4 GiB or more cannot cross")
    out += tag
    out += _U32.pack(len(data))
    out += data


def decode(data: bytes, deadline: float | None = None) -> Any:
    """Decode one value sent by the guest; the whole of `data` must be used.

    Decoding stops with DeadlineExceeded once time.perf_counter() passes `deadline`.
    """
    reader = _Reader(data, deadline)
    value = reader.value(0)
    if reader.pos != len(data):
        raise CodecError(f"malformed value from the guest: {len(data) - reader.pos} bytes left over")
    return value


def decode_call(data: bytes, deadline: float | None = None) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Decode a call payload from the guest: (positional args, keyword args); see decode()."""
    reader = _Reader(data, deadline)
    args = reader.value(0)
    kwargs = reader.value(0)
    if reader.pos != len(data) or not isinstance(args, tuple) or not isinstance(kwargs, dict):
        raise CodecError("malformed call from the guest")
    return args, kwargs


def encode_reply(value: Any) -> bytes:
    """The reply to a call that returned `value`."""
    out = bytearray(b"R")
    _encode(out, value, 0)
    return bytes(out)


def encode_error(type_name: str, message: str) -> bytes:
    """The reply to a call that raised: the guest raises `type_name`(message)."""
    out = bytearray(b"E")
    _encode(out, type_name, 0)
    _encode(out, message, 0)
    return bytes(out)


class _Reader:
    __slots__ = ("data", "pos", "deadline", "countdown")

    def __init__(self, data: bytes, deadline: float | None = None) -> None:
        self.data = data
        self.pos = 0
        self.deadline = deadline
        self.countdown = _CHECK_EVERY

    def check_deadline(self) -> None:
        # A payload of max_payload bytes can hold millions of values: pure
        # Python that the guest's time limit cannot interrupt otherwise.
        self.countdown = _CHECK_EVERY
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            raise DeadlineExceeded(
                f"the run's time limit passed while decoding the arguments ({self.pos} of "
                f"{len(self.data)} bytes decoded)")

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise CodecError("malformed value from the guest: truncated")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def u32(self) -> int:
        value: int = _U32.unpack(self.take(4))[0]
        return value

    def value(self, depth: int) -> Any:
        self.countdown -= 1
        if not self.countdown:
            self.check_deadline()
        tag = self.take(1)
        if tag == b"N":
            return None
        if tag == b"T":
            return True
        if tag == b"F":
            return False
        if tag == b"i":
            return _I64.unpack(self.take(8))[0]
        if tag == b"I":
            text = self.take(self.u32())
            if not (text[1:] if text[:1] == b"-" else text).isdigit():
                raise CodecError("malformed value from the guest: bad integer")
            try:
                return int(text)
            except ValueError:  # beyond sys.get_int_max_str_digits(), which bounds the host's work
                raise CodecError(
                    f"an int of {len(text)} digits from the guest is too large to convert "
                    f"(the limit is sys.get_int_max_str_digits())") from None
        if tag == b"f":
            value: float = _F64.unpack(self.take(8))[0]
            return value
        if tag == b"s":
            raw = self.take(self.u32())
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("utf-8", "surrogateescape")
        if tag == b"b":
            return self.take(self.u32())
        if tag in (b"l", b"t", b"d"):
            if depth >= MAX_DEPTH:
                raise CodecError(f"the value is nested more than {MAX_DEPTH} levels deep")
            count = self.u32()
            # Every item takes at least one byte: a count beyond the data is malformed.
            if count > len(self.data) - self.pos:
                raise CodecError("malformed value from the guest: bad count")
            if tag == b"d":
                result: dict[Any, Any] = {}
                for _ in range(count):
                    key = self.value(depth + 1)
                    try:
                        result[key] = self.value(depth + 1)
                    except TypeError:
                        raise CodecError(f"unhashable dict key from the guest: {type(key).__name__}") from None
                return result
            items = [self.value(depth + 1) for _ in range(count)]
            return items if tag == b"l" else tuple(items)
        raise CodecError(f"malformed value from the guest: unknown tag {tag!r}")
