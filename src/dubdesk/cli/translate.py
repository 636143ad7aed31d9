"""``dubdesk translate``: a thin layer over :func:`dubdesk.translate.translate_track`."""

from __future__ import annotations

from typing import Any

import click

from ._common import emit_json, is_interactive, json_option, report_read_warnings, stderr_console

#: exit code when some cues failed glossary verification (the file is written)
FLAGGED_EXIT = 3


@click.command(
    "translate",
    epilog="""\b
Examples:
  dubdesk translate ep01.zh-Hans.srt --to kk -o ep01.kk.srt --glossary names.toml
  dubdesk translate ep01.ru.srt --from ru --to kk -o ep01.kk.ass --bilingual
  dubdesk translate ep01.kk.ass --to ru -o ep01.ru.srt --json

Exit status: 0 done, 3 written but some cues flagged (glossary terms not
verified; listed in the summary), 1/2 on errors (nothing written).""",
)
@click.argument("input_path", metavar="IN", type=click.Path(dir_okay=False))
@click.option("--from", "source", metavar="LANG", help="Source language (BCP 47); default: from the file name.")
@click.option("--to", "target", metavar="LANG", required=True, help="Target language (BCP 47): zh-Hans, ru, kk, en…")
@click.option("-o", "--output", metavar="OUT", type=click.Path(dir_okay=False), help="Output file (format from its extension).")
@click.option("--in-place", is_flag=True, help="Overwrite IN with the translation.")
@click.option("--glossary", "glossary_path", metavar="G", type=click.Path(dir_okay=False), help="Glossary: terms are locked to their approved target forms.")
@click.option("--bilingual", is_flag=True, help="Write each target line with the source line under it (smaller, italic) for review.")
@click.option("--profile", metavar="P", help="QA profile whose line length the output is re-broken to (default: the target language's).")
@click.option("--engine", metavar="E", help="Engine to use (e.g. argos, multilingual, pivot); default: best installed route.")
@click.option("--model", metavar="M", help="Installed model to use, by name.")
@click.option("--memory", "memory_path", metavar="PATH", type=click.Path(dir_okay=False), help="Translation memory file (SQLite); default under the user data folder.")
@click.option("--no-memory", is_flag=True, help="Do not read or write the translation memory.")
@click.option(
    "--context",
    type=click.Choice(["sentence", "cue"]),
    help="sentence: cues that continue a sentence are translated together and cut back by the model's "
    "alignment; cue: every cue alone. Default: sentence when the engine aligns, else cue.",
)
@click.option("--encoding", metavar="ENC", help="Encoding of IN when it cannot be detected.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no summary.")
@json_option
def translate(
    input_path: str,
    source: str | None,
    target: str,
    output: str | None,
    in_place: bool,
    glossary_path: str | None,
    bilingual: bool,
    profile: str | None,
    engine: str | None,
    model: str | None,
    memory_path: str | None,
    no_memory: bool,
    context: str | None,
    encoding: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Translate subtitle file IN offline into --to, glossary-locked.

    Tags, line breaks, styles, actors and timings are kept; every cue of the
    file goes to the model in a few batches; finished translations are kept in
    the translation memory, so a re-run only translates edited cues and an
    interrupted run resumes. OUT is written only when complete.
    """
    from ..errors import UsageError
    from ..subtitles import load_cues, save
    from ..translate.pipeline import translate_track

    if output is None and not in_place:
        raise UsageError("no output file", hint="pass -o OUT (or --in-place)")
    if output is not None and in_place:
        raise UsageError("-o and --in-place contradict each other", hint="pass one of them")
    if output == "-" and as_json:
        raise UsageError("-o - and --json both write to stdout", hint="write the subtitles to a file, or drop --json")
    out_path = input_path if output is None else output
    from ..files import CLI_HINT, refuse_overwrite

    refuse_overwrite(out_path, [input_path], in_place=in_place, hint=CLI_HINT)  # before any work, not after it
    if no_memory and memory_path:
        raise UsageError("--memory and --no-memory contradict each other")

    track = load_cues(input_path, language=source, encoding=encoding)
    report_read_warnings(track)
    if source is not None:
        from .. import languages

        track.language = languages.normalize(source)
    if not track.language:
        raise UsageError("the source language is not known", path=input_path,
                         hint="pass --from LANG (or name the file like episode.ru.srt)")  # fmt: skip
    glossary: Any = None
    if glossary_path is not None:
        from ..glossary import load_glossary

        glossary = load_glossary(glossary_path)
    line_profile: Any = None  # the library takes the profile itself, never its name
    if profile is not None:
        from ..qa import load_profile

        line_profile = load_profile(profile)

    console = stderr_console()
    show = not quiet and not as_json
    memory: Any = False if no_memory else memory_path

    def announce(route: str) -> None:
        if show:
            click.echo(f"route: {route}", err=True)

    from ..subtitles import format_from_extension

    out_format = format_from_extension(out_path) or track.source.format
    from .. import formats

    # a time the output cannot hold (before zero…) fails now, not after the whole translation
    formats.check_range(track, formats.get(out_format or "srt"), out_path)

    if show and is_interactive():
        result = _with_progress(
            console, track, target, source, engine, model, glossary, line_profile, bilingual, memory, announce, out_format,
            context,
        )
    else:
        result = translate_track(
            track, target, source=source, engine=engine, model=model, glossary=glossary,
            profile=line_profile, bilingual=bilingual, memory=memory, on_route=announce, output_format=out_format,
            context=context,
        )
    notes = save(result.track, out_path, in_place=in_place)
    report = result.report
    if as_json:
        data = report.to_dict()
        data["input"] = input_path
        data["output"] = out_path
        data["format_warnings"] = notes  # what the output format could not keep (also on stderr)
        emit_json(data)
    elif not quiet:
        click.echo(report.summary() + f"; wrote {out_path}", err=True)
        for flag in report.flagged:
            click.echo(f"  flagged cue {flag.cue}: " + "; ".join(flag.reasons), err=True)
    if report.flagged:
        raise SystemExit(FLAGGED_EXIT)


def _with_progress(
    console: Any, track: Any, target: str, source: str | None, engine: str | None, model: str | None,
    glossary: Any, profile: Any, bilingual: bool, memory: Any, announce: Any, out_format: str | None,
    context: str | None,
) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..translate.pipeline import translate_track

    columns = (
        TextColumn("translating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("cues"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("translate", total=None, rate="")
        started: list[float] = []

        def update(done: int, total: int) -> None:
            import time

            now = time.perf_counter()
            if not started:
                started.append(now)
            elapsed = now - started[0]
            rate = f"{done / elapsed:.0f} cues/s" if elapsed > 0 and done else ""
            bar.update(task, completed=done, total=total, rate=rate)

        return translate_track(
            track, target, source=source, engine=engine, model=model, glossary=glossary,
            profile=profile, bilingual=bilingual, memory=memory, progress=update, on_route=announce,
            output_format=out_format, context=context,
        )
