"""``dubdesk glossary``: check, apply, verify, show, validate, export, import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._common import emit_json, json_option

if TYPE_CHECKING:
    from ..glossary import Glossary

#: exit code when ``check``/``verify`` find problems (same as QA findings)
FINDINGS_EXIT = 3

_glossary_opt = click.option(
    "--glossary", "-g", "glossary_path", required=True, type=click.Path(dir_okay=False),
    help="Glossary file: dubdesk TOML (.toml) or TBX (.tbx).",
)
_lang = click.option("--lang", "-l", "language", metavar="LANG", help="Language of the file, BCP 47 (default: from the file name).")
_enc = click.option("--encoding", "-e", "encoding", metavar="ENC", help="Input encoding (default: detect).")


def _load_glossary(path: str) -> Glossary:
    """Load, printing one line per bad row (file:line) before exiting 1."""
    from ..errors import GlossaryInvalidError
    from ..glossary import load_glossary

    try:
        return load_glossary(path)
    except GlossaryInvalidError as exc:
        for line in exc.lines():
            click.echo(f"dubdesk: error: {line}", err=True)
        sys.exit(exc.exit_code)


@click.group()
def glossary() -> None:
    """Check, apply, show and validate term glossaries (approved names and titles).

    A glossary is a TOML file (see glossaries/composer.toml) or a TBX file
    from a CAT tool; every --glossary option takes either.
    """


@glossary.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_glossary_opt
@_lang
@_enc
@json_option
def check(files: tuple[str, ...], glossary_path: str, language: str | None, encoding: str | None, as_json: bool) -> None:
    """Find variants, misspellings, forbidden forms, inconsistencies, terms
    with no approved form, and near-misses (unlisted spellings close to an
    approved form) in FILES. Exits 3 when anything is found.
    """
    from ..glossary import check_glossary
    from ..subtitles import load_cues

    g = _load_glossary(glossary_path)
    reports = [check_glossary(_known_language(load_cues(f, language=language, encoding=encoding)), g, language)
               for f in files]  # fmt: skip
    if as_json:
        data = [r.to_dict() for r in reports]
        emit_json(data if len(data) > 1 else data[0])
    else:
        for r in reports:
            for line in r.lines():
                click.echo(line)
            counts = ", ".join(f"{n} {k}" for k, n in r.counts().items() if n) or "no problems"
            click.echo(f"{r.path}: {r.cues} cues checked against {len(g)} entries: {counts}", err=True)
    if any(not r.ok for r in reports):
        sys.exit(FINDINGS_EXIT)


@glossary.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_glossary_opt
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), help="Where to write the fixed file.")
@click.option("--in-place", is_flag=True, help="Overwrite FILE instead of writing --output.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--fix-near-misses", is_flag=True, help="Also replace near-misses (unlisted spellings close to an approved form).")
@click.option("--to-encoding", "out_encoding", default="utf-8", show_default=True, help="Output encoding.")
@_lang
@_enc
@json_option
def apply(
    file: str, glossary_path: str, output: str | None, in_place: bool, dry_run: bool, fix_near_misses: bool,
    out_encoding: str, language: str | None, encoding: str | None, as_json: bool,
) -> None:
    """Replace variants and forbidden forms in FILE with the approved form,
    keeping endings, case and tags; timing and cue count never change.
    """
    from ..errors import UsageError
    from ..files import is_stdout
    from ..glossary import apply_glossary
    from ..subtitles import load_cues, save

    if not dry_run and not output and not in_place:
        raise UsageError("say where to write: --output FILE, --in-place or --dry-run")
    g = _load_glossary(glossary_path)
    track = _known_language(load_cues(file, language=language, encoding=encoding))
    fixed, changes = apply_glossary(track, g, language, fix_near_misses=fix_near_misses)
    if not dry_run:
        save(fixed, output or file, encoding=out_encoding, in_place=in_place)  # line endings, BOM: the source's
    if as_json:
        emit_json({"path": file, "output": None if dry_run else (output or file), "changes": [c.to_dict() for c in changes]})
        return
    # the list of changes is this command's report on stdout, unless the subtitles went there
    to_err = not dry_run and is_stdout(output or file)
    for c in changes:
        click.echo(f"{file}: cue {c.number}: {c.before!r} -> {c.after!r} ({c.entry}, {c.kind})", err=to_err)
    where = "nothing written (dry run)" if dry_run else f"wrote {output or file}"
    click.echo(f"{len(changes)} replacement(s) in {len({c.cue for c in changes})} cue(s); {where}", err=True)


@glossary.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@_glossary_opt
@click.option("--from", "src", metavar="LANG", help="Source language (default: from the file name).")
@click.option("--to", "tgt", metavar="LANG", help="Target language (default: from the file name).")
@json_option
def verify(source: str, target: str, glossary_path: str, src: str | None, tgt: str | None, as_json: bool) -> None:
    """Check a translation cue by cue: every term in a SOURCE cue has its
    approved form in the TARGET cue, and no wrong form is there. Exits 3 on misses.
    """
    from ..glossary import verify as verify_tracks
    from ..subtitles import load_cues

    g = _load_glossary(glossary_path)
    report = verify_tracks(load_cues(source, language=src), load_cues(target, language=tgt), g, src, tgt)
    if as_json:
        emit_json(report.to_dict())
    else:
        for m in report.misses:
            click.echo(f"{target}: {m}")
        click.echo(f"{report.cues} cue pairs, {report.terms} source terms, {len(report.misses)} misses", err=True)
    if not report.ok:
        sys.exit(FINDINGS_EXIT)


@glossary.command()
@click.argument("glossary_file", type=click.Path(dir_okay=False))
@click.option("--lang", "-l", "languages", multiple=True, metavar="LANG", help="Only these languages (repeatable).")
@click.option("--forms", is_flag=True, help="Also list the inflected forms the ending rules generate.")
@json_option
def show(glossary_file: str, languages: tuple[str, ...], forms: bool, as_json: bool) -> None:
    """Print a glossary: each entry with its forms per language."""
    from .. import languages as langs
    from ..glossary.inflect import inflected_forms

    g = _load_glossary(glossary_file)
    only = {langs.normalize(x) for x in languages}
    if as_json:
        data = g.to_dict()
        if only:
            for e in data["entries"]:
                e["languages"] = {k: v for k, v in e["languages"].items() if k in only}
        emit_json(data)
        return
    click.echo(f"{g.name or glossary_file}: {len(g)} entries")
    for e in g.entries:
        flags = f" [{e.kind}{', do not translate' if e.dnt else ''}]"
        click.echo(f"\n{e.id}{flags}" + (f"\n  {e.note}" if e.note else ""))
        for lang, lf in e.langs.items():
            if only and lang not in only:
                continue
            click.echo(f"  {lang:8} {lf.approved or '(no approved form)'}")
            for label, items in (("accepted", lf.accepted), ("variants", lf.variants), ("forbidden", lf.forbidden), ("forms", lf.forms)):
                if items:
                    click.echo(f"  {'':8}   {label}: {', '.join(items)}")
            if forms and lf.rule != "none":
                for form in lf.approved_forms:
                    last = form.split()[-1]
                    if not last[-1].isalpha():  # a quoted title: endings go after the quotes
                        continue
                    generated = inflected_forms(last, lf.rule)
                    if len(generated) > 1:
                        head = form[: len(form) - len(last)]
                        click.echo(f"  {'':8}   {lf.rule} endings: " + ", ".join(head + x for x in generated))


@glossary.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings (languages without an approved form) as errors.")
@json_option
def validate(files: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Validate glossaries: syntax, unknown keys and languages, duplicates,
    forms claimed by two entries, languages without an approved form.
    Prints one line per problem (file:line) and exits 1 when any is found.
    """
    from ..errors import GlossaryError, GlossaryInvalidError
    from ..glossary import load_glossary

    results: list[dict[str, Any]] = []
    failed = False
    for f in files:
        errors: list[str] = []
        warnings: list[str] = []
        entries = 0
        try:
            g = load_glossary(f)
            warnings = list(g.warnings)
            entries = len(g)
        except GlossaryInvalidError as exc:
            errors = exc.lines()
        except GlossaryError as exc:
            errors = [exc.one_line()]
        if errors or (strict and warnings):
            failed = True
        results.append({"path": f, "ok": not errors, "entries": entries, "errors": errors, "warnings": warnings})
    if as_json:
        emit_json(results if len(results) > 1 else results[0])
    else:
        for r in results:
            for line in r["errors"]:
                click.echo(f"error: {line}")
            for line in r["warnings"]:
                click.echo(f"warning: {line}")
            if r["ok"]:
                click.echo(f"{r['path']}: ok, {r['entries']} entries", err=True)
    if failed:
        sys.exit(1)


@glossary.command(name="export")
@click.argument("glossary_file", type=click.Path(dir_okay=False))
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False), help="Output file: .tbx or .toml.")
def export_cmd(glossary_file: str, output: str) -> None:
    """Write a glossary as TBX-Basic (.tbx) or dubdesk TOML (.toml)."""
    _write(_load_glossary(glossary_file), output, glossary_file)


@glossary.command(name="import")
@click.argument("tbx_file", type=click.Path(dir_okay=False))
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False), help="Output file: .toml (or .tbx).")
def import_cmd(tbx_file: str, output: str) -> None:
    """Read a TBX file (TBX-Basic/martif from a CAT tool) and write a dubdesk TOML glossary."""
    _write(_load_glossary(tbx_file), output, tbx_file)


def _write(g: Glossary, output: str, source: str) -> None:
    from ..errors import UsageError
    from ..files import refuse_overwrite
    from ..glossary.tbx import save_tbx

    refuse_overwrite(output, [source], hint="choose another output file")
    suffix = Path(output).suffix.lower()
    if suffix == ".tbx":
        save_tbx(g, output)
    elif suffix == ".toml":
        g.save(output)
    else:
        raise UsageError(f"unknown glossary format {suffix!r}", hint="use .tbx or .toml")
    click.echo(f"wrote {output}: {len(g)} entries", err=True)


def _known_language(track: Any) -> Any:
    """The CLI's own message for a file whose language is unknown (the library names its parameter)."""
    if not track.language:
        from ..errors import UsageError

        raise UsageError("the track's language is unknown", path=track.source.path, hint="pass --lang")
    return track
