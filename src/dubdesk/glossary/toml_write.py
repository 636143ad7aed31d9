"""Writing the editable TOML glossary format: one ``[[term]]`` per concept, one key per line, in
a fixed order so a saved glossary diffs well. (tomli-w would lose that layout and the header.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Glossary

#: TOML basic strings may not hold a control character except tab (TOML 1.0, "String"): the
#: short escapes where TOML has one, ``\uXXXX`` for the rest (a NUL or ESC pasted from a PDF)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(s: str) -> str:
    """``s`` as a TOML basic string that reads back as ``s``."""
    out = []
    for ch in s:
        escaped = _ESCAPES.get(ch)
        if escaped is None and (ch < " " or ch == "\x7f"):
            escaped = f"\\u{ord(ch):04X}"
        out.append(escaped or ch)
    return '"' + "".join(out) + '"'


def dumps_toml(g: Glossary) -> str:
    """Write a glossary in the editable format: one ``[[term]]`` per concept, one key per line."""
    lines = ["# dubdesk glossary: one [[term]] per concept, one [term.LANG] table per language.", ""]
    lines += ["[glossary]", f"name = {toml_string(g.name)}"]
    if g.ignore:
        lines.append("ignore = [" + ", ".join(toml_string(v) for v in g.ignore) + "]")
    lines.append("")
    for e in g.entries:
        lines.append("[[term]]")
        lines.append(f"id = {toml_string(e.id)}")
        lines.append(f"kind = {toml_string(e.kind)}")
        if e.dnt:
            lines.append("dnt = true")
        if e.note:
            lines.append(f"note = {toml_string(e.note)}")
        for lang, lf in e.langs.items():
            lines.append("")
            lines.append(f"[term.{lang}]")
            for key, value in lf.to_dict().items():
                if isinstance(value, list):
                    lines.append(f"{key} = [" + ", ".join(toml_string(v) for v in value) + "]")
                elif isinstance(value, bool):
                    lines.append(f"{key} = {'true' if value else 'false'}")
                else:
                    lines.append(f"{key} = {toml_string(str(value))}")
        lines.append("")
    return "\n".join(lines)
