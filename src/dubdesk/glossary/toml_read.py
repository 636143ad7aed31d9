"""Reading the editable TOML glossary format (``tomllib``), with the line of every term, language
table and key, so each problem names its line."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import languages
from ..errors import GlossaryError, GlossaryInvalidError, UnknownLanguageError
from ..validation import Problems, toml_syntax_error
from .inflect import INFLECTIONS
from .model import KINDS, LIST_KEYS, Entry, Glossary, LangForms
from .normalize import is_mixed_form
from .validate import build

_TERM_KEYS = {"id", "kind", "dnt", "note"}
_LANG_KEYS = {"approved", "accepted", "variants", "forbidden", "forms", "inflect", "case_sensitive", "note"}

_TERM_HEADER = re.compile(r"^\s*\[\[\s*term\s*\]\]")
_LANG_HEADER = re.compile(r"^\s*\[\s*term\s*\.\s*\"?([A-Za-z0-9_-]+)\"?\s*\]")
_KEY_LINE = re.compile(r"^\s*\"?([A-Za-z0-9_-]+)\"?\s*=")


class _Lines:
    """Where each ``[[term]]``, ``[term.LANG]`` and key sits in the source (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.terms: list[int] = []
        self.langs: list[dict[str, int]] = []
        self.keys: list[dict[tuple[str | None, str], int]] = []
        current_lang: str | None = None
        for no, line in enumerate(text.splitlines(), 1):
            if _TERM_HEADER.match(line):
                self.terms.append(no)
                self.langs.append({})
                self.keys.append({})
                current_lang = None
                continue
            m = _LANG_HEADER.match(line)
            if m and self.terms:
                current_lang = m.group(1)
                self.langs[-1][current_lang] = no
                continue
            if line.lstrip().startswith("["):
                current_lang = None
                continue
            m = _KEY_LINE.match(line)
            if m and self.terms:
                self.keys[-1].setdefault((current_lang, m.group(1)), no)

    def term(self, i: int) -> int | None:
        return self.terms[i] if i < len(self.terms) else None

    def lang(self, i: int, lang: str) -> int | None:
        if i < len(self.langs):
            return self.langs[i].get(lang, self.keys[i].get((None, lang), self.term(i)))
        return None

    def key(self, i: int, lang: str | None, key: str) -> int | None:
        if i < len(self.keys):
            found = self.keys[i].get((lang, key))
            if found is not None:
                return found
            return self.lang(i, lang) if lang else self.term(i)
        return None


def loads_toml(text: str, path: str | None = None) -> Glossary:
    """Parse dubdesk's TOML glossary format; every bad row is reported with its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg, line = toml_syntax_error(exc)
        raise GlossaryInvalidError([GlossaryError(f"not valid TOML: {msg}", path=path, line=line)]) from None
    where = _Lines(text)
    problems = Problems(path, GlossaryError)
    bad = problems.add

    head = data.get("glossary", {})
    name = head.get("name", "") if isinstance(head, dict) else ""
    ignore = head.get("ignore", []) if isinstance(head, dict) else []
    if not problems.check(ignore, "names", "[glossary] ignore", None, 'ignore = ["Baikal"]'):
        ignore = []
    for key in data:
        if key not in ("glossary", "term"):
            bad(f"unknown top-level key {key!r}", None, "entries are [[term]] tables")
    terms = data.get("term", [])
    if not isinstance(terms, list):
        bad("'term' must be an array of tables: write [[term]]", None)
        terms = []
    entries: list[Entry] = []
    for i, raw in enumerate(terms):
        line = where.term(i)
        entry = _entry_from_dict(raw, functools.partial(where.key, i), line, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise GlossaryInvalidError(problems.found)
    return build(entries, name=str(name), path=path, ignore=list(ignore))


def _entry_from_dict(
    raw: Any,
    line_of: Callable[[str | None, str], int | None],
    line: int | None,
    problems: Problems[GlossaryError],
) -> Entry | None:
    bad = problems.add
    if not isinstance(raw, dict):
        bad("a [[term]] entry must be a table", line)
        return None
    ok = True
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        bad("entry has no id", line, 'add id = "some-name"')
        return None
    kind = raw.get("kind", "term")
    if kind not in KINDS:
        bad(f"entry {entry_id!r}: unknown kind {kind!r}", line_of(None, "kind"), "one of " + ", ".join(KINDS))
        ok = False
    dnt = raw.get("dnt", False)
    ok = problems.check(dnt, "bool", f"entry {entry_id!r}: dnt", line_of(None, "dnt")) and ok
    note = raw.get("note", "")
    ok = problems.check(note, "string", f"entry {entry_id!r}: note", line_of(None, "note")) and ok
    entry = Entry(id=entry_id, kind=str(kind), dnt=bool(dnt), note=str(note), line=line)
    bad_lang = False
    for key, value in raw.items():
        if key in _TERM_KEYS:
            continue
        if not isinstance(value, dict):
            bad(f"entry {entry_id!r}: unknown key {key!r}", line_of(None, key), "keys are id, kind, dnt, note and language tables")
            ok = False
            continue
        try:
            lang = languages.normalize(key)
        except UnknownLanguageError:
            bad(f"entry {entry_id!r}: unknown language {key!r}", line_of(key, key), "use a BCP 47 tag: zh-Hans, ru, kk, en")
            ok = False
            bad_lang = True
            continue
        lf = LangForms(lang=lang, line=line_of(key, key))
        for k, v in value.items():
            kline = line_of(key, k)
            if k not in _LANG_KEYS:
                bad(f"entry {entry_id!r} [{key}]: unknown key {k!r}", kline, "keys are " + ", ".join(sorted(_LANG_KEYS)))
                ok = False
            elif k == "approved":
                if problems.check(v, "name", f"entry {entry_id!r} [{key}]: approved", kline):
                    lf.approved = v
                else:
                    ok = False
            elif k in LIST_KEYS:
                if problems.check(v, "names", f"entry {entry_id!r} [{key}]: {k}", kline):
                    setattr(lf, k, list(v))
                else:
                    ok = False
            elif k == "inflect":
                if v not in INFLECTIONS:
                    bad(f"entry {entry_id!r} [{key}]: unknown inflect rule {v!r}", kline, "one of " + ", ".join(INFLECTIONS))
                    ok = False
                else:
                    lf.inflect = v
            elif k == "case_sensitive":
                if problems.check(v, "bool", f"entry {entry_id!r} [{key}]: case_sensitive", kline):
                    lf.case_sensitive = v
                else:
                    ok = False
            elif k == "note":
                lf.note = str(v)
        for form, _status in lf.all_forms():
            if is_mixed_form(form):
                bad(f"entry {entry_id!r} [{key}]: {form!r} mixes Chinese characters with other letters", lf.line)
                ok = False
        if lang in entry.langs:
            bad(f"entry {entry_id!r}: language {lang} given twice", lf.line)
            ok = False
        entry.langs[lang] = lf
    if not entry.langs and not bad_lang:
        bad(f"entry {entry_id!r} has no language table", line, "add e.g. [term.en] approved = \"...\"")
        ok = False
    return entry if ok else None


def load_toml(path: str | Path) -> Glossary:
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not UTF-8 (byte {exc.start})", path=str(p), hint="save the glossary as UTF-8") from None
    return loads_toml(text, str(p))
