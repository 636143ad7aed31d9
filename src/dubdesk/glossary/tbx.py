"""TBX import and export (TBX-Basic / martif as CAT tools exchange it; TBX v3 read too).

Statuses map to TBX's ``administrativeStatus``:

=============  ==============================
dubdesk        TBX
=============  ==============================
approved       preferredTerm-admn-sts
accepted       admittedTerm-admn-sts
form           admittedTerm-admn-sts
variant        deprecatedTerm-admn-sts
forbidden      supersededTerm-admn-sts
=============  ==============================

On import, ``deprecated`` becomes a variant (caught and replaced) and
``superseded``/``obsolete``/``forbidden`` become forbidden forms. What TBX
has no category for (kind, do-not-translate, inflection rule, listed
inflected forms, case sensitivity) is written as ``x-dubdesk-*`` data
categories, so export then import gives the same glossary; other tools ignore them.

XML is parsed with defusedxml: a file that declares entities (billion
laughs) or references external ones is refused, never expanded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import defusedxml
import defusedxml.ElementTree as DET

from .. import languages
from ..errors import GlossaryError, GlossaryInvalidError, UnknownLanguageError
from ..files import atomic_write_bytes
from .model import KINDS, Entry, Glossary, LangForms
from .validate import build

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_STATUS_OUT = {
    "approved": "preferredTerm-admn-sts",
    "accepted": "admittedTerm-admn-sts",
    "form": "admittedTerm-admn-sts",
    "variant": "deprecatedTerm-admn-sts",
    "forbidden": "supersededTerm-admn-sts",
}


def _status_in(value: str) -> str:
    v = value.strip().lower().replace("-admn-sts", "")
    if v in ("preferredterm", "preferred", "approved"):
        return "approved"
    if v in ("admittedterm", "admitted", "accepted", "legalterm", "regulatedterm", "standardizedterm"):
        return "accepted"
    if v in ("deprecatedterm", "deprecated", "variant"):
        return "variant"
    if v in ("supersededterm", "superseded", "obsolete", "obsoleteterm", "forbidden", "forbiddenterm"):
        return "forbidden"
    return "accepted"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def load_tbx(path: str | Path) -> Glossary:
    p = Path(path)
    return loads_tbx(p.read_bytes(), str(p))


def loads_tbx(data: bytes | str, path: str | None = None) -> Glossary:
    """Parse TBX safely; entity declarations and external entities are refused."""

    try:
        root = DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise GlossaryError(
            f"refused: the TBX declares the XML entity {exc.name!r}; entity expansion is not allowed "
            "(billion-laughs / external-entity protection)",
            path=path,
        ) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden, defusedxml.NotSupportedError) as exc:
        raise GlossaryError(f"refused: the TBX references external XML resources ({exc})", path=path) from None
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        msg = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise GlossaryError(f"not well-formed XML: {msg}", path=path, line=line) from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(f"not a TBX file (root element <{_local(root.tag)}>)", path=path, hint="expected <martif> or <tbx>")
    name = ""
    for el in root.iter():
        if _local(el.tag) == "title" and el.text:
            name = el.text.strip()
            break
    problems: list[GlossaryError] = []
    entries: list[Entry] = []
    for n, te in enumerate(e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")):
        entry = _entry(te, n, path, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise GlossaryInvalidError(problems)
    return build(entries, name=name, path=path)


def _descrips(el: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in el:
        if _local(child.tag) in ("descrip", "admin") and child.get("type"):
            out[child.get("type")] = (child.text or "").strip()
    return out


def _notes(el: Any) -> str:
    return "\n".join((c.text or "").strip() for c in el if _local(c.tag) == "note" and (c.text or "").strip())


def _entry(te: Any, n: int, path: str | None, problems: list[GlossaryError]) -> Entry | None:

    entry_id = te.get("id") or f"entry-{n + 1}"
    d = _descrips(te)
    kind = d.get("x-dubdesk-kind") or d.get("subjectField") or "term"
    if kind not in KINDS:
        kind = "term"
    entry = Entry(
        id=entry_id,
        kind=kind,
        dnt=d.get("x-dubdesk-dnt", "").lower() == "true",
        note=_notes(te),
    )
    for ls in te:
        if _local(ls.tag) not in ("langSet", "langSec"):
            continue
        raw_lang = ls.get(_XML_LANG) or ls.get("lang") or ""
        try:
            lang = languages.normalize(raw_lang)
        except UnknownLanguageError:
            problems.append(GlossaryError(f"entry {entry_id!r}: unknown language {raw_lang!r}", path=path))
            continue
        ld = _descrips(ls)
        lf = entry.langs.get(lang) or LangForms(lang=lang)
        lf.note = _notes(ls)
        if ld.get("x-dubdesk-inflect"):
            lf.inflect = ld["x-dubdesk-inflect"]
        lf.case_sensitive = ld.get("x-dubdesk-case-sensitive", "").lower() == "true"
        for group in ls:
            if _local(group.tag) not in ("tig", "ntig", "termSec"):
                continue
            term_el = next((e for e in group.iter() if _local(e.tag) == "term"), None)
            if term_el is None or not (term_el.text or "").strip():
                problems.append(GlossaryError(f"entry {entry_id!r} [{lang}]: a term element is empty", path=path))
                continue
            text = term_el.text.strip()
            notes = {e.get("type"): (e.text or "").strip() for e in group.iter() if _local(e.tag) == "termNote"}
            status = notes.get("x-dubdesk-status") or _status_in(
                notes.get("administrativeStatus") or notes.get("normativeAuthorization") or "admitted"
            )
            if status == "approved" and lf.approved is None:
                lf.approved = text
            elif status in ("approved", "accepted"):
                lf.accepted.append(text)
            elif status == "form":
                lf.forms.append(text)
            elif status == "variant":
                lf.variants.append(text)
            else:
                lf.forbidden.append(text)
        entry.langs[lang] = lf
    if not entry.langs:
        problems.append(GlossaryError(f"entry {entry_id!r} has no langSet", path=path))
        return None
    return entry


def dumps_tbx(g: Glossary) -> str:
    """The glossary as TBX-Basic (martif) XML."""
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = ET.SubElement(root, "martifHeader")
    fd = ET.SubElement(header, "fileDesc")
    ET.SubElement(ET.SubElement(fd, "titleStmt"), "title").text = g.name
    ET.SubElement(ET.SubElement(fd, "sourceDesc"), "p").text = "Exported by dubdesk"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for e in g.entries:
        te = ET.SubElement(body, "termEntry", {"id": e.id})
        ET.SubElement(te, "descrip", {"type": "x-dubdesk-kind"}).text = e.kind
        if e.dnt:
            ET.SubElement(te, "descrip", {"type": "x-dubdesk-dnt"}).text = "true"
        if e.note:
            ET.SubElement(te, "note").text = e.note
        for lang, lf in e.langs.items():
            ls = ET.SubElement(te, "langSet", {_XML_LANG: lang})
            if lf.inflect is not None:
                ET.SubElement(ls, "descrip", {"type": "x-dubdesk-inflect"}).text = lf.inflect
            if lf.case_sensitive:
                ET.SubElement(ls, "descrip", {"type": "x-dubdesk-case-sensitive"}).text = "true"
            if lf.note:
                ET.SubElement(ls, "note").text = lf.note
            for form, status in lf.all_forms():
                tig = ET.SubElement(ls, "tig")
                ET.SubElement(tig, "term").text = form
                ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = _STATUS_OUT[status]
                if status in ("accepted", "form"):
                    ET.SubElement(tig, "termNote", {"type": "x-dubdesk-status"}).text = status
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def save_tbx(g: Glossary, path: str | Path) -> None:

    atomic_write_bytes(Path(path), dumps_tbx(g).encode("utf-8"))
