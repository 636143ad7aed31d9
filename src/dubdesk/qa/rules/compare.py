"""Comparison with the source track (``--against``): cue count, timing, reading speed, dub length."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...languages.alphabets import VOWELS
from ...languages.scripts import SCRIPT_CLASSES
from ..context import Context, Cue, cues_of, make
from ..model import Finding, Severity
from .registry import rule, seconds


@rule("cue-count-mismatch", Severity.ERROR, "The translation has a different number of cues.", needs="against")
def check_count(ctx: Context) -> Iterator[Finding]:
    if ctx.against is None:
        return
    src = ctx.against.cues
    if len(src) != len(ctx.cues):
        yield make(
            "cue-count-mismatch", Severity.ERROR, None,
            f"{len(ctx.cues)} cues, the source has {len(src)}: a translation keeps one cue per source cue",
            cues=len(ctx.cues), source_cues=len(src),
        )  # fmt: skip


@rule("timing-mismatch", Severity.WARNING, "A cue's times differ from the source cue's.", needs="against")
def check_timing(ctx: Context) -> Iterator[Finding]:
    if ctx.against is None:
        return
    tol = ctx.profile.timing_tolerance_ms
    for c, ev in zip(ctx.cues, ctx.against.cues, strict=False):
        ds, de = c.start - ev.start, c.end - ev.end
        if abs(ds) > tol or abs(de) > tol:
            yield make(
                "timing-mismatch", Severity.WARNING, c,
                f"start {ds:+d} ms, end {de:+d} ms from the source cue ({seconds(ev.start)}–{seconds(ev.end)}): "
                "copy the source timing",
                start_delta_ms=ds, end_delta_ms=de, source_start_ms=ev.start, source_end_ms=ev.end,
            )  # fmt: skip


def _source_cues(ctx: Context) -> list[Cue]:

    assert ctx.against is not None
    weight = ctx.against_profile.halfwidth_weight if ctx.against_profile else 1.0
    return cues_of(ctx.against, weight)


@rule(
    "reading-speed-increase", Severity.WARNING,
    "Reading speed (as a share of each language's limit) grew too much over the source cue.", needs="against",
)  # fmt: skip
def check_speed_increase(ctx: Context) -> Iterator[Finding]:
    if ctx.against is None:
        return
    src_limit = ctx.against_profile.max_cps if ctx.against_profile else ctx.profile.max_cps
    limit = ctx.profile.max_cps
    threshold = ctx.profile.reading_speed_increase_max
    for c, s in zip(ctx.cues, _source_cues(ctx), strict=False):
        if c.duration <= 0 or s.duration <= 0 or not s.chars:
            continue
        load, src_load = c.cps / limit, s.cps / src_limit
        if src_load > 0 and load / src_load > threshold and load > 0.5:
            yield make(
                "reading-speed-increase", Severity.WARNING, c,
                f"reads at {load:.0%} of its limit, the source cue at {src_load:.0%} "
                f"(×{load / src_load:.1f}, threshold ×{threshold:g}): condense the translation",
                load=round(load, 3), source_load=round(src_load, 3), ratio=round(load / src_load, 2),
            )  # fmt: skip


_EN_GROUP_RE = re.compile(r"[aeiouy]+", re.I)
_HAN_RE = re.compile(f"[{SCRIPT_CLASSES['Han']}]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9]+")


def speech_units(text: str, language: str | None, unit: str) -> float:
    """Syllables (Russian/Kazakh: vowel letters; English: vowel groups) or Chinese characters."""
    if unit == "char":
        # one syllable per Han character; a Latin word or number about one per two characters
        return len(_HAN_RE.findall(text)) + sum((len(w) + 1) // 2 for w in _LATIN_WORD_RE.findall(text))
    vowels = VOWELS.get((language or "").split("-")[0])
    if vowels is not None:
        n = sum(1 for ch in text if ch in vowels)
        return n + sum(len(_EN_GROUP_RE.findall(w)) for w in _LATIN_WORD_RE.findall(text))
    total = 0
    for word in re.findall(r"[A-Za-z']+", text):
        groups = len(_EN_GROUP_RE.findall(word))
        if word.lower().endswith("e") and not word.lower().endswith(("le", "ee")) and groups > 1:
            groups -= 1
        total += max(1, groups)
    return float(total)


@rule("dub-overrun", Severity.WARNING, "The dubbed line would take longer to speak than the source slot.", needs="against")
def check_dub(ctx: Context) -> Iterator[Finding]:
    if ctx.against is None:
        return
    p = ctx.profile
    lang = p.language or ctx.track.language
    for c, s in zip(ctx.cues, ctx.against.cues, strict=False):
        slot = s.end - s.start
        if slot <= 0:
            continue
        units = speech_units(" ".join(c.lines), lang, p.speech_unit)
        speak_ms = units / p.speech_rate * 1000.0
        if speak_ms > slot * (1 + p.dub_overrun_tolerance):
            unit = "characters" if p.speech_unit == "char" else "syllables"
            yield make(
                "dub-overrun", Severity.WARNING, c,
                f"about {speak_ms / 1000:.1f} s to speak ({units:g} {unit} at {p.speech_rate:g}/s), "
                f"the source slot is {seconds(slot)}: shorten the line for the dub",
                speaking_ms=round(speak_ms), slot_ms=slot, units=units,
            )  # fmt: skip
