"""The HTML report in real headless Chromium: findings render after the script runs, timeline shows."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import dubdesk
from dubdesk.qa import run_qa
from dubdesk.qa.reports import render
from qa_helpers import ARTIFACTS, sample_path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def html_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    kk = dubdesk.load(sample_path("kk"))
    report = run_qa(kk, against=dubdesk.load(sample_path("ru")))
    path = tmp_path_factory.mktemp("html") / "qa.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    return path, report


def test_html_is_self_contained(html_report: tuple[Path, object]) -> None:
    text = html_report[0].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<link" not in text and "@import" not in text
    assert "<style>" in text and "<script>" in text


def test_findings_and_timeline_render_in_chromium(html_report: tuple[Path, object], tmp_path: Path) -> None:
    path, report = html_report
    proc = chromium(tmp_path, "--dump-dom", path.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    rows = re.findall(r'<tr class="finding (\w+)" data-cue="(\d+|null)" data-rule="([\w-]+)"', dom)
    expected = [(str(f.severity), str(f.cue), f.rule) for f in report.findings]  # type: ignore[attr-defined]
    assert rows == expected and len(rows) >= 5
    assert f"{len(rows)} of {len(rows)} findings shown" in dom
    # timeline: every cue drawn, problem cues coloured by severity
    assert len(re.findall(r'<rect class="cue ', dom)) == 14
    assert 'class="cue error" data-cue-link="10"' in dom
    assert 'class="cue warning" data-cue-link="6"' in dom
    assert 'class="cue ok" data-cue-link="2"' in dom
    assert 'id="speed-chart"' in dom and 'id="cps-limit"' in dom


def test_screenshot(html_report: tuple[Path, object], tmp_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "qa-report.png"
    if shot.exists():
        shot.unlink()
    proc = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", html_report[0].as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
