"""Fixtures for the security suite: after every test the host must still run guest code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from micropython_wasi import Sandbox

from .helpers import assert_alive


@pytest.fixture(autouse=True)
def _host_survives() -> Iterator[None]:
    yield
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
