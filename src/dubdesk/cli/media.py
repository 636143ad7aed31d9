"""``dubdesk probe``, ``mux``, ``extract`` and ``doctor``: thin wrappers over :mod:`dubdesk.media`."""

from __future__ import annotations

from typing import Any

import click

from ._common import emit_json, json_option, stdout_console


def _print_probe(result: Any) -> None:
    from rich.table import Table

    console = stdout_console()
    console.print(
        f"[bold]{result.path}[/bold]  {result.format}  {result.duration_ms / 1000:.3f} s  {result.size} bytes"
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("#", "type", "codec", "lang", "title", "dispositions", "duration"):
        table.add_column(col)
    for s in result.streams:
        lang = s.language or ""
        if s.language_bcp47 and s.language_bcp47 != s.language:
            lang += f" ({s.language_bcp47})"
        table.add_row(
            str(s.index),
            f"{s.type}:{s.type_index}",
            s.codec,
            lang,
            s.title or "",
            ",".join(s.dispositions),
            "" if s.duration_ms is None else f"{s.duration_ms / 1000:.3f} s",
        )
    console.print(table)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
def probe(file: str, as_json: bool) -> None:
    """List the streams of a media FILE: index, type, codec, language, title,
    dispositions and duration."""
    from ..media import probe as probe_file

    result = probe_file(file)
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_probe(result)


def _warn(message: str) -> None:
    click.echo(f"dubdesk: warning: {message}", err=True)


def _assignments(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    from ._common import parse_assignment

    return [parse_assignment(v, option) for v in values]


@click.command()
@click.argument("video", type=click.Path(dir_okay=False))
@click.option("--audio", "audio", multiple=True, metavar="L=FILE", help="Dub audio track in language L (repeatable).")
@click.option("--subs", "subs", multiple=True, metavar="L=FILE", help="Subtitle track in language L (repeatable).")
@click.option("--drop-original-audio", is_flag=True, help="Leave out the video's own audio.")
@click.option("--original-language", metavar="L", help="Language of the video's own audio, if its tag is missing or wrong.")
@click.option("--default-audio", metavar="L", help="The default audio track (default: the first).")
@click.option("--default-subs", metavar="L", help="The default subtitle track (default: the first).")
@click.option("--forced", multiple=True, metavar="L", help="Mark the L subtitle track forced (repeatable).")
@click.option("--sdh", multiple=True, metavar="L", help="Mark the L subtitle track SDH / hearing impaired (repeatable).")
@click.option(
    "--title",
    "titles",
    multiple=True,
    metavar="L=TEXT",
    help="Track title for language L (default: the language's own name); audio:L=… or subs:L=… for one kind.",
)
@click.option("--container", type=click.Choice(["mkv", "mp4", "webm"]), help="Container (default: from -o's extension).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file.")
@click.option("--dry-run", is_flag=True, help="Print the plan and the ffmpeg command; write nothing.")
@json_option
def mux(
    video: str,
    audio: tuple[str, ...],
    subs: tuple[str, ...],
    drop_original_audio: bool,
    original_language: str | None,
    default_audio: str | None,
    default_subs: str | None,
    forced: tuple[str, ...],
    sdh: tuple[str, ...],
    titles: tuple[str, ...],
    container: str | None,
    output: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Mux VIDEO with dub audio and subtitle tracks into one file, then verify it.

    Streams are copied, never re-encoded; subtitles are converted only when the
    container needs it (mov_text in MP4, WebVTT in WebM). The result is written
    to a temporary file, checked with ffprobe against the plan (streams,
    codecs, languages, titles, dispositions, durations) and only then renamed
    to OUTPUT.

    \b
    Example:
      dubdesk mux ep1.mp4 --audio kk=dub.kk.m4a --subs kk=ep1.kk.ass \\
          --subs ru=ep1.ru.srt --default-audio kk --forced ru -o ep1.mkv
    """
    from ..media import plan_mux, run_plan

    title_map = dict(_assignments(titles, "--title"))
    plan = plan_mux(
        video,
        output,
        audio=_assignments(audio, "--audio"),
        subtitles=_assignments(subs, "--subs"),
        drop_original_audio=drop_original_audio,
        original_language=original_language,
        default_audio=default_audio,
        default_subtitles=default_subs,
        forced=forced,
        sdh=sdh,
        titles=title_map,
        container=container,
    )
    if not as_json:
        for warning in plan.warnings:
            _warn(warning)
    if dry_run:
        if as_json:
            emit_json({**plan.to_dict(), "command": plan.to_args()})
        else:
            import shlex

            click.echo(shlex.join(plan.to_args()))
        return
    result = _quiet_run(run_plan, plan)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_probe(result.probe)
    stdout_console().print(
        f"[green]✓[/green] verified against the plan and written to {result.output} in {result.elapsed_s:.2f} s"
    )


def _quiet_run(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a library call with its warnings kept off stderr (the CLI printed them already)."""
    import logging

    logger = logging.getLogger("dubdesk.media")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return func(*args, **kwargs)
    finally:
        logger.setLevel(previous)


@click.command()
@click.argument("video", type=click.Path(dir_okay=False))
@click.option("--subs", "subs_lang", metavar="L", help="Extract the subtitle track in language L.")
@click.option("--audio", "audio_lang", metavar="L", help="Extract the audio track in language L (stream copy).")
@click.option("--index", type=int, help="Pick the stream by its absolute index (see `dubdesk probe`).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file (.srt/.ass/.vtt, .m4a/.mka).")
@json_option
def extract(
    video: str, subs_lang: str | None, audio_lang: str | None, index: int | None, output: str, as_json: bool
) -> None:
    """Pull a subtitle or audio track out of VIDEO by language.

    \b
    Examples:
      dubdesk extract ep1.mkv --subs kk -o ep1.kk.srt
      dubdesk extract ep1.mkv --audio ru -o ep1.ru.m4a
    """
    from ..errors import UsageError
    from ..media import extract as extract_track

    if (subs_lang is not None and audio_lang is not None) or (subs_lang is None and audio_lang is None and index is None):
        raise UsageError("give exactly one of --subs L or --audio L (or --index N)")
    kind = "audio" if audio_lang is not None else "subtitle"
    if subs_lang is None and audio_lang is None and index is not None:
        from pathlib import Path

        kind = "subtitle" if Path(output).suffix.lower() in {".srt", ".ass", ".ssa", ".vtt"} else "audio"
    result = _quiet_run(extract_track, video, output, kind=kind, language=subs_lang or audio_lang, index=index)
    if as_json:
        emit_json(result.to_dict())
        return
    for warning in result.warnings:
        _warn(warning)
    s = result.stream
    click.echo(f"{result.output}: {kind} stream #{s.index} ({s.codec}, {s.language_bcp47 or s.language}, {s.title or 'no title'})")


@click.command()
@json_option
def doctor(as_json: bool) -> None:
    """Show ffmpeg and ffprobe (paths, versions), translation models, Chromium, and what is missing.

    Exits 1 when ffmpeg or ffprobe is missing (nothing can be muxed then).
    """
    import sys

    from ..diagnostics import doctor_report

    report = doctor_report()
    if as_json:
        emit_json(report)
    else:
        console = stdout_console()
        for name in ("ffmpeg", "ffprobe", "chromium"):
            t = report["tools"][name]
            if t.get("path"):
                where = {"bundled": " (static build from the media extra)", "env": f" (DUBDESK_{name.upper()})"}
                console.print(
                    f"[green]✓[/green] {name:<9} {t.get('version') or ''} {t['path']}{where.get(t.get('where', ''), '')}"
                )
            else:
                console.print(f"[red]✗[/red] {name:<9} missing")
        for pkg, version in report["python"].items():
            mark = "[green]✓[/green]" if version else "[yellow]–[/yellow]"
            console.print(f"{mark} {pkg:<9} {version or 'not installed'}")
        if report["models"]:
            console.print(f"[green]✓[/green] models    {len(report['models'])} installed")
            for m in report["models"]:
                demo = ", DEMO" if m.get("demo") else ""
                console.print(f"    {m['name']} ({m['kind']}{demo}) {', '.join(m['pairs'])}")
        else:
            console.print("[yellow]–[/yellow] models    none installed" + (f" ({report['models_note']})" if report.get("models_note") else ""))
        if report["missing"]:
            console.print("\n[bold]Missing:[/bold]")
            for item in report["missing"]:
                console.print(f"  • {item}")
    if not report["ok"]:
        sys.exit(1)
