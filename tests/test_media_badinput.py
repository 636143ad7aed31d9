"""Bad input to mux/extract: one clear error, no partial output, inputs untouched."""

from __future__ import annotations

import contextlib
import hashlib
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import MediaError, MuxError, OutputExistsError, UnknownLanguageError
from dubdesk.media import extract, mux, probe
from media_helpers import MediaSet, media, needs_ffmpeg

__all__ = ["media"]

pytestmark = needs_ffmpeg


def digest(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def inputs(media: MediaSet) -> list[Path]:
    return [media.video, media.dub_kk, media.subs_ru, media.subs_zh]


def test_missing_video(media: MediaSet, tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="no such file"):
        mux(tmp_path / "missing.mp4", tmp_path / "o.mkv", audio=[("kk", media.dub_kk)])
    assert list(tmp_path.iterdir()) == []


def test_corrupt_video(media: MediaSet, tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(media.video.read_bytes()[:600])  # truncated: header only
    with pytest.raises(MediaError) as err:
        mux(bad, tmp_path / "o.mkv")
    assert "bad.mp4" in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mp4"]


def test_audio_that_is_not_audio(media: MediaSet, tmp_path: Path) -> None:
    before = digest(inputs(media))
    with pytest.raises(MediaError, match="not an audio file") as err:
        mux(media.video, tmp_path / "o.mkv", audio=[("kk", media.subs_ru)])
    assert str(media.subs_ru) in str(err.value)
    noise = tmp_path / "noise.m4a"
    noise.write_bytes(random.Random(6).randbytes(4096))
    with pytest.raises(MediaError, match=r"not an audio file|not a readable media file") as err:
        mux(media.video, tmp_path / "o.mkv", audio=[("kk", noise)])
    assert "noise.m4a" in str(err.value)
    assert not (tmp_path / "o.mkv").exists()
    assert digest(inputs(media)) == before


def test_unknown_language(media: MediaSet, tmp_path: Path) -> None:
    with pytest.raises(UnknownLanguageError, match="'xx'"):
        mux(media.video, tmp_path / "o.mkv", audio=[("xx", media.dub_kk)])
    res = CliRunner().invoke(cli, ["mux", str(media.video), "--subs", f"klingon={media.subs_ru}", "-o", str(tmp_path / "o.mkv")])
    assert res.exit_code == 2 and "unknown language 'klingon'" in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


def test_file_names_starting_with_dash(media: MediaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-video.mp4").write_bytes(media.video.read_bytes())
    Path("-dub.m4a").write_bytes(media.dub_kk.read_bytes())
    Path("-y.srt").write_bytes(media.subs_ru.read_bytes())
    result = mux("-video.mp4", "-out.mkv", audio=[("kk", "-dub.m4a")], subtitles=[("ru", "-y.srt")])
    assert result.output == "-out.mkv"
    assert [s.language for s in probe("-out.mkv").streams[1:]] == ["rus", "kaz", "rus"]
    extract("-out.mkv", "-sub.srt", kind="subtitle", language="ru")
    assert "Привет" in Path("-sub.srt").read_text(encoding="utf-8")
    res = CliRunner().invoke(cli, ["mux", "--audio", "kk=-dub.m4a", "-o", "-cli.mkv", "--", "-video.mp4"])
    assert res.exit_code == 0, res.output
    assert Path("-cli.mkv").exists()


def test_output_equal_to_an_input(media: MediaSet, tmp_path: Path) -> None:
    before = digest(inputs(media))
    with pytest.raises(OutputExistsError):
        mux(media.video, media.video, audio=[("kk", media.dub_kk)], container="mp4")
    with pytest.raises(OutputExistsError):
        mux(media.video, media.dub_kk, audio=[("kk", media.dub_kk)], container="mkv")
    with pytest.raises(OutputExistsError):
        extract(media.video, media.video, kind="audio", language="ru")
    assert digest(inputs(media)) == before


@contextlib.contextmanager
def tiny_disk(tmp_path: Path, size: str = "48k") -> Iterator[Path]:
    """A 48 KiB tmpfs (when mount works, as root in CI); else skip."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_leaves_nothing(media: MediaSet, tmp_path: Path) -> None:
    before = digest(inputs(media))
    with tiny_disk(tmp_path) as disk:
        with pytest.raises(MuxError) as err:
            mux(media.video, disk / "o.mkv", audio=[("kk", media.dub_kk)], subtitles=[("ru", media.subs_ru)])
        assert "No space left on device" in str(err.value) and "o.mkv" in str(err.value)
        assert list(disk.iterdir()) == []
        res = CliRunner().invoke(cli, ["mux", str(media.video), "--audio", f"kk={media.dub_kk}", "-o", str(disk / "c.mkv")])
        assert res.exit_code == 1 and res.output.count("\n") == 1 and "No space left" in res.output
        assert list(disk.iterdir()) == []
    assert digest(inputs(media)) == before


def test_failing_write_without_root(media: MediaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same guarantee when the rename into place fails (simulated: works without root)."""
    import dubdesk.files

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dubdesk.files.os, "replace", failing_replace)
    with pytest.raises(MuxError, match="No space left on device"):
        mux(media.video, tmp_path / "o.mkv", audio=[("kk", media.dub_kk)])
    assert list(tmp_path.iterdir()) == []


def test_extract_errors(media: MediaSet, tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="no subtitle track in kk"):
        extract(media.video, tmp_path / "x.srt", kind="subtitle", language="kk")
    res = CliRunner().invoke(cli, ["extract", str(media.video), "--audio", "ru", "-o", str(tmp_path / "x.txt")])
    assert res.exit_code == 2 and "cannot write audio as .txt" in res.output
    assert list(tmp_path.iterdir()) == []
