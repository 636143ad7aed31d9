"""Every signal ends cleanly: SIGTERM/SIGHUP like Ctrl-C, and ``kill -9`` cleaned up by the next run.

A loop of kills (TERM and KILL, alternating) at random points during ``mux``,
``translate`` and ``build`` run as real processes: half of the mux/build kills
wait until ffmpeg is running, so the window that matters is always hit. After
every kill: no output under the final name unless it is complete (same size as
a finished run), no ffmpeg/ffprobe left running, and for a handled TERM one
line and exit 143 with no ``.partial-*`` folder left. After the loop, one more
run of each command leaves no ``.partial-*`` anywhere.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dubdesk.subtitles import load
from media_helpers import needs_ffmpeg
from project_helpers import ROOT, SAMPLES, install_toy_model, sample_media

__all__ = ["sample_media"]

pytestmark = needs_ffmpeg

KILLS = 24
SEED = int(os.environ.get("DUBDESK_KILL_SEED", "20261129"))


def _ours(tmp: Path) -> list[str]:
    """Command lines of running ffmpeg/ffprobe processes that touch ``tmp``."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and str(tmp) in cmd and ("ffmpeg" in cmd.split(" ")[0] or "ffprobe" in cmd.split(" ")[0]):
            found.append(cmd)
    return found


def _children(pid: int) -> list[str]:
    names = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for kid in kids:
            with contextlib.suppress(OSError):
                names.append(Path(f"/proc/{kid}/comm").read_text().strip())
    return names


def _wait_for_ffmpeg(proc: subprocess.Popen[bytes], limit_s: float = 10.0) -> None:
    end = time.monotonic() + limit_s
    while time.monotonic() < end and proc.poll() is None:
        if "ffmpeg" in _children(proc.pid):
            return
        time.sleep(0.002)


@pytest.fixture
def workspace(tmp_path: Path, sample_media: Path) -> Path:
    install_toy_model(tmp_path)
    (tmp_path / "a").mkdir()
    shutil.copytree(SAMPLES, tmp_path / "a" / "composer")
    shutil.copytree(sample_media, tmp_path / "a" / "media")
    (tmp_path / "glossaries").mkdir()
    shutil.copy(ROOT / "glossaries" / "composer.toml", tmp_path / "glossaries")
    return tmp_path


def test_kills_at_random_points_leave_no_debris(workspace: Path) -> None:
    w = workspace
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    py = [sys.executable, "-m", "dubdesk"]
    media, subs = w / "a" / "media", w / "a" / "composer"
    commands = {
        "mux": ([*py, "mux", str(media / "composer.mp4"), "--audio", f"kk={media / 'composer.dub.kk.m4a'}",
                 "--subs", f"ru={subs / 'composer.ru.srt'}", "-o", str(w / "m.mkv")], w / "m.mkv"),
        "translate": ([*py, "translate", str(subs / "composer.ru.srt"), "--to", "en", "-o", str(w / "t.en.srt"), "-q"],
                      w / "t.en.srt"),
        "build": ([*py, "build", str(subs / "dubdesk.toml"), "--retranslate"], w / "out" / "composer" / "composer.mkv"),
    }  # fmt: skip
    full: dict[str, tuple[float, int]] = {}
    for name, (args, output) in commands.items():  # a finished run of each: its duration and output size
        started = time.monotonic()
        done = subprocess.run(args, env=env, cwd=w, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode()
        full[name] = (time.monotonic() - started, output.stat().st_size)

    rng = random.Random(SEED)
    outcomes: list[tuple[str, str, int]] = []
    names = list(commands)
    for i in range(KILLS):
        name = names[i % len(names)]
        sig = signal.SIGTERM if i % 2 == 0 else signal.SIGKILL
        args, output = commands[name]
        output.unlink(missing_ok=True)
        debris = set(w.rglob(".*.partial-*"))  # what earlier kill -9s left, for the next run to clean
        proc = subprocess.Popen(args, env=env, cwd=w, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if name != "translate" and (i // len(names)) % 2 == 0:
            _wait_for_ffmpeg(proc)
            time.sleep(rng.uniform(0, 0.05))
        else:
            time.sleep(rng.uniform(0, full[name][0]))
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        stderr = err.decode("utf-8", "replace").strip()
        outcomes.append((name, sig.name, proc.returncode))
        where = f"kill {i} ({name}, {sig.name}, seed {SEED}): exit {proc.returncode}: {stderr[-300:]}"
        # never a partial output under the final name
        if output.exists():
            assert output.stat().st_size == full[name][1], where
            if name == "translate":
                assert len(load(output).cues) == 14, where
        else:
            assert proc.returncode != 0, where
        # no ffmpeg or ffprobe left running (they die with their parent even after kill -9)
        end = time.monotonic() + 5  # a killed child may need a moment on a loaded machine
        while _ours(w) and time.monotonic() < end:
            time.sleep(0.02)
        assert not _ours(w), where
        if sig == signal.SIGTERM:
            assert proc.returncode in (0, 143, -signal.SIGTERM), where
            if proc.returncode == 143:  # handled: one line, and nothing half-written anywhere
                assert stderr.splitlines()[-1] == "dubdesk: error: interrupted by SIGTERM", where
                assert "Traceback" not in stderr, where
                assert set(w.rglob(".*.partial-*")) <= debris, where
        else:
            assert proc.returncode in (0, -signal.SIGKILL), where

    for name, (args, output) in commands.items():  # the next run of each cleans what kill -9 left
        done = subprocess.run(args, env=env, cwd=w, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode()
        assert output.stat().st_size == full[name][1]
    assert not list(w.rglob(".*.partial-*"))
    assert not _ours(w)
    interrupted = [o for o in outcomes if o[2] not in (0,)]
    assert len(interrupted) >= KILLS // 2, outcomes  # most kills landed while the command ran


def test_sighup_is_handled_like_ctrl_c(workspace: Path) -> None:
    w = workspace
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    media = w / "a" / "media"
    args = [sys.executable, "-m", "dubdesk", "mux", str(media / "composer.mp4"), "--audio",
            f"kk={media / 'composer.dub.kk.m4a'}", "-o", str(w / "h.mkv")]  # fmt: skip
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_ffmpeg(proc)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        pytest.skip("ffmpeg finished before the signal arrived")
    assert proc.returncode == 128 + signal.SIGHUP
    assert err.decode().strip() == "dubdesk: error: interrupted by SIGHUP"
    assert not (w / "h.mkv").exists() and not list(w.glob(".*.partial-*")) and not _ours(w)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_child_dies_with_its_parent(tmp_path: Path, sig: signal.Signals) -> None:
    """ffmpeg's stand-in (``sleep``) started by processes.run does not outlive a killed dubdesk."""
    script = (
        "import os, sys\n"
        "from dubdesk import processes\n"
        "processes.handle_signals()\n"
        "print(os.getpid(), flush=True)\n"
        "processes.run(['sleep', '30'])\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert parent.stdout is not None
    parent.stdout.readline()
    end = time.monotonic() + 10
    while not (kids := Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()):
        assert time.monotonic() < end
        time.sleep(0.01)
    child = int(kids[0])
    parent.send_signal(sig)
    parent.communicate(timeout=10)
    end = time.monotonic() + 3  # TERM: stopped and reaped at once; KILL: the kernel's death signal
    while _alive(child) and time.monotonic() < end:
        time.sleep(0.01)
    assert not _alive(child)
    assert parent.returncode == (1 if sig == signal.SIGTERM else -signal.SIGKILL)  # an uncaught Interrupted


def test_a_pool_worker_ends_with_its_parent(tmp_path: Path) -> None:
    """processes.tie_to_parent as a pool initializer: a worker whose parent is killed -9 stops."""
    script = (
        "import os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from dubdesk import processes\n"
        "def work():\n"
        "    time.sleep(30)\n"
        "pool = ProcessPoolExecutor(1, initializer=processes.tie_to_parent)\n"
        "pool.submit(work)\n"
        "time.sleep(0.5)\n"
        "print(' '.join(str(p) for p in pool._processes), flush=True)\n"
        "time.sleep(30)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers and all(_alive(w) for w in workers)
    parent.kill()
    parent.communicate(timeout=10)
    end = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.02)
    assert not any(_alive(w) for w in workers)
