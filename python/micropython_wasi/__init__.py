"""Run untrusted Python code in a sandboxed MicroPython interpreter (WebAssembly/WASI)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    SnapshotError,
    TimeoutExceeded,
)
from .result import GuestException, Result
from .sandbox import Mount, Sandbox, run


if TYPE_CHECKING:  # (imported on first use, below)
    from .aio import AsyncSandbox, run_async
    from .batch import BatchResult, Executor, Status, imap_unordered, map
    from .judging import Case, CaseResult, JudgeReport, Verdict, judge, judge_many
    from .prepare import PrepareError, prepare_image

_BATCH = {
    "BatchResult": ".batch", "Executor": ".batch", "Status": ".batch", "imap_unordered": ".batch", "map": ".batch",
    "Case": ".judging", "CaseResult": ".judging", "JudgeReport": ".judging", "Verdict": ".judging", "judge": ".judging",
    "judge_many": ".judging", "AsyncSandbox": ".aio", "run_async": ".aio",
}


def __getattr__(name: str) -> Any:
    # Loaded on first use: the command line starts faster without them.
    if name == "__version__":
        from ._version import __version__

        return __version__
    if name == "build":
        from ._build import build

        return build
    if name in ("prepare_image", "PrepareError"):
        from . import prepare

        return getattr(prepare, name)
    if name in _BATCH:
        # The batch and judge modules import multiprocessing: loaded when first used.
        import importlib

        return getattr(importlib.import_module(_BATCH[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AsyncSandbox",
    "BatchResult",
    "BuildError",
    "Case",
    "CaseResult",
    "Executor",
    "FuelExhausted",
    "GuestCrash",
    "GuestError",
    "GuestException",
    "ImageError",
    "ImageInfo",
    "JudgeReport",
    "LimitExceeded",
    "MemoryLimitExceeded",
    "Mount",
    "MountError",
    "OptionError",
    "OutputLimitExceeded",
    "PrepareError",
    "Result",
    "Sandbox",
    "SandboxClosedError",
    "SandboxError",
    "SnapshotError",
    "Status",
    "TimeoutExceeded",
    "Verdict",
    "__version__",
    "build",
    "capabilities",
    "image_info",
    "imap_unordered",
    "judge",
    "judge_many",
    "map",
    "prepare_image",
    "run",
    "run_async",
]
