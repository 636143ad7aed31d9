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

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .. import languages
from ..errors import TranslationError, UnknownLanguageError, UnknownProfileError, UsageError
from ..glossary import PLACEHOLDER_RE, load_glossary, protect, restore_report, substitute, verify_text
from ..glossary.nearmiss import find_near_misses
from ..markup import visible, visible_many
from ..profiles import load_profile
from ..text.reflow import reflow
from . import alignment, routes, segments
from .alignment import Aligned
from .engines import CachedEngine, supports_alignment, supports_alternatives
from .memory import TranslationMemory, default_memory_path
from .segments import CueText, Unit

if TYPE_CHECKING:
    import pysubs2

    from ..track import Track

log = logging.getLogger(__name__)

#: texts per engine call: large enough for CTranslate2 to fill its batches on
#: every thread, small enough that the memory commits (and progress moves) often
CHUNK_SIZE = 256
#: hypotheses asked for a text whose glossary terms failed verification (the
#: model's n-best list: one more engine call, for the few texts that fail)
ALTERNATIVES = 4
#: ``context``: cues that continue a sentence are translated together, or every cue alone
CONTEXTS = ("sentence", "cue")

Progress = Callable[[int, int], None]


@dataclass
class FlaggedCue:
    """A cue whose translation could not be verified: shipped, but listed here."""

    cue: int  #: 1-based cue number (comments not counted)
    reasons: list[str]
    source: str
    target: str


@dataclass
class TranslationReport:
    source: str
    target: str
    route: str
    cues: int = 0
    texts: int = 0  #: distinct texts sent through the engine (memory included)
    translated: int = 0  #: texts the model actually translated (memory misses)
    cache_hits: int = 0
    seconds: float = 0.0
    glossary_fixes: int = 0  #: term occurrences put back in their approved target form
    retried: int = 0  #: texts that failed verification and passed when translated again
    merged: int = 0  #: cues translated together with a neighbour (one sentence)
    flagged: list[FlaggedCue] = field(default_factory=list)
    context: str = "sentence"  #: "sentence" (continuing cues joined) or "cue"
    aligned: int = 0  #: joined cues cut back where the model's alignment crosses the cue boundary
    #: numbers of joined cues cut in proportion instead (flat alignment, or an engine that cannot align)
    fallback: list[int] = field(default_factory=list)

    @property
    def cues_per_second(self) -> float:
        return self.cues / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cues_per_second"] = round(self.cues_per_second, 1)
        data["seconds"] = round(self.seconds, 3)
        return data

    def summary(self) -> str:
        return (
            f"{self.cues} cues in {self.seconds:.2f} s ({self.cues_per_second:.0f} cues/s), "
            f"{self.cache_hits} from memory, {self.translated} translated, "
            f"{self.glossary_fixes} glossary fixes, "
            + (f"{self.retried} retried, " if self.retried else "")
            + (f"{len(self.fallback)} cut by proportion (cues {_numbers(self.fallback)}), " if self.fallback else "")
            + f"{len(self.flagged)} flagged"
        )


def _numbers(cues: Sequence[int]) -> str:
    shown = ", ".join(map(str, cues[:8]))
    return shown + (f" and {len(cues) - 8} more" if len(cues) > 8 else "")


@dataclass
class TranslationResult:
    track: Track
    report: TranslationReport


# --------------------------------------------------------------------------- jobs


@dataclass
class _Job:
    """One text sent to the engine: a group of cues, a dialogue line, or a tagged span."""

    source: str
    cues: list[int]  #: event indices (for reports)
    protected: Any = None
    sent: str = ""
    result: str = ""
    fixes: int = 0
    reasons: list[str] = field(default_factory=list)
    #: the model's aligned translation of ``sent`` (joined cues, engines that align)
    aligned: Aligned | None = None
    #: the result made from ``aligned`` (a retry replaces it: then the split is proportional)
    first: str = ""
    failed: bool = False  #: the engine could not translate it: the source is kept, the cue flagged


@dataclass
class _Cue:
    index: int  #: event index
    number: int  #: 1-based cue number
    decoded: CueText
    #: unit index -> translated text of that unit
    texts: dict[int, str] = field(default_factory=dict)


def translate_track(
    track: Track,
    target: str,
    *,
    source: str | None = None,
    engine: Any = None,
    model: str | None = None,
    glossary: Any = None,
    profile: Any = None,
    bilingual: bool = False,
    memory: Any = None,
    progress: Progress | None = None,
    on_route: Callable[[str], None] | None = None,
    output_format: str | None = None,
    context: str | None = None,
) -> TranslationResult:
    """Translate every cue of ``track`` into ``target``; same cues, same timings.

    ``engine`` is an engine name (``"argos"``, ``"multilingual"``…) or an
    object with ``translate_batch(texts, source, target)``; ``model`` picks an
    installed model by name. ``glossary`` is a :class:`dubdesk.Glossary` or a
    path. ``profile`` gives the line length: a number or a loaded QA profile
    (``dubdesk.qa.load_profile(name)``); by default the target language's. ``memory`` is the translation
    memory: None for the default file, False for none, a path, or an object.
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
    try:
        return _run(
            track, src, tgt, eng, route, gloss,
            profile=max_chars, bilingual=bilingual, progress=progress, output_format=output_format, started=started,
            context=context or ("sentence" if aligns else "cue"), aligns=aligns,
        )
    finally:
        if owned is not None:
            owned.close()


def _run(
    track: Track,
    src: str,
    tgt: str,
    eng: Any,
    route: str,
    gloss: Any,
    *,
    profile: Any,
    bilingual: bool,
    progress: Progress | None,
    output_format: str | None,
    started: float,
    context: str,
    aligns: bool,
) -> TranslationResult:
    report = TranslationReport(source=src, target=tgt, route=route, context=context)
    cjk_src, cjk_tgt = languages.is_cjk(src), languages.is_cjk(tgt)

    cues: list[_Cue] = []
    for i, ev in enumerate(track.events):
        if ev.is_comment:
            continue
        cues.append(_Cue(i, len(cues) + 1, segments.decode(ev.text)))
    report.cues = len(cues)

    # -- jobs: groups of continuing cues, dialogue lines, tagged spans
    groupable = [
        c.decoded.units[0].text if not c.decoded.dialogue and len(c.decoded.units) == 1 else None for c in cues
    ]
    events = track.events
    groups = segments.group_continuations(
        [(t or None) if context == "sentence" else None for t in groupable],
        [events[c.index].start for c in cues],
        [events[c.index].end for c in cues],
        [(events[c.index].style, events[c.index].name) for c in cues],
        cjk_source=cjk_src,
    )
    main_jobs: list[tuple[_Job, list[tuple[_Cue, int]]]] = []
    span_jobs: dict[tuple[int, int, tuple[int, int]], _Job] = {}
    for group in groups:
        grouped = [cues[k] for k in group]
        if len(grouped) > 1:
            report.merged += len(grouped)
            text = segments.join_texts([m.decoded.units[0].text for m in grouped])
            job = _Job(text, [m.index for m in grouped])
            job.aligned = Aligned("") if aligns else None  # asks for the alignment
            main_jobs.append((job, [(m, 0) for m in grouped]))
        else:
            cue = grouped[0]
            for u, unit in enumerate(cue.decoded.units):
                if unit.text:
                    main_jobs.append((_Job(unit.text, [cue.index]), [(cue, u)]))
        for m in grouped:
            for u, unit in enumerate(m.decoded.units):
                for span in unit.spans():
                    span_jobs[(m.index, u, span)] = _Job(unit.text[span[0] : span[1]].strip(), [m.index])

    all_jobs = [j for j, _ in main_jobs] + list(span_jobs.values())
    for job in all_jobs:
        job.protected, job.sent = _protect(job.source, gloss, src, tgt)

    # -- translate every distinct text, in big batches
    counter = _Counter(eng)
    cue_of = {c.index: c.number for c in cues}
    done = _translate_all(
        eng,
        [j.sent for j in all_jobs if j.aligned is None],
        [j.sent for j in all_jobs if j.aligned is not None],
        src, tgt, progress=progress, total_cues=len(cues),
        cue_of={j.sent: cue_of[j.cues[0]] for j in reversed(all_jobs)},
    )
    for job in all_jobs:
        if job.sent in done.failed:
            job.result, job.failed = job.source, True
            job.reasons = [f"not translated: {done.failed[job.sent]}"]
            continue
        if job.aligned is not None:
            job.aligned = done.aligned[job.sent]
        translated = job.aligned.text if job.aligned is not None else done.texts[job.sent]
        job.result, job.fixes = _restore(translated, job.protected, gloss)
    for job, _ in main_jobs:
        if not job.failed:
            job.result = job.first = _sentence_case(job.source, job.result, cjk_src=cjk_src)

    # -- verify terms; retry what fails; flag what still fails
    if gloss is not None:
        failing = [j for j, _ in main_jobs if not j.failed and _verify(j, gloss, src, tgt)]
        if failing:
            report.retried = _retry(eng, failing, gloss, src, tgt, cjk_src=cjk_src)
        _flag_near_misses([j for j, _ in main_jobs], gloss, tgt)
    report.glossary_fixes = sum(j.fixes for j, _ in main_jobs)

    # -- split groups back, put tags back, reflow
    for job, members in main_jobs:
        if len(members) == 1:
            cue, u = members[0]
            cue.texts[u] = job.result
        else:
            cut = _split_aligned(job, members, gloss, cjk_src=cjk_src, cjk_tgt=cjk_tgt) if not job.failed else None
            if cut is None:
                parts = segments.split_proportionally(
                    job.result,
                    [m.decoded.units[0].text for m, _ in members],
                    cjk_source=cjk_src,
                    cjk_target=cjk_tgt,
                    keep_together=_term_spans(job.result, job.protected),
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
                report.flagged.append(
                    FlaggedCue(m.number, list(job.reasons), events[m.index].text, job.result)
                )

    max_chars = _max_chars(profile, tgt)
    ass_like = (output_format or track.source.format or "").lower() in {"ass", "ssa"}
    out = track.copy(language=tgt)
    for cue in cues:
        raw = _rebuild(cue, span_jobs, tgt, cjk_tgt, max_chars)
        ev = out.events[cue.index]
        if bilingual:
            raw = _bilingual(raw, events[cue.index], track, smaller=ass_like)
        ev.text = raw
    _mark_bilingual(out, bilingual)

    report.texts, report.cache_hits, report.translated = counter.finish(len(done.texts) + len(done.aligned) + len(done.failed))
    report.flagged.sort(key=lambda f: f.cue)
    report.seconds = time.perf_counter() - started
    return TranslationResult(out, report)


# --------------------------------------------------------------------------- helpers


def _language(tag: str | None, which: str) -> str:
    if not tag:
        raise UsageError(
            f"the {which} language is not known",
            hint=f"pass {'source' if which == 'source' else 'target'}=LANG (or name the file like episode.ru.srt)",
        )
    return languages.normalize(tag)


def _load_glossary(glossary: Any) -> Any:
    if glossary is None or hasattr(glossary, "terms"):
        return glossary

    return load_glossary(glossary)


def _resolve_engine(src: str, tgt: str, engine: Any, model: str | None) -> tuple[Any, str]:
    if engine is not None and hasattr(engine, "translate_batch"):
        return engine, str(getattr(engine, "id", type(engine).__name__))

    # through the module: tests put a failing engine in place with monkeypatch.setattr(routes, "get_engine", …)
    route = routes.plan_route(src, tgt, engine=engine, model=model)
    return routes.get_engine(route), route.describe()


def _glossary_version(gloss: Any) -> str:
    if gloss is None:
        return ""
    version = getattr(gloss, "version", None)
    if callable(version):
        version = version()
    return str(version or "")


def _with_memory(eng: Any, memory: Any, gloss: Any) -> tuple[Any, Any]:
    """The engine with the translation memory in front, and the memory this call opened (to close)."""
    if memory is False:
        return eng, None

    if isinstance(eng, CachedEngine):
        return eng, None

    if isinstance(memory, TranslationMemory):
        return CachedEngine(eng, memory, glossary_version=_glossary_version(gloss)), None
    mem = TranslationMemory(memory or default_memory_path())
    return CachedEngine(eng, mem, glossary_version=_glossary_version(gloss)), mem


class _Counter:
    """Cache statistics of a CachedEngine (if the engine is one) over one run."""

    def __init__(self, eng: Any) -> None:
        self.eng = eng
        self.before = self._read()

    def _read(self) -> tuple[int, int]:
        stats = getattr(self.eng, "stats", None)
        if stats is None:
            return (0, 0)
        return int(getattr(stats, "hits", 0)), int(getattr(stats, "misses", 0))

    def finish(self, texts: int) -> tuple[int, int, int]:
        hits, misses = self._read()
        if getattr(self.eng, "stats", None) is None:
            return texts, 0, texts
        return texts, hits - self.before[0], misses - self.before[1]


@dataclass
class _Done:
    texts: dict[str, str] = field(default_factory=dict)
    aligned: dict[str, Aligned] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  #: text -> the engine's error, one line


def _translate_all(
    eng: Any,
    texts: Sequence[str],
    aligned: Sequence[str],
    src: str,
    tgt: str,
    *,
    progress: Progress | None,
    total_cues: int,
    cue_of: dict[str, int],
) -> _Done:
    """Translate each distinct text once; longest first in chunks of similar length.

    ``aligned`` texts (joined cues) are translated with their alignment. What
    the translation memory knows is taken first, so the texts left (a re-run's
    few edited cues) go to the model in one call, not one per chunk. A text the
    engine fails on is isolated (the chunk is halved until it is found) and
    listed in ``failed``; if every text fails, a :class:`TranslationError`
    names the model and the first cue.
    """
    out = _Done()
    unique = sorted({t for t in texts if t.strip()}, key=len, reverse=True)
    out.texts.update({t: t for t in texts if not t.strip()})
    known = getattr(eng, "known", None)
    if callable(known) and unique:
        out.texts.update(known(unique, src, tgt))
        unique = [t for t in unique if t not in out.texts]
    with_links = sorted(set(aligned), key=len, reverse=True)
    total = len(unique) + len(with_links)
    finished = 0
    if progress is not None:
        progress(0, total_cues)
    for items, call, into in (
        (with_links, eng.translate_aligned if with_links else None, out.aligned),
        (unique, eng.translate_batch, out.texts),
    ):
        for start in range(0, len(items), CHUNK_SIZE):
            chunk = items[start : start + CHUNK_SIZE]
            into.update(_isolating(call, chunk, src, tgt, out.failed))
            finished += len(chunk)
            if progress is not None:
                progress(round(total_cues * finished / total), total_cues)
    if progress is not None and total:
        progress(total_cues, total_cues)
    if total and len(out.failed) == total:
        first = min(out.failed, key=lambda t: cue_of.get(t, 0))
        raise TranslationError(
            f"{getattr(eng, 'id', 'the engine')} failed on cue {cue_of.get(first, '?')}: {out.failed[first]}"
        )
    return out


def _isolating(call: Any, chunk: list[str], src: str, tgt: str, failed: dict[str, str]) -> dict[str, Any]:
    """``call(chunk)`` as a dict; a failing chunk is halved until the failing texts are found."""
    try:
        result = list(call(chunk, src, tgt))
    except Exception as exc:  # any engine's failure on a text: isolated and flagged (Ctrl-C passes)
        if len(chunk) == 1:
            failed[chunk[0]] = " ".join(str(exc).split()) or type(exc).__name__
            return {}
        half = len(chunk) // 2
        return {**_isolating(call, chunk[:half], src, tgt, failed), **_isolating(call, chunk[half:], src, tgt, failed)}
    if len(result) != len(chunk):
        raise TranslationError(f"engine returned {len(result)} translations for {len(chunk)} texts")
    return dict(zip(chunk, result, strict=True))


# -- glossary adapters ---------------------------------------------------------


def _protect(text: str, gloss: Any, src: str, tgt: str) -> tuple[Any, str]:
    if gloss is None:
        return None, text

    protected = protect(text, gloss, src, tgt)
    return protected, str(protected.text)


def _restore(translated: str, protected: Any, gloss: Any) -> tuple[str, int]:
    """Put approved target forms back; returns the text and how many terms came back."""
    if protected is None:
        return translated, 0

    restored = restore_report(translated, protected)
    return str(restored.text), len(protected.terms) - len(restored.missing)


def _flag_near_misses(jobs: list[_Job], gloss: Any, tgt: str) -> None:
    """A name the output spells close to, not as, an approved target form flags its cue."""
    texts = visible_many([j.result for j in jobs])
    for i, found in find_near_misses(gloss, tgt, texts, gloss.matcher(tgt).find_sparse(texts)).items():
        jobs[i].reasons += [f"near-miss {nm.found!r}: {nm.message}" for nm in found]


def _verify(job: _Job, gloss: Any, src: str, tgt: str) -> list[str]:
    """Reasons the job's result fails term verification ([] when it passes)."""

    reasons = [str(m) for m in verify_text(job.source, job.result, gloss, src, tgt)]
    left = [m.group(0) for m in PLACEHOLDER_RE.finditer(job.result)]
    if left:
        reasons.append("placeholder left in the translation: " + ", ".join(left))
    job.reasons = reasons
    return reasons


def _retry(eng: Any, failing: list[_Job], gloss: Any, src: str, tgt: str, *, cjk_src: bool) -> int:
    """Translate texts that failed verification again; returns how many pass now.

    1. the model's other hypotheses for the same protected text, when the
       engine gives alternatives (:func:`.engines.supports_alternatives`): the
       first that passes after the terms are restored is used;
    2. the alternate placeholder form (letters instead of digits), for models
       that mangle digits;
    3. the text translated without placeholders, then every term put in its
       approved form by :func:`dubdesk.glossary.substitute`.

    What still fails keeps its first result and reasons (and is flagged).
    """

    def attempt(job: _Job, text: str, fixes: int) -> bool:
        first = (job.result, job.fixes, job.reasons)
        job.result, job.fixes = _sentence_case(job.source, text, cjk_src=cjk_src), fixes
        if _verify(job, gloss, src, tgt):
            job.result, job.fixes, job.reasons = first
            return False
        return True

    pending = list(failing)
    errors: dict[str, str] = {}  # a retry the engine fails on leaves the job as it was (flagged)
    if supports_alternatives(eng):

        def alternatives_of(texts: list[str], source: str, target: str) -> list[list[str]]:
            return list(eng.translate_alternatives(texts, source, target, ALTERNATIVES))

        alternatives = _isolating(alternatives_of, list(dict.fromkeys(j.sent for j in pending)), src, tgt, errors)
        pending = [
            job
            for job in pending
            if not any(attempt(job, *_restore(alt, job.protected, gloss)) for alt in alternatives.get(job.sent, []))
        ]
    if pending:
        attempts = [(job, protect(job.source, gloss, src, tgt, style="alternate")) for job in pending]
        out = _isolating(eng.translate_batch, list(dict.fromkeys(p.text for _, p in attempts)), src, tgt, errors)
        pending = [
            job for job, prot in attempts
            if prot.text not in out or not attempt(job, *_restore(out[prot.text], prot, gloss))
        ]
    if pending:
        out = _isolating(eng.translate_batch, list(dict.fromkeys(j.source for j in pending)), src, tgt, errors)
        still: list[_Job] = []
        for job in pending:
            if job.source not in out:
                still.append(job)
                continue
            fixed, fixes = substitute(job.source, out[job.source], gloss, src, tgt)
            if not attempt(job, str(fixed), int(fixes)):
                still.append(job)
        pending = still
    return len(failing) - len(pending)


def _split_aligned(
    job: _Job, members: list[tuple[_Cue, int]], gloss: Any, *, cjk_src: bool, cjk_tgt: bool
) -> tuple[list[str], set[int]] | None:
    """The parts of a joined translation, cut where its alignment crosses the cue boundaries, and
    the members cut in proportion (a cue nothing aligns to, and its neighbours).

    None when there is no alignment to use (engine, retry) or it is flat. The
    cut is made in the model's output (placeholders never cut), and each part's
    glossary terms are restored on their own.
    """
    raw = job.aligned
    if raw is None or not raw.links or job.result != job.first:
        return None
    sources = [m.decoded.units[0].text for m, _ in members]
    _, starts = segments.join_with_offsets(sources)
    bounds = [_protected_offset(job.protected, job.source, s) for s in starts[1:]]
    keep: list[tuple[int, int]] = []
    if job.protected is not None:
        keep = [m.span() for m in PLACEHOLDER_RE.finditer(raw.text)]
    found = alignment.cut_points(raw.text, raw.links, bounds, keep_together=keep, source_length=len(job.sent))
    if found is None:
        return None
    cuts, proportional = _fill_cuts(raw.text, found, sources, keep, cjk_src=cjk_src, cjk_tgt=cjk_tgt)
    edges = [0, *cuts, len(raw.text)]
    parts = [_restore(raw.text[a:b], job.protected, gloss)[0].strip() for a, b in itertools.pairwise(edges)]
    parts[0] = _sentence_case(job.source, parts[0], cjk_src=cjk_src)
    return parts, proportional


def _fill_cuts(
    text: str,
    cuts: list[int | None],
    sources: list[str],
    keep: list[tuple[int, int]],
    *,
    cjk_src: bool,
    cjk_tgt: bool,
) -> tuple[list[int], set[int]]:
    """Cuts the alignment left undecided (None), placed in proportion between the decided ones."""
    out: list[int] = []
    proportional: set[int] = set()
    k = 0
    while k < len(cuts):
        decided = cuts[k]
        if decided is not None:
            out.append(max(decided, out[-1] if out else 0))
            k += 1
            continue
        end = k
        while end < len(cuts) and cuts[end] is None:
            end += 1
        left = out[-1] if out else 0
        right = cuts[end] if end < len(cuts) else len(text)
        right = max(left, right if right is not None else len(text))
        sub = text[left:right]
        parts = segments.split_proportionally(
            sub, sources[k : end + 1], cjk_source=cjk_src, cjk_target=cjk_tgt,
            keep_together=[(a - left, b - left) for a, b in keep],
        )
        at = 0
        for part, nxt in itertools.pairwise(parts):
            at = sub.find(part, at) + len(part) if part else at
            start = sub.find(nxt, at) if nxt else -1
            out.append(left + (start if start >= 0 else at))
        proportional.update(range(k, end + 1))
        k = end
    return out, proportional


def _protected_offset(protected: Any, original: str, offset: int) -> int:
    """Where offset ``offset`` of ``original`` is in the protected text (terms are placeholders there)."""
    if protected is None:
        return offset
    i = j = 0  # cursors in the original and in the protected text
    for term in getattr(protected, "terms", ()):
        a, b = original.find(term.source, i), int(protected.text.find(term.placeholder, j))
        if a < 0 or b < 0 or offset <= a:
            break
        if offset < a + len(term.source):
            return b
        i, j = a + len(term.source), b + len(term.placeholder)
    return j + offset - i


def _term_spans(text: str, protected: Any) -> list[tuple[int, int]]:
    """Where restored multi-word terms sit in ``text`` (a group split must not cut them)."""
    if protected is None:
        return []
    spans: list[tuple[int, int]] = []
    for term in getattr(protected, "terms", ()) or ():
        form = str(getattr(term, "target", term))
        start = text.find(form)
        while start != -1:
            spans.append((start, start + len(form)))
            start = text.find(form, start + 1)
    return spans


# -- rebuilding cues -----------------------------------------------------------


def _rebuild(
    cue: _Cue,
    span_jobs: dict[tuple[int, int, tuple[int, int]], _Job],
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


def _sentence_case(source: str, translated: str, *, cjk_src: bool) -> str:
    """Capitalise a translation whose source starts a sentence (word-for-word models lowercase it)."""
    first_src = next((ch for ch in source if ch.isalpha()), "")
    if not first_src or not (cjk_src or first_src.isupper()):
        return translated
    for i, ch in enumerate(translated):
        if ch.isalpha():
            return translated[:i] + ch.upper() + translated[i + 1 :] if ch.islower() else translated
    return translated


def _max_chars(profile: Any, target: str) -> float | None:
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
    if isinstance(profile, (int, float)):
        return float(profile)
    limit = getattr(profile, "max_chars_per_line", None)
    if not isinstance(limit, (int, float)):
        raise UsageError(
            f"profile {profile!r} is not a line length",
            hint="pass a number, a profile name or a profile from dubdesk.load_profile(name)",
        )
    return float(limit)


# -- bilingual -----------------------------------------------------------------

BILINGUAL_SCALE = 0.75


def _bilingual(raw: str, source_event: pysubs2.SSAEvent, track: Track, *, smaller: bool) -> str:
    r"""``target\N{\i1\fsN}source{\i0}``: the source line below, italic.

    In SRT/WebVTT this is ``<i>source</i>`` on its own line; in ASS/SSA the
    source line is also 75 % of its style's font size (``\fs``).
    """
    source_text = " ".join(visible(source_event.text).split())
    if not source_text:
        return raw
    if not smaller:
        return f"{raw}\\N{{\\i1}}{source_text}{{\\i0}}"
    style = track.subs.styles.get(source_event.style)
    size = round((style.fontsize if style is not None else 20) * BILINGUAL_SCALE)
    return f"{raw}\\N{{\\i1\\fs{size}}}{source_text}{{\\i0}}"


def _mark_bilingual(out: Track, bilingual: bool) -> None:
    if bilingual:
        out.subs.info["Title"] = (out.subs.info.get("Title", "") + " (bilingual review)").strip()
