"""Shared fixtures for the QA tests: samples, planted problems, small track builders."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pysubs2

from dubdesk.track import Source, Track

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "composer"
ARTIFACTS = ROOT / "tests" / "artifacts"


def planted() -> dict:
    with open(SAMPLES / "PLANTED.toml", "rb") as fh:
        return tomllib.load(fh)


def sample_path(key: str) -> Path:
    return SAMPLES / planted()["files"][key]["path"]


def planted_timing(key: str) -> set[tuple[int, str]]:
    return {(p["cue"], p["rule"]) for p in planted()["timing"] if p["file"] == key}


def make_track(cues: list[tuple[int, int, str]], language: str = "ru", fmt: str = "srt") -> Track:
    subs = pysubs2.SSAFile()
    for start, end, text in cues:
        subs.events.append(pysubs2.SSAEvent(start=start, end=end, text=text))
    return Track(subs=subs, language=language, source=Source(format=fmt))


def keys(report) -> set[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    return {(f.cue, f.rule) for f in report.findings}
