r"""The subtitle translation pipeline: :func:`translate_track`.

Steps, for one track:

1. decode every cue into units (:mod:`.segments`): tags and ``\N`` out of the
   text, dialogue lines apart; cues that continue one sentence are grouped;
2. protect glossary terms (:func:`dubdesk.glossary.protect`);
3. translate every distinct text of the file through the engine in a few large
   batches (translation memory in front: a re-run only translates what changed;
   the memory commits per batch, so an interrupted run resumes);
4. restore terms, verify them; a failing text is retried (the model's other
   hypotheses, another placeholder form, then unprotected translation +
   substitution) and otherwise flagged;
5. split groups back where the model's alignment crosses each cue boundary
   (:mod:`.alignment`; in proportion where the alignment is flat or the engine
   cannot align), put inline tags back where their span went, re-break lines
   for the target profile (:func:`dubdesk.text.reflow.reflow`);
6. a new Track: same events, timings, styles, actors and comments.
"""


from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .. import languages
from ..errors import UnknownLanguageError, UnknownProfileError, UsageError
from ..glossary import Glossary, load_glossary
from ..profiles import Profile, load_profile
from ..text.reflow import reflow
from . import routes, segments
from .alignment import Aligned
from .batching import CacheCounter, CueProgress, Translated, translate_all
from .bilingual import mark_bilingual, with_source_line
from .cutting import split_aligned, term_spans
from .engines import CachedEngine, Engine, supports_alignment
from .jobs import Cue, Job, protect_text, restore_text, sentence_case
from .memory import TranslationMemory, default_memory_path
from .report import FlaggedCue, TranslationReport, TranslationResult
from .retry import ALTERNATIVES, flag_near_misses, retry, verify_job
from .segments import Unit

if TYPE_CHECKING:
    from ..track import Track

__all__ = ["ALTERNATIVES", "CHUNK_SIZE", "CONTEXTS", "FlaggedCue", "TranslationReport", "TranslationResult", "translate_track"]

#: texts per engine call: large enough for CTranslate2 to fill its batches on
#: every thread, small enough that the memory commits (and progress moves) often
CHUNK_SIZE = 256
#: ``context``: cues that continue a sentence are translated together, or every cue alone
CONTEXTS = ("sentence", "cue")

#: a job and the (cue, unit index) places its translation goes to
Placed = tuple[Job, list[tuple[Cue, int]]]
#: (event index, unit index, span) -> the job translating that tagged span
SpanJobs = dict[tuple[int, int, tuple[int, int]], Job]


def translate_track(
    track: Track,
    target: str,
    *,
    source: str | None = None,
    engine: Engine | str | None = None,
    model: str | None = None,
    glossary: Glossary | str | os.PathLike[str] | None = None,
    profile: Profile | float | str | None = None,
    bilingual: bool = False,
    memory: TranslationMemory | str | os.PathLike[str] | Literal[False] | None = None,
    progress: CueProgress | None = None,
    on_route: Callable[[str], None] | None = None,
    output_format: str | None = None,
    context: str | None = None,
) -> TranslationResult:
    """Translate every cue of ``track`` into ``target``; same cues, same timings.

    ``engine`` is an engine name (``"argos"``, ``"multilingual"``…) or an
    :class:`~dubdesk.translate.engines.Engine`; ``model`` picks an
    installed model by name. ``glossary`` is a :class:`dubdesk.Glossary` or a
    path. ``profile`` gives the line length: a number, a profile name or a loaded profile
    (``dubdesk.load_profile(name)``); by default the target language's. ``memory`` is the translation
    memory: None for the default file, False for none, a path, or a :class:`TranslationMemory`.
    ``progress(done_cues, total_cues)`` is called as batches finish;
    ``on_route(description)`` once the route is chosen, before translating.
    ``output_format`` (pysubs2 id, default: the track's own) decides how
    ``bilingual`` source lines are set: smaller and italic in ASS/SSA, italic
    on their own line elsewhere. ``context``: ``"sentence"`` joins cues that
    continue one sentence and cuts the translation back by the model's
    alignment (proportionally for engines that cannot align); ``"cue"``
    translates every cue alone; None: ``"sentence"`` when the engine aligns,
    else ``"cue"``.
    """
    if context is not None and context not in CONTEXTS:
        raise UsageError(f"unknown context {context!r}", hint="choose one of: " + ", ".join(CONTEXTS))
    started = time.perf_counter()
    src = _language(source or track.language, "source")
    tgt = _language(target, "target")
    if src == tgt:
        raise UsageError(f"source and target are both {src}", hint="choose another target language")
    gloss = _load_glossary(glossary)
    max_chars = _max_chars(profile, tgt)  # a bad profile fails before any model loads
    eng, route = _resolve_engine(src, tgt, engine, model)
    if on_route is not None:
        on_route(route)
    eng, owned = _with_memory(eng, memory, gloss)
    aligns = supports_alignment(eng)
    report = TranslationReport(source=src, target=tgt, route=route, context=context or ("sentence" if aligns else "cue"))
    try:
        out = _run(track, eng, gloss, report, max_chars=max_chars, aligns=aligns, progress=progress)
    finally:
        if owned is not None:
            owned.close()
    if bilingual:
        _add_source_lines(out, track, output_format)
    report.flagged.sort(key=lambda f: f.cue)
    report.seconds = time.perf_counter() - started
    return TranslationResult(out, report)


def _run(
    track: Track,
    eng: Engine,
    gloss: Glossary | None,
    report: TranslationReport,
    *,
    max_chars: float | None,
    aligns: bool,
    progress: CueProgress | None,
) -> Track:
    """The steps of the module docstring, in order; fills ``report``, returns the translated track."""
    src, tgt = report.source, report.target
    cjk_src = languages.is_cjk(src)
    cues = _decode(track)
    report.cues = len(cues)
    main_jobs, span_jobs = _jobs(track, cues, report, aligns=aligns)
    all_jobs = [j for j, _ in main_jobs] + list(span_jobs.values())
    for job in all_jobs:
        job.protected, job.sent = protect_text(job.source, gloss, src, tgt)
    counter = CacheCounter(eng)
    done = _translate(eng, all_jobs, cues, src, tgt, progress)
    for job, _ in main_jobs:
        if not job.failed:
            job.result = job.first = sentence_case(job.source, job.result, cjk_src=cjk_src)
    if gloss is not None:
        _check_terms(eng, [j for j, _ in main_jobs], gloss, report, cjk_src=cjk_src)
    report.glossary_fixes = sum(j.fixes for j, _ in main_jobs)
    for job, members in main_jobs:
        _place(job, members, track, report)
    out = track.copy(language=tgt)
    cjk_tgt = languages.is_cjk(tgt)
    for cue in cues:
        out.events[cue.index].text = _rebuild(cue, span_jobs, tgt, cjk_tgt, max_chars)
    report.texts, report.cache_hits, report.translated = counter.finish(
        len(done.texts) + len(done.aligned) + len(done.failed)
    )
    return out


def _decode(track: Track) -> list[Cue]:
    """Step 1: every cue (comments skipped) as units: tags and ``\\N`` out, dialogue lines apart."""
    cues: list[Cue] = []
    for i, ev in enumerate(track.events):
        if not ev.is_comment:
            cues.append(Cue(i, len(cues) + 1, segments.decode(ev.text)))
    return cues


def _jobs(track: Track, cues: list[Cue], report: TranslationReport, *, aligns: bool) -> tuple[list[Placed], SpanJobs]:
    """Step 1 (cont.): the texts to translate: groups of continuing cues, dialogue lines, tagged spans."""
    groupable = [
        c.decoded.units[0].text if not c.decoded.dialogue and len(c.decoded.units) == 1 else None for c in cues
    ]
    events = track.events
    groups = segments.group_continuations(
        [(t or None) if report.context == "sentence" else None for t in groupable],
        [events[c.index].start for c in cues],
        [events[c.index].end for c in cues],
        [(events[c.index].style, events[c.index].name) for c in cues],
        cjk_source=languages.is_cjk(report.source),
    )
    main_jobs: list[Placed] = []
    span_jobs: SpanJobs = {}
    for group in groups:
        grouped = [cues[k] for k in group]
        if len(grouped) > 1:
            report.merged += len(grouped)
            text = segments.join_texts([m.decoded.units[0].text for m in grouped])
            job = Job(text, [m.index for m in grouped])
            job.aligned = Aligned("") if aligns else None  # asks for the alignment
            main_jobs.append((job, [(m, 0) for m in grouped]))
        else:
            cue = grouped[0]
            for u, unit in enumerate(cue.decoded.units):
                if unit.text:
                    main_jobs.append((Job(unit.text, [cue.index]), [(cue, u)]))
        for m in grouped:
            for u, unit in enumerate(m.decoded.units):
                for span in unit.spans():
                    span_jobs[(m.index, u, span)] = Job(unit.text[span[0] : span[1]].strip(), [m.index])
    return main_jobs, span_jobs


def _translate(
    eng: Engine, jobs: list[Job], cues: list[Cue], src: str, tgt: str, progress: CueProgress | None
) -> Translated:
    """Steps 3–4: every distinct text through the engine, in big batches; terms restored."""
    cue_of = {c.index: c.number for c in cues}
    done = translate_all(
        eng,
        [j.sent for j in jobs if j.aligned is None],
        [j.sent for j in jobs if j.aligned is not None],
        src, tgt, progress=progress, total_cues=len(cues),
        cue_of={j.sent: cue_of[j.cues[0]] for j in reversed(jobs)},
        chunk_size=CHUNK_SIZE,
    )
    for job in jobs:
        if job.sent in done.failed:
            job.result, job.failed = job.source, True
            job.reasons = [f"not translated: {done.failed[job.sent]}"]
            continue
        if job.aligned is not None:
            job.aligned = done.aligned[job.sent]
        translated = job.aligned.text if job.aligned is not None else done.texts[job.sent]
        job.result, job.fixes = restore_text(translated, job.protected)
    return done


def _check_terms(eng: Engine, jobs: list[Job], gloss: Glossary, report: TranslationReport, *, cjk_src: bool) -> None:
    """Step 4 (cont.): verify terms; retry what fails; flag what still fails and near-miss names."""
    src, tgt = report.source, report.target
    failing = [j for j in jobs if not j.failed and verify_job(j, gloss, src, tgt)]
    if failing:
        report.retried = retry(eng, failing, gloss, src, tgt, cjk_src=cjk_src)
    flag_near_misses(jobs, gloss, tgt)


def _place(job: Job, members: list[tuple[Cue, int]], track: Track, report: TranslationReport) -> None:
    """Step 5: a job's translation into its cues; a joined group is cut back by alignment or in proportion."""
    if len(members) == 1:
        cue, u = members[0]
        cue.texts[u] = job.result
    else:
        cjk_src, cjk_tgt = languages.is_cjk(report.source), languages.is_cjk(report.target)
        cut = split_aligned(job, members, cjk_src=cjk_src, cjk_tgt=cjk_tgt) if not job.failed else None
        if cut is None:
            parts = segments.split_proportionally(
                job.result,
                [m.decoded.units[0].text for m, _ in members],
                cjk_source=cjk_src,
                cjk_target=cjk_tgt,
                keep_together=term_spans(job.result, job.protected),
            )
            report.fallback.extend(m.number for m, _ in members)
        else:
            parts, proportional = cut
            report.fallback.extend(m.number for i, (m, _) in enumerate(members) if i in proportional)
            report.aligned += len(members) - len(proportional)
        for (cue, u), part in zip(members, parts, strict=True):
            cue.texts[u] = part
    if job.reasons:
        for m, _ in members:
            report.flagged.append(FlaggedCue(m.number, list(job.reasons), track.events[m.index].text, job.result))


def _add_source_lines(out: Track, track: Track, output_format: str | None) -> None:
    """Step 6 (bilingual review): each cue's source line below its translation."""
    smaller = (output_format or track.source.format or "").lower() in {"ass", "ssa"}
    for i, ev in enumerate(track.events):
        if not ev.is_comment:
            out.events[i].text = with_source_line(out.events[i].text, ev, track, smaller=smaller)
    mark_bilingual(out)


# --------------------------------------------------------------------------- helpers


def _language(tag: str | None, which: str) -> str:
    if not tag:
        raise UsageError(
            f"the {which} language is not known",
            hint=f"pass {'source' if which == 'source' else 'target'}=LANG (or name the file like episode.ru.srt)",
        )
    return languages.normalize(tag)


def _load_glossary(glossary: Glossary | str | os.PathLike[str] | None) -> Glossary | None:
    if glossary is None or isinstance(glossary, Glossary):
        return glossary
    return load_glossary(Path(glossary))


def _resolve_engine(src: str, tgt: str, engine: Engine | str | None, model: str | None) -> tuple[Engine, str]:
    if engine is not None and not isinstance(engine, str):
        return engine, engine.id
    # through the module: tests put a failing engine in place with monkeypatch.setattr(routes, "get_engine", …)
    route = routes.plan_route(src, tgt, engine=engine, model=model)
    return routes.get_engine(route), route.describe()


def _with_memory(
    eng: Engine, memory: TranslationMemory | str | os.PathLike[str] | Literal[False] | None, gloss: Glossary | None
) -> tuple[Engine, TranslationMemory | None]:
    """The engine with the translation memory in front, and the memory this call opened (to close)."""
    if memory is False or isinstance(eng, CachedEngine):
        return eng, None
    version = gloss.version() if gloss is not None else ""
    if isinstance(memory, TranslationMemory):
        return CachedEngine(eng, memory, glossary_version=version), None
    mem = TranslationMemory(memory or default_memory_path())
    return CachedEngine(eng, mem, glossary_version=version), mem


def _max_chars(profile: Profile | float | str | None, target: str) -> float | None:
    """Line length: a number, a loaded profile or a profile name; None: the target language's shipped profile.

    Readability profiles are shared data (:mod:`dubdesk.profiles`), not QA's:
    translation reads its line length there, as QA reads its limits.
    """
    if profile is None:
        try:
            return float(load_profile(target).max_chars_per_line)
        except (UnknownProfileError, UnknownLanguageError):
            return None  # no shipped profile for this language: reflow's own default
    if isinstance(profile, str):
        profile = load_profile(profile)
    if isinstance(profile, Profile):
        return float(profile.max_chars_per_line)
    if isinstance(profile, (int, float)):
        return float(profile)
    raise UsageError(
        f"profile {profile!r} is not a line length",
        hint="pass a number, a profile name or a profile from dubdesk.load_profile(name)",
    )


# -- rebuilding cues -----------------------------------------------------------


def _rebuild(
    cue: Cue,
    span_jobs: SpanJobs,
    tgt: str,
    cjk_tgt: bool,
    max_chars: float | None,
) -> str:
    pieces: list[str] = []
    for u, unit in enumerate(cue.decoded.units):
        text = cue.texts.get(u, "")
        spans = {
            span: span_jobs[(cue.index, u, span)].result
            for span in unit.spans()
            if (cue.index, u, span) in span_jobs
        }
        positions = segments.place_anchors(unit, text, spans, cjk_target=cjk_tgt)
        unit_for_target = _with_target_dash(unit, cjk_tgt)
        pieces.append(unit_for_target.rebuild(text, positions))
    if cue.decoded.dialogue:
        return "\\N".join(pieces)
    return _reflow(pieces[0], tgt, max_chars)


def _with_target_dash(unit: Unit, cjk_tgt: bool) -> Unit:
    if not unit.dash:
        return unit
    return Unit(unit.text, unit.lead, unit.trail, unit.anchors, segments.target_dash(unit.dash, cjk_target=cjk_tgt))


def _reflow(text: str, tgt: str, max_chars: float | None) -> str:
    return reflow(text, tgt, max_chars=max_chars, max_lines=2)
