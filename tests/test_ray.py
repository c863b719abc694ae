"""micropython_wasi.ray: the batch and judge APIs on a (local) Ray cluster.

Needs the [ray] extra (CI installs it; without it these tests are skipped).
A local Ray with 2 CPUs starts in a few seconds: the default suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import micropython_wasi
from micropython_wasi import Status, Verdict, judge_many
from micropython_wasi.judging import iter_judge

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def executor() -> Iterator[Any]:
    from micropython_wasi.ray import RayExecutor

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with RayExecutor(chunk_size=8) as pool:
            yield pool
    finally:
        ray.shutdown()


def test_map_on_ray(executor: Any) -> None:
    items: list[Any] = [f"print({i})" for i in range(50)]
    items[3] = {"source": "while True:\n    pass", "timeout": 0.3}
    results = micropython_wasi.map(items, executor=executor)
    assert [r.index for r in results] == list(range(50))
    assert results[3].status is Status.TIMEOUT
    assert all(r.stdout == f"{r.index}\n" for r in results if r.index != 3)


def test_judged_programs_complete_when_an_actor_is_killed(executor: Any) -> None:
    right = "def double(x):\n    return 2 * x"
    wrong = "def double(x):\n    return x + 2"
    programs = [(right if k % 3 else wrong, [((n,), 2 * n) for n in range(10)]) for k in range(300)]
    found: dict[tuple[int, int], Verdict] = {}
    killed = False
    for number, case in iter_judge(programs, function="double", executor=executor):
        found[number, case.index] = case.verdict
        if not killed:
            ray.kill(executor.actors[0], no_restart=False)  # Ray restarts it; its chunks go elsewhere
            killed = True
    assert len(found) == 3000
    assert executor.resent >= 1
    reports = judge_many(programs[:3], function="double", executor=executor)  # the pool still works
    for k in range(300):
        expected = Verdict.ACCEPTED if k % 3 else Verdict.WRONG_ANSWER
        # x + 2 == 2 * x for x == 2: that case of a wrong program is accepted.
        assert all(found[k, n] is (Verdict.ACCEPTED if n == 2 else expected) for n in range(10)), k
    assert [r.passed for r in reports] == [1, 10, 10]
