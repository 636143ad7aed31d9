"""Text in another script or language than the track's (Kazakh in a Russian track, Latin in Chinese)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ... import languages
from ...languages.scripts import KAZAKH_LETTERS, SCRIPT_CLASSES
from ..context import Context, make
from ..model import Finding, Severity
from .registry import rule

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
