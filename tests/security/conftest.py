"""Fixtures for the security suite: after every test the host must still run guest code."""

from __future__ import annotations

import faulthandler
import time
from collections.abc import Iterator

import pytest

from micropython_wasi import Sandbox

from .helpers import assert_alive


HANG_LIMIT = 600.0
"""A test still running after this many seconds means the host hung: dump every
thread's stack and end the test process rather than wait for ever."""

TEST_BOUND = 120.0
"""No test in this directory may take longer (the slow ones excepted)."""


@pytest.fixture(autouse=True)
def _host_survives(request: pytest.FixtureRequest) -> Iterator[None]:
    faulthandler.dump_traceback_later(HANG_LIMIT, exit=True)
    started = time.monotonic()
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
    elapsed = time.monotonic() - started
    if request.node.get_closest_marker("slow") is None:
        assert elapsed < TEST_BOUND, f"the test took {elapsed:.1f} s"
    assert_alive()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A Sandbox with the default limits, checked and closed after the test."""
    box = Sandbox()
    try:
        yield box
        assert_alive(box)
    finally:
        box.close()
