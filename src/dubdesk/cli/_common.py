"""Helpers shared by the sub-command modules: output, common options, parsing."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def json_option(func: F) -> F:
    """``--json``: machine-readable output on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")(func)


def emit_json(data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON on stdout."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def stderr_console() -> Any:
    """A rich console on stderr (progress, summaries); colour only on a terminal."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def stdout_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def is_interactive() -> bool:
    return sys.stderr.isatty()


def parse_assignment(value: str, option: str) -> tuple[str, str]:
    """Split ``LANG=FILE`` (as in ``--audio kk=dub.m4a``); a usage error otherwise."""
    lang, sep, rest = value.partition("=")
    if not sep or not lang or not rest:
        raise click.BadParameter(f"expected LANG=FILE, got {value!r}", param_hint=option)
    return lang, rest


#: reader warnings every command repeats on stderr (the rest are for ``info`` and ``lint``)
_TOLD = frozenset({"fps-assumed", "negative-time", "bad-timestamp", "truncated"})


def report_read_warnings(track: Any) -> None:
    """Say on stderr what the reader assumed or could not take (skipped cues), one line each."""
    src = track.source
    where = src.path or "-"
    for w in src.warnings:
        if w.skips or w.code in _TOLD:
            click.echo(f"warning: {where}" + (f":{w.line}" if w.line else "") + f": {w.message}", err=True)
    if src.skipped:
        click.echo(f"warning: {where}: {src.skipped} cue(s) skipped (dubdesk lint shows why)", err=True)
