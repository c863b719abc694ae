"""Reading the build's output: progress lines while it runs, a one-line error when it fails.

Our own build steps announce themselves with a fixed marker, STEP_MARKER
followed by a step name, in a CMake COMMENT or message(STATUS); each such line
in CMakeLists.txt and ports/wasi/CMakeLists.txt carries a note that this module
parses it, and tests/test_build.py checks that every step named in STEPS has
its marker there. Only the C compiler's progress is read from CMake's own lines
(its generators' "Building C object" and "Linking C executable", with ninja's
[n/m] or make's percentage), and errors from the tools' output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from .errors import BuildError

Progress = Callable[[str], None]

STEP_MARKER = "micropython-wasi-step: "
# Our build steps, by the name after STEP_MARKER: what progress says when one starts.
STEPS = {
    "mpy-cross": "building mpy-cross (host compiler)",
    "configure-port": "configuring the port",
    "freeze": "freezing Python code",
    "wasm-opt": "optimising (wasm-opt)",
}
_STEP_RE = re.compile(re.escape(STEP_MARKER) + r"([\w-]+)")


class Reporter:
    """Turns build output into a few progress lines (or passes it all through when verbose)."""

    def __init__(self, progress: Progress, verbose: bool) -> None:
        self.progress = progress
        self.verbose = verbose
        self.phase = ""
        self.reported_step = -1

    def _say(self, phase: str, text: str | None = None) -> None:
        if phase != self.phase:
            self.phase = phase
            self.progress(text or phase)

    def line(self, line: str) -> None:
        if self.verbose:
            self.progress(line)
            return
        step = _STEP_RE.search(line)
        if step and step.group(1) in STEPS:
            self._say(step.group(1), STEPS[step.group(1)])
        elif "Building C object" in line:
            # Ninja counts steps, make shows a percentage.
            match = re.match(r"\[(\d+)/(\d+)\]", line) or re.match(r"\[\s*(\d+)(%)\]", line)
            if match:
                done = int(match.group(1))
                total = 100 if match.group(2) == "%" else int(match.group(2))
                quarter = done * 4 // max(total, 1)  # report every quarter
                if self.phase != "compile" or quarter > self.reported_step:
                    self.phase = "compile"
                    self.reported_step = quarter
                    label = f"{done}%" if match.group(2) == "%" else f"{done}/{total}"
                    self.progress(f"compiling C: {label}")
        elif "Linking C executable" in line:
            self._say("link", "linking")


def cmake_error(lines: list[str]) -> str | None:
    """The first CMake error's message, as one line."""
    for i, line in enumerate(lines):
        if line.startswith("CMake Error"):
            message: list[str] = []
            for follow in lines[i + 1:]:
                if not follow.strip():
                    if message:
                        break
                    continue
                if not follow.startswith(" "):
                    break
                message.append(follow.strip())
            if message:
                return " ".join(message)
    return None


def failed_step(lines: list[str]) -> list[str]:
    """Output of the first failed build step (after ninja's FAILED: and command lines)."""
    for i, line in enumerate(lines):
        if line.startswith("FAILED: "):
            block = []
            for follow in lines[i + 2:]:
                if follow.startswith(("ninja: build stopped", "FAILED: ")) or re.match(r"\[\d+/\d+\] ", follow):
                    break
                block.append(follow)
            return block
    # make: the lines before "make: *** ..." errors.
    for i, line in enumerate(lines):
        if re.match(r"g?make(\[\d+\])?: \*\*\*", line):
            return lines[max(0, i - 30):i]
    return []


def _frozen_sources(build_dir: Path) -> dict[str, str]:
    try:
        files = json.loads((build_dir / "port" / "frozen_inputs.json").read_text())["files"]
        return {f["target"]: f["source"] for f in files}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def freeze_error(block: list[str], build_dir: Path) -> str | None:
    """A failed freeze as one line: a frozen file's syntax error with its source file and line."""
    for i, line in enumerate(block):
        match = re.match(r"error compiling (.+):$", line)
        if match:
            target = match.group(1)
            source = _frozen_sources(build_dir).get(target, target)
            rest = [x for x in block[i + 1:] if x.strip()]
            line_no = next((m.group(1) for x in rest if (m := re.search(r"\bline (\d+)", x))), None)
            message = rest[-1].strip() if rest else "cannot compile"
            where = f"{source}:{line_no}" if line_no else source
            return f"{where}: {message} (frozen as {target})"
        match = re.match(r'freeze error executing "(.+)": (.*)', line)
        if match:
            message = match.group(2).split("Error in manifest file: ")[-1]
            return f"manifest error: {message}"
    for line in block:
        if line.startswith("error: "):  # ports/wasi/tools/image_config.py's errors (its main())
            return line[len("error: "):]
    return None


def build_failure(lines: list[str], build_dir: Path, log_path: Path) -> BuildError:
    """The error to raise for a failed configure or build, from its output."""
    error = cmake_error(lines)
    if error:
        return BuildError(error)
    block = failed_step(lines)
    error = freeze_error(block, build_dir)
    if error:
        return BuildError(error)
    compiler = [x for x in block if re.search(r"\b(error|warning|note)\b", x) or x.startswith(" ")]
    if any(re.search(r":\d+:\d+: error", x) for x in compiler):
        shown = compiler[:40]
        return BuildError("C compilation failed:\n" + "\n".join(shown) + f"\n(full log: {log_path})")
    tail = [x for x in block if x.strip()][-20:] or [x for x in lines if x.strip()][-20:]
    return BuildError("the build failed:\n" + "\n".join(tail) + f"\n(full log: {log_path})")
