"""Finding ffmpeg and ffprobe, and running them.

Lookup order for each tool: the ``DUBDESK_FFMPEG`` / ``DUBDESK_FFPROBE``
environment variable (a path), then ``PATH``. A missing tool is one
:class:`~dubdesk.errors.FFmpegNotFoundError` line that says how to install it.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import FFmpegNotFoundError

_ENV = {"ffmpeg": "DUBDESK_FFMPEG", "ffprobe": "DUBDESK_FFPROBE"}


@dataclass(frozen=True)
class Tool:
    """One found binary: its name, absolute path and version string."""

    name: str
    path: str
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "path": self.path, "version": self.version}


def _install_hint(name: str) -> str:
    return f"install it with `apt-get install ffmpeg` (or your OS's package manager), or set {_ENV[name]}=/path/to/{name}"


def find_tool(name: str) -> str:
    """Absolute path of ``ffmpeg`` or ``ffprobe``; :class:`FFmpegNotFoundError` if absent."""
    env_name = _ENV[name]
    given = os.environ.get(env_name)
    if given:
        path = Path(given)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path.resolve())
        found = shutil.which(given)
        if found:
            return found
        raise FFmpegNotFoundError(
            f"{env_name} points to {given!r}, which is not an executable {name}", hint=_install_hint(name)
        )
    found = shutil.which(name)
    if found is None:
        raise FFmpegNotFoundError(f"{name} not found on PATH", hint=_install_hint(name))
    return found


def ffmpeg_path() -> str:
    return find_tool("ffmpeg")


def ffprobe_path() -> str:
    return find_tool("ffprobe")


@functools.lru_cache(maxsize=8)
def _version_of(path: str) -> str:
    try:
        out = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError as exc:
        raise FFmpegNotFoundError(f"cannot run {path}: {exc.strerror or exc}") from exc
    first = out.splitlines()[0] if out else ""
    match = re.match(r"\S+ version (\S+)", first)
    return match.group(1) if match else (first or "unknown")


def tool_info(name: str) -> Tool:
    """Path and version of ``ffmpeg`` or ``ffprobe``."""
    path = find_tool(name)
    return Tool(name=name, path=path, version=_version_of(path))


def safe_input(path: str | os.PathLike[str]) -> str:
    """A path ffmpeg reads as a file, never as an option or a protocol.

    ``-x.mkv`` would be taken for an option and ``http:...`` or ``concat:...``
    for a protocol; the ``file:`` protocol prefix makes any name literal.
    """
    return "file:" + os.fspath(path)
