"""What runs on a worker (a pool process or a Dask worker): one job of a season at a time.

Each worker process keeps the engines it loaded (one per language pair) for all its jobs, with
CTranslate2 threads limited so that workers × threads ≤ cores (:func:`configure`, called by
the pool's initializer or the Dask worker plugin, or the thread count a job carries). The job
functions never raise for a failing episode: they return a :class:`Outcome` with the error's
one-line message, so one broken episode is a row in the report and the others go on.

Translation memory: ``("file", path)`` opens the shared SQLite file (WAL, busy retries) on this
machine; ``("relay", rows)`` is for a cluster: the job starts from the coordinator's rows for
its language pair in an in-memory memory and returns the rows it added, for the coordinator
to write (SQLite is not safe on network file systems).
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DubdeskError
from ..media import ProbeResult, probe
from ..processes import libc, tie_to_parent
from ..project import (
    Episode,
    LanguageResult,
    Manifest,
    check_language,
    load_language,
    mux_episode,
    open_episode,
    translate_target,
)
from ..translate.memory import TranslationMemory
from ..translate.routes import get_engine, plan_route

#: (source, target, model paths...) -> (engine, route description); loaded once per process
_ENGINES: dict[tuple[str, ...], tuple[Any, str]] = {}
_THREADS: int | None = None
_LOADS: list[str] = []
_MEMORIES: dict[str, Any] = {}
#: (path, size, mtime, inode) -> the file's probe; see :func:`probed`
_PROBES: dict[tuple[str, int, int, int], ProbeResult] = {}
_LOCK = threading.Lock()

#: ("file", path) or ("relay", rows of (engine, source, target, context, text, translation))
MemorySpec = tuple[str, Any]


@dataclass
class Outcome:
    """A job's result as it travels back to the coordinator (picklable)."""

    job: str
    ok: bool
    seconds: float
    worker: dict[str, Any]
    error: str | None = None
    error_type: str | None = None
    exit_code: int = 1
    result: LanguageResult | None = None
    track: Any = None  #: translate: the translated Track, for its QA job
    cues: int | None = None
    stop: list[str] = field(default_factory=list)  #: qa: findings at or above the policy
    memory_rows: list[tuple[str, ...]] = field(default_factory=list)
    build: dict[str, Any] | None = None  #: mux: BuildResult.to_dict()


def configure(threads: int | None = None, preload: list[tuple[str, str]] | None = None) -> None:
    """Set this worker's CTranslate2 thread budget and load the engines of ``preload`` pairs now
    (a pair that cannot be loaded is left for its job to report)."""
    global _THREADS
    _THREADS = threads
    tie_to_parent()  # a worker ends with its coordinator, even after kill -9
    keep_large_buffers()
    # the coordinator reports each job's warnings (BuildResult.warnings); without a handler,
    # logging's last resort would print them again on the worker's stderr
    logging.getLogger("dubdesk").addHandler(logging.NullHandler())
    for src, tgt in preload or []:
        with contextlib.suppress(DubdeskError):
            engine_for(src, tgt)


def keep_large_buffers() -> bool:
    """Keep CTranslate2's buffers in this worker's heap between batches (Linux, glibc).

    Dask's nanny starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536`` and leaves it in the
    starting process's environment too, so a process pool started later inherits it. Setting any
    malloc threshold turns off glibc's dynamic mmap threshold: every CTranslate2 buffer over
    128 KB is then mapped and unmapped on each use. Measured: 300 cues on the base model took
    7.9 s instead of 3.0 s (1 thread). A fixed 32 MB mmap threshold gives the 3.0 s back.

    Even without that variable glibc's defaults give memory back at the top of the heap after
    each batch (trim threshold 128 KB, raised only as mmapped blocks are freed) and fault it in
    again on the next: 2 × 300 cues, 1 thread, made 190 000 page faults and 0.29 s of system
    time in 5.7 s. A worker lives for a whole season and translates one batch after another, so
    it keeps up to 64 MB at the heap's top (13 000-86 000 faults, 0.03-0.18 s system time,
    5.4-5.5 s: about 4 % faster translation; a worker's resident size is about 600 MB anyway).

    Returns whether both thresholds were set.
    """
    if not sys.platform.startswith("linux"):
        return False
    mallopt = getattr(libc(), "mallopt", None)  # not glibc (musl has no mallopt): nothing to undo
    if mallopt is None:
        return False
    # mallopt returns 1 on success
    return bool(mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1 and mallopt(_M_TRIM_THRESHOLD, 64 * 1024 * 1024) == 1)


#: glibc's mallopt parameter numbers for the trim and mmap thresholds (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def worker_info() -> dict[str, Any]:
    """Who this worker is: host, pid, models loaded so far, peak resident memory."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    return {"host": socket.gethostname(), "pid": os.getpid(), "loads": list(_LOADS), "peak_rss_mb": round(peak_mb, 1),
            "threads": _THREADS}  # fmt: skip


def probed(path: Path) -> ProbeResult:
    """ffprobe's facts about ``path``, probed once per worker while the file is unchanged (its
    size, modification time and inode): an episode's translate, QA and mux jobs all need the
    video's, and a probe is mostly process start-up (about 30 ms)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    with _LOCK:
        found = _PROBES.get(key)
    if found is None:
        found = probe(path)
        with _LOCK:
            _PROBES[key] = found
    return found


def _open(m: Manifest, **options: Any) -> Episode:
    """:func:`~dubdesk.project.open_episode` with this worker's probe of the video (a video that
    is missing or cannot be probed is left to open_episode to report, after the other inputs)."""
    info = None
    with contextlib.suppress(DubdeskError, OSError):
        info = probed(m.video)
    return open_episode(m, video_info=info, **options)


def engine_for(src: str, tgt: str, threads: int | None = None) -> tuple[Any, str]:
    """This process's engine for ``src``→``tgt`` and its route description, loaded on first use."""
    global _THREADS
    if _THREADS is None and threads is not None:
        _THREADS = threads
    route = plan_route(src, tgt)
    # keyed by the models too: a long-lived Dask worker sees models installed after it started
    key = (src, tgt, *(str(m.path) for m in route.models))
    with _LOCK:  # a thread-pool executor: two jobs of one pair load it once
        if key not in _ENGINES:
            options: dict[str, Any] = {}
            if _THREADS is not None:
                # one translator replica per thread of the budget: replicas beat intra-op threads on short cues
                options = {"inter_threads": _THREADS, "intra_threads": 1}
            _ENGINES[key] = (get_engine(route, **options), route.describe())
            _LOADS.append(f"{src}>{tgt}")
        return _ENGINES[key]


def _memory(spec: MemorySpec | None) -> tuple[Any, Any]:
    """(memory for translate_track, the relay memory whose new rows go back, or None)."""
    if spec is None:
        return None, None
    kind, value = spec
    if kind == "none":
        return False, None
    if kind == "file":
        path = str(value)
        if path not in _MEMORIES:
            _MEMORIES[path] = TranslationMemory(path)
        return _MEMORIES[path], None
    relay = RelayMemory(value)
    return relay, relay


def _fail(job: str, started: float, exc: BaseException) -> Outcome:
    if isinstance(exc, DubdeskError):
        message, code = exc.one_line(), exc.exit_code
    else:
        message, code = f"{type(exc).__name__}: {exc}", 1
    return Outcome(job, False, time.perf_counter() - started, worker_info(), error=message,
                   error_type=type(exc).__name__, exit_code=code)  # fmt: skip


def run_translate(
    job: str,
    m: Manifest,
    language: str,
    *,
    memory: MemorySpec | None = None,
    threads: int | None = None,
    force: bool = False,
) -> Outcome:
    """Translate one target of one episode (the source with the glossary applied)."""
    started = time.perf_counter()
    try:
        spec = next(s for s in m.targets if s.language == language)
        ep = _open(m)
        source = m.source
        src_track = load_language(ep, source, LanguageResult(source.language, "source", "file"))
        engine, route = engine_for(source.language, language, threads)
        mem, relay = _memory(memory)
        result = LanguageResult(language, "target", "file")
        track = translate_target(ep, spec, src_track, result, force=force, engine=engine, memory=mem)
        if result.translation is not None:
            result.translation["route"] = route
        cues = sum(1 for ev in track.events if not ev.is_comment)
        return Outcome(job, True, time.perf_counter() - started, worker_info(), result=result, track=track, cues=cues,
                       memory_rows=relay.added if relay is not None else [])  # fmt: skip
    except Exception as exc:
        return _fail(job, started, exc)


def run_qa(
    job: str,
    m: Manifest,
    language: str,
    *,
    track: Any = None,
    result: LanguageResult | None = None,
    fail_on: str | None = None,
    fix: bool | None = None,
    html: str | None = None,
) -> Outcome:
    """QA one language of one episode (safe fixes first) and write its delivered subtitles; a
    translated language brings its ``track`` and ``result`` from its translate job."""
    started = time.perf_counter()
    try:
        spec = next(s for s in m.languages if s.language == language)
        ep = _open(m, fail_on=fail_on, fix=fix)
        if result is None:
            result = LanguageResult(language, "source" if spec.is_source else "target", "file")
        if track is None:
            track = load_language(ep, spec, result)
        cues = sum(1 for ev in track.events if not ev.is_comment)
        stop = check_language(ep, spec, track, result, html=None if html is None else Path(html))
        return Outcome(job, True, time.perf_counter() - started, worker_info(), result=result, cues=cues, stop=stop)
    except Exception as exc:
        return _fail(job, started, exc)


def run_mux(
    job: str, m: Manifest, results: list[LanguageResult], *, fail_on: str | None = None, fix: bool | None = None
) -> Outcome:
    """Mux and verify one episode once every language's delivered subtitles are written."""
    started = time.perf_counter()
    try:
        ep = _open(m, fail_on=fail_on, fix=fix, glossary=False)
        built = mux_episode(ep, results, started=started)
        return Outcome(job, True, time.perf_counter() - started, worker_info(), build=built.to_dict())
    except Exception as exc:
        return _fail(job, started, exc)


class RelayMemory(TranslationMemory):
    """An in-memory translation memory seeded with the coordinator's rows; remembers what it adds."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__(":memory:")
        self.put_rows(rows)
        self.added: list[tuple[str, ...]] = []

    def put_many(self, engine: str, source: str, target: str, pairs: Any, context: str = "") -> None:
        items = list(pairs.items() if hasattr(pairs, "items") else pairs)
        super().put_many(engine, source, target, items, context)
        self.added += [(engine, source, target, context, text, tr) for text, tr in items]
