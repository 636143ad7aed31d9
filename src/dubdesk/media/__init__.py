"""Media: probe files, plan a mux as data, run ffmpeg, verify the result, extract tracks, analyse.

ffmpeg and ffprobe are found on PATH or through ``DUBDESK_FFMPEG`` /
``DUBDESK_FFPROBE``. ffmpeg-python is imported only by :mod:`.analysis`
(shot changes, loudness, speech), when it builds a filter graph; the mux is a
hand-built argument list.
"""

from __future__ import annotations

from .args import plan_to_args
from .containers import CONTAINERS
from .extract import ExtractResult, extract, find_stream
from .inputs import MuxInput, SubtitleFacts
from .mux import MuxResult, mux, run_plan, verify_output
from .plan import MuxPlan, PlannedStream, plan_mux
from .probe import ProbeResult, StreamInfo, probe
from .tools import Tool, find_tool, tool_info

__all__ = [
    "CONTAINERS",
    "ExtractResult",
    "MuxInput",
    "MuxPlan",
    "MuxResult",
    "PlannedStream",
    "ProbeResult",
    "StreamInfo",
    "SubtitleFacts",
    "Tool",
    "extract",
    "find_stream",
    "find_tool",
    "mux",
    "plan_mux",
    "plan_to_args",
    "probe",
    "run_plan",
    "tool_info",
    "verify_output",
]
