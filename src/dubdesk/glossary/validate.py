"""A glossary checked as a whole: duplicate ids, a form claimed twice, conflicts between entries."""

from __future__ import annotations

from ..errors import GlossaryError, GlossaryInvalidError
from .model import Entry, Glossary, LangForms
from .normalize import norm


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
