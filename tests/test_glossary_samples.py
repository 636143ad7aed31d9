"""The samples: check finds exactly the planted glossary problems; apply fixes them."""

from __future__ import annotations

import json
import tomllib

import pytest
from click.testing import CliRunner

from dubdesk import markup, subtitles
from dubdesk.cli import cli
from dubdesk.glossary import apply_glossary, check_glossary
from glossary_helpers import COMPOSER, SAMPLE_FILES, SAMPLES, glossary

PLANTED = tomllib.loads((SAMPLES / "PLANTED.toml").read_text(encoding="utf-8"))


def planted(file: str) -> set[tuple[int, str, str]]:
    return {(g["cue"], g["found"], g["approved"]) for g in PLANTED["glossary"] if g["file"] == file}


@pytest.mark.parametrize("file", sorted(SAMPLE_FILES))
def test_check_finds_exactly_the_planted_problems(file: str) -> None:
    track = subtitles.load(SAMPLES / SAMPLE_FILES[file])
    report = check_glossary(track, glossary())
    found = {(f.number, f.found, f.approved) for f in report.findings}
    assert found == planted(file)
    assert all(f.kind == "variant" for f in report.findings)
    for f in report.findings:  # raw span points at the found text in the cue's raw text
        raw = track.cues[f.cue].text
        assert markup.visible(raw[f.raw_start : f.raw_end]) == f.found


@pytest.mark.parametrize("file", sorted(SAMPLE_FILES))
def test_apply_fixes_and_keeps_timing_tags_and_cues(file: str) -> None:
    g = glossary()
    track = subtitles.load(SAMPLES / SAMPLE_FILES[file])
    fixed, changes = apply_glossary(track, g)
    assert {(c.number, c.before, c.after) for c in changes} == planted(file)
    assert check_glossary(fixed, g).ok
    assert len(fixed.events) == len(track.events)
    for a, b in zip(track.events, fixed.events, strict=True):
        assert (a.start, a.end, a.style, a.name, a.type) == (b.start, b.end, b.style, b.name, b.type)
        assert [t.raw for t in markup.tokenize(a.text) if t.kind is not markup.Kind.TEXT] == [
            t.raw for t in markup.tokenize(b.text) if t.kind is not markup.Kind.TEXT
        ]
    # the input track is not modified
    assert check_glossary(track, g).findings


def test_cli_check_apply_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    src = SAMPLES / SAMPLE_FILES["ru"]
    r = runner.invoke(cli, ["glossary", "check", str(src), "-g", str(COMPOSER), "--json"])
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert {(f["number"], f["found"]) for f in data["findings"]} == {(5, "Байқадамов"), (11, "Сиань Синхаем")}
    out = tmp_path / "fixed.ru.srt"
    r = runner.invoke(cli, ["glossary", "apply", str(src), "-g", str(COMPOSER), "-o", str(out)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["glossary", "check", str(out), "-g", str(COMPOSER)])
    assert r.exit_code == 0, r.output
    before, after = src.read_bytes(), out.read_bytes()
    assert b"\r\n" in after  # CRLF kept
    assert before.replace("Байқадамов".encode(), "Байкадамов".encode()).replace(
        "Сиань Синхаем".encode(), "Сянь Синхаем".encode()
    ) == after


def test_cli_apply_needs_an_output(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = CliRunner().invoke(cli, ["glossary", "apply", str(SAMPLES / SAMPLE_FILES["kk"]), "-g", str(COMPOSER)])
    assert r.exit_code == 2
    assert "--output" in r.output


def test_cli_verify_reports_per_cue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = CliRunner().invoke(
        cli, ["glossary", "verify", str(SAMPLES / SAMPLE_FILES["ru"]), str(SAMPLES / SAMPLE_FILES["zh"]), "-g", str(COMPOSER), "--json"]
    )
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    # zh cues 6 and 9 (0-based 5, 8) carry the misspellings; everything else is rendered the approved way
    assert set(data["failed_cues"]) == {5, 8}
    assert {(m["number"], m["kind"], m["found"]) for m in data["misses"] if m["kind"] != "missing"} == {
        (6, "variant", "拜卡塔莫夫"),
        (9, "variant", "洗星海"),
    }
