"""The package version: set from git tags when the package is built (setuptools-scm)."""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "micropython-wasi"


def _installed_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        # Imported from a source tree that was never installed.
        return "0+unknown"


__version__: str = _installed_version()


def wasmtime_version() -> str:
    """The version of the wasmtime package that runs the image."""
    try:
        return metadata.version("wasmtime")
    except metadata.PackageNotFoundError:
        return "unknown"
