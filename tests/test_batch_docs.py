"""The Python examples of docs/batch.md run, and print what they say (see test_docs.py)."""

from __future__ import annotations

from conftest import REPO
from test_docs import expected_output, python_blocks, run_blocks


def test_batch_examples() -> None:
    path = REPO / "docs" / "batch.md"
    blocks = python_blocks(path)
    assert len(blocks) >= 5
    assert sum(len(expected_output(b)) for b in blocks) >= 12
    run_blocks(path, blocks)
