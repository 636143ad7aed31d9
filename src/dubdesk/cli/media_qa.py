"""``dubdesk shots`` and ``dubdesk qa-audio``: thin wrappers over :mod:`dubdesk.media.analysis` and
:mod:`dubdesk.qa.audio`; :func:`shot_facts` is shared with ``qa`` and ``fix``."""

from __future__ import annotations

from fractions import Fraction

import click

from ._common import emit_json, emit_report, json_option, report_options


def shot_facts(
    video: str | None, shot_list: str | None, threshold: float | None
) -> tuple[list[int] | None, Fraction | None]:
    """(shot changes ms, video fps) from ``--shot-changes LIST`` or ``--video VIDEO`` (detected, cached)."""
    if shot_list is not None:
        from ..media.shotlist import read_shot_list

        changes = read_shot_list(shot_list)
        fps = None
        if video is not None:
            from ..media.analysis import video_fps

            fps = video_fps(video)
        return changes, fps
    if video is None:
        return None, None
    from ..media.analysis import DEFAULT_SHOT_THRESHOLD, shot_changes, video_fps

    fps = video_fps(video)
    return shot_changes(video, threshold=DEFAULT_SHOT_THRESHOLD if threshold is None else threshold), fps


@click.command()
@click.argument("video", type=click.Path(dir_okay=False))
@click.option("--threshold", "-t", type=float, default=None, metavar="T",
              help="scdet threshold, 0-100 (default 10): lower finds more shot changes.")  # fmt: skip
@click.option("-o", "--output", metavar="LIST", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the shot list (one time in seconds a line, Subtitle Edit's format).")  # fmt: skip
@click.option("--import", "import_list", metavar="LIST", type=click.Path(dir_okay=False),
              help="Read a shot list made elsewhere instead of detecting (checked line by line).")  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Detect again even if a cached result for this video exists.")
@json_option
def shots(video: str, threshold: float | None, output: str | None, import_list: str | None, no_cache: bool,
          as_json: bool) -> None:  # fmt: skip
    """Detect the shot changes of VIDEO with ffmpeg's scdet, exact to the frame.

    Results are cached by the video's content hash (under $DUBDESK_HOME/cache).

    \b
    Examples:
      dubdesk shots episode.mkv -o episode.shotchanges
      dubdesk shots episode.mkv --threshold 6 --json
      dubdesk shots episode.mkv --import edl-cuts.txt -o episode.shotchanges
    """
    from ..media.analysis import DEFAULT_SHOT_THRESHOLD, shot_changes, video_fps
    from ..media.shotlist import format_shot_list, read_shot_list

    if import_list is not None:
        times = read_shot_list(import_list)
        fps = None
    else:
        fps = video_fps(video)
        times = shot_changes(video, threshold=DEFAULT_SHOT_THRESHOLD if threshold is None else threshold,
                             use_cache=not no_cache)  # fmt: skip
    text = format_shot_list(times)
    if output is not None and output != "-":
        from ..files import atomic_write_bytes

        atomic_write_bytes(output, text.encode("utf-8"))
        click.echo(f"{output}: {len(times)} shot changes", err=True)
    if as_json:
        from ..frames import nearest_frame

        emit_json({
            "video": video, "fps": None if fps is None else float(fps), "count": len(times),
            "shot_changes": [{"ms": t, "frame": None if fps is None else nearest_frame(t, fps)} for t in times],
        })  # fmt: skip
    elif output is None or output == "-":
        click.echo(text, nl=False)


@click.command("qa-audio")
@click.argument("dub", type=click.Path(dir_okay=False))
@click.option("--video", metavar="V", help="The picture: the dub must last as long as its video (and original audio).")
@click.option("--cues", metavar="SUBS", help="Subtitle file: checks that the dub speaks where the cues are.")
@click.option("--delivery", "-d", default="ebu-r128", show_default=True, metavar="NAME",
              help="Delivery profile: ebu-r128, atsc-a85 or streaming (program loudness).")  # fmt: skip
@report_options
@json_option
def qa_audio(dub: str, video: str | None, cues: str | None, delivery: str, fmt: str | None, output: str | None,
             fail_on: str, as_json: bool) -> None:  # fmt: skip
    """Check a DUB audio file: loudness (EBU R128 / BS.1770, true peak), duration
    against the picture, and speech against the cues (silent cues, uncued speech,
    a global sync offset).

    Exit codes: 0 clean, 3 findings at or above --fail-on, 1 errors, 2 usage.

    \b
    Examples:
      dubdesk qa-audio episode.dub.kk.m4a --video episode.mkv --cues episode.kk.srt
      dubdesk qa-audio dub.wav --delivery atsc-a85 --format junit -o audio-qa.xml
    """
    from ..qa.audio import load_delivery, run_audio_qa

    profile = load_delivery(delivery)  # an unknown name is a usage error before any decoding
    report = run_audio_qa(dub, video=video, cues=cues, delivery=profile)
    emit_report(report, fmt, output, fail_on, as_json)
