"""The Python examples of docs/batch.md run, and print what they say (see test_docs.py)."""

from __future__ import annotations

import pytest

from conftest import REPO
from test_docs import expected_output, python_blocks, run_blocks

PATH = REPO / "docs" / "batch.md"


def uses_ray(block: str) -> bool:
    return "import ray" in block


def test_batch_examples() -> None:
    blocks = [b for b in python_blocks(PATH) if not uses_ray(b)]
    assert len(blocks) >= 5
    assert sum(len(expected_output(b)) for b in blocks) >= 12
    run_blocks(PATH, blocks)


def test_ray_example() -> None:
    """The cluster example, on a local Ray (needs the [ray] extra; CI installs it)."""
    pytest.importorskip("ray")
    blocks = [b for b in python_blocks(PATH) if uses_ray(b)]
    assert len(blocks) == 1 and len(expected_output(blocks[0])) == 2
    run_blocks(PATH, blocks)
