"""``dubdesk info``, ``convert`` and ``lint``."""

from __future__ import annotations

import sys

import click

from ._common import emit_json, json_option, report_read_warnings, stdout_console

_enc = click.option("--encoding", "-e", "encoding", metavar="ENC", help="Input encoding (default: detect).")
_lang = click.option("--lang", "-l", "language", metavar="LANG", help="Track language, BCP 47 (default: from the file name).")
_fmt = click.option("--from-format", "fmt", metavar="FMT", help="Input format (default: detect).")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True, dir_okay=False))
@_lang
@_enc
@_fmt
@json_option
def info(files: tuple[str, ...], language: str | None, encoding: str | None, fmt: str | None, as_json: bool) -> None:
    """Show format, encoding (with confidence), cue count, duration and language of FILES."""
    from ..subtitles import load, require_cues

    rows = []
    for path in files:
        track = require_cues(load(path, language=language, encoding=encoding, fmt=fmt))
        src = track.source
        rows.append({
            "path": path, "format": src.format, "encoding": src.encoding, "confidence": src.confidence,
            "encoding_method": src.encoding_method, "bom": src.bom, "line_endings": src.line_endings,
            "language": track.language, "cues": len(track.cues), "events": len(track.events),
            "styles": len(track.subs.styles), "duration_ms": track.duration_ms,
            "first_ms": min((e.start for e in track.cues), default=0), "skipped": src.skipped,
            "warnings": [w.to_dict() for w in src.warnings],
        })
    if as_json:
        emit_json(rows if len(rows) > 1 else rows[0])
        return
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for col in ("file", "format", "encoding", "lang", "cues", "duration", "line endings"):
        table.add_column(col)
    for r in rows:
        enc = f"{r['encoding']}{' +BOM' if r['bom'] else ''} ({r['encoding_method']}, {float(str(r['confidence'])):.2f})"
        table.add_row(str(r["path"]), str(r["format"]), enc, str(r["language"] or "?"), str(r["cues"]),
                      _duration(int(str(r["duration_ms"]))), str(r["line_endings"]))
    console = stdout_console()
    console.print(table)
    for path, row in zip(files, rows, strict=True):
        for w in row["warnings"] if isinstance(row["warnings"], list) else []:
            where = f"{path}:{w['line']}" if w["line"] else path
            console.print(f"[yellow]warning[/]: {where}: {w['message']} ({w['code']})", markup=True, highlight=False)
        if row["skipped"]:
            console.print(f"[yellow]warning[/]: {path}: {row['skipped']} cue(s) skipped (dubdesk lint shows why)")


def _duration(ms: int) -> str:
    s, ms = divmod(ms, 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{h}:{m:02d}:{s:02d}.{ms:03d}"


@click.command()
@click.argument("source", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(allow_dash=True, dir_okay=False), help="Output file ('-' for stdout).")
@click.option("--to", "to_fmt", metavar="FMT", help="Output format (default: from the output extension).")
@click.option("--to-encoding", "out_encoding", default="utf-8", show_default=True, metavar="ENC", help="Output encoding.")
@click.option("--bom/--no-bom", default=None, help="Write a UTF-8 byte-order mark (default: as the input when the format stays).")
@click.option("--crlf/--lf", default=None, help="Write CRLF line endings (default: as the input when the format stays).")
@click.option("--fps", type=float, help="Frame rate for MicroDVD input or output.")
@click.option("--in-place", is_flag=True, help="Allow the output to overwrite the input.")
@click.option(
    "--dedupe-rolling", is_flag=True,
    help="Rolling auto-captions (YouTube: each line repeated in the next cue, word timings) to plain cues, each line once.",
)  # fmt: skip
@_lang
@_enc
@_fmt
@json_option
def convert(
    source: str, output: str, to_fmt: str | None, out_encoding: str, bom: bool | None, crlf: bool | None,
    fps: float | None, in_place: bool, dedupe_rolling: bool, language: str | None, encoding: str | None,
    fmt: str | None, as_json: bool,
) -> None:
    """Convert SOURCE to another format and/or encoding (e.g. SRT in GB18030 to UTF-8 WebVTT)."""
    from ..files import CLI_HINT, refuse_overwrite
    from ..subtitles import format_from_extension, load, require_cues, save

    if output == "-" and to_fmt is None:
        raise click.UsageError("writing to stdout needs --to FMT")
    refuse_overwrite(output, [source], in_place=in_place, hint=CLI_HINT)
    track = require_cues(load(source, language=language, encoding=encoding, fmt=fmt, fps=fps))
    if dedupe_rolling:
        from ..rolling import dedupe_rolling as dedupe

        track = dedupe(track)
    report_read_warnings(track)
    newline = None if crlf is None else "\r\n" if crlf else "\n"
    if output == "-" and as_json:
        raise click.UsageError("-o - and --json both write to stdout")
    notes = save(track, output, fmt=to_fmt, encoding=out_encoding, in_place=in_place, newline=newline, bom=bom, fps=fps)
    if as_json:
        emit_json({"input": source, "output": output, "format": to_fmt or format_from_extension(output),
                   "cues": len(track.cues), "warnings": notes})  # fmt: skip
    elif output != "-":
        click.echo(f"wrote {output} ({len(track.cues)} cues)", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_lang
@_enc
@_fmt
@json_option
def lint(files: tuple[str, ...], language: str | None, encoding: str | None, fmt: str | None, as_json: bool) -> None:
    """Report structural problems in FILES with line numbers.

    Exit status: 0 clean (warnings allowed), 3 when an error-level problem is found.
    """
    from ..lint import lint_file

    reports = [lint_file(path, language=language, encoding=encoding, fmt=fmt) for path in files]
    if as_json:
        emit_json([r.to_dict() for r in reports])
    else:
        console = stdout_console()
        for report in reports:
            if not report.issues:
                console.print(f"[green]ok[/] {report.path}")
            for issue in report.issues:
                where = report.path + (f":{issue.line}" if issue.line else "")
                cue = f" cue {issue.cue}" if issue.cue else ""
                colour = "red" if issue.severity == "error" else "yellow"
                console.print(f"{where}:{cue} [{colour}]{issue.severity}[/] {issue.code}: {issue.message}", markup=True)
    if any(r.errors for r in reports):
        sys.exit(3)
