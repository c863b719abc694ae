"""Run untrusted Python code in a sandboxed MicroPython interpreter (WebAssembly/WASI)."""

from ._image import ImageInfo, image_info
from .build import build
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

from ._version import __version__

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
    "image_info",
    "run",
]
