"""Report renderers: a registry of format -> function(report, fail_on) -> str.

``text`` is for terminals (rich renders it coloured, grouped by severity),
``json`` is the versioned schema, ``csv`` one row per finding, ``junit`` for
CI systems (one test suite per rule; findings at or above ``--fail-on`` are
failures), ``html`` a self-contained page for reviewers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import quoteattr

from ..errors import UsageError
from ..files import atomic_write_bytes
from ..frames import timecode
from .audio import AUDIO_RULES
from .html import render_html
from .model import Finding, Report, Severity
from .rules import RULES

Renderer = Callable[[Report, Severity], str]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(func: Renderer) -> Renderer:
        RENDERERS[name] = func
        return func

    return register


def render(report: Report, fmt: str, fail_on: str | Severity = Severity.ERROR) -> str:

    func = RENDERERS.get(fmt)
    if func is None:
        raise UsageError(f"unknown report format {fmt!r}", hint="use " + ", ".join(RENDERERS))
    return func(report, Severity.parse(fail_on))


#: the report format an output file's extension asks for (any other extension: text)
FORMAT_BY_EXTENSION = {"json": "json", "csv": "csv", "xml": "junit", "html": "html", "htm": "html"}


def format_for(path: str) -> str:
    """The report format for an output file: ``qa.xml`` → ``junit``; an unknown extension → ``text``."""
    return FORMAT_BY_EXTENSION.get(path.rsplit(".", 1)[-1].lower(), "text")


def save_report(report: Report, path: str, fmt: str | None = None, fail_on: str | Severity = Severity.ERROR) -> None:
    """Write ``report`` to ``path`` (atomically) in ``fmt``, by default the one its extension asks for."""
    atomic_write_bytes(path, render(report, fmt or format_for(path), fail_on).encode("utf-8"))


def _tc(ms: int | None) -> str:
    return "" if ms is None else timecode(ms, None)


@renderer("json")
def to_json(report: Report, fail_on: Severity) -> str:
    data = report.to_dict()
    data["fail_on"] = str(fail_on)
    data["failed"] = bool(report.at_or_above(fail_on))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["severity", "rule", "cue", "index", "start", "end", "start_ms", "end_ms", "message"]


@renderer("csv")
def to_csv(report: Report, fail_on: Severity) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in report.findings:
        writer.writerow([str(f.severity), f.rule, f.cue if f.cue is not None else "", f.index if f.index is not None else "",
                         _tc(f.start_ms), _tc(f.end_ms), f.start_ms if f.start_ms is not None else "",
                         f.end_ms if f.end_ms is not None else "", f.message])  # fmt: skip
    return buf.getvalue()


@renderer("junit")
def to_junit(report: Report, fail_on: Severity) -> str:
    name = report.path or "<track>"
    by_rule: dict[str, list[Finding]] = {r: [] for r in report.rules}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    suites: list[str] = []
    total_tests = total_fail = 0
    for rule_id, found in by_rule.items():
        cases: list[str] = []
        failures = 0
        if not found:
            cases.append(f'    <testcase classname={quoteattr("dubdesk.qa." + rule_id)} name="all cues"/>')
        for f in found:
            where = f"cue {f.cue} ({_tc(f.start_ms)})" if f.cue is not None else "track"
            head = f'    <testcase classname={quoteattr("dubdesk.qa." + rule_id)} name={quoteattr(where)}'
            text = f"[{f.severity}] {name}: {where}: {f.message}"
            if f.severity >= fail_on:
                failures += 1
                cases.append(f"{head}>\n      <failure message={quoteattr(f.message)} type={quoteattr(str(f.severity))}>"
                             f"{_xml_text(text)}</failure>\n    </testcase>")  # fmt: skip
            else:
                cases.append(f"{head}>\n      <system-out>{_xml_text(text)}</system-out>\n    </testcase>")
        total_tests += len(cases)
        total_fail += failures
        summary = RULES[rule_id].summary if rule_id in RULES else _audio_summary(rule_id)
        suites.append(
            f"  <testsuite name={quoteattr(f'{rule_id}: {summary}')} tests=\"{len(cases)}\" failures=\"{failures}\" "
            f'errors="0" skipped="0">\n' + "\n".join(cases) + "\n  </testsuite>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<testsuites name={quoteattr('dubdesk qa ' + name)} tests=\"{total_tests}\" failures=\"{total_fail}\">\n"
        + "\n".join(suites)
        + "\n</testsuites>\n"
    )


#: measurement key -> (label, unit, scale): how the terminal report shows dub audio measurements
_MEASURES = {
    "integrated_lufs": ("integrated", "LUFS", 1.0), "loudness_range_lu": ("range", "LU", 1.0),
    "true_peak_dbtp": ("true peak", "dBTP", 1.0), "dub_duration_ms": ("dub", "s", 1000.0),
    "video_duration_ms": ("picture", "s", 1000.0), "original_audio_ms": ("original audio", "s", 1000.0),
    "speech_ms": ("speech", "s", 1000.0),
}  # fmt: skip


def measured_text(measurements: dict[str, Any]) -> str:
    """``integrated -23.0 LUFS, range 2.2 LU, true peak -18.7 dBTP, dub 60.000 s, ...``"""
    parts = []
    for key, value in measurements.items():
        if value is None:
            continue
        label, unit, scale = _MEASURES.get(key, (key, "", 1.0))
        number = f"{value / scale:.3f}" if scale != 1.0 else f"{value:.1f}"
        parts.append(f"{label} {number} {unit}".rstrip())
    return ", ".join(parts)


def _audio_summary(rule_id: str) -> str:
    return AUDIO_RULES[rule_id][1] if rule_id in AUDIO_RULES else rule_id


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@renderer("text")
def to_text(report: Report, fail_on: Severity) -> str:
    """Plain text (what the coloured terminal table shows, without colour)."""
    buf = io.StringIO()
    print_table(report, fail_on, file=buf, color=False)
    return buf.getvalue()


@renderer("html")
def to_html(report: Report, fail_on: Severity) -> str:

    return render_html(report, fail_on)


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_table(report: Report, fail_on: Severity, *, file: Any = None, color: bool | None = None) -> None:
    """The terminal report: one table per severity, worst first, then a summary line."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=file, highlight=False, no_color=color is False, force_terminal=color or None,
                      width=140 if file is not None else None)  # fmt: skip
    name = report.path or "<track>"
    console.print(f"[bold]{name}[/bold]  profile {report.profile}, {report.cue_count} cues, "
                  f"fps {report.fps if report.fps is not None else f'{report.gap_fps:g} (default)'}")  # fmt: skip
    if report.measurements:
        console.print("measured: " + measured_text(report.measurements))
    for sev in sorted(Severity, reverse=True):
        found = [f for f in report.findings if f.severity == sev]
        if not found:
            continue
        table = Table(title=f"{str(sev).upper()}S ({len(found)})", title_style=_STYLE[sev], title_justify="left",
                      show_lines=False, expand=False)  # fmt: skip
        table.add_column("cue", justify="right")
        table.add_column("time")
        table.add_column("rule", style=_STYLE[sev])
        table.add_column("what to do", overflow="fold")
        for f in found:
            table.add_row("" if f.cue is None else str(f.cue), _tc(f.start_ms), f.rule, f.message)
        console.print(table)
    counts = report.counts()
    verdict = "FAIL" if report.at_or_above(fail_on) else "ok"
    style = "bold red" if verdict == "FAIL" else "bold green"
    console.print(f"[{style}]{verdict}[/{style}]: {counts['error']} errors, {counts['warning']} warnings, "
                  f"{counts['info']} info (fail on {fail_on})")  # fmt: skip
