"""``dubdesk build`` and ``dubdesk status``: episode manifests (thin wrappers over :mod:`dubdesk.project`)."""

from __future__ import annotations

import sys
from typing import Any

import click

from ._common import emit_json, json_option, stderr_console, stdout_console

_STEPS = ("load", "glossary", "translate", "qa", "mux", "verify", "done")


def _counts(counts: dict[str, int]) -> str:
    parts = [f"{n} {sev}" + ("s" if n != 1 else "") for sev, n in counts.items() if n]
    return ", ".join(parts) or "clean"


def _grouped(items: list[str]) -> str:
    """``["overlap #8", "wrong-script #1", "wrong-script #2"]`` -> ``overlap #8, wrong-script ×2``."""
    by_rule: dict[str, list[str]] = {}
    for item in items:
        rule, _, cue = item.partition(" #")
        by_rule.setdefault(rule, []).append(cue.split(" ")[0])
    return ", ".join(f"{r} #{c[0]}" if len(c) == 1 else f"{r} ×{len(c)}" for r, c in by_rule.items())


def _dub_cell(lr: Any) -> str:
    """``✓`` for a dub track; with dub audio QA, its loudness and remaining findings."""
    if not lr.audio:
        return "—"
    qa = getattr(lr, "audio_qa", None)
    if not qa:
        return "✓"
    loud = (qa.get("measurements") or {}).get("integrated_lufs")
    head = f"✓ {loud:.1f} LUFS" if isinstance(loud, float) else "✓"
    names = [f.split(" (")[0] for f in qa["findings"]]  # "#12 dub-silent-cue" or "loudness-integrated"
    shown = ", ".join(" ".join(reversed(n.split(" ", 1))) if n.startswith("#") else n for n in names)
    return f"{head}\n{_counts(qa['counts'])}" + (f": {shown}" if shown else "")


def _print_build(result: Any) -> None:
    from rich.table import Table

    console = stdout_console()
    table = Table(title=f"Built {result.output}", title_justify="left", header_style="bold")
    for col in ("language", "subtitles", "glossary", "QA fixed", "QA remaining", "dub"):
        table.add_column(col)
    for lr in result.languages:
        how = lr.subtitles_from
        if lr.translation and lr.translation.get("route"):
            how += f"\n{lr.translation['route']}"
        table.add_row(
            f"{lr.language}{' (source)' if lr.role == 'source' else ''}",
            how,
            f"{lr.glossary_changes} fixed" if lr.glossary_changes else "—",
            _grouped(lr.qa_fixes) or "—",
            _counts(lr.qa_counts) + (": " + _grouped([f.lstrip("#").partition(" ")[2].split(" (")[0] + " #"
                                                      + f.lstrip("#").partition(" ")[0] for f in lr.qa_findings])
                                     if lr.qa_findings else ""),
            _dub_cell(lr),
        )
    console.print(table)
    streams = Table(title="Streams (verified with ffprobe)", title_justify="left", header_style="bold", box=None)
    for col in ("#", "type", "codec", "lang", "title", "dispositions"):
        streams.add_column(col)
    for s in result.streams:
        streams.add_row(str(s["index"]), s["type"], s["codec"], s.get("language_bcp47") or s.get("language") or "",
                        s.get("title") or "", ",".join(s["dispositions"]))  # fmt: skip
    console.print(streams)
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
    console.print(f"[green]✓[/green] {result.output} built and verified in {result.elapsed_s:.1f} s")


@click.command()
@click.argument("manifests", nargs=-1, type=click.Path())
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    help="Stop before muxing when QA findings at or above this remain (default: the manifest's [qa] fail_on, else error).",
)
@click.option("--no-fix", is_flag=True, help="Do not apply the safe QA fixes to the delivered subtitles.")
@click.option("--retranslate", is_flag=True, help="Translate again even when an earlier translation is up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Season: worker processes (default: one per core).")
@click.option("--keep-going/--fail-fast", default=True,
              help="Season: go on with the other episodes after one fails (default), or stop at the first failure.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Season: run on a Dask cluster (tcp://host:8786; default $DUBDESK_SCHEDULER). Needs dubdesk[cluster].")
@click.option("--progress", "progress_mode", type=click.Choice(["auto", "rich", "json", "none"]), default="auto",
              show_default=True, help="Season: a live grid on a terminal, JSON lines on stdout, or nothing.")
@click.option("--out", "season_out", type=click.Path(file_okay=False), help="Season: where the season report goes.")
@json_option
def build(
    manifests: tuple[str, ...],
    fail_on: str | None,
    no_fix: bool,
    retranslate: bool,
    jobs: int | None,
    keep_going: bool,
    scheduler: str | None,
    progress_mode: str,
    season_out: str | None,
    as_json: bool,
) -> None:
    """Build an episode delivery from its MANIFEST (default: ./dubdesk.toml),
    or a season: a season.toml, a folder of episode folders, or several
    manifests (dubdesk build ep*/dubdesk.toml).

    Runs: load → glossary apply → translate missing target subtitles → QA
    (safe fixes, then stop on findings at --fail-on) → mux → ffprobe verify.
    Input files are never changed; delivered subtitles go to
    <output folder>/subtitles/, the muxed file to <output folder>/<name>.
    Exit code 3 when QA stopped the build.

    A season runs every episode × language as its own job in parallel (-j,
    or a Dask cluster with --scheduler), skips what is up to date, writes
    season-report.txt/.json and index.html to its output folder, and exits 1
    if any episode failed. See docs/season.md.
    """
    from ..season.model import is_season

    paths = list(manifests) or ["dubdesk.toml"]
    if is_season(paths):
        from .season import run_build as run_season

        run_season(paths, jobs=jobs, keep_going=keep_going, scheduler=scheduler, progress=progress_mode,
                   fail_on=fail_on, no_fix=no_fix, force=retranslate, out=season_out, as_json=as_json)  # fmt: skip
        return
    manifest = paths[0]
    from ..project import build as run_build

    kwargs: dict[str, Any] = {"fail_on": fail_on, "fix": False if no_fix else None, "force_translate": retranslate}
    if as_json or not sys.stderr.isatty():
        notes: list[str] = []

        def plain(step: str, detail: str) -> None:
            if step == "warning":
                notes.append(detail)
            if not as_json:
                click.echo(f"dubdesk: {step}: {detail}", err=True)

        result = run_build(manifest, progress=plain, **kwargs)
    else:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        with Progress(
            SpinnerColumn(), TextColumn("[bold]{task.fields[step]:<9}"), BarColumn(bar_width=20),
            TextColumn("{task.description}"), console=stderr_console(), transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("", total=len(_STEPS) - 1, step="")

            def show(step: str, detail: str) -> None:
                if step == "warning":
                    bar.console.print(f"[yellow]warning:[/yellow] {detail}")
                    return
                if step in _STEPS:
                    bar.update(task, description=detail, step=step, completed=_STEPS.index(step))
                else:
                    bar.update(task, description=detail, step=step)

            result = run_build(manifest, progress=show, **kwargs)
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_build(result)


@click.command()
@click.argument("manifests", nargs=-1, type=click.Path())
@json_option
def status(manifests: tuple[str, ...], as_json: bool) -> None:
    """Show per language what exists, what is missing and what is stale
    (the source changed since the target was made), and whether the delivery
    is up to date. For a season (season.toml, a folder of episodes, several
    manifests): the grid of episodes × languages."""
    from ..season.model import is_season

    paths = list(manifests) or ["dubdesk.toml"]
    if is_season(paths):
        from .season import show_status

        show_status(paths, as_json)
        return
    manifest = paths[0]
    from ..project import status as get_status

    st = get_status(manifest)
    if as_json:
        emit_json(st.to_dict())
        return
    from rich.table import Table

    colour = {"ok": "green", "translated": "green", "up to date": "green", "none": "dim", "to translate": "yellow",
              "stale": "red", "missing": "red", "outdated": "yellow", "not built": "yellow"}  # fmt: skip

    def c(value: str) -> str:
        return f"[{colour.get(value, 'white')}]{value}[/]"

    console = stdout_console()
    table = Table(title=f"{st.manifest}", title_justify="left", header_style="bold")
    for col in ("language", "subtitles", "dub audio", "detail"):
        table.add_column(col)
    for row in st.languages:
        table.add_row(f"{row.language}{' (source)' if row.role == 'source' else ''}", c(row.subtitles), c(row.audio),
                      row.detail)  # fmt: skip
    console.print(table)
    console.print(f"video: {c(st.video)}   delivery: {c(st.delivery)}  {st.output}")
    for reason in st.reasons:
        console.print(f"  • {reason}")
