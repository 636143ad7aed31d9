"""The QA rules: one small function each, in a registry.

A rule takes the :class:`~dubdesk.qa.context.Context` and yields findings.
Every finding names its rule id, severity, the cue (1-based number as people
see it), its times and a message that says what to do.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import languages, markup
from ..frames import timecode
from ..languages import scripts
from ..languages.scripts import KAZAKH_LETTERS, SCRIPT_CLASSES
from .context import Context, Cue, cues_of, make
from .model import Finding, Severity

RuleFunc = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    fixable: bool
    summary: str
    needs: str | None  #: "fps", "video", "against", "shots" or None (always runs)
    func: RuleFunc


#: rule id -> Rule, in the order they run and are documented
RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, summary: str, *, fixable: bool = False, needs: str | None = None
) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        RULES[rule_id] = Rule(rule_id, severity, fixable, summary, needs, func)
        return func

    return register


def _s(ms: float) -> str:
    return f"{ms / 1000:.3f} s"


# --- single-cue rules ------------------------------------------------------------------------------


@rule("empty", Severity.ERROR, "A cue with no visible text.")
def check_empty(ctx: Context) -> Iterator[Finding]:
    for c in ctx.cues:
        if not c.visible.strip() and not markup.has_drawing(c.text):  # a drawing shows a shape
            yield make("empty", Severity.ERROR, c, "cue shows no text: delete it or fill it in")


@rule("negative-time", Severity.ERROR, "A cue starts (or ends) before zero.", fixable=True)
def check_negative(ctx: Context) -> Iterator[Finding]:
    for c in ctx.cues:
        if c.start < 0 or c.end < 0:
            yield make(
                "negative-time", Severity.ERROR, c,
                f"starts at {_s(min(c.start, c.end))}, before zero: no player shows it and no format but JSON can "
                "hold it; dubdesk fix moves it to 0 or later", fixable=True,
            )  # fmt: skip


@rule("duration-nonpositive", Severity.ERROR, "End time at or before start time.")
def check_duration(ctx: Context) -> Iterator[Finding]:
    for c in ctx.cues:
        if c.end <= c.start:
            yield make(
                "duration-nonpositive", Severity.ERROR, c,
                f"ends at or before it starts ({c.end - c.start} ms): set the end time after the start",
                duration_ms=c.end - c.start,
            )  # fmt: skip


@rule("too-short", Severity.WARNING, "Shorter than the profile's minimum duration.", fixable=True)
def check_too_short(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.min_duration_ms
    floor = limit - (ctx.precision_ms - 1)
    for c in ctx.cues:
        d = c.end - c.start
        if 0 < d < floor:
            yield make(
                "too-short", Severity.WARNING, c,
                f"on screen {d} ms, minimum {limit} ms: extend the end time (dubdesk fix extends into free space)",
                fixable=True, duration_ms=d, limit_ms=limit,
            )  # fmt: skip


@rule("too-long", Severity.WARNING, "Longer than the profile's maximum duration.")
def check_too_long(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.max_duration_ms
    for c in ctx.cues:
        d = c.end - c.start
        if d > limit + (ctx.precision_ms - 1):
            yield make(
                "too-long", Severity.WARNING, c,
                f"on screen {_s(d)}, maximum {_s(limit)}: split the cue or shorten it",
                duration_ms=d, limit_ms=limit,
            )  # fmt: skip


def _words(text: str) -> int:
    return len(text.split())


@rule("reading-speed", Severity.WARNING, "Characters per second (or words per minute) over the limit.")
def check_reading_speed(ctx: Context) -> Iterator[Finding]:
    p = ctx.profile
    max_cps = p.max_cps
    max_wpm = p.max_wpm
    for c in ctx.cues:
        d = c.end - c.start
        if d <= 0 or not c.chars:
            continue
        cps = c.chars * 1000.0 / d
        over_cps = cps > max_cps + 1e-9
        wpm = None
        if max_wpm:
            wpm = _words(" ".join(c.lines)) * 60_000.0 / d
        over_wpm = wpm is not None and max_wpm is not None and wpm > max_wpm + 1e-9
        if not (over_cps or over_wpm):
            continue
        need_ms = int(c.chars * 1000.0 / max_cps + 0.999)
        what = f"{cps:.1f} characters/s, limit {max_cps:g}"
        if wpm is not None:
            what += f" ({wpm:.0f} words/min, limit {max_wpm:g})"
        yield make(
            "reading-speed", Severity.WARNING, c,
            f"{what}: shorten the text or give it at least {need_ms} ms",
            cps=round(cps, 2), limit_cps=max_cps, chars=c.chars, wpm=None if wpm is None else round(wpm, 1),
            needed_ms=need_ms,
        )  # fmt: skip


@rule("line-too-long", Severity.ERROR, "A line longer than the profile allows.", fixable=True)
def check_line_length(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.max_chars_per_line
    weight = ctx.profile.halfwidth_weight
    for c in ctx.cues:
        for n, line in enumerate(c.lines, 1):
            width = float(len(line)) if weight == 1.0 else scripts.width(line, weight)
            if width > limit:
                yield make(
                    "line-too-long", Severity.ERROR, c,
                    f"line {n} has {width:g} characters, limit {limit:g}: re-break or shorten it (dubdesk fix re-breaks)",
                    fixable=True, line=n, chars=width, limit=limit,
                )  # fmt: skip
                break


@rule("too-many-lines", Severity.ERROR, "More lines than the profile allows.", fixable=True)
def check_line_count(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.max_lines
    for c in ctx.cues:
        if len(c.lines) > limit:
            yield make(
                "too-many-lines", Severity.ERROR, c,
                f"{len(c.lines)} lines, limit {limit}: re-break into {limit} lines or split the cue (dubdesk fix re-breaks)",
                fixable=True, lines=len(c.lines), limit=limit,
            )  # fmt: skip


@rule("out-of-order", Severity.WARNING, "A cue starts before the one listed before it (not checked for ASS/SSA).")
def check_order(ctx: Context) -> Iterator[Finding]:
    if (ctx.track.source.format or "").lower() in ("ass", "ssa"):
        return  # ASS renderers order events themselves; file order carries no meaning
    prev: Cue | None = None
    for c in ctx.cues:
        if prev is not None and c.start < prev.start:
            yield make(
                "out-of-order", Severity.WARNING, c,
                f"starts before cue {prev.number} ({_s(c.start)} < {_s(prev.start)}): sort the cues by start time",
                previous=prev.number,
            )  # fmt: skip
        prev = c


@rule("after-video-end", Severity.ERROR, "A cue ends after the video does (needs --video).", needs="video")
def check_video_end(ctx: Context) -> Iterator[Finding]:
    limit = ctx.video_duration_ms
    if limit is None:
        return
    for c in ctx.cues:
        if c.end > limit:
            where = "starts" if c.start >= limit else "ends"
            yield make(
                "after-video-end", Severity.ERROR, c,
                f"{where} after the video ends at {_s(limit)}: retime or remove it",
                video_duration_ms=limit,
            )  # fmt: skip


@rule("frame-alignment", Severity.WARNING, "Times not on the frame grid of the given --fps.", fixable=True, needs="fps")
def check_frames(ctx: Context) -> Iterator[Finding]:
    if ctx.fps is None:
        return

    fps = float(ctx.fps)
    step = 1000.0 / fps
    tol = 1.0 if ctx.precision_ms == 1 else ctx.precision_ms / 2 + 0.5
    for c in ctx.cues:
        bad = []
        for name, t in (("start", c.start), ("end", c.end)):
            off = abs(t - round(t / step) * step)
            if off > tol:
                bad.append(f"{name} {off:.0f} ms off (nearest frame {timecode(t, ctx.fps)})")
        if bad:
            yield make(
                "frame-alignment", Severity.WARNING, c,
                f"{'; '.join(bad)} at {fps:.3f} fps: snap to frames (dubdesk fix --fps {_fps_text(ctx.fps)})",
                fixable=True,
            )  # fmt: skip


# --- shot changes (needs the video's shot changes or an imported list) -----------------------------


def _nearest_change(changes: list[int], t: int) -> int:
    """The shot change nearest to ``t`` (``changes`` sorted, not empty)."""
    i = bisect.bisect_left(changes, t)
    near = [changes[j] for j in (i - 1, i) if 0 <= j < len(changes)]
    return min(near, key=lambda c: abs(c - t))


def _frames(ms: float, frame_ms: float) -> int:
    return round(ms / frame_ms)


def shot_edges(ctx: Context, c: Cue) -> Iterator[tuple[str, str, int, int, int]]:
    """(rule, edge, frames from the change, change ms, snap target ms) for each edge of ``c`` that should snap.

    In-cue: on the change or at least ``shot_change_snap_frames`` away; out-cue:
    ``shot_change_out_frames`` before the change or at least that far away. A
    start shortly before a change or an end shortly after one crosses the cut.
    """
    changes = ctx.shot_changes
    if not changes:
        return
    p = ctx.profile
    frame = 1000.0 / ctx.shot_fps
    near = p.shot_change_snap_frames
    out = round(p.shot_change_out_frames)
    change = _nearest_change(changes, c.start)
    after = _frames(c.start - change, frame)  # frames the start lies after the change (negative: before)
    if after != 0 and abs(after) < near:
        rule = "shot-change-in" if after > 0 else "shot-change-crossing"
        yield rule, "start", after, change, change
    change = _nearest_change(changes, c.end)
    before = _frames(change - c.end, frame)  # frames the end lies before the change (negative: after)
    if before != out and -near < before < near:
        target = change - round(out * frame)
        rule = "shot-change-out" if before >= 0 else "shot-change-crossing"
        yield rule, "end", before, change, target


def _shot_findings(ctx: Context, wanted: str) -> Iterator[Finding]:
    p = ctx.profile
    for c in ctx.cues:
        if c.end <= c.start:
            continue
        for rule_id, edge, frames, change, target in shot_edges(ctx, c):
            if rule_id != wanted:
                continue
            at = _s(change)
            if edge == "start" and frames > 0:
                what = f"starts {frames} frames after the shot change at {at}: start on the change"
            elif edge == "start":
                what = f"starts {-frames} frames before the shot change at {at} and crosses it: start on the change"
            elif frames >= 0:
                what = (f"ends {frames} frames before the shot change at {at}: end {p.shot_change_out_frames:g} frames "
                        f"before it")  # fmt: skip
            else:
                what = (f"ends {-frames} frames after the shot change at {at} and crosses it: end "
                        f"{p.shot_change_out_frames:g} frames before the change")  # fmt: skip
            yield make(
                rule_id, Severity.WARNING, c,
                f"{what} or at least {p.shot_change_snap_frames:g} frames away (dubdesk fix snaps it)",
                fixable=True, edge=edge, frames=frames, shot_change_ms=change, snap_to_ms=target,
            )  # fmt: skip


@rule("shot-change-in", Severity.WARNING, "A cue starts a few frames after a shot change instead of on it.",
      fixable=True, needs="shots")  # fmt: skip
def check_shot_in(ctx: Context) -> Iterator[Finding]:
    return _shot_findings(ctx, "shot-change-in")


@rule("shot-change-out", Severity.WARNING, "A cue ends a few frames before a shot change, not 2 frames before it.",
      fixable=True, needs="shots")  # fmt: skip
def check_shot_out(ctx: Context) -> Iterator[Finding]:
    return _shot_findings(ctx, "shot-change-out")


@rule("shot-change-crossing", Severity.WARNING, "A cue crosses a shot change by only a few frames.",
      fixable=True, needs="shots")  # fmt: skip
def check_shot_crossing(ctx: Context) -> Iterator[Finding]:
    return _shot_findings(ctx, "shot-change-crossing")


def _fps_text(fps: object) -> str:
    value = float(fps)  # type: ignore[arg-type]
    return f"{value:.3f}".rstrip("0").rstrip(".")


_VOID = {"br", "img", "hr"}
#: WebVTT spans whose end tag may be left out: the cue's end closes a voice (``<v Roger>Hi``), and
#: ``</ruby>`` closes an open ``<rt>`` (https://www.w3.org/TR/webvtt1/#webvtt-cue-text-parsing-rules)
_END_TAG_OPTIONAL = {"v"}


@rule("unbalanced-tags", Severity.ERROR, "Markup opened and not closed (or a stray brace).")
def check_tags(ctx: Context) -> Iterator[Finding]:
    fmt = (ctx.track.source.format or "").lower()
    html_like = fmt not in ("ass", "ssa")  # in ASS an override lasts to the end of the event: nothing to close
    for c in ctx.cues:
        text = c.text
        if "{" not in text and "}" not in text and "<" not in text:
            continue
        problems = _tag_problems(text, html_like)
        if problems:
            yield make(
                "unbalanced-tags", Severity.ERROR, c,
                f"{'; '.join(dict.fromkeys(problems))}: close or remove the tag",
                problems=problems,
            )  # fmt: skip


def _tag_problems(text: str, html_like: bool) -> list[str]:
    """What is unbalanced in one cue, read from the markup tokenizer's tags."""
    problems: list[str] = []
    stack: list[str] = []
    state: dict[str, bool] = {}
    found = markup.tags(text)
    if text.count("{") + text.count("}") != sum(t.count("{") + t.count("}") for t in found):
        problems.append("a brace { or } outside an override block")
    for raw in found:
        if raw.startswith("{"):
            if html_like and "\\" in raw:
                for key, val in markup.overrides(raw):
                    if key in _STATE_OVERRIDES and val.strip() in ("0", "1"):
                        state[key] = val.strip() == "1"
            continue
        parsed = markup.html_tag(raw)
        if parsed is None:  # a WebVTT timestamp tag: nothing to close
            continue
        name, closing, selfclose = parsed
        if name in _VOID or selfclose:
            continue
        if not closing:
            stack.append(name)
            continue
        if name == "ruby" and stack and stack[-1] == "rt":
            stack.pop()
        if stack and stack[-1] == name:
            stack.pop()
        else:
            problems.append(f"</{name}> without a matching <{name}>")
    problems.extend(f"<{name}> not closed" for name in stack if name not in _END_TAG_OPTIONAL)
    problems.extend(f"{{\\{key}1}} (<{key}>) not closed" for key, on in state.items() if on)
    return problems


_STATE_OVERRIDES = frozenset("ibus")


# --- pair rules (per screen lane: a top sign may overlap bottom dialogue) -----------------------------


def _pairs(ctx: Context) -> list[tuple[Cue, Cue, int]]:
    return ctx.pairs()


@rule("overlap", Severity.ERROR, "A cue is still on screen when the next one (same position) starts.", fixable=True)
def check_overlap(ctx: Context) -> Iterator[Finding]:
    for a, b, gap in _pairs(ctx):
        if gap < 0:
            yield make(
                "overlap", Severity.ERROR, a,
                f"overlaps cue {b.number} by {-gap} ms: end it before {_s(b.start)} (dubdesk fix trims it)",
                fixable=True, next_cue=b.number, overlap_ms=-gap,
            )  # fmt: skip


@rule("gap-too-small", Severity.WARNING, "Less than the minimum gap (2 frames) before the next cue.", fixable=True)
def check_gap_small(ctx: Context) -> Iterator[Finding]:
    min_gap = ctx.min_gap_ms
    floor = min_gap - max(1.0, ctx.precision_ms / 2 + 0.5)
    for a, b, gap in _pairs(ctx):
        if 0 <= gap < floor:
            yield make(
                "gap-too-small", Severity.WARNING, a,
                f"{gap} ms before cue {b.number}, minimum {min_gap:.0f} ms ({ctx.profile.min_gap_frames:g} frames "
                f"at {ctx.gap_fps:g} fps): end this cue earlier (dubdesk fix)",
                fixable=True, next_cue=b.number, gap_ms=gap, min_gap_ms=round(min_gap, 1),
            )  # fmt: skip


@rule("gap-chainable", Severity.INFO, "A gap under 0.5 s that should be closed to the minimum gap.", fixable=True)
def check_gap_chain(ctx: Context) -> Iterator[Finding]:
    min_gap = ctx.min_gap_ms
    low = min_gap + ctx.frame_ms / 2
    high = ctx.profile.chain_gap_ms
    for a, b, gap in _pairs(ctx):
        if low <= gap < high:
            yield make(
                "gap-chainable", Severity.INFO, a,
                f"{gap} ms before cue {b.number}: close the gap to {min_gap:.0f} ms by extending this cue (dubdesk fix)",
                fixable=True, next_cue=b.number, gap_ms=gap,
            )  # fmt: skip


# --- script ---------------------------------------------------------------------------------------

_SCRIPT_RES = {name: re.compile(f"[{cls}]") for name, cls in SCRIPT_CLASSES.items()}
_EXPECTED = {"Cyrl": ("Cyrl",), "Latn": ("Latn",), "Hans": ("Han",), "Hant": ("Han",), "Jpan": ("Han", "Kana"),
             "Kore": ("Hang", "Han"), "Arab": ("Arab",)}  # fmt: skip
#: letters outside the expected scripts (usually none: one cheap scan per cue)
_SUSPECT_RU = re.compile(rf"[^\W\d_{SCRIPT_CLASSES['Cyrl']}]|[{KAZAKH_LETTERS}]")
_FOREIGN = {exp: re.compile(r"[^\W\d_" + "".join(SCRIPT_CLASSES[x] for x in exp) + "]") for exp in _EXPECTED.values()}
_KK_RE = re.compile(f"[{KAZAKH_LETTERS}]")
_KK_LOWER = " ".join(dict.fromkeys(KAZAKH_LETTERS.lower()))  # "ә ғ қ ң ө ұ ү һ і" for messages
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(rf"[\w{SCRIPT_CLASSES['Cyrl']}]+")
#: a Kazakh cue with this many Cyrillic letters and no Kazakh-specific letter is probably Russian
KK_MIN_LETTERS = 12
#: a Russian cue is probably Kazakh when this many lower-case words (names do not count) use Kazakh
#: letters, or when more than one word and at least this share of all words do
RU_KK_MIN_WORDS = 2
RU_KK_MIN_SHARE = 0.5
#: fewer letters than this: too little text to judge the script
MIN_LETTERS = 4


@rule("wrong-script", Severity.WARNING, "Text in another script or language than the track's.")
def check_script(ctx: Context) -> Iterator[Finding]:
    lang_tag = ctx.profile.language or ctx.track.language
    if not lang_tag:
        return
    try:
        lang = languages.get(lang_tag)
    except Exception:
        return
    expected = _EXPECTED.get(lang.script)
    if expected is None:
        return
    foreign_re = _FOREIGN[expected]
    kazakh = lang.tag == "kk"
    # one scan per cue finds anything worth a closer look: a foreign letter (any track) or a
    # Kazakh letter (Russian track); a Kazakh track looks closer when it has *no* Kazakh letter
    suspect = _SUSPECT_RU if lang.tag == "ru" else foreign_re
    for c in ctx.cues:
        text = c.visible
        if kazakh:
            if _KK_RE.search(text) and not foreign_re.search(text):
                continue
        elif not suspect.search(text):
            continue
        foreign = len(foreign_re.findall(text))
        if foreign:
            letters = len(_LETTER_RE.findall(text))
            if letters >= MIN_LETTERS and foreign * 2 > letters:
                counts = {name: len(rx.findall(text)) for name, rx in _SCRIPT_RES.items()}
                found = max(counts, key=lambda k: counts[k])
                yield make(
                    "wrong-script", Severity.WARNING, c,
                    f"mostly {_SCRIPT_NAMES.get(found, found)} text in a {lang.name} track: check the file's "
                    "language or translate this cue",
                    found_script=found, expected_script=lang.script,
                )  # fmt: skip
                continue
        if kazakh:
            if not _KK_RE.search(text) and len(_SCRIPT_RES["Cyrl"].findall(text)) >= KK_MIN_LETTERS:
                yield make(
                    "wrong-script", Severity.WARNING, c,
                    f"no Kazakh-specific letter ({_KK_LOWER}): probably Russian text; translate it into Kazakh",
                    probable_language="ru",
                )  # fmt: skip
        elif lang.tag == "ru" and _KK_RE.search(text):
            words = _WORD_RE.findall(text)
            kk_words = [w for w in words if _KK_RE.search(w)]
            # capitalised words are names, and a Kazakh-spelt name is the glossary's business
            common = [w for w in kk_words if not w[:1].isupper()]
            if len(common) >= RU_KK_MIN_WORDS or (len(kk_words) > 1 and len(kk_words) >= RU_KK_MIN_SHARE * len(words)):
                yield make(
                    "wrong-script", Severity.WARNING, c,
                    f"{len(kk_words)} of {len(words)} words use Kazakh letters: probably Kazakh text; "
                    "translate it into Russian",
                    probable_language="kk", kazakh_words=kk_words,
                )  # fmt: skip


_SCRIPT_NAMES = {"Cyrl": "Cyrillic", "Latn": "Latin", "Han": "Chinese (Han)", "Kana": "Japanese kana",
                 "Hang": "Korean Hangul", "Arab": "Arabic"}  # fmt: skip


# --- comparison with a source track (--against) ---------------------------------------------------


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
                f"start {ds:+d} ms, end {de:+d} ms from the source cue ({_s(ev.start)}–{_s(ev.end)}): "
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


_VOWELS = {
    "ru": set("аеёиоуыэюяАЕЁИОУЫЭЮЯ"),
    "kk": set("аәеёиоөуұүыіэюяАӘЕЁИОӨУҰҮЫІЭЮЯ"),
}
_EN_GROUP_RE = re.compile(r"[aeiouy]+", re.I)
_HAN_RE = _SCRIPT_RES["Han"]
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9]+")


def speech_units(text: str, language: str | None, unit: str) -> float:
    """Syllables (Russian/Kazakh: vowel letters; English: vowel groups) or Chinese characters."""
    if unit == "char":
        # one syllable per Han character; a Latin word or number about one per two characters
        return len(_HAN_RE.findall(text)) + sum((len(w) + 1) // 2 for w in _LATIN_WORD_RE.findall(text))
    vowels = _VOWELS.get((language or "").split("-")[0])
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
                f"the source slot is {_s(slot)}: shorten the line for the dub",
                speaking_ms=round(speak_ms), slot_ms=slot, units=units,
            )  # fmt: skip
