"""Shot-change lists as plain text: one time in seconds a line, as Subtitle Edit reads and writes them.

Subtitle Edit keeps a video's shot changes in a ``.shotchanges`` file of
seconds with a decimal point (``12.52``), one a line; dubdesk writes the same
(milliseconds, three decimals, no header, so Subtitle Edit imports it) and
reads it back. Blank lines and ``#`` comments are skipped. Any other
line is a :class:`~dubdesk.errors.ShotListError` naming the first bad line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ShotListError

_SECONDS_RE = re.compile(r"^\d+(?:\.\d+)?$")


def parse_shot_list(text: str, *, path: str | None = None) -> list[int]:
    """Shot-change times in ms, sorted and without duplicates."""
    out: set[int] = set()
    bad: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        # Subtitle Edit writes the invariant culture's decimal point; a decimal comma is a locale's
        # spreadsheet export of the same list, and unambiguous on a line with one number
        candidate = line.replace(",", ".") if line.count(",") == 1 and "." not in line else line
        if not _SECONDS_RE.match(candidate):
            bad.append((number, line))
            continue
        out.add(round(float(candidate) * 1000))
    if bad:
        number, line = bad[0]
        more = f" (and {len(bad) - 1} more bad lines)" if len(bad) > 1 else ""
        shown = line if len(line) <= 40 else line[:37] + "..."
        raise ShotListError(
            f"not a time in seconds: {shown!r}{more}", path=path, line=number,
            hint="a shot list has one time in seconds a line, e.g. 12.520",
        )  # fmt: skip
    return sorted(out)


def read_shot_list(path: str | os.PathLike[str]) -> list[int]:
    """Read a shot list file; a missing or binary file is a ShotListError too."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise ShotListError(f"cannot read shot list: {exc.strerror or exc}", path=name) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ShotListError("not a text file (a shot list has one time in seconds a line)", path=name) from None
    return parse_shot_list(text, path=name)


def format_shot_list(times_ms: list[int], *, header: str | None = None) -> str:
    """One time in seconds a line, three decimals; ``header`` becomes a ``#`` comment first."""
    lines = [f"# {header}"] if header else []
    lines += [f"{ms // 1000}.{ms % 1000:03d}" for ms in sorted(times_ms)]
    return "\n".join(lines) + "\n"
