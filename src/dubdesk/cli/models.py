"""``dubdesk models``: list, install, remove and inspect translation models."""

from __future__ import annotations

from typing import Any

import click

from ._common import emit_json, json_option


@click.group("models")
def models() -> None:
    """List, install, remove and inspect translation models.

    Models live in $DUBDESK_HOME/models (default: the user data folder,
    ~/.local/share/dubdesk/models on Linux). Packages installed by
    argostranslate are listed and used too.
    """


def _row(model: Any) -> str:
    pairs = ", ".join(f"{s}→{t}" for s, t in model.pairs[:4]) + (" …" if len(model.pairs) > 4 else "")
    flags = []
    if model.demo:
        flags.append("DEMO")
    if model.origin != "dubdesk":
        flags.append(model.origin)
    extra = f"  [{', '.join(flags)}]" if flags else ""
    return f"{model.name:<28} {model.kind:<12} {pairs}{extra}"


@models.command("list")
@json_option
def list_cmd(as_json: bool) -> None:
    """List installed models and the language pairs they translate."""
    from ..translate.models import list_models, models_dir

    found = list_models()
    if as_json:
        emit_json({"models_dir": str(models_dir()), "models": [m.to_dict() for m in found]})
        return
    if not found:
        click.echo(f"no models installed in {models_dir()}")
        click.echo("install one with: dubdesk models install PATH (see docs/translate-models.md)")
        return
    for model in found:
        click.echo(_row(model))
    if any(m.demo for m in found):
        click.echo("DEMO models translate word for word from a small word list: not real translations.")


@models.command("install")
@click.argument("path", type=click.Path(path_type=str))
@click.option("--name", help="Install under this name (default: from the package).")
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
@json_option
def install_cmd(path: str, name: str | None, force: bool, as_json: bool) -> None:
    """Install a model: an Argos .argosmodel file, an extracted package folder,
    or a multilingual CTranslate2 (M2M100/NLLB) folder.

    The archive is checked before anything is extracted; an unsafe or
    incomplete one is refused and nothing is left behind.
    """
    from ..translate.models import install

    model = install(path, name=name, force=force)
    if as_json:
        emit_json(model.to_dict())
        return
    click.echo(f"installed {_row(model)}")
    click.echo(f"  into {model.path}")


@models.command("remove")
@click.argument("name")
@json_option
def remove_cmd(name: str, as_json: bool) -> None:
    """Remove an installed model by name."""
    from ..translate.models import remove

    model = remove(name)
    if as_json:
        emit_json({"removed": model.name, "path": str(model.path)})
        return
    click.echo(f"removed {model.name}")


@models.command("info")
@click.argument("name")
@json_option
def info_cmd(name: str, as_json: bool) -> None:
    """Show one model: kind, languages, pairs, version, where it is."""
    from ..translate.models import find_model

    model = find_model(name)
    if as_json:
        emit_json(model.to_dict())
        return
    click.echo(f"name:        {model.name}{'  (DEMO model: word for word, not a real translation)' if model.demo else ''}")
    click.echo(f"kind:        {model.kind}{' (' + model.family + ')' if model.family else ''}")
    click.echo(f"languages:   {', '.join(model.languages)}")
    click.echo(f"pairs:       {', '.join(f'{s}→{t}' for s, t in model.pairs)}")
    if model.version:
        click.echo(f"version:     {model.version}")
    if model.description:
        click.echo(f"description: {model.description}")
    click.echo(f"origin:      {model.origin}")
    click.echo(f"path:        {model.path}")
    if model.installed_from:
        click.echo(f"installed from: {model.installed_from}")


@models.command("routes")
@click.option("--languages", "langs", default="zh-Hans,ru,kk,en", show_default=True,
              help="Comma-separated languages to plan routes between.")
@json_option
def routes_cmd(langs: str, as_json: bool) -> None:
    """List the language pairs that can be translated, and how (direct, multilingual, pivot)."""
    from .. import languages
    from ..errors import RouteError
    from ..translate.models import list_models
    from ..translate.routes import plan_route

    tags = [languages.normalize(t) for t in langs.split(",") if t.strip()]
    installed = list_models()
    rows: list[dict[str, Any]] = []
    for src in tags:
        for tgt in tags:
            if src == tgt:
                continue
            try:
                rows.append(plan_route(src, tgt, models=installed).to_dict())
            except RouteError:
                rows.append({"source": src, "target": tgt, "kind": None, "description": None, "steps": []})
    if as_json:
        emit_json({"routes": rows})
        return
    for row in rows:
        what = row["description"] or "— no route (dubdesk models install PATH)"
        click.echo(f"{row['source']:>8} → {row['target']:<8} {what}")
