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


def report_options(func: F) -> F:
    """``--format``, ``-o/--output`` and ``--fail-on``: how a QA command reports (see :func:`emit_report`)."""
    for option in reversed((
        click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "csv", "junit", "html"]), default=None,
                     help="Report format (default: a table on the terminal; with -o, from its extension)."),
        click.option("-o", "--output", "output", metavar="REPORT", type=click.Path(dir_okay=False, allow_dash=True),
                     help="Write the report to this file (written atomically)."),
        click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
                     help="Exit 3 when findings at or above this severity exist."),
    )):  # fmt: skip
        func = option(func)
    return func


def emit_report(report: Any, fmt: str | None, output: str | None, fail_on: str, as_json: bool) -> None:
    """Print or save a QA report (format from ``--format``, ``--json`` or the output's extension);
    exit 3 when it has findings at or above ``--fail-on``."""
    from ..qa.model import Severity
    from ..qa.reports import print_table, render, save_report

    threshold = Severity.parse(fail_on)
    if as_json:
        fmt = "json"
    if output is not None and output != "-":
        save_report(report, output, fmt, threshold)
        counts = report.counts()
        click.echo(f"{output}: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info", err=True)
    elif fmt is None or fmt == "text":
        print_table(report, threshold, color=None if sys.stdout.isatty() else False)
    else:
        click.echo(render(report, fmt, threshold), nl=False)
    if report.at_or_above(threshold):
        sys.exit(3)
