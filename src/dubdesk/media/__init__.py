"""Media: probe files, plan a mux as data, run ffmpeg, verify the result, extract tracks.

ffmpeg and ffprobe are found on PATH or through ``DUBDESK_FFMPEG`` /
``DUBDESK_FFPROBE``; nothing here imports ffmpeg-python.
"""

from __future__ import annotations

from .probe import ProbeResult, StreamInfo, probe
from .tools import Tool, find_tool, tool_info

__all__ = ["ProbeResult", "StreamInfo", "Tool", "find_tool", "probe", "tool_info"]
