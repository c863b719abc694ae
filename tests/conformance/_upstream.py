"""Launch MicroPython's run-tests.py (from the current directory) for a WASI image.

run-tests.py treats a target whose sys.platform is not one of the desktop
platforms as a board: it then skips the tests that need a local filesystem and
a console (exception_chain, meminfo, unicode/file*), which the
micropython-wasi command has. This launcher loads run-tests.py unchanged,
adds "wasi" to its desktop platforms, and runs its main() with the command
line it was given.
"""

from __future__ import annotations

import importlib.util
import os
import sys


def main() -> None:
    tests_dir = os.getcwd()
    script = os.path.join(tests_dir, "run-tests.py")
    sys.path.insert(0, tests_dir)
    sys.argv[0] = script
    spec = importlib.util.spec_from_file_location("run_tests", script)
    assert spec is not None and spec.loader is not None
    run_tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_tests)
    namespace = vars(run_tests)
    namespace["PC_PLATFORMS"] = (*namespace["PC_PLATFORMS"], "wasi")
    namespace["main"]()


if __name__ == "__main__":
    main()
