"""Run untrusted Python code in a sandboxed MicroPython interpreter (WebAssembly/WASI)."""

from __future__ import annotations

from typing import Any

from ._image import ImageInfo, image_info
from .capabilities import capabilities
from .errors import (
    BuildError,
    FuelExhausted,
    GuestCrash,
    GuestError,
    ImageError,
    LimitExceeded,
    MemoryLimitExceeded,
    MountError,
    OptionError,
    OutputLimitExceeded,
    SandboxClosedError,
    SandboxError,
    TimeoutExceeded,
)
from .result import GuestException, Result
from .sandbox import Mount, Sandbox, run


def __getattr__(name: str) -> Any:
    # Loaded on first use: the command line starts faster without them.
    if name == "__version__":
        from ._version import __version__

        return __version__
    if name == "build":
        from ._build import build

        return build
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "BuildError",
    "FuelExhausted",
    "GuestCrash",
    "GuestError",
    "GuestException",
    "ImageError",
    "ImageInfo",
    "LimitExceeded",
    "MemoryLimitExceeded",
    "Mount",
    "MountError",
    "OptionError",
    "OutputLimitExceeded",
    "Result",
    "Sandbox",
    "SandboxClosedError",
    "SandboxError",
    "TimeoutExceeded",
    "__version__",
    "build",
    "capabilities",
    "image_info",
    "run",
]
