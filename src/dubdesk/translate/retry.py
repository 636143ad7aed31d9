"""Glossary verification of translated texts, and the retries of those that fail
(:func:`retry`): other hypotheses, another placeholder form, then substitution."""

from __future__ import annotations

from ..glossary import PLACEHOLDER_RE, Glossary, protect, substitute, verify_text
from ..glossary.nearmiss import find_near_misses
from ..markup import visible_many
from .batching import isolating
from .engines import AlternativesEngine, Engine, supports_alternatives
from .jobs import Job, restore_text, sentence_case

#: hypotheses asked for a text whose glossary terms failed verification (the
#: model's n-best list: one more engine call, for the few texts that fail)
ALTERNATIVES = 4


def flag_near_misses(jobs: list[Job], gloss: Glossary, tgt: str) -> None:
    """A name the output spells close to, not as, an approved target form flags its cue."""
    texts = visible_many([j.result for j in jobs])
    for i, found in find_near_misses(gloss, tgt, texts, gloss.matcher(tgt).find_sparse(texts)).items():
        jobs[i].reasons += [f"near-miss {nm.found!r}: {nm.message}" for nm in found]


def verify_job(job: Job, gloss: Glossary, src: str, tgt: str) -> list[str]:
    """Reasons the job's result fails term verification ([] when it passes)."""
    reasons = [str(m) for m in verify_text(job.source, job.result, gloss, src, tgt)]
    left = [m.group(0) for m in PLACEHOLDER_RE.finditer(job.result)]
    if left:
        reasons.append("placeholder left in the translation: " + ", ".join(left))
    job.reasons = reasons
    return reasons


def retry(eng: Engine, failing: list[Job], gloss: Glossary, src: str, tgt: str, *, cjk_src: bool) -> int:
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

    def attempt(job: Job, text: str, fixes: int) -> bool:
        first = (job.result, job.fixes, job.reasons)
        job.result, job.fixes = sentence_case(job.source, text, cjk_src=cjk_src), fixes
        if verify_job(job, gloss, src, tgt):
            job.result, job.fixes, job.reasons = first
            return False
        return True

    pending = list(failing)
    errors: dict[str, str] = {}  # a retry the engine fails on leaves the job as it was (flagged)
    if supports_alternatives(eng) and isinstance(eng, AlternativesEngine):
        with_alternatives = eng

        def alternatives_of(texts: list[str], source: str, target: str) -> list[list[str]]:
            return list(with_alternatives.translate_alternatives(texts, source, target, ALTERNATIVES))

        alternatives = isolating(alternatives_of, list(dict.fromkeys(j.sent for j in pending)), src, tgt, errors)
        pending = [
            job
            for job in pending
            if not any(attempt(job, *restore_text(alt, job.protected)) for alt in alternatives.get(job.sent, []))
        ]
    if pending:
        attempts = [(job, protect(job.source, gloss, src, tgt, style="alternate")) for job in pending]
        out = isolating(eng.translate_batch, list(dict.fromkeys(p.text for _, p in attempts)), src, tgt, errors)
        pending = [
            job for job, prot in attempts
            if prot.text not in out or not attempt(job, *restore_text(out[prot.text], prot))
        ]
    if pending:
        out = isolating(eng.translate_batch, list(dict.fromkeys(j.source for j in pending)), src, tgt, errors)
        still: list[Job] = []
        for job in pending:
            if job.source not in out:
                still.append(job)
                continue
            fixed, fixes = substitute(job.source, out[job.source], gloss, src, tgt)
            if not attempt(job, str(fixed), int(fixes)):
                still.append(job)
        pending = still
    return len(failing) - len(pending)
