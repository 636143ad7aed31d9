"""``doctor`` is a library function; the CLI prints what it returns."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.diagnostics import doctor_report


def test_doctor_report_is_data_and_the_cli_prints_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    report = doctor_report()
    assert (
        report["ok"] is True and report["tools"]["ffmpeg"]["path"] and report["tools"]["ffprobe"]["version"]
    )
    assert report["python"]["pysubs2"] and "argostranslate" in report["python"]
    result = CliRunner().invoke(cli, ["doctor", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == report
    monkeypatch.setenv("DUBDESK_FFPROBE", "/nonexistent/ffprobe")
    broken = doctor_report()
    assert broken["ok"] is False and any(m.startswith("ffprobe:") for m in broken["missing"])
