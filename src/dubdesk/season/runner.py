"""Run a season's jobs on any :class:`concurrent.futures.Executor`.

The coordinator (this module) plans the jobs, skips those whose outputs are current, submits a
job as soon as the jobs it depends on are done, writes each finished language's record, the
translation memory rows a cluster's workers send back, and the season report. Workers only
run :mod:`dubdesk.season.worker` functions, so a process pool, ``distributed.Client.get_executor()``
or any other executor gives the same outputs.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import BuildStoppedError, UsageError
from ..project import LanguageResult, Manifest, status
from ..translate.memory import TranslationMemory, default_memory_path
from . import records, worker
from .cluster import register_plugin
from .model import Season, load_season
from .plan import KINDS, Job, job_id, plan_jobs
from .report import EpisodeRow, LanguageRow, SeasonReport

#: progress(event): {"event": "job", "job": id, "state": queued|running|done|failed|skipped|cancelled, ...}
SeasonProgress = Callable[[dict[str, Any]], None]


def default_jobs() -> int:
    """Worker processes by default: one per core."""
    return max(1, os.cpu_count() or 1)


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """CTranslate2 threads each worker may use so that workers × threads ≤ cores."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


def process_pool(
    jobs: int | None = None, pairs: list[tuple[str, str]] | None = None, *, threads: int | None = None
) -> cf.ProcessPoolExecutor:
    """A process pool whose workers each limit CTranslate2 to ``threads`` (default: their share of
    the cores) and load the models of ``pairs`` (source, target) once, when they start."""
    n = jobs or default_jobs()
    # spawn, not fork: a forked child of a process that already ran CTranslate2 can hang in its
    # thread pools, and a forkserver would keep the environment of the first season it served
    return cf.ProcessPoolExecutor(
        max_workers=n,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=worker.configure,
        initargs=(threads or threads_per_worker(n), list(pairs or [])),
    )


@dataclass
class _State:
    memory: Any
    settings: dict[str, str]
    outcomes: dict[str, worker.Outcome] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  #: job id -> state
    errors: dict[str, str] = field(default_factory=dict)
    workers: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)


def _relay_default(executor: cf.Executor) -> bool:
    return not isinstance(executor, cf.ProcessPoolExecutor | cf.ThreadPoolExecutor)


def build_season(
    season: Season | str | os.PathLike[str] | list[str | os.PathLike[str]],
    *,
    executor: cf.Executor | None = None,
    jobs: int | None = None,
    keep_going: bool = True,
    fail_on: str | None = None,
    fix: bool | None = None,
    force: bool = False,
    progress: SeasonProgress | None = None,
    memory: str | os.PathLike[str] | None = None,
    relay_memory: bool | None = None,
    threads: int | None = None,
    write_report: bool = True,
) -> SeasonReport:
    """Build every episode of a season (a season.toml, a folder, a list of manifests or a
    :class:`Season`), each episode × language as its own job, and return the season report.

    ``executor``: any :class:`concurrent.futures.Executor` (default: a process pool of ``jobs``
    workers, one per core). ``distributed.Client(...).get_executor()`` runs the season on a Dask
    cluster; the workers get :class:`dubdesk.season.cluster.DubdeskPlugin` automatically.
    A failing job fails its episode only; ``keep_going=False`` stops submitting after the
    first failure. Jobs whose outputs are current are skipped unless ``force``.
    ``memory``: the translation memory file (default: the usual one); ``relay_memory`` (default:
    on for executors other than local pools) sends workers the memory's rows and writes the rows
    they add here, instead of every worker opening the file. ``threads``: CTranslate2 threads
    per worker (default: cores ÷ workers).
    """
    started = time.perf_counter()
    s = season if isinstance(season, Season) else load_season(season)
    say = progress or (lambda event: None)
    policy = fail_on.lower() if fail_on else None
    if policy is not None and policy not in ("error", "warning", "info", "never"):
        raise UsageError(f"--fail-on {policy!r}", hint="use error, warning, info or never")
    plan = plan_jobs(s)
    mem = TranslationMemory(memory or default_memory_path())
    episodes = {m.name: m for m in s.episodes}
    settings = {m.name: records.settings_fingerprint(m, policy, fix) for m in s.episodes}
    st = _State(memory=mem, settings=settings)
    _skip_current(s, plan, st, settings, force, say)
    # the models the jobs still to run need, loaded once per worker when it starts
    pairs = list(dict.fromkeys(
        (episodes[j.episode].source.language, j.language) for j in plan
        if j.kind == "translate" and j.language is not None and st.states[j.id] == "queued"
    ))  # fmt: skip
    owned = executor is None
    # jobs in flight: a local pool feeds whichever worker frees first from one queue, so twice its
    # workers keeps them busy; Dask hands a task to a worker when it is submitted, and a 0.1 s QA
    # job queued behind a 40 s translation held its episode's mux back (measured), so one each
    window_per_worker = 2
    if executor is None:
        executor = process_pool(jobs, pairs, threads=threads)
        workers_hint = jobs or default_jobs()
    else:
        workers_hint = _prepare_executor(executor, pairs, threads)
        if _is_dask(executor):
            window_per_worker = 1
    relay = _relay_default(executor) if relay_memory is None else relay_memory
    thread_hint = threads or threads_per_worker(workers_hint)
    try:
        _run(plan, st, episodes, say, keep_going=keep_going, window=window_per_worker * workers_hint, submit=lambda job: _submit(
            executor, job, episodes[job.episode], st, mem, relay=relay, threads=thread_hint, fail_on=policy,
            fix=fix, force=force))  # fmt: skip
    finally:
        if owned:
            executor.shutdown(wait=True, cancel_futures=True)
        mem.close()
    report = _report(s, plan, st, settings, time.perf_counter() - started)
    if write_report:
        report.write(s.output)
    say({"event": "season", "ok": report.ok, "failed": report.failed_episodes, "elapsed_s": round(report.elapsed_s, 3)})
    return report


def _is_dask(executor: cf.Executor) -> bool:
    client = getattr(executor, "_client", None)
    return client is not None and type(client).__module__.startswith("distributed")


def _prepare_executor(executor: cf.Executor, pairs: list[tuple[str, str]], threads: int | None) -> int:
    """For a Dask executor: register the worker plugin (thread budget, models loaded once);
    returns how many workers the executor has."""
    if _is_dask(executor):
        return register_plugin(executor._client, pairs, threads=threads)  # type: ignore[attr-defined]
    return int(getattr(executor, "_max_workers", 0) or default_jobs())


def _skip_current(
    s: Season, plan: list[Job], st: _State, settings: dict[str, str], force: bool, say: SeasonProgress
) -> None:
    for job in plan:
        st.states[job.id] = "queued"
    if force:
        return
    for m in s.episodes:
        current = []
        for spec in m.languages:
            record = records.read_record(m, spec.language)
            if record is not None and records.is_current(m, spec, settings[m.name], record):
                result = LanguageResult(spec.language, "source" if spec.is_source else "target", "file")
                for key, value in (record.get("result") or {}).items():
                    if hasattr(result, key):
                        setattr(result, key, value)
                qid = job_id(m.name, "qa", spec.language)
                st.outcomes[qid] = worker.Outcome(qid, True, 0.0, {}, result=result,
                                                  cues=(record.get("result") or {}).get("cues"),
                                                  stop=list(record.get("stop") or []))  # fmt: skip
                st.states[qid] = "skipped"
                if spec.translate:
                    st.states[job_id(m.name, "translate", spec.language)] = "skipped"
                current.append(spec.language)
        if len(current) == len(m.languages) and status(m).delivery == "up to date":
            mid = job_id(m.name, "mux")
            st.states[mid] = "skipped"
            st.outcomes[mid] = worker.Outcome(mid, True, 0.0, {}, build={"verified": True, "output": str(m.output)})
    for job in plan:
        if st.states[job.id] == "skipped":
            say({"event": "job", "job": job.id, "state": "skipped", "reason": "up to date"})


def _submit(
    executor: cf.Executor,
    job: Job,
    m: Manifest,
    st: _State,
    mem: Any,
    *,
    relay: bool,
    threads: int,
    fail_on: str | None,
    fix: bool | None,
    force: bool,
) -> cf.Future[worker.Outcome]:
    if job.kind == "translate":
        assert job.language is not None
        memory: worker.MemorySpec = ("relay", mem.rows(m.source.language, job.language)) if relay else ("file", mem.path)
        return executor.submit(worker.run_translate, job.id, m, job.language, memory=memory, threads=threads, force=force)
    if job.kind == "qa":
        assert job.language is not None
        before = st.outcomes.get(job_id(m.name, "translate", job.language))
        html = str(m.output_folder / "qa" / f"{m.name}.{job.language}.html")
        return executor.submit(
            worker.run_qa, job.id, m, job.language,
            track=None if before is None else before.track, result=None if before is None else before.result,
            fail_on=fail_on, fix=fix, html=html,
        )  # fmt: skip
    results = [st.outcomes[dep].result for dep in job.deps]
    stop = [line for dep in job.deps for line in st.outcomes[dep].stop]
    if stop:
        return _stopped(job, m, stop, fail_on)
    return executor.submit(worker.run_mux, job.id, m, [r for r in results if r is not None], fail_on=fail_on, fix=fix)


def _stopped(job: Job, m: Manifest, stop: list[str], fail_on: str | None) -> cf.Future[worker.Outcome]:
    """A mux that QA stopped: failed here, without a round trip to a worker."""
    policy = fail_on or m.fail_on
    exc = BuildStoppedError(
        f"QA found {len(stop)} finding(s) at or above {policy}: " + ", ".join(stop[:6]) + (" …" if len(stop) > 6 else ""),
        path=str(m.path),
        hint="fix the drafts, set [qa] fail_on, or pass --fail-on never",
    )
    fut: cf.Future[worker.Outcome] = cf.Future()
    fut.set_result(worker.Outcome(job.id, False, 0.0, {}, error=exc.one_line(), error_type="BuildStoppedError",
                                  exit_code=exc.exit_code))  # fmt: skip
    return fut


def _run(
    plan: list[Job],
    st: _State,
    manifests: dict[str, Manifest],
    say: SeasonProgress,
    *,
    keep_going: bool,
    window: int,
    submit: Callable[[Job], cf.Future[worker.Outcome]],
) -> None:
    """Submit each job once its dependencies are done, at most ``window`` at a time, earliest
    episode first: episodes are delivered one after another (a killed build keeps whole
    episodes) while the workers always have a next job queued."""
    running: dict[cf.Future[worker.Outcome], Job] = {}
    stopping = False
    episodes = {m: i for i, m in enumerate(dict.fromkeys(j.episode for j in plan))}
    order = sorted(plan, key=lambda j: (episodes[j.episode], -KINDS.index(j.kind)))

    def ready(job: Job) -> bool:
        return st.states[job.id] == "queued" and all(st.states[d] in ("done", "skipped") for d in job.deps)

    def blocked(job: Job) -> bool:
        return any(st.states[d] in ("failed", "cancelled") for d in job.deps)

    while True:
        if not stopping:
            for job in order:
                if st.states[job.id] == "queued" and blocked(job):
                    st.states[job.id] = "cancelled"
                    st.errors[job.id] = "an earlier job of this episode failed"
                    say({"event": "job", "job": job.id, "state": "cancelled"})
                elif ready(job) and len(running) < window:
                    st.states[job.id] = "running"
                    say({"event": "job", "job": job.id, "state": "running", "episode": job.episode,
                         "language": job.language, "kind": job.kind})  # fmt: skip
                    running[submit(job)] = job
        if not running:
            break
        finished, _ = cf.wait(list(running), return_when=cf.FIRST_COMPLETED)
        for fut in finished:
            job = running.pop(fut)
            try:
                outcome = fut.result()
            except cf.CancelledError:
                st.states[job.id] = "cancelled"
                continue
            except Exception as exc:  # the worker died (a killed process, a lost Dask worker)
                outcome = worker.Outcome(job.id, False, 0.0, {}, error=f"{type(exc).__name__}: {exc}",
                                         error_type=type(exc).__name__)  # fmt: skip
            _finish(job, outcome, st, manifests[job.episode], say)
            if not outcome.ok and not keep_going and not stopping:
                stopping = True
                for other, other_job in running.items():
                    if other.cancel():
                        st.states[other_job.id] = "cancelled"
                for j in plan:
                    if st.states[j.id] == "queued":
                        st.states[j.id] = "cancelled"
                        st.errors[j.id] = "not started: --fail-fast after a failure"
                        say({"event": "job", "job": j.id, "state": "cancelled"})


def _finish(job: Job, outcome: worker.Outcome, st: _State, m: Manifest, say: SeasonProgress) -> None:
    st.outcomes[job.id] = outcome
    if outcome.worker:
        st.workers[(str(outcome.worker.get("host")), int(outcome.worker.get("pid", 0)))] = outcome.worker
    if outcome.memory_rows:
        st.memory.put_rows(outcome.memory_rows)
        outcome.memory_rows = []
    if outcome.ok:
        st.states[job.id] = "done"
        if job.kind == "qa" and outcome.result is not None:
            spec = next(x for x in m.languages if x.language == job.language)
            data = outcome.result.to_dict()
            data["cues"] = outcome.cues
            records.write_record(m, spec, st.settings[m.name], data, stop=outcome.stop)
    else:
        st.states[job.id] = "failed"
        st.errors[job.id] = outcome.error or "failed"
    event: dict[str, Any] = {"event": "job", "job": job.id, "state": st.states[job.id],
                             "seconds": round(outcome.seconds, 3)}  # fmt: skip
    if outcome.error:
        event["error"] = outcome.error
    say(event)


def _report(s: Season, plan: list[Job], st: _State, settings: dict[str, str], elapsed: float) -> SeasonReport:
    rows: list[LanguageRow] = []
    eps: list[EpisodeRow] = []
    for m in s.episodes:
        mux = st.outcomes.get(job_id(m.name, "mux"))
        mux_state = st.states.get(job_id(m.name, "mux"), "queued")
        ep_errors = [st.errors[j.id] for j in plan if j.episode == m.name and j.id in st.errors
                     and st.states[j.id] == "failed"]  # fmt: skip
        for spec in m.languages:
            tid, qid = job_id(m.name, "translate", spec.language), job_id(m.name, "qa", spec.language)
            t, q = st.outcomes.get(tid), st.outcomes.get(qid)
            result = q.result if q is not None and q.result is not None else (t.result if t is not None else None)
            states = [st.states.get(tid), st.states.get(qid)] if spec.translate else [st.states.get(qid)]
            worst = [x for x in ("failed", "cancelled", "queued", "running") if x in states]
            state: str = worst[0] if worst else ("skipped" if all(x == "skipped" for x in states) else "done")
            errs = [st.errors[j] for j in (tid, qid) if j in st.errors]
            counts = result.qa_counts if result is not None else {}
            translated = None
            if spec.translate and result is not None:
                translated = (result.translation or {}).get("cues") if result.subtitles_from == "translated" else 0
            rows.append(LanguageRow(
                episode=m.name, language=spec.language, role="source" if spec.is_source else "target",
                state=state, cues=None if q is None else q.cues, translated=translated,
                glossary_fixes=None if result is None else result.glossary_changes
                + int((result.translation or {}).get("glossary_fixes") or 0),
                qa_errors=counts.get("error", 0), qa_warnings=counts.get("warning", 0),
                mux_verified=mux_state in ("done", "skipped") and mux is not None and mux.ok,
                seconds=(t.seconds if t is not None else 0.0) + (q.seconds if q is not None else 0.0),
                subtitles=None if result is None else result.subtitles,
                qa_report=str(m.output_folder / "qa" / f"{m.name}.{spec.language}.html"),
                error=errs[0] if errs else None,
            ))  # fmt: skip
        eps.append(EpisodeRow(
            episode=m.name, manifest=str(m.path), output=str(m.output), state=mux_state,
            mux_seconds=0.0 if mux is None else mux.seconds, error=ep_errors[0] if ep_errors else None,
        ))  # fmt: skip
    return SeasonReport(name=s.name, rows=rows, episodes=eps, workers=list(st.workers.values()), elapsed_s=elapsed,
                        jobs={j.id: st.states[j.id] for j in plan})  # fmt: skip


__all__ = ["SeasonProgress", "build_season", "default_jobs", "process_pool", "threads_per_worker"]
