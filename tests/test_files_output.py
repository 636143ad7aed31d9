"""Writes that respect what they replace: special files, symlinks, permissions, line endings, debris.

The special-file tests need root (``mknod``) and run as root in the project's
container. They write into a character device made in the test's folder with
the same numbers as ``/dev/null`` (1, 3): the same driver as ``-o /dev/null``,
without risking the machine's own ``/dev/null`` if the code under test were
wrong. ``/dev/stdout`` is the real one: a guard puts it back if a failing run
replaced it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.files import atomic_path, atomic_write_bytes, remove_stale_partials
from media_helpers import make_audio, make_video, needs_ffmpeg

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "composer"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
SRT = "1\n00:00:01,000 --> 00:00:02,000\nПривет.\n\n2\n00:00:02,000 --> 00:00:02,100\nКоротко.\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def dubdesk(*args: str, stdout: int | IO[bytes] = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "dubdesk", *args], stdout=stdout, stderr=subprocess.PIPE, env=env, check=False)


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    path = tmp_path / "null"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


@pytest.fixture
def stdout_guard() -> Iterator[None]:
    before = os.lstat("/dev/stdout")
    yield
    after = os.lstat("/dev/stdout")
    if not stat.S_ISLNK(after.st_mode) and stat.S_ISLNK(before.st_mode):
        os.unlink("/dev/stdout")
        os.symlink("/proc/self/fd/1", "/dev/stdout")
        pytest.fail("/dev/stdout was replaced by a regular file (restored)")


def assert_null(path: Path) -> None:
    st = os.stat(path)
    assert stat.S_ISCHR(st.st_mode) and os.major(st.st_rdev) == 1 and os.minor(st.st_rdev) == 3
    assert not list(path.parent.glob(".*.partial-*"))


@pytest.fixture
def devnull_guard() -> Iterator[None]:
    """Puts the machine's /dev/null back (and fails) if a broken write replaced it."""
    yield
    st = os.stat("/dev/null")
    if not stat.S_ISCHR(st.st_mode):
        os.unlink("/dev/null")
        os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.chmod("/dev/null", 0o666)
        pytest.fail("/dev/null was replaced by a regular file (restored)")


@ROOT_ONLY
def test_the_real_dev_null_stays_a_device(devnull_guard: None) -> None:
    proc = dubdesk("qa", str(SAMPLES / "composer.ru.srt"), "--format", "json", "-o", "/dev/null")
    assert proc.returncode in (0, 3), proc.stderr
    st = os.stat("/dev/null")
    assert stat.S_ISCHR(st.st_mode) and (os.major(st.st_rdev), os.minor(st.st_rdev)) == (1, 3)
    assert stat.S_IMODE(st.st_mode) == 0o666


@ROOT_ONLY
def test_qa_report_into_a_device_leaves_the_device(null_device: Path) -> None:
    code, _ = run("qa", str(SAMPLES / "composer.ru.srt"), "--format", "json", "-o", str(null_device))
    assert code in (0, 3)
    assert_null(null_device)


@ROOT_ONLY
@pytest.mark.parametrize("command", ["convert", "fix", "glossary"])
def test_every_subtitle_writer_writes_into_a_device(command: str, null_device: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.ru.srt"
    src.write_text(SRT, encoding="utf-8")
    args = {
        "convert": ["convert", str(src), "-o", str(null_device), "--to", "vtt"],
        "fix": ["fix", str(src), "-o", str(null_device), "--profile", "ru"],
        "glossary": ["glossary", "apply", str(src), "--glossary", str(SAMPLES.parent.parent / "glossaries" / "composer.toml"),
                     "-o", str(null_device)],
    }[command]  # fmt: skip
    code, out = run(*args)
    assert code == 0, out
    assert_null(null_device)


def test_fifo_read_by_another_process_gets_the_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code, out = run("convert", str(SAMPLES / "composer.ru.srt"), "-o", str(fifo), "--to", "vtt")
    got, _ = reader.communicate(timeout=10)
    assert code == 0, out
    assert got.startswith(b"WEBVTT\n") and "Алматы".encode() in got
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert not list(tmp_path.glob(".*.partial-*"))


def test_dev_stdout_delivers_the_bytes_and_stays_a_link(stdout_guard: None) -> None:
    proc = dubdesk("convert", str(SAMPLES / "composer.ru.srt"), "-o", "/dev/stdout", "--to", "vtt")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"WEBVTT\n") and "Алматы".encode() in proc.stdout
    assert stat.S_ISLNK(os.lstat("/dev/stdout").st_mode)


def test_dev_stdout_redirected_to_a_file_appends_there(tmp_path: Path, stdout_guard: None) -> None:
    out = tmp_path / "out.vtt"
    with open(out, "wb") as fh:
        fh.write(b"")
        proc = dubdesk("convert", str(SAMPLES / "composer.ru.srt"), "-o", "/dev/stdout", "--to", "vtt", stdout=fh)
    assert proc.returncode == 0
    assert out.read_bytes().startswith(b"WEBVTT\n")


def test_unix_socket_target_receives_the_bytes(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    got = bytearray()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)

        def accept() -> None:
            conn, _ = server.accept()
            with conn:
                while chunk := conn.recv(65536):
                    got.extend(chunk)

        t = threading.Thread(target=accept)
        t.start()
        atomic_write_bytes(path, b"hello")
        t.join(5)
    assert bytes(got) == b"hello" and stat.S_ISSOCK(os.stat(path).st_mode)


@needs_ffmpeg
@ROOT_ONLY
def test_mux_into_a_device_and_a_fifo(tmp_path: Path, null_device: Path) -> None:
    video, dub = make_video(tmp_path / "v.mp4", 1), make_audio(tmp_path / "dub.m4a", 1)
    code, out = run("mux", str(video), "--audio", f"kk={dub}", "-o", str(null_device), "--container", "mkv")
    assert code == 0, out
    assert_null(null_device)
    fifo = tmp_path / "pipe.mkv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code, out = run("mux", str(video), "--audio", f"kk={dub}", "-o", str(fifo))
    got, _ = reader.communicate(timeout=20)
    assert code == 0, out
    assert got[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a Matroska file came through the pipe
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_mux_onto_its_input_does_not_suggest_a_missing_option(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x")
    code, out = run("mux", str(video), "--audio", f"kk={video}", "-o", str(video))
    assert code != 0 and "same file as an input" in out and "--in-place" not in out


def test_in_place_fix_through_a_symlink_fixes_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real.ru.srt"
    real.write_text(SRT, encoding="utf-8")
    link = tmp_path / "link.ru.srt"
    link.symlink_to(real.name)
    code, out = run("fix", str(link), "--in-place")
    assert code == 0, out
    assert link.is_symlink() and os.readlink(link) == real.name
    assert "00:00:02,000 --> 00:00:02,833" in real.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", [0o600, 0o664])
@pytest.mark.parametrize("command", ["fix", "convert", "glossary"])
def test_in_place_keeps_mode_crlf_and_bom(tmp_path: Path, mode: int, command: str) -> None:
    path = tmp_path / "ep.ru.srt"
    path.write_bytes(b"\xef\xbb\xbf" + SRT.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(mode)
    args = {
        "fix": ["fix", str(path), "--in-place"],
        "convert": ["convert", str(path), "-o", str(path), "--in-place"],
        "glossary": ["glossary", "apply", str(path), "--glossary", str(SAMPLES.parent.parent / "glossaries" / "composer.toml"),
                     "--in-place"],
    }[command]  # fmt: skip
    code, out = run(*args)
    assert code == 0, out
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf1\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_owner_is_kept_when_root_replaces_a_users_file(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file away")
    path = tmp_path / "ep.ru.srt"
    path.write_text(SRT, encoding="utf-8")
    os.chown(path, 1234, 5678)
    atomic_write_bytes(path, b"new")
    st = path.stat()
    assert (st.st_uid, st.st_gid, path.read_bytes()) == (1234, 5678, b"new")


def test_stale_partial_folders_are_removed_at_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    old = time.time() - 3600
    stale = tmp_path / f".ep.mkv.partial-{dead.pid}-abc123"
    legacy = tmp_path / ".ep.mkv.partial-x9y8z7"  # made before folders carried a PID
    running = tmp_path / f".ep.mkv.partial-{os.getppid()}-def456"  # an older run still working
    for folder in (stale, legacy, running):
        folder.mkdir()
        (folder / "ep.mkv").write_bytes(b"half")
        os.utime(folder, (old, old))
    fresh = tmp_path / f".ep.mkv.partial-{dead.pid}-new000"  # newer than this process: not ours to judge
    fresh.mkdir()
    atomic_write_bytes(tmp_path / "other.srt", b"x")
    assert not stale.exists() and not legacy.exists()
    assert running.exists() and fresh.exists()
    assert remove_stale_partials(tmp_path) == []


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old" and not list(tmp_path.glob(".*.partial-*"))



def test_glossary_apply_to_dev_stdout_keeps_its_report_out_of_the_subtitles(tmp_path: Path, stdout_guard: None) -> None:
    # the list of changes goes to stderr when the subtitles themselves go to stdout (a pipe or a redirect)
    src = tmp_path / "draft.en.srt"
    src.write_text("1\n00:00:01,000 --> 00:00:03,000\n<i>Baykadamov</i> met Xian Xinghai.\n", encoding="utf-8")
    glossary = str(SAMPLES.parent.parent / "glossaries" / "composer.toml")
    piped = dubdesk("glossary", "apply", str(src), "--glossary", glossary, "-o", "/dev/stdout")
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode() == "1\n00:00:01,000 --> 00:00:03,000\n<i>Baikadamov</i> met Xian Xinghai.\n"
    assert b"cue 1: 'Baykadamov' -> 'Baikadamov'" in piped.stderr
    with (tmp_path / "out.srt").open("wb") as fh:
        redirected = dubdesk("glossary", "apply", str(src), "--glossary", glossary, "-o", "/dev/stdout", stdout=fh)
    assert redirected.returncode == 0 and (tmp_path / "out.srt").read_bytes() == piped.stdout
    to_file = dubdesk("glossary", "apply", str(src), "--glossary", glossary, "-o", str(tmp_path / "fixed.srt"))
    assert b"cue 1: 'Baykadamov' -> 'Baikadamov'" in to_file.stdout  # a file output: the report on stdout as before
