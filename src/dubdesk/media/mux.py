"""Running a :class:`~dubdesk.media.plan.MuxPlan`: ffmpeg into a temporary file,
ffprobe verification against the plan, then rename into place.

A failed mux or a verification mismatch raises :class:`~dubdesk.errors.MuxError`
saying what differed, and leaves no output file (the temporary file is removed).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import processes
from ..errors import DubdeskError, MediaError, MuxError
from ..files import atomic_path
from ..subtitles import load, save
from .containers import PathLike
from .plan import MuxPlan, plan_mux
from .probe import ProbeResult, probe
from .tools import ffmpeg_path

log = logging.getLogger(__name__)

#: Matroska shifts every track by the AAC priming delay (1024 samples: 21–23 ms);
#: video frame rounding adds up to one frame. 100 ms covers both with room.
DURATION_TOLERANCE_MS = 100


@dataclass
class MuxResult:
    """A verified mux: the plan, what ffprobe found in the output, the command run."""

    output: str
    plan: MuxPlan
    probe: ProbeResult
    args: list[str]
    elapsed_s: float
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output,
            "container": self.plan.container,
            "elapsed_s": round(self.elapsed_s, 3),
            "warnings": list(self.warnings),
            "verified": True,
            "streams": [s.to_dict() for s in self.probe.streams],
            "command": self.args,
        }


def verify_output(plan: MuxPlan, result: ProbeResult, *, tolerance_ms: int = DURATION_TOLERANCE_MS) -> list[str]:
    """What in ``result`` differs from ``plan``: one readable line per difference (empty: all good)."""
    spec = plan.spec
    diffs: list[str] = []
    if len(result.streams) != len(plan.streams):
        diffs.append(f"{len(result.streams)} streams in the output, {len(plan.streams)} planned")
    for n, (want, got) in enumerate(zip(plan.streams, result.streams, strict=False)):
        label = f"stream {n} ({want.kind}{' ' + want.language if want.language else ''})"
        if got.type != want.kind:
            diffs.append(f"{label}: is {got.type}")
            continue
        if want.kind == "attachment":
            continue
        if got.codec != want.codec_out:
            diffs.append(f"{label}: codec {got.codec}, planned {want.codec_out}")
        # Matroska leaves out an "und" language element; ffprobe then reports none
        if want.container_language is not None and (got.language or "und") != want.container_language:
            diffs.append(f"{label}: language {got.language}, planned {want.container_language}")
        if want.title is not None and got.title != want.title:
            diffs.append(f"{label}: title {got.title!r}, planned {want.title!r}")
        planned = {d for d in want.dispositions if d in spec.dispositions}
        actual = {d for d in got.dispositions if d in spec.dispositions}
        if planned != actual:
            diffs.append(f"{label}: dispositions {sorted(actual)}, planned {sorted(planned)}")
        if want.duration_ms and got.duration_ms is not None and abs(got.duration_ms - want.duration_ms) > tolerance_ms:
            diffs.append(f"{label}: lasts {got.duration_ms} ms, planned {want.duration_ms} ms (±{tolerance_ms})")
    for kind in ("video", "audio", "subtitle"):
        if any(s.kind == kind for s in plan.streams):
            defaults = [s.index for s in result.of_type(kind) if s.is_default]
            if len(defaults) != 1:
                diffs.append(f"{len(defaults)} default {kind} streams, expected exactly one")
    return diffs


def _stderr_reason(stderr: bytes, tmp: Path, output: str) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    text = "; ".join(lines[-3:]) if lines else "no message"
    return text.replace("file:" + str(tmp), output).replace(str(tmp), output)


def _write_subtitle_copies(plan: MuxPlan, folder: str) -> MuxPlan:
    """UTF-8 copies of subtitle inputs ffmpeg cannot read as they are (legacy encodings, other formats)."""

    read_paths: dict[int, str] = {}
    for i, inp in enumerate(plan.inputs):
        if inp.convert is None:
            continue
        track = load(inp.path, language=inp.language)
        target = os.path.join(folder, f"input{i}.{inp.convert}")
        save(track, target, fmt=inp.convert, encoding="utf-8")
        read_paths[i] = target
    return plan.with_read_paths(read_paths) if read_paths else plan


def run_plan(plan: MuxPlan) -> MuxResult:
    """Run ``plan``: temporary output beside the destination, verify, rename. See :func:`mux`."""
    ffmpeg = ffmpeg_path()
    started = time.perf_counter()
    for warning in plan.warnings:
        log.warning("%s", warning)
    # the subtitle copies live in the output's private folder: one place to clean up
    try:
        with atomic_path(plan.output) as tmp:
            plan_run = _write_subtitle_copies(plan, str(tmp.parent))
            args = plan_run.to_args(str(tmp), ffmpeg=ffmpeg)
            try:
                proc = processes.run(args)
            except OSError as exc:
                raise MuxError(f"cannot run ffmpeg: {exc.strerror or exc}", path=plan.output) from exc
            # ffmpeg 5.1 exits 0 after "Error writing trailer ...: No space left on device":
            # at -loglevel error anything on stderr is a failure
            if proc.returncode != 0 or proc.stderr.strip():
                raise MuxError(
                    f"ffmpeg failed: {_stderr_reason(proc.stderr, tmp, plan.output)}",
                    path=plan.output,
                    hint="nothing was written",
                )
            try:
                result = probe(tmp, headers_only=True)
            except MediaError as exc:
                raise MuxError(f"the muxed file cannot be read back: {exc.message}", path=plan.output) from exc
            diffs = verify_output(plan, result)
            if diffs:
                raise MuxError(
                    "the muxed file does not match the plan: " + "; ".join(diffs),
                    path=plan.output,
                    hint="nothing was written",
                )
    except DubdeskError:
        raise
    except OSError as exc:
        raise MuxError(
            f"cannot write output: {exc.strerror or exc}", path=plan.output, hint="check free space and permissions"
        ) from exc
    result.path = plan.output
    return MuxResult(
        output=plan.output,
        plan=plan,
        probe=result,
        args=args,
        elapsed_s=time.perf_counter() - started,
        warnings=list(plan.warnings),
    )


def mux(plan_or_video: MuxPlan | PathLike, output: PathLike | None = None, **options: Any) -> MuxResult:
    """Mux a delivery and verify it.

    Either pass a :class:`MuxPlan`, or the video, the output and the options of
    :func:`~dubdesk.media.plan.plan_mux` (``audio=[("kk", "dub.kk.m4a")]``,
    ``subtitles=[("ru", "ep.ru.srt")]``, ...). Streams are copied; the result is
    written to a temporary file beside ``output``, checked with ffprobe against
    the plan, and only then renamed into place.
    """
    if isinstance(plan_or_video, MuxPlan):
        if output is not None or options:
            raise TypeError("pass either a MuxPlan or a video with options, not both")
        plan = plan_or_video
    else:
        if output is None:
            raise TypeError("mux(video, output, ...) needs an output path")
        plan = plan_mux(plan_or_video, output, **options)
    return run_plan(plan)
