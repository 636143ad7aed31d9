"""A mux plan as the exact ffmpeg argument list: a pure function, tested argument by argument."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .tools import safe_input

if TYPE_CHECKING:
    from .plan import MuxPlan


def _dispositions_arg(dispositions: Sequence[str]) -> str:
    return "+".join(dispositions) if dispositions else "0"


def plan_to_args(plan: MuxPlan, output: str | None = None, *, ffmpeg: str = "ffmpeg") -> list[str]:
    """The exact ffmpeg argument list for ``plan``, writing to ``output`` (default ``plan.output``).

    Pure: no file is touched. File names go through the ``file:`` protocol so a
    name starting with ``-`` or containing ``:`` is never read as an option or
    a protocol.
    """
    spec = plan.spec
    args = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    for inp in plan.inputs:
        args += ["-i", safe_input(inp.ffmpeg_path)]
    for st in plan.streams:
        args += ["-map", f"{st.input_index}:{st.source_stream}"]
    args += ["-c", "copy"]
    counters: dict[str, int] = {}
    per_stream: list[str] = []
    for st in plan.streams:
        letter = {"video": "v", "audio": "a", "subtitle": "s", "attachment": "t"}[st.kind]
        n = counters.get(letter, 0)
        counters[letter] = n + 1
        spec_id = f"{letter}:{n}"
        if st.kind == "attachment":
            continue
        if st.encoder is not None:
            args += [f"-c:{spec_id}", st.encoder]
        if st.container_language is not None:
            per_stream += [f"-metadata:s:{spec_id}", f"language={st.container_language}"]
            if spec.bcp47_tag and st.language is not None:
                per_stream += [f"-metadata:s:{spec_id}", f"BCP47={st.language}"]
        if st.title is not None:
            per_stream += [f"-metadata:s:{spec_id}", f"{spec.title_tag}={st.title}"]
        stored = [d for d in st.dispositions if d in spec.dispositions]
        per_stream += [f"-disposition:{spec_id}", _dispositions_arg(stored)]
    args += per_stream
    if spec.muxer in {"matroska", "webm"}:
        # write exactly the default flags planned (the default "infer" would add one)
        args += ["-default_mode", "passthrough"]
    args += ["-f", spec.muxer, safe_input(output if output is not None else plan.output)]
    return args
