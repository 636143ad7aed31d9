"""Errors, not crashes; contradictions are usage errors; hints name only what exists where they are read."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import DubdeskError, ProfileError, RouteError, UsageError
from dubdesk.glossary import apply_glossary, check_glossary, load_glossary
from dubdesk.profiles import load_profile
from dubdesk.subtitles import load, loads
from dubdesk.translate.engines import CopyEngine
from dubdesk.translate.memory import TranslationMemory
from dubdesk.translate.pipeline import translate_track
from project_helpers import SAMPLES, install_toy_model

GLOSSARY = SAMPLES.parent.parent / "glossaries" / "composer.toml"
SRT = SAMPLES / "composer.ru.srt"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def one_error_line(out: str) -> str:
    lines = [ln for ln in out.strip().splitlines() if ln.startswith("dubdesk: error:")]
    assert len(lines) == 1 and "Traceback" not in out, out
    return lines[0]


# -- translation memory -------------------------------------------------------------


def _translate_with(memory: object) -> list[str]:
    track = loads("1\n00:00:01,000 --> 00:00:02,000\nмир\n", language="ru")
    result = translate_track(track, "en", engine=CopyEngine(), memory=memory)
    return [e.text for e in result.track.events]


def test_corrupt_memory_file_continues_uncached_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bad = tmp_path / "memory.sqlite"
    bad.write_bytes(b"this is not a database" * 200)
    with caplog.at_level(logging.WARNING):
        texts = _translate_with(str(bad))
    assert texts and texts[0]
    assert any("translation memory unusable" in r.getMessage() and str(bad) in r.getMessage() for r in caplog.records)


def test_full_disk_under_the_memory_continues_uncached(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    mem = TranslationMemory(tmp_path / "m.sqlite")
    assert mem._db is not None
    pages = mem._db.execute("PRAGMA page_count").fetchone()[0]
    mem._db.execute(f"PRAGMA max_page_count={pages}")  # SQLite's own SQLITE_FULL, as on a full disk
    with caplog.at_level(logging.WARNING):
        mem.put_many("e", "ru", "en", {"a" * 5000: "b" * 5000})
        mem.put_many("e", "ru", "en", {"c": "d"})
    assert mem.problem is not None and "full" in mem.problem
    assert mem.get("e", "ru", "en", "c") is None
    assert sum("unusable" in r.getMessage() for r in caplog.records) == 1  # said once


def test_locked_memory_continues_uncached(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    TranslationMemory(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        mem = TranslationMemory(path, timeout=0.1)
        mem.put_many("e", "ru", "en", {"a": "b"})
        assert mem.problem is not None and "locked" in mem.problem
    finally:
        holder.rollback()
        holder.close()


def test_cli_translate_with_a_corrupt_memory_writes_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_toy_model(tmp_path)
    bad = tmp_path / "memory.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    out = tmp_path / "out.en.srt"
    result = CliRunner().invoke(cli, ["translate", str(SRT), "--to", "en", "-o", str(out), "--memory", str(bad), "-q"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "Traceback" not in result.output


# -- profile values -------------------------------------------------------------------


@pytest.mark.parametrize("key", ["max_cps", "default_fps", "max_chars_per_line", "speech_rate"])
def test_zero_override_is_a_usage_error_in_cli_and_library(key: str) -> None:
    code, out = run("qa", str(SRT), "--set", f"{key}=0")
    assert code == 2
    assert key in one_error_line(out) and "--" not in one_error_line(out).split("error:")[1].split("(")[0]
    with pytest.raises(ProfileError, match=key) as exc:
        load_profile("ru", overrides={key: 0})
    assert exc.value.exit_code == 2


def test_non_number_override_exits_2() -> None:
    code, out = run("fix", str(SRT), "--set", "max_cps=abc", "--dry-run")
    assert code == 2 and "max_cps" in one_error_line(out)


def test_zero_in_a_profile_file_names_file_and_key(tmp_path: Path) -> None:
    prof = tmp_path / "mine.toml"
    prof.write_text('[profile]\nextends = "ru"\n[values]\ndefault_fps = 0\n', encoding="utf-8")
    code, out = run("qa", str(SRT), "--profile", str(prof))
    line = one_error_line(out)
    assert code == 1 and str(prof) in line and "default_fps" in line


# -- contradictions -------------------------------------------------------------------


def test_translate_stdout_and_json_contradict(tmp_path: Path) -> None:
    code, out = run("translate", str(SRT), "--to", "en", "-o", "-", "--json")
    assert code == 2 and "--json" in one_error_line(out)


def test_translate_output_and_in_place_contradict(tmp_path: Path) -> None:
    code, out = run("translate", str(SRT), "--to", "en", "-o", str(tmp_path / "x.srt"), "--in-place")
    assert code == 2 and "--in-place" in one_error_line(out)
    assert not (tmp_path / "x.srt").exists()


def test_qa_video_that_is_not_a_video(tmp_path: Path) -> None:
    code, out = run("qa", str(SRT), "--video", str(SRT))
    assert code == 2 and "--video" in one_error_line(out)


def test_manifest_name_and_container_contradict(tmp_path: Path) -> None:
    folder = tmp_path / "composer"
    shutil.copytree(SAMPLES, folder)
    manifest = folder / "dubdesk.toml"
    text = manifest.read_text(encoding="utf-8").replace('name = "composer.mkv"', 'name = "composer.mp4"')
    manifest.write_text(text, encoding="utf-8")
    code, out = run("build", str(manifest))
    line = one_error_line(out)
    assert code == 2 and "[output] name" in line and "container" in line and str(manifest) in line


def test_manifest_default_audio_error_names_the_key_not_a_flag(tmp_path: Path) -> None:
    from media_helpers import make_audio, make_video

    folder = tmp_path / "composer"
    shutil.copytree(SAMPLES, folder)
    make_video(tmp_path / "v.mp4", 1)
    make_audio(tmp_path / "a.m4a", 1)
    manifest = folder / "dubdesk.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("../media/composer.mp4", "../v.mp4").replace('default_audio = "kk"', 'default_audio = "fr"')
    text = text.replace("../media/composer.dub.ru.m4a", "../a.m4a").replace("../media/composer.dub.kk.m4a", "../a.m4a")
    text = text.replace("[targets.en]\ntranslate = true", "")
    manifest.write_text(text, encoding="utf-8")
    code, out = run("build", str(manifest), "--fail-on", "never")
    assert code == 1
    line = one_error_line(out)
    assert "default_audio" in line and "--default-audio" not in line and str(manifest) in line


def test_mux_cli_and_library_name_their_own_option(tmp_path: Path) -> None:
    from dubdesk.media import plan_mux
    from media_helpers import make_audio, make_video

    video, dub = make_video(tmp_path / "v.mp4", 1), make_audio(tmp_path / "d.m4a", 1)
    with pytest.raises(UsageError, match="default_audio=fr"):
        plan_mux(video, tmp_path / "o.mkv", audio=[("kk", dub)], default_audio="fr")


# -- hints ------------------------------------------------------------------------------


def test_no_route_to_english_has_no_degenerate_pivot(tmp_path: Path) -> None:
    from dubdesk.translate.routes import _missing

    message = _missing("kk", "en").one_line()
    assert "en→en" not in message and "through en" not in message
    assert "kk→en and en→ru" in _missing("kk", "ru").one_line()
    assert isinstance(_missing("kk", "en"), RouteError)


def test_library_names_the_parameter_not_the_flag() -> None:
    track = loads("1\n00:00:01,000 --> 00:00:02,000\nмир\n")
    with pytest.raises(UsageError) as exc:
        translate_track(track, "en", engine=CopyEngine(), memory=False)
    assert "source=" in exc.value.one_line() and "--from" not in exc.value.one_line()
    with pytest.raises(UsageError) as exc:
        check_glossary(track, load_glossary(GLOSSARY))
    assert "--lang" not in exc.value.one_line()


def test_cli_names_the_flag(tmp_path: Path) -> None:
    nameless = tmp_path / "episode.srt"
    nameless.write_bytes(SRT.read_bytes())
    code, out = run("translate", str(nameless), "--to", "en", "-o", str(tmp_path / "o.srt"))
    assert code == 2 and "--from" in one_error_line(out)
    code, out = run("glossary", "check", str(nameless), "--glossary", str(GLOSSARY))
    assert code == 2 and "--lang" in one_error_line(out)


def test_check_glossary_takes_a_path_like_translate_track() -> None:
    track = load(SRT)
    by_path = check_glossary(track, str(GLOSSARY))
    by_object = check_glossary(track, load_glossary(GLOSSARY))
    assert [f.found for f in by_path.findings] == [f.found for f in by_object.findings] and by_path.findings
    fixed, changes = apply_glossary(track, GLOSSARY)
    assert changes and len(fixed.events) == len(track.events)
    with pytest.raises(DubdeskError):  # a missing glossary is a DubdeskError, not AttributeError
        check_glossary(track, "missing.toml")
