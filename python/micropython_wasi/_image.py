"""Locating an interpreter image and reading its manifest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import ImageError
from .result import _Record

IMAGE_ENV_VAR = "MICROPY_WASI_IMAGE"


_BUNDLED_IMAGE = Path(__file__).resolve().parent / "image" / "micropython.wasm"


def default_image_path() -> Path:
    """The image bundled with the package, unless MICROPY_WASI_IMAGE names another."""
    override = os.environ.get(IMAGE_ENV_VAR)
    if override:
        return Path(override)
    return _BUNDLED_IMAGE


class ImageInfo(_Record):
    """What an image contains, from the JSON manifest written next to it by the build."""

    __slots__ = ("path", "manifest")

    path: Path
    manifest: dict[str, Any]

    def __init__(self, path: Path, manifest: dict[str, Any] | None = None) -> None:
        super().__init__(path, {} if manifest is None else manifest)

    def __hash__(self) -> int:
        return hash(self.path)

    @property
    def micropython_version(self) -> str | None:
        return self.manifest.get("micropython_version")

    @property
    def variant(self) -> str | None:
        return self.manifest.get("variant")

    @property
    def image_format(self) -> str:
        """"reactor" (what this package's runner embeds) or "command" (a WASI command for any runtime)."""
        value = self.manifest.get("image_format", "reactor")
        return value if isinstance(value, str) else "reactor"

    @property
    def modules(self) -> list[str]:
        return list(self.manifest.get("modules", []))

    @property
    def frozen_modules(self) -> list[str]:
        return list(self.manifest.get("frozen_modules", []))

    @property
    def module_changes(self) -> list[str]:
        """Built-in modules added (+NAME) or removed (-NAME) on top of the variant's."""
        return list(self.manifest.get("module_changes", []))

    @property
    def user_c_modules(self) -> list[str]:
        """Built-in modules that come from user C modules."""
        return [name for entry in self.manifest.get("user_c_modules", []) for name in entry.get("modules", [])]

    @property
    def user_frozen_modules(self) -> list[str]:
        """Frozen modules that come from user code (--freeze, --manifest), not from the variant."""
        return list(self.manifest.get("user_frozen_modules", []))

    @property
    def prepared(self) -> dict[str, Any] | None:
        """How a prepared image was made (base image, added files, setup hash), or None for a built one."""
        value = self.manifest.get("prepared")
        return value if isinstance(value, dict) else None



def resolve_image(image: str | os.PathLike[str] | None) -> Path:
    path = Path(image) if image is not None else default_image_path()
    if not path.is_file():
        if image is None:
            raise ImageError(
                f"the bundled interpreter image is missing ({path}): reinstall micropython-wasi, "
                f"or build it from source with `pip install .`"
            )
        raise ImageError(f"image not found: {path}")
    return path


def image_info(image: str | os.PathLike[str] | None = None) -> ImageInfo:
    """Describe an image (default: the bundled one) from its manifest, if it has one."""
    path = resolve_image(image)
    manifest_path = path.with_suffix(".json")
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        import json

        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, ValueError) as exc:
            raise ImageError(f"unreadable image manifest {manifest_path}: {exc}") from exc
    return ImageInfo(path=path, manifest=manifest)


def describe_image(info: ImageInfo) -> str:
    """A few lines saying what an image contains, from its manifest."""
    m = info.manifest
    if not m:
        return f"image: {info.path}\n(no manifest next to it: {info.path.with_suffix('.json')} is missing)"
    changes = " ".join(info.module_changes)
    lines = [
        f"image: {info.path} ({m.get('image_size', info.path.stat().st_size) / 1024:.1f} KiB)",
        f"MicroPython {info.micropython_version}, variant {info.variant}" + (f" ({changes})" if changes else ""),
        f"built-in modules ({len(info.modules)}): {' '.join(info.modules)}",
        f"frozen modules ({len(info.frozen_modules)}): {' '.join(info.frozen_modules) or '-'}",
    ]
    if info.image_format != "reactor":
        lines.insert(2, f"format: {info.image_format} (a WASI command for WASI runtimes, e.g. "
                        f"`wasmtime run --dir . {info.path.name} script.py`; this package's runner needs a reactor image)")
    if info.user_c_modules:
        lines.append(f"user C modules: {' '.join(info.user_c_modules)}")
    if info.user_frozen_modules:
        lines.append(f"user frozen modules: {' '.join(info.user_frozen_modules)}")
    prepared = info.prepared
    if prepared is not None:
        files = prepared.get("files", [])
        lines += [
            f"prepared from {prepared.get('base_image')} (sha256 {prepared.get('base_sha256')})",
            f"added files ({len(files)}): " + (" ".join(f"{f.get('path')} ({str(f.get('sha256'))[:12]})"
                                                    for f in files) or "-"),
            f"imported modules: {' '.join(prepared.get('modules', [])) or '-'}",
            "setup: " + (f"sha256 {prepared['setup_sha256']}" if prepared.get("setup_sha256") else "-"),
        ]
    return "\n".join(lines)
