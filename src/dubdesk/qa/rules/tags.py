"""Markup that opens and does not close (a second opinion on what the readers accepted)."""

from __future__ import annotations

from collections.abc import Iterator

from ... import markup
from ..context import Context, make
from ..model import Finding, Severity
from .registry import rule

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
