"""Checking data files people write by hand (glossaries, readability profiles, the project
manifest): every problem is an error of the file's own class naming the path, the line when
it is known, and a hint. One home for "must be a table / true or false / a list of strings" and for
reading a TOML syntax error's line, instead of a hand-written validator per file kind."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .errors import DubdeskError

E = TypeVar("E", bound=DubdeskError)

#: what a value must be -> (how a message says it, the test)
EXPECTED: dict[str, tuple[str, Callable[[object], bool]]] = {
    "table": ("a table", lambda v: isinstance(v, dict)),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "string": ("a string", lambda v: isinstance(v, str)),
    "name": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip())),
    "names": (
        "a list of non-empty strings",
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
    ),
}


def toml_syntax_error(exc: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    """tomllib's message without its ``(at line L, column C)``, and the line L."""
    found = re.search(r"line (\d+)", str(exc))
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)), int(found.group(1)) if found else None


_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|[A-Za-z0-9_-]+)\s*=")


def toml_lines(text: str) -> dict[str, int]:
    """Where each ``[table]`` header and each ``key =`` of a TOML text sits (tomllib keeps no
    positions): ``{"output": 12, "output.container": 14, "targets.kk": 7}``. Table names are dotted
    with quotes dropped; arrays of tables (``[[term]]``) are not indexed (the glossary has its own)."""
    found: dict[str, int] = {}
    table = ""
    for no, line in enumerate(text.splitlines(), 1):
        header = _TABLE_HEADER.match(line)
        if header:
            table = ".".join(part.strip().strip('"') for part in header.group(1).split("."))
            found.setdefault(table, no)
            continue
        if line.lstrip().startswith("[["):
            table = "\0"  # inside an array of tables: nothing indexed
            continue
        key = _KEY.match(line)
        if key and table != "\0":
            found.setdefault(f"{table}.{key.group(1).strip(chr(34))}" if table else key.group(1).strip(chr(34)), no)
    return found


def require(
    value: object, kind: str, what: str, *, error: type[E], path: str | None, line: int | None = None,
    hint: str | None = None,
) -> None:
    """Raise ``error("WHAT must be …")`` unless ``value`` is of ``kind`` (a key of :data:`EXPECTED`)."""
    description, test = EXPECTED[kind]
    if not test(value):
        raise error(f"{what} must be {description}", path=path, line=line, hint=hint)


class Problems(Generic[E]):
    """The problems of one file, collected so that every bad row is reported at once."""

    def __init__(self, path: str | None, error: type[E]) -> None:
        self.path = path
        self.error = error
        self.found: list[E] = []

    def add(self, message: str, line: int | None = None, hint: str | None = None) -> None:
        self.found.append(self.error(message, path=self.path, line=line, hint=hint))

    def check(self, value: object, kind: str, what: str, line: int | None = None, hint: str | None = None) -> bool:
        """Whether ``value`` is of ``kind``; if not, a problem ``WHAT must be …`` is added."""
        description, test = EXPECTED[kind]
        if test(value):
            return True
        self.add(f"{what} must be {description}", line, hint)
        return False

    def __bool__(self) -> bool:
        return bool(self.found)

    def __iter__(self) -> Iterator[E]:
        return iter(self.found)
