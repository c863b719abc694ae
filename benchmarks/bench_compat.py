"""CPython compatibility of an image: the pass rate of the compatibility corpus.

Runs every program of tests/compat/programs/ under this CPython and in the
sandbox, and prints the pass rate (same stdout, same uncaught exception type)
per category and overall, then the most frequent failure causes. With two
images, prints both side by side, the change, and the programs that changed.

    python benchmarks/bench_compat.py                                  # the installed image
    python benchmarks/bench_compat.py --image old.wasm --image new.wasm
    python benchmarks/bench_compat.py --json results.json

A failure's cause is the one baseline.json gives it, else the one the corpus
tool suggests from the sandbox's error ("unclassified": only stdout differs).
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "compat"))

import compat_corpus as corpus  # noqa: E402


def measure(image: str | None, names: list[str], expected: dict[str, corpus.Outcome]) -> list[corpus.Comparison]:
    actual = corpus.run_sandbox(names, image=image)
    return [corpus.Comparison(n, expected[n], actual[n]) for n in names]


def causes(comparisons: list[corpus.Comparison], baseline: dict) -> Counter[str]:
    listed = baseline["failures"]
    return Counter(listed.get(c.name) or corpus.suggest_cause(c) for c in comparisons if not c.passed)


def percent(passed: int, total: int) -> str:
    return f"{passed:4}/{total:<4} {100 * passed / total:5.1f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", action="append", default=[], help="an image (give two to compare them)")
    parser.add_argument("--top", type=int, default=15, help="how many failure causes to list")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    args = parser.parse_args(argv)
    if len(args.image) > 2:
        parser.error("give at most two images")
    images: list[str | None] = args.image or [None]
    names = corpus.discover()
    expected = corpus.run_cpython(names)
    baseline = corpus.load_baseline()
    runs = [measure(image, names, expected) for image in images]
    labels = [Path(i).name if i else "installed image" for i in images]

    print(f"CPython compatibility corpus: {len(names)} programs, {datetime.date.today()}, "
          f"CPython {platform.python_version()}")
    header = f"{'category':14}" + "".join(f"{label[:22]:>24}" for label in labels)
    print(header + (f"{'change':>10}" if len(runs) == 2 else ""))
    tables = [corpus.rates(run) for run in runs]
    for category in [*corpus.categories(names), "overall"]:
        row = f"{category:14}" + "".join(f"{percent(*table[category]):>24}" for table in tables)
        if len(runs) == 2:
            row += f"{tables[1][category][0] - tables[0][category][0]:>+10}"
        print(row)

    if len(runs) == 2:
        before = {c.name: c.passed for c in runs[0]}
        fixed = [c.name for c in runs[1] if c.passed and not before[c.name]]
        broken = [c.name for c in runs[1] if not c.passed and before[c.name]]
        print(f"\nnow passing ({len(fixed)}): " + ", ".join(fixed))
        print(f"now failing ({len(broken)}): " + ", ".join(broken))

    counted = causes(runs[-1], baseline)
    print(f"\nmost frequent failure causes ({labels[-1]}):")
    for key, count in counted.most_common(args.top):
        print(f"{count:4}  {key}: {baseline['causes'].get(key, '')}")

    if args.json:
        args.json.write_text(json.dumps({
            "date": datetime.date.today().isoformat(),
            "images": labels,
            "rates": [{k: list(v) for k, v in table.items()} for table in tables],
            "failures": [{c.name: c.explain() for c in run if not c.passed} for run in runs],
            "causes": dict(counted.most_common()),
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
