"""Shared fixtures. The tests use the installed package and its bundled image
(`pip install .`); set MICROPY_WASI_IMAGE to test another image."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import micropython_wasi

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def image_path() -> Path:
    return micropython_wasi.image_info().path


def run_cli(*args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the micropython-wasi command in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "micropython_wasi.cli", *args],
        input=input, capture_output=True, text=True, timeout=timeout,
    )
