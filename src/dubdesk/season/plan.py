"""The season's jobs as pure data: every episode × language, with explicit dependencies.

An episode gives one ``translate`` job per target without subtitles, one ``qa`` job per
language (after that language's translation) and one ``mux`` job (after every ``qa`` job of
the episode). :func:`plan_jobs` touches no files; :mod:`dubdesk.season.records` decides what
is already done.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Season

KINDS = ("translate", "qa", "mux")


@dataclass(frozen=True)
class Job:
    id: str  #: "ep01:translate:kk", "ep01:qa:kk", "ep01:mux"
    kind: str  #: translate, qa, mux
    episode: str
    language: str | None
    deps: tuple[str, ...] = ()


def job_id(episode: str, kind: str, language: str | None = None) -> str:
    return f"{episode}:{kind}" if language is None else f"{episode}:{kind}:{language}"


def plan_jobs(season: Season) -> list[Job]:
    """Every job of the season, each after the jobs it depends on (a topological order)."""
    jobs: list[Job] = []
    for m in season.episodes:
        qa_ids: list[str] = []
        for spec in m.languages:
            deps: tuple[str, ...] = ()
            if spec.translate:
                tid = job_id(m.name, "translate", spec.language)
                jobs.append(Job(tid, "translate", m.name, spec.language))
                deps = (tid,)
            qid = job_id(m.name, "qa", spec.language)
            jobs.append(Job(qid, "qa", m.name, spec.language, deps))
            qa_ids.append(qid)
        jobs.append(Job(job_id(m.name, "mux"), "mux", m.name, None, tuple(qa_ids)))
    return jobs
