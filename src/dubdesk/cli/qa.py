"""``dubdesk qa`` and ``dubdesk fix``: thin wrappers over :mod:`dubdesk.qa`."""

from __future__ import annotations

from typing import Any

import click

from ._common import emit_json, emit_report, json_option, report_options, report_read_warnings

_lang = click.option("--lang", "-l", "language", metavar="LANG", help="Track language, BCP 47 (default: from the file name).")
_profile = click.option(
    "--profile", "-p", metavar="P",
    help="QA profile: zh-Hans, zh-Hant, ru, kk, en (add -children for children's speeds) or a profile .toml file "
    "(default: the track language's).",
)  # fmt: skip
_set = click.option(
    "--set", "overrides", multiple=True, metavar="KEY=VALUE",
    help="Override one profile value, e.g. --set max_cps=15 (repeatable).",
)  # fmt: skip
_enc = click.option("--encoding", "-e", "encoding", metavar="ENC", help="Input encoding (default: detect).")


@click.command()
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@_lang
@_profile
@_set
@click.option("--children", is_flag=True, help="Use the profile's children's reading speeds.")
@click.option("--fps", metavar="F", help="Frame rate (23.976, 24, 25, 29.97, 30): checks frame alignment and sizes the 2-frame gap.")
@click.option("--video", metavar="V", help="Video file: cues after its end are errors; its shot changes (detected, "
              "cached) are checked.")
@click.option("--shot-changes", "shot_list", metavar="LIST", help="Shot list (one time in seconds a line): check cues "
              "against these shot changes instead of detecting them.")
@click.option("--shot-threshold", type=float, metavar="T", help="scdet threshold for detecting shot changes (default 10).")
@click.option("--against", metavar="SRC", help="Source track: compare cue count, timing, reading speed and dub fit.")
@click.option("--rules", "rule_ids", metavar="RULES", help="Only these rule ids (comma-separated).")
@report_options
@_enc
@json_option
def qa(
    file: str, language: str | None, profile: str | None, overrides: tuple[str, ...], children: bool,
    fps: str | None, video: str | None, shot_list: str | None, shot_threshold: float | None, against: str | None,
    rule_ids: str | None, fmt: str | None, output: str | None, fail_on: str, encoding: str | None, as_json: bool,
) -> None:
    """Check FILE's timing and readability against a language profile.

    Exit codes: 0 clean, 3 findings at or above --fail-on, 1 errors, 2 usage.

    \b
    Examples:
      dubdesk qa episode.kk.ass
      dubdesk qa episode.zh-Hans.srt --fps 23.976 --video episode.mkv
      dubdesk qa episode.ru.srt --shot-changes episode.shotchanges
      dubdesk qa episode.ru.srt --against episode.zh-Hans.srt --format html -o qa.html
      dubdesk qa episode.ru.srt --set max_cps=15 --format junit -o qa.xml --fail-on warning
    """
    from ..frames import parse_fps
    from ..profiles import parse_overrides
    from ..qa import run_qa
    from ..qa.check import resolve_profile
    from ..subtitles import load_cues

    exact_fps = parse_fps(fps) if fps is not None else None  # bad --fps: usage error before any work
    values = parse_overrides(overrides)
    track = _profile_known(load_cues(file, language=language, encoding=encoding), profile)
    report_read_warnings(track)
    prof_name = profile
    if children:
        from ..profiles import load_profile

        prof = load_profile(profile, language=track.language, audience="children", overrides=values)
    else:
        prof = resolve_profile(track, prof_name, values)
    video_ms = None
    if video is not None:
        from ..errors import UsageError
        from ..media import probe

        info = probe(video)
        if not info.video and not info.audio:  # ffprobe reads an SRT as a subtitle "media" of 0 s
            raise UsageError("--video needs a video (or audio) file", path=video,
                             hint="pass the episode's video; the subtitles are the positional FILE")  # fmt: skip
        video_ms = info.duration_ms
    from .media_qa import shot_facts

    changes, video_fps = shot_facts(video, shot_list, shot_threshold)
    source = load_cues(against) if against is not None else None
    report = run_qa(track, prof, fps=exact_fps, video_duration_ms=video_ms, against=source,
                    rules=rule_ids.split(",") if rule_ids else None, shot_changes=changes,
                    video_fps=video_fps)  # fmt: skip
    emit_report(report, fmt, output, fail_on, as_json)


@click.command()
@click.argument("source", type=click.Path(allow_dash=False, dir_okay=False))
@click.option("-o", "--output", metavar="OUT", type=click.Path(dir_okay=False), help="Fixed file (required unless --in-place).")
@click.option("--in-place", is_flag=True, help="Overwrite SOURCE with the fixed track.")
@click.option("--only", "only", metavar="RULES", help="Only these fixes (comma-separated rule ids).")
@click.option("--shift", metavar="OFFSET", help="Move every cue, e.g. +1.5s, -500ms, -00:00:01,200.")
@click.option("--fps", metavar="F | FROM:TO", help="Snap to this frame rate, or convert FROM:TO (e.g. 23.976:25) and snap to TO.")
@_lang
@_profile
@_set
@_enc
@click.option("--video", metavar="V", help="Snap cue edges a few frames from a shot change of this video onto it.")
@click.option("--shot-changes", "shot_list", metavar="LIST", help="Snap to the shot changes of this list instead.")
@click.option("--dry-run", is_flag=True, help="List the changes, write nothing.")
@json_option
def fix(
    source: str, output: str | None, in_place: bool, only: str | None, shift: str | None, fps: str | None,
    language: str | None, profile: str | None, overrides: tuple[str, ...], encoding: str | None, video: str | None,
    shot_list: str | None, dry_run: bool, as_json: bool,
) -> None:
    """Apply safe timing fixes to SOURCE and re-break over-long lines; list every change.

    Extends short cues into free space, trims overlaps, enforces the minimum gap,
    closes gaps under 0.5 s, snaps to frames (with --fps), shifts and converts
    frame rate. Text is never changed except by re-breaking lines, and no fix
    creates a new finding.

    \b
    Examples:
      dubdesk fix episode.ru.srt -o episode.fixed.ru.srt
      dubdesk fix episode.kk.ass --in-place --only overlap,gap-too-small
      dubdesk fix episode.srt -o out.srt --shift +1.5s --fps 23.976:25
      dubdesk fix episode.ru.srt -o fixed.ru.srt --video episode.mkv
    """
    from ..errors import UsageError
    from ..files import CLI_HINT, refuse_overwrite
    from ..frames import parse_fps, parse_fps_conversion, parse_shift
    from ..profiles import parse_overrides
    from ..qa import fix_track
    from ..subtitles import load_cues, save

    if output is None and not in_place and not dry_run:
        raise UsageError("fix needs -o OUT or --in-place", hint="e.g. dubdesk fix in.srt -o out.srt")
    target = source if output is None else output
    if not dry_run:
        refuse_overwrite(target, [source], in_place=in_place, hint=CLI_HINT)
    shift_ms = parse_shift(shift) if shift else 0
    snap_fps = None
    conversion = None
    if fps is not None:
        if ":" in fps:
            conversion = parse_fps_conversion(fps)
        else:
            snap_fps = parse_fps(fps)
    values = parse_overrides(overrides)
    track = _profile_known(load_cues(source, language=language, encoding=encoding), profile)
    report_read_warnings(track)
    from .media_qa import shot_facts

    shot_changes, video_fps = shot_facts(video, shot_list, None)
    fixed, changes = fix_track(
        track, profile, only=only.split(",") if only else None, fps=snap_fps, shift_ms=shift_ms,
        fps_convert=conversion, overrides=values, shot_changes=shot_changes, video_fps=video_fps,
    )  # fmt: skip
    if not dry_run:
        save(fixed, target, in_place=in_place or target == source)
    if as_json:
        emit_json({"source": source, "output": None if dry_run else target, "changes": [c.to_dict() for c in changes]})
        return
    from ..frames import timecode

    for c in changes:
        times = ""
        if (c.before_start_ms, c.before_end_ms) != (c.after_start_ms, c.after_end_ms):
            times = (f" {timecode(c.before_start_ms, None)}–{timecode(c.before_end_ms, None)} → "
                     f"{timecode(c.after_start_ms, None)}–{timecode(c.after_end_ms, None)}")  # fmt: skip
        text = f" {c.before_text!r} → {c.after_text!r}" if c.before_text is not None else ""
        click.echo(f"cue {c.cue}: {c.action}: {c.reason}{times}{text}")
    where = "(dry run, nothing written)" if dry_run else f"→ {target}"
    click.echo(f"{len(changes)} changes {where}", err=True)


def _profile_known(track: Any, profile: str | None) -> Any:
    """The CLI's own hint when neither a profile nor the track's language says which limits apply."""
    if profile is None and not track.language:
        from ..errors import UnknownProfileError

        raise UnknownProfileError("no QA profile and no track language", path=track.source.path,
                                  hint="pass --lang or --profile")  # fmt: skip
    return track
