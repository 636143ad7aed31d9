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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from .. import languages
from ..files import atomic_write_bytes
from .inflect import DEFAULT_RULE
from .matcher import Matcher
from .normalize import is_cjk_form, is_mixed_form, norm
from .toml_write import dumps_toml

__all__ = [
    "KINDS",
    "Entry",
    "Glossary",
    "LangForms",
    "dumps_toml",
    "is_cjk_form",
    "is_mixed_form",
    "norm",
]  # fmt: skip

KINDS = ("person", "title", "place", "organisation", "term")
#: the keys of a language table whose values are lists of forms
LIST_KEYS = ("accepted", "variants", "forbidden", "forms")

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
        for key in LIST_KEYS:
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


class CueNumbered:
    """What a glossary finding, change or miss shares: the 0-based ``cue`` index, the 1-based
    ``number`` people count, and a dict of its fields with the number."""

    cue: int

    @property
    def number(self) -> int:
        """1-based cue number, as people count."""
        return self.cue + 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(cast(Any, self))
        d["number"] = self.number
        return d
