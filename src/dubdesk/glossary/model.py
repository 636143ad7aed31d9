"""Glossary data: entries (one per concept) with their forms per language,
read from the editable TOML format, validated, and written back.

A glossary file (``glossaries/*.toml``)::

    [glossary]
    name = "The Composer"

    [[term]]
    id = "baikadamov"
    kind = "person"
    dnt = true
    note = "Bakhytzhan Baikadamov (1917–1977), Kazakh composer."

    [term.ru]
    approved = "Бахытжан Байкадамов"
    accepted = ["Байкадамов"]
    variants = ["Байқадамов", "Бақытжан Байқадамов"]

See docs/glossary.md for every key.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import languages
from ..errors import GlossaryError, GlossaryInvalidError, UnknownLanguageError
from ..files import atomic_write_bytes
from .inflect import DEFAULT_RULE, RULES
from .matcher import Matcher
from .normalize import is_cjk_form, is_mixed_form, norm

__all__ = [
    "KINDS",
    "Entry",
    "Glossary",
    "LangForms",
    "build",
    "dumps_toml",
    "is_cjk_form",
    "is_mixed_form",
    "load_toml",
    "loads_toml",
    "norm",
]  # fmt: skip

KINDS = ("person", "title", "place", "organisation", "term")
_TERM_KEYS = {"id", "kind", "dnt", "note"}
_LANG_KEYS = {"approved", "accepted", "variants", "forbidden", "forms", "inflect", "case_sensitive", "note"}
_LIST_KEYS = ("accepted", "variants", "forbidden", "forms")

@dataclass
class LangForms:
    """The forms of one concept in one language."""

    lang: str
    approved: str | None = None
    accepted: list[str] = field(default_factory=list)  #: other approved forms (short name, alternative)
    variants: list[str] = field(default_factory=list)  #: known misspellings and wrong spellings to catch
    forbidden: list[str] = field(default_factory=list)  #: forms that must never appear (obsolete, offensive)
    forms: list[str] = field(default_factory=list)  #: listed inflected forms of the approved form(s)
    inflect: str | None = None  #: ending rule ("ru", "kk", "none"); None: the language default
    case_sensitive: bool = False
    note: str = ""
    line: int | None = field(default=None, compare=False)

    @property
    def rule(self) -> str:
        if self.inflect is not None:
            return self.inflect
        return DEFAULT_RULE.get(self.lang, "none")

    @property
    def approved_forms(self) -> list[str]:
        return ([self.approved] if self.approved else []) + list(self.accepted)

    def all_forms(self) -> list[tuple[str, str]]:
        """``(form, status)`` for every listed form; status approved/accepted/form/variant/forbidden."""
        out: list[tuple[str, str]] = []
        if self.approved:
            out.append((self.approved, "approved"))
        out += [(f, "accepted") for f in self.accepted]
        out += [(f, "form") for f in self.forms]
        out += [(f, "variant") for f in self.variants]
        out += [(f, "forbidden") for f in self.forbidden]
        return out

    def best_approved(self, found: str) -> str | None:
        """The approved form closest to ``found`` (a short name for a short variant)."""
        options = self.approved_forms
        if not options:
            return None
        if len(options) == 1:
            return options[0]
        key = norm(found)
        words = len(key.split())
        # same number of words first (a short name for a short name, across scripts too), then spelling
        return max(
            options,
            key=lambda o: (
                len(o.split()) == words,
                difflib.SequenceMatcher(None, key, norm(o)).ratio(),
                -options.index(o),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.approved is not None:
            out["approved"] = self.approved
        for key in _LIST_KEYS:
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.inflect is not None:
            out["inflect"] = self.inflect
        if self.case_sensitive:
            out["case_sensitive"] = True
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Entry:
    """One concept (a person, title, place, organisation or term) across languages."""

    id: str
    kind: str = "term"
    dnt: bool = False  #: do not translate word by word: always use the approved target form
    note: str = ""
    langs: dict[str, LangForms] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False)

    def forms(self, lang: str) -> LangForms | None:
        return self.langs.get(lang)

    def approved(self, lang: str) -> str | None:
        lf = self.langs.get(lang)
        return lf.approved if lf else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind}
        if self.dnt:
            out["dnt"] = True
        if self.note:
            out["note"] = self.note
        out["languages"] = {lang: lf.to_dict() for lang, lf in self.langs.items()}
        return out


@dataclass
class Glossary:
    """A set of entries; build matchers per language with :meth:`matcher`."""

    entries: list[Entry] = field(default_factory=list)
    name: str = ""
    path: str | None = field(default=None, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)
    #: words never reported as near-misses of a term (``[glossary] ignore = ["Baikal"]``)
    ignore: list[str] = field(default_factory=list)
    _matchers: dict[str, Matcher] = field(default_factory=dict, compare=False, repr=False)
    _nearmiss: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def terms(self) -> list[Entry]:
        """The entries (the name the translation pipeline uses)."""
        return self.entries

    def version(self) -> str:
        """A short content hash: translation memory keys on it, so editing the glossary invalidates cached cues."""
        return hashlib.sha1(self.dumps().encode("utf-8")).hexdigest()[:12]

    def entry(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for e in self.entries:
            for lang in e.langs:
                seen[lang] = None
        return list(seen)

    def matcher(self, lang: str) -> Matcher:
        """The compiled matcher for texts in ``lang`` (built once, cached)."""
        lang = languages.normalize(lang)
        m = self._matchers.get(lang)
        if m is None:
            m = self._matchers[lang] = Matcher(self, lang)
        return m

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "entries": [e.to_dict() for e in self.entries]}
        if self.ignore:
            out["ignore"] = list(self.ignore)
        return out

    def dumps(self) -> str:
        """The glossary in dubdesk's TOML format."""
        return dumps_toml(self)

    def save(self, path: str | Path) -> None:
        atomic_write_bytes(Path(path), self.dumps().encode("utf-8"))


# --- TOML reading with line numbers -----------------------------------------------------------

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
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise GlossaryInvalidError(
            [GlossaryError(f"not valid TOML: {msg}", path=path, line=int(m.group(1)) if m else None)]
        ) from None
    where = _Lines(text)
    problems: list[GlossaryError] = []

    def bad(msg: str, line: int | None, hint: str | None = None) -> None:
        problems.append(GlossaryError(msg, path=path, line=line, hint=hint))

    head = data.get("glossary", {})
    name = head.get("name", "") if isinstance(head, dict) else ""
    ignore = head.get("ignore", []) if isinstance(head, dict) else []
    if not isinstance(ignore, list) or not all(isinstance(x, str) and x.strip() for x in ignore):
        bad("[glossary] ignore must be a list of non-empty strings", None, 'ignore = ["Baikal"]')
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
        entry = _entry_from_dict(raw, lambda lang, key, _i=i: where.key(_i, lang, key), line, bad)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise GlossaryInvalidError(problems)
    return build(entries, name=str(name), path=path, ignore=list(ignore))


def _entry_from_dict(
    raw: Any,
    line_of: Any,
    line: int | None,
    bad: Any,
) -> Entry | None:
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
    if not isinstance(dnt, bool):
        bad(f"entry {entry_id!r}: dnt must be true or false", line_of(None, "dnt"))
        ok = False
    note = raw.get("note", "")
    if not isinstance(note, str):
        bad(f"entry {entry_id!r}: note must be a string", line_of(None, "note"))
        ok = False
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
                if not isinstance(v, str) or not v.strip():
                    bad(f"entry {entry_id!r} [{key}]: approved must be a non-empty string", kline)
                    ok = False
                else:
                    lf.approved = v
            elif k in _LIST_KEYS:
                if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                    bad(f"entry {entry_id!r} [{key}]: {k} must be a list of non-empty strings", kline)
                    ok = False
                else:
                    setattr(lf, k, list(v))
            elif k == "inflect":
                if v not in RULES:
                    bad(f"entry {entry_id!r} [{key}]: unknown inflect rule {v!r}", kline, "one of " + ", ".join(RULES))
                    ok = False
                else:
                    lf.inflect = v
            elif k == "case_sensitive":
                if not isinstance(v, bool):
                    bad(f"entry {entry_id!r} [{key}]: case_sensitive must be true or false", kline)
                    ok = False
                else:
                    lf.case_sensitive = v
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


def build(entries: list[Entry], *, name: str = "", path: str | None = None, ignore: list[str] | None = None) -> Glossary:
    """Validate entries as a whole (duplicates, conflicts) and return the glossary.

    Raises :class:`GlossaryInvalidError` naming both sides of every conflict.
    """
    problems, warnings = find_problems(entries, path)
    if problems:
        raise GlossaryInvalidError(problems)
    return Glossary(entries=entries, name=name, path=path, warnings=warnings, ignore=list(ignore or []))


def _where(entry: Entry, lf: LangForms | None = None) -> str:
    line = (lf.line if lf else None) or entry.line
    return f"{entry.id!r}" + (f" (line {line})" if line else "")


def find_problems(entries: list[Entry], path: str | None) -> tuple[list[GlossaryError], list[str]]:
    """Errors (duplicate ids, a form claimed twice, conflicts between entries) and warnings."""
    problems: list[GlossaryError] = []
    warnings: list[str] = []
    ids: dict[str, Entry] = {}
    for e in entries:
        if e.id in ids:
            problems.append(
                GlossaryError(f"duplicate id {e.id!r}: also at line {ids[e.id].line}", path=path, line=e.line)
            )
        else:
            ids[e.id] = e
    #: (lang, normalised form) -> (entry, status, form)
    owners: dict[tuple[str, str], tuple[Entry, str, str]] = {}
    used = list(dict.fromkeys(lang for e in entries for lang in e.langs))
    for e in entries:
        absent = [lang for lang in used if lang not in e.langs]
        if absent:
            loc = f"{path}:{e.line}: " if path and e.line else ""
            warnings.append(f"{loc}entry {e.id!r}: no {', '.join(absent)} form")
        for lang, lf in e.langs.items():
            if not lf.approved_forms:
                loc = f"{path}:{lf.line}: " if path and lf.line else ""
                warnings.append(f"{loc}entry {e.id!r}: no approved form for {lang}")
            for form, status in lf.all_forms():
                key = (lang, norm(form).strip())
                prev = owners.get(key)
                if prev is None:
                    owners[key] = (e, status, form)
                    continue
                other, ostatus, _oform = prev
                if other is e:
                    problems.append(
                        GlossaryError(
                            f"entry {e.id!r} [{lang}]: {form!r} is listed as {status} and as {ostatus}",
                            path=path,
                            line=lf.line,
                        )
                    )
                else:
                    problems.append(
                        GlossaryError(
                            f"conflict [{lang}]: {form!r} is the {status} form of entry {_where(e, lf)} "
                            f"and the {ostatus} form of entry {_where(other, other.langs[lang])}",
                            path=path,
                            line=lf.line,
                            hint="a form may belong to one entry only",
                        )
                    )
    return problems, warnings


def load_toml(path: str | Path) -> Glossary:
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not UTF-8 (byte {exc.start})", path=str(p), hint="save the glossary as UTF-8") from None
    return loads_toml(text, str(p))


# --- TOML writing ----------------------------------------------------------------------------


def _q(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def dumps_toml(g: Glossary) -> str:
    """Write a glossary in the editable format: one ``[[term]]`` per concept, one key per line."""
    lines = ["# dubdesk glossary: one [[term]] per concept, one [term.LANG] table per language.", ""]
    lines += ["[glossary]", f"name = {_q(g.name)}"]
    if g.ignore:
        lines.append("ignore = [" + ", ".join(_q(v) for v in g.ignore) + "]")
    lines.append("")
    for e in g.entries:
        lines.append("[[term]]")
        lines.append(f"id = {_q(e.id)}")
        lines.append(f"kind = {_q(e.kind)}")
        if e.dnt:
            lines.append("dnt = true")
        if e.note:
            lines.append(f"note = {_q(e.note)}")
        for lang, lf in e.langs.items():
            lines.append("")
            lines.append(f"[term.{lang}]")
            for key, value in lf.to_dict().items():
                if isinstance(value, list):
                    lines.append(f"{key} = [" + ", ".join(_q(v) for v in value) + "]")
                elif isinstance(value, bool):
                    lines.append(f"{key} = {'true' if value else 'false'}")
                else:
                    lines.append(f"{key} = {_q(str(value))}")
        lines.append("")
    return "\n".join(lines)
