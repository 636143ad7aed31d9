"""A season build interrupted by SIGTERM or killed -9 leaves no worker process behind.

The season runs its jobs in a process pool; a signal to the coordinator must end
the workers at once (not after the translations they are running), and a
coordinator killed -9 takes its workers with it (processes.tie_to_parent).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from media_helpers import needs_ffmpeg
from season_helpers import install_demo_models, make_season

pytestmark = needs_ffmpeg


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _python_workers(pid: int) -> list[int]:
    workers = []
    for kid in _children(pid):
        try:
            if "python" in Path(f"/proc/{kid}/comm").read_text():
                workers.append(kid)
        except OSError:
            continue
    return workers


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_season_leaves_no_workers(tmp_path: Path, sig: signal.Signals) -> None:
    install_demo_models()
    season = make_season(tmp_path / "season", episodes=4)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dubdesk", "build", str(season), "-j", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    end = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 3 and time.monotonic() < end and proc.poll() is None:
        workers = _python_workers(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the season's pool workers never started"  # and spawn's resource tracker
    time.sleep(0.5)  # let them take jobs
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, err.decode()
        assert err.decode().strip().splitlines()[-1] == "dubdesk: error: interrupted by SIGTERM"
    else:
        assert proc.returncode == -signal.SIGKILL
    end = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
