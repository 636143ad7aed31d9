"""Media: probe files, plan a mux as data, run ffmpeg, verify the result, extract tracks.

ffmpeg and ffprobe are found on PATH or through ``DUBDESK_FFMPEG`` /
``DUBDESK_FFPROBE``; nothing here imports ffmpeg-python.
"""

from __future__ import annotations

from .extract import ExtractResult, extract, find_stream
from .mux import MuxResult, mux, run_plan, verify
from .plan import CONTAINERS, MuxInput, MuxPlan, PlannedStream, plan_mux, plan_to_args
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
    "verify",
]
