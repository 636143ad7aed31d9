"""Child processes and signals: every run of ffmpeg/ffprobe ends with its parent.

* :func:`run` starts a tool so that it dies with the process that started it
  (Linux ``PR_SET_PDEATHSIG``: even after ``kill -9`` of dubdesk no ffmpeg is
  left writing), and terminates and waits for it when the caller is
  interrupted (Ctrl-C, SIGTERM, SIGHUP) or fails.
* :func:`handle_signals` makes SIGTERM and SIGHUP behave like Ctrl-C: they
  raise :class:`Interrupted` (a ``KeyboardInterrupt``) in the main thread, so
  the same ``finally`` blocks remove partial outputs and stop children.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from types import FrameType
from typing import Any

#: how long a terminated child gets to exit before it is killed
GRACE_S = 2.0
_PR_SET_PDEATHSIG = 1
#: the signals that end a run (Ctrl-C, kill, a closed terminal)
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class Interrupted(KeyboardInterrupt):
    """A SIGTERM or SIGHUP turned into an interruption; :attr:`signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    # once is enough: a second signal while cleaning up must not cut the cleanup short
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


def handle_signals() -> None:
    """Turn SIGTERM and SIGHUP into :class:`Interrupted` (call from the main thread, as the CLI does)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_interrupted)


@functools.lru_cache(maxsize=1)
def libc() -> Any:
    """The C library (Linux), loaded once; None elsewhere or when it cannot be found."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        pass
    name = ctypes.util.find_library("c")  # runs ldconfig: only when the usual name is not there (musl)
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None


def _prctl() -> Any:
    """libc's ``prctl``; None where there is none."""
    return getattr(libc(), "prctl", None)


def _child_setup(mask: Iterable[int]) -> Callable[[], None]:
    """What a child runs between fork and exec: die with the parent, take the parent's usual signal mask."""
    prctl = _prctl()
    parent = os.getpid()

    def setup() -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # the parent blocks stop signals while it forks
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)

    return setup


def tie_to_parent() -> None:
    """Make this process (a pool worker) get SIGTERM when its parent dies, even by ``kill -9``.

    Pass as a process pool's ``initializer``. The worker ends at once (a pool
    worker catches every exception of its job, so an interruption raised in
    it would not end it); its own ffmpeg children die with it (see
    :func:`run`) and its partial outputs are removed by the next write into
    their folder (:func:`dubdesk.files.remove_stale_partials`).
    """
    for sig in (signal.SIGTERM, signal.SIGHUP):  # a forked worker inherits the CLI's handlers
        signal.signal(sig, signal.SIG_DFL)
    prctl = _prctl()
    if prctl is None:
        return
    parent = os.getppid()
    prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """End a process pool now: queued jobs cancelled, running workers terminated and reaped.

    ``shutdown(wait=True)`` would wait for the jobs already running (a whole
    translation) before an interrupted run could exit; the pool has no public
    way to reach its workers, so this uses its ``_processes`` table.
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(GRACE_S)
        if worker.is_alive():
            worker.kill()
            worker.join()


def stop(proc: subprocess.Popen[Any]) -> None:
    """Terminate ``proc``, give it :data:`GRACE_S` seconds, then kill it; always reaps it."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(OSError):
        proc.terminate()
    try:
        proc.wait(GRACE_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()


def run(args: Sequence[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``args`` with stdin closed and stdout/stderr captured, tied to this process's life.

    Raises ``subprocess.TimeoutExpired`` after ``timeout`` seconds and
    ``OSError`` when the program cannot start, like ``subprocess.run``.
    """
    # A stop signal between fork and the ``try`` would leave the child unstopped: block the
    # signals while Popen forks (a pending one is handled inside the ``try``).
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    proc: subprocess.Popen[bytes] | None = None
    try:
        proc = subprocess.Popen(
            list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=_child_setup(old_mask),
        )  # fmt: skip
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        if proc is not None:
            stop(proc)
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
