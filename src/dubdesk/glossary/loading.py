"""``load_glossary``: a glossary file by its extension (dubdesk TOML or TBX)."""

from __future__ import annotations

from pathlib import Path

from ..errors import GlossaryError
from .model import Glossary
from .tbx import load_tbx
from .toml_read import load_toml


def load_glossary(path: str | Path) -> Glossary:
    """Read a glossary: dubdesk TOML (``.toml``) or TBX (``.tbx``, TBX-Basic/martif).

    Raises :class:`~dubdesk.errors.GlossaryInvalidError` (one problem per bad
    row, each with file and line) or :class:`~dubdesk.errors.GlossaryError`.
    """
    p = Path(path)
    if not p.is_file():
        raise GlossaryError("glossary file not found", path=str(p))
    suffix = p.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return load_tbx(p)
    if suffix == ".toml":
        return load_toml(p)
    raise GlossaryError(f"unknown glossary format {suffix!r}", path=str(p), hint="use .toml or .tbx")
