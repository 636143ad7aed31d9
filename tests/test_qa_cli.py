"""``dubdesk qa`` / ``dubdesk fix`` on the command line: formats, exit codes, bad input."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from qa_helpers import planted_timing, sample_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_exit_3_on_findings_and_text_table() -> None:
    code, out, _ = run("qa", str(sample_path("ru")))
    assert code == 3
    assert "ERRORS (1)" in out and "overlap" in out and "WARNINGS (2)" in out


def test_fail_on_changes_the_verdict() -> None:
    # kk: line-too-long is an error; with only warnings enabled as rules, --fail-on error passes
    code, _, _ = run("qa", str(sample_path("kk")), "--rules", "too-long,gap-too-small", "--fail-on", "error")
    assert code == 0
    code, _, _ = run("qa", str(sample_path("kk")), "--rules", "too-long,gap-too-small", "--fail-on", "warning")
    assert code == 3


def test_json_schema() -> None:
    code, out, _ = run("qa", str(sample_path("zh")), "--json")
    data = json.loads(out)
    assert code == 3
    assert data["schema"] == "dubdesk.qa.report" and data["schema_version"] == 1
    assert data["profile"] == "zh-Hans" and data["cue_count"] == 14
    assert {(f["cue"], f["rule"]) for f in data["findings"]} == planted_timing("zh")
    assert set(data["findings"][0]) == {"rule", "severity", "cue", "index", "start_ms", "end_ms", "message",
                                        "fixable", "data"}  # fmt: skip
    assert data["counts"] == {"error": 1, "warning": 1, "info": 0}


def test_csv_and_junit_to_files(tmp_path: Path) -> None:
    out_csv = tmp_path / "qa.csv"
    code, _, err = run("qa", str(sample_path("kk")), "-o", str(out_csv))
    assert code == 3 and "2 errors, 2 warnings" in err
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert {(int(r["cue"]), r["rule"]) for r in rows} == planted_timing("kk")
    out_xml = tmp_path / "qa.xml"
    run("qa", str(sample_path("kk")), "-o", str(out_xml), "--fail-on", "warning")
    root = ET.parse(out_xml).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "4"
    failed = {tc.get("classname") for tc in root.iter("testcase") if tc.find("failure") is not None}
    assert failed == {"dubdesk.qa.gap-too-small", "dubdesk.qa.line-too-long", "dubdesk.qa.too-long"}


def test_profile_set_and_children() -> None:
    _, out, _ = run("qa", str(sample_path("ru")), "--json", "--set", "max_cps=12")
    speeds = {f["cue"] for f in json.loads(out)["findings"] if f["rule"] == "reading-speed"}
    assert speeds == {2, 5, 9, 11, 12, 13}  # over 12 cps (cue 6: 35 characters in 3 s = 11.7)
    _, out, _ = run("qa", str(sample_path("ru")), "--json", "--children")
    assert json.loads(out)["profile"] == "ru-children"


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--profile", "klingon"], 2, "unknown QA profile 'klingon'"),
        (["--fps", "fast"], 2, "bad frame rate 'fast'"),
        (["--fps", "0"], 2, "bad frame rate"),
        (["--video", "/no/such/video.mkv"], 1, "no such file"),
        (["--set", "max_cpz=3"], 2, "unknown profile value"),
        (["--rules", "nonsense"], 2, "unknown QA rule"),
    ],
)
def test_bad_input_is_one_clear_line(args: list[str], code: int, needle: str) -> None:
    got, out, err = run("qa", str(sample_path("ru")), *args)
    assert got == code
    assert err.count("\n") == 1 and err.startswith("dubdesk: error: ") and needle in err
    assert "Traceback" not in err and out == ""


def test_fix_writes_output_and_lists_changes(tmp_path: Path) -> None:
    out = tmp_path / "fixed.ru.srt"
    code, stdout, _ = run("fix", str(sample_path("ru")), "-o", str(out))
    assert code == 0
    assert "cue 8: overlap" in stdout and "cue 4: too-short" in stdout
    code, _, _ = run("qa", str(out), "--fail-on", "error")
    assert code == 0
    code, stdout, _ = run("qa", str(out), "--json")
    assert {(f["cue"], f["rule"]) for f in json.loads(stdout)["findings"]} == {(12, "reading-speed")}


def test_fix_shift_and_fps_conversion_json(tmp_path: Path) -> None:
    out = tmp_path / "shifted.kk.ass"
    code, stdout, _ = run("fix", str(sample_path("kk")), "-o", str(out), "--shift", "+1.5s", "--fps", "25:23.976",
                          "--only", "frame-alignment", "--json")  # fmt: skip
    assert code == 0
    changes = json.loads(stdout)["changes"]
    first = next(c for c in changes if c["action"] == "fps-convert" and c["cue"] == 1)
    assert first["after"]["start_ms"] == 1043  # 1000 ms * 25/23.976
    shifted = next(c for c in changes if c["action"] == "shift" and c["cue"] == 1)
    assert shifted["after"]["start_ms"] - shifted["before"]["start_ms"] == 1500


def test_fix_refuses_to_overwrite_input_and_needs_output() -> None:
    code, _, err = run("fix", str(sample_path("ru")), "-o", str(sample_path("ru")))
    assert code != 0 and "--in-place" in err
    code, _, err = run("fix", str(sample_path("ru")))
    assert code == 2 and "-o OUT" in err


def test_fix_bad_shift_and_bad_only() -> None:
    code, _, err = run("fix", str(sample_path("ru")), "-o", "/tmp/x.srt", "--shift", "soon")
    assert code == 2 and "bad time offset" in err
    code, _, err = run("fix", str(sample_path("ru")), "-o", "/tmp/x.srt", "--only", "reading-speed")
    assert code == 2 and "cannot be fixed automatically" in err


def test_commands_have_help() -> None:
    for name in ("qa", "fix"):
        code, out, _ = run(name, "--help")
        assert code == 0 and "Examples" in out
