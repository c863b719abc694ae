"""micropython-wasi batch: run the programs of a JSONL file, write a JSONL result per line.

    micropython-wasi batch [options] [FILE]        (FILE: JSONL; default or "-": stdin)

Each input line is a JSON object:
  {"source": "...", "stdin": "...", "timeout": 1, ...}   run it (any run() option, by name)
  {"source": "...", "cases": [...], "function": "f"}     judge it: a case is
      {"stdin": "...", "expected": "..."} or {"args": [...], "expected": ...}
Output, one line per input line, in order: for a run, index, status, stdout, stderr,
exit_code, exception ({type, message} or null), error, elapsed; for a judged program,
index, verdict, passed, total, score and cases (verdict, message, value, elapsed each).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any

from ._cli_args import parse_size

USAGE_PROLOG = __doc__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="micropython-wasi batch", description=USAGE_PROLOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default="-", help="JSONL input (default: stdin)")
    parser.add_argument("-o", "--output", default="-", help="JSONL output (default: stdout)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per CPU)")
    parser.add_argument("--ray", metavar="ADDRESS", default=None,
                        help="run on a Ray cluster (ADDRESS, or 'local' for a Ray on this machine)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per run or case (default: 10 / 2)")
    parser.add_argument("--memory-limit", type=parse_size, default=None, help="bytes per run or case, e.g. 64m")
    parser.add_argument("--progress", action="store_true", help="a progress bar on stderr (needs tqdm)")
    return parser


def _read(stream: IO[str]) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not JSON ({exc})") from None
        if not isinstance(item, dict) or not isinstance(item.get("source"), str):
            raise ValueError(f'line {number}: expected an object with a "source" string')
        items.append(item)
    return items


def _run_record(result: Any) -> dict[str, Any]:
    exc = result.exception
    return {"index": result.index, "status": str(result.status), "stdout": result.stdout, "stderr": result.stderr,
            "exit_code": result.exit_code, "exception": exc and {"type": exc.type, "message": exc.message},
            "error": result.error, "elapsed": result.elapsed}


def _judge_record(index: int, report: Any) -> dict[str, Any]:
    return {"index": index, "verdict": str(report.verdict), "passed": report.passed, "total": report.total,
            "score": report.score,
            "cases": [{"verdict": str(c.verdict), "message": c.message, "value": c.value, "elapsed": c.elapsed}
                      for c in report.cases]}


def _executor(args: argparse.Namespace) -> Any:
    if args.ray is None:
        from .batch import Executor

        return Executor(args.jobs)
    try:
        import ray
    except ImportError:
        raise ValueError("--ray needs Ray: pip install 'micropython-wasi[ray]'") from None
    from .ray import RayExecutor

    if not ray.is_initialized():
        ray.init(address=None if args.ray == "local" else args.ray)
    return RayExecutor(args.jobs)


def _process(items: list[dict[str, Any]], args: argparse.Namespace) -> list[dict[str, Any]]:
    from .batch import map as batch_map
    from .judging import Case, judge_many

    limits: dict[str, Any] = {}
    if args.memory_limit is not None:
        limits["memory_limit"] = args.memory_limit
    out: dict[int, dict[str, Any]] = {}
    runs = [(i, item) for i, item in enumerate(items) if "cases" not in item]
    judged = [(i, item) for i, item in enumerate(items) if "cases" in item]
    executor = _executor(args)
    try:
        if runs:
            run_limits = dict(limits, **({"timeout": args.timeout} if args.timeout is not None else {}))
            results = batch_map([item for _, item in runs], executor=executor, progress=args.progress, **run_limits)
            for (i, _), result in zip(runs, results):
                out[i] = dict(_run_record(result), index=i)
        by_function: dict[str | None, list[tuple[int, dict[str, Any]]]] = {}
        for i, item in judged:
            by_function.setdefault(item.get("function"), []).append((i, item))
        for function, group in by_function.items():
            programs = []
            for i, item in group:
                cases = item["cases"]
                if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
                    raise ValueError(f'line {i + 1}: "cases" must be a list of objects')
                programs.append((item["source"], [
                    Case(stdin=c.get("stdin"), expected=c.get("expected"), args=tuple(c.get("args", ())),
                         kwargs=c.get("kwargs", {})) for c in cases]))
            judge_limits = dict(limits, **({"time_limit": args.timeout} if args.timeout is not None else {}))
            reports = judge_many(programs, function=function, executor=executor, progress=args.progress,
                                 **judge_limits)
            for (i, _), report in zip(group, reports):
                out[i] = _judge_record(i, report)
    finally:
        executor.shutdown()
    return [out[i] for i in range(len(items))]


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.file == "-":
            items = _read(sys.stdin)
        else:
            with open(args.file, encoding="utf-8") as stream:
                items = _read(stream)
        records = _process(items, args)
    except (OSError, ValueError, TypeError, ImportError) as exc:
        sys.stderr.write(f"micropython-wasi batch: {exc}\n")
        return 2
    text = "".join(json.dumps(record, default=repr) + "\n" for record in records)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(text)
    return 0
