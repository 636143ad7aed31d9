r"""ASS/SSA pre- and post-processing around pysubs2.

pysubs2 parses and writes ASS well but drops ``;`` comments in [Script Info]
and sections it does not know, and gives up on a whole file over one bad
timestamp. The pre-pass here:

- keeps script-info comments and unknown sections (re-inserted on save where
  they were, relative to the known sections);
- drops events whose Start/End cannot be parsed, with a warning and the line
  number (ExoPlayer invalid_timecodes.ass), and accepts ``0:00:04:56`` (a colon
  before the centiseconds, ExoPlayer typical.ass);
- drops style lines with too few fields (ExoPlayer empty_style_line.ass).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..track import ReadWarning

KNOWN_SECTIONS = {
    "[script info]", "[v4+ styles]", "[v4 styles]", "[v4 styles+]", "[events]", "[fonts]", "[graphics]",
    "[aegisub project garbage]", "[aegisub extradata]",
}
_SECTION_RE = re.compile(r"^\s*\[[^\]]+\]\s*$")
_ASS_TIME_RE = re.compile(r"^\s*(-?)(\d+):(\d{1,2}):(\d{1,2})(?:[.:](\d{1,3}))?\s*$")


@dataclass
class Preserved:
    """What pysubs2 would drop: script-info comments and unknown sections."""

    info_comments: list[str] = field(default_factory=list)
    #: (section header, body lines, name of the known section it followed)
    sections: list[tuple[str, list[str], str]] = field(default_factory=list)


@dataclass
class AssPrepass:
    text: str
    preserved: Preserved
    warnings: list[ReadWarning] = field(default_factory=list)


def _norm_time(value: str) -> str | None:
    m = _ASS_TIME_RE.match(value)
    if m is None:
        return None
    sign, h, mi, s, frac = m.groups()
    frac = frac or "00"
    return f"{sign}{h}:{mi}:{s}.{frac}"


ASS_FIELDS = ("Layer", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text")
SSA_FIELDS = ("Marked", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text")
_DEFAULTS = {"layer": "0", "marked": "Marked=0", "style": "Default", "name": "", "actor": "", "marginl": "0",
             "marginr": "0", "marginv": "0", "effect": "", "text": ""}


def _standard_event(parts: list[str], fields: list[str], ssa: bool) -> str | None:
    """Re-order an event's fields into the standard Format (files with 3- or 6-field
    Format lines, ExoPlayer overlapping_timecodes.ass); None if a time is unparsable."""
    if len(parts) != len(fields):
        return None
    values = dict(zip(fields, parts, strict=True))
    if "actor" in values and "name" not in values:
        values["name"] = values["actor"]
    for name in ("start", "end"):
        fixed = _norm_time(values.get(name, ""))
        if fixed is None:
            return None
        values[name] = fixed
    if not values.get("layer", "0").strip().lstrip("-").isdigit():
        values["layer"] = "0"  # pysubs2 issue #87: an empty layer means 0
    names = SSA_FIELDS if ssa else ASS_FIELDS
    return ",".join(values.get(n.lower(), _DEFAULTS.get(n.lower(), "")).strip() if n != "Text" else values.get("text", "")
                    for n in names)


def prepass(text: str) -> AssPrepass:
    out: list[str] = []
    preserved = Preserved()
    warnings: list[ReadWarning] = []
    section = ""
    last_known = ""
    unknown: tuple[str, list[str], str] | None = None
    event_fields: list[str] = []
    style_fields = 0
    ssa = bool(re.search(r"^\s*\[V4 Styles\]", text, re.M | re.I))
    for lineno, line in enumerate(text.split("\n"), 1):
        if _SECTION_RE.match(line):
            section = line.strip().lower()
            if section in KNOWN_SECTIONS:
                unknown = None
                last_known = section
                out.append(line)
            else:
                unknown = (line.strip(), [], last_known)
                preserved.sections.append(unknown)
            continue
        if unknown is not None:
            unknown[1].append(line)
            continue
        if section == "[script info]" and line.lstrip().startswith(";"):
            preserved.info_comments.append(line.strip())
            continue
        key, sep, value = line.partition(":")
        key_l = key.strip().lower()
        if section in ("[v4+ styles]", "[v4 styles]", "[v4 styles+]") and sep:
            if key_l == "format":
                style_fields = len(value.split(","))
                if style_fields < 10:
                    continue
            elif key_l == "style" and style_fields < 10:
                warnings.append(ReadWarning(lineno, "skipped-style", "style with a non-standard Format line ignored"))
                continue
        if section == "[events]" and sep:
            if key_l == "format":
                event_fields = [f.strip().lower() for f in value.split(",")]
                line = "Format: " + ", ".join(SSA_FIELDS if ssa else ASS_FIELDS)
            elif key_l in ("dialogue", "comment") and event_fields:
                parts = value.split(",", len(event_fields) - 1)
                fixed = _standard_event(parts, event_fields, ssa)
                if fixed is None:
                    warnings.append(ReadWarning(lineno, "skipped-cue", f"event with unparsable time skipped: {line.strip()[:60]!r}"))
                    continue
                line = f"{key.strip()}: {fixed}"
        out.append(line)
    return AssPrepass("\n".join(out), preserved, warnings)


def postpass(text: str, preserved: Preserved) -> str:
    """Put preserved comments and sections back into pysubs2's output."""
    lines = text.split("\n")
    lines = [ln for ln in lines if not ln.startswith(("; Script generated by pysubs2", "; https://pypi.python.org/pypi/pysubs2"))]
    if preserved.info_comments:
        idx = next((i for i, ln in enumerate(lines) if ln.strip().lower() == "[script info]"), -1)
        lines[idx + 1 : idx + 1] = preserved.info_comments
    for header, body, after in preserved.sections:
        # insert before the first known section that comes after `after` in the output
        start = next((i for i, ln in enumerate(lines) if ln.strip().lower() == after), None) if after else 0
        insert_at = len(lines)
        if start is not None:
            for j in range(start + 1, len(lines)):
                if _SECTION_RE.match(lines[j]):
                    insert_at = j
                    break
        block_body = list(body)
        while block_body and not block_body[-1].strip():
            block_body.pop()
        block = [header, *block_body, ""]
        if after == "":
            block = [header, *block_body, ""]
            insert_at = 0
        if insert_at == len(lines) and lines and lines[-1] != "":
            block = ["", *block]
        lines[insert_at:insert_at] = block
    return "\n".join(lines)
