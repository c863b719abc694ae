"""micropython-wasi batch: JSONL in, JSONL out."""

from __future__ import annotations

import json

from conftest import run_cli


def test_batch_runs_and_judges_a_jsonl_file() -> None:
    lines = [
        {"source": "print(input() * 2)", "stdin": "ab"},
        {"source": "while True:\n    pass", "timeout": 0.2},
        {"source": "def f(x):\n    return x + 1", "function": "f",
         "cases": [{"args": [1], "expected": 2}, {"args": [2], "expected": 4}]},
        {"source": "print(int(input()) + 1)", "cases": [{"stdin": "1", "expected": "2"}]},
        {"source": "1 / 0"},
    ]
    done = run_cli("batch", "--jobs", "1", input="".join(json.dumps(line) + "\n" for line in lines))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["index"] for r in records] == [0, 1, 2, 3, 4]
    assert records[0]["status"] == "ok" and records[0]["stdout"] == "abab\n"
    assert records[1]["status"] == "timeout" and "timeout of 0.2 s" in records[1]["error"]
    assert records[2]["verdict"] == "wrong_answer" and records[2]["passed"] == 1
    assert [c["value"] for c in records[2]["cases"]] == [2, 3]
    assert records[3]["verdict"] == "accepted" and records[3]["score"] == 1.0
    assert records[4]["status"] == "failed" and records[4]["exception"]["type"] == "ZeroDivisionError"


def test_batch_refuses_bad_input_clearly() -> None:
    done = run_cli("batch", input='{"source": "pass"}\nnot json\n')
    assert done.returncode == 2
    assert "line 2: not JSON" in done.stderr
    done = run_cli("batch", input='{"stdin": "x"}\n')
    assert done.returncode == 2 and 'line 1: expected an object with a "source" string' in done.stderr
