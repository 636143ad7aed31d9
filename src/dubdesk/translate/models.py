"""Installed translation models: list, install (safely), remove, inspect.

Models live in ``$DUBDESK_HOME/models`` (default: the platform's user data
folder for dubdesk, ``~/.local/share/dubdesk/models`` on Linux), one folder
per model with a ``dubdesk-model.json`` recording its name, kind, languages
and language pairs. Packages that argostranslate installed
(:func:`~dubdesk.translate.argos.argostranslate_packages_dir`) are listed too,
read-only, so models installed either way are shared.

:func:`install` takes a ``.argosmodel`` zip, an extracted Argos package
folder, or a multilingual CTranslate2 folder (or a zip of one). A zip is
checked *before* anything is extracted: a member path that is absolute or
escapes the target folder, a symlink or other special file, a missing
``metadata.json`` or model, and zip bombs (too many members, too large in
total, a compression ratio no model has) are refused with a
:class:`~dubdesk.errors.ModelError`. Extraction goes to a temporary folder
inside the models folder, which is renamed into place only when complete: a
refused or failed install leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelError, UsageError
from .archive import DEFAULT_LIMITS, ZipLimits, check_tree, extract, validate_zip
from .argos import ArgosPackage, argostranslate_packages_dir, read_package
from .memory import dubdesk_home
from .multilingual import MultilingualModel, read_multilingual

__all__ = [
    "METADATA_FILE",
    "InstalledModel",
    "ZipLimits",
    "available_pairs",
    "find_model",
    "install",
    "list_models",
    "models_dir",
    "remove",
    "validate_zip",
]

METADATA_FILE = "dubdesk-model.json"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def models_dir() -> Path:
    """Where dubdesk installs models: ``$DUBDESK_HOME/models`` (not created here)."""
    return dubdesk_home() / "models"


@dataclass
class InstalledModel:
    """A model dubdesk can use."""

    name: str
    kind: str  #: "argos" or "multilingual"
    path: Path
    languages: list[str]  #: BCP 47 tags
    pairs: list[tuple[str, str]]  #: (source, target) it translates
    origin: str = "dubdesk"  #: "dubdesk" (installed here) or "argostranslate" (its package folder)
    version: str = ""
    description: str = ""
    demo: bool = False
    family: str = ""  #: multilingual: "m2m100" or "nllb"
    installed_from: str = ""
    installed_at: float = 0.0
    size_bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["pairs"] = [f"{s}>{t}" for s, t in self.pairs]
        return data

    def translates(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs

    def load(self) -> ArgosPackage | MultilingualModel:
        return read_package(self.path) if self.kind == "argos" else read_multilingual(self.path)


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _describe(path: Path, name: str, origin: str) -> InstalledModel:
    """Describe a model folder (Argos package or multilingual model)."""
    if (path / "model.bin").is_file() and not (path / "metadata.json").is_file():
        mm = read_multilingual(path)
        pairs = [(s, t) for s in mm.languages for t in mm.languages if s != t]
        return InstalledModel(
            name=name,
            kind="multilingual",
            path=path,
            languages=list(mm.languages),
            pairs=pairs,
            origin=origin,
            version=mm.version,
            description=mm.description,
            demo=mm.demo,
            family=mm.family,
        )
    pkg = read_package(path)
    return InstalledModel(
        name=name,
        kind="argos",
        path=pkg.path,
        languages=[pkg.source, pkg.target],
        pairs=[(pkg.source, pkg.target)],
        origin=origin,
        version=pkg.version,
        description=pkg.description,
        demo=pkg.demo,
    )


def _read_record(folder: Path) -> InstalledModel | None:
    meta = folder / METADATA_FILE
    if not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text("utf-8"))
        return InstalledModel(
            name=str(data["name"]),
            kind=str(data["kind"]),
            path=folder,
            languages=[str(x) for x in data.get("languages", [])],
            pairs=[(str(p.split(">")[0]), str(p.split(">")[1])) for p in data.get("pairs", [])],
            origin="dubdesk",
            version=str(data.get("version", "")),
            description=str(data.get("description", "")),
            demo=bool(data.get("demo", False)),
            family=str(data.get("family", "")),
            installed_from=str(data.get("installed_from", "")),
            installed_at=float(data.get("installed_at", 0.0)),
            size_bytes=int(data.get("size_bytes", 0)),
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def list_models(*, include_argostranslate: bool = True, root: Path | None = None) -> list[InstalledModel]:
    """Every usable model: dubdesk's own, then argostranslate's (sorted by name within each)."""
    found: list[InstalledModel] = []
    base = root or models_dir()
    if base.is_dir():
        for folder in sorted(base.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            record = _read_record(folder)
            if record is not None:
                found.append(record)
    if include_argostranslate:
        argos_dir = argostranslate_packages_dir()
        if argos_dir.is_dir():
            for folder in sorted(argos_dir.iterdir()):
                if not folder.is_dir() or not (folder / "metadata.json").is_file():
                    continue
                with contextlib.suppress(ModelError, OSError):
                    found.append(_describe(folder, folder.name, "argostranslate"))
    return found


def find_model(name: str, *, root: Path | None = None) -> InstalledModel:
    """The installed model called ``name``; :class:`ModelError` naming the installed ones if none."""
    models = list_models(root=root)
    for model in models:
        if model.name == name:
            return model
    known = ", ".join(m.name for m in models) or "none installed"
    raise ModelError(
        f"no model named {name!r} (installed: {known})",
        hint="see `dubdesk models list`; install one with `dubdesk models install PATH`",
    )


def available_pairs(models: Iterable[InstalledModel] | None = None) -> dict[tuple[str, str], list[str]]:
    """(source, target) -> names of the models that translate it directly."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for model in list_models() if models is None else models:
        for pair in model.pairs:
            pairs.setdefault(pair, []).append(model.name)
    return pairs


def _default_name(source: Path, staged: Path) -> str:
    meta_name = None
    for file in (staged / "metadata.json", staged / "dubdesk.json"):
        if file.is_file():
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                data = json.loads(file.read_text("utf-8"))
                if isinstance(data, dict) and isinstance(data.get("name"), str):
                    meta_name = data["name"]
            break
    name = meta_name or (source.name[: -len(".argosmodel")] if source.name.endswith(".argosmodel") else source.stem)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "model"


def install(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    force: bool = False,
    root: Path | None = None,
    limits: ZipLimits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Install a model package or folder; returns the installed model.

    ``name`` defaults to the package's ``name`` metadata or the file name.
    An existing model of that name is replaced only with ``force``.
    """
    src = Path(path)
    if not src.exists():
        raise ModelError("model package not found", path=str(src))
    if name is not None and not _NAME_RE.match(name):
        raise UsageError(f"invalid model name {name!r}", hint="letters, digits, '.', '_' and '-' only")
    base = root or models_dir()
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the models folder: {exc.strerror or exc}", path=str(base)) from exc
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=base))
    try:
        staged = staging / "model"
        if src.is_dir():
            check_tree(src)
            if not (src / "metadata.json").is_file() and not (src / "model.bin").is_file():
                subs = [c for c in src.iterdir() if c.is_dir()]
                if len(subs) == 1 and (subs[0] / "metadata.json").is_file():
                    src_folder = subs[0]
                else:
                    raise ModelError(
                        "refused: no metadata.json or model.bin in the folder",
                        path=str(src),
                        hint="not an Argos package or a CTranslate2 model folder",
                    )
            else:
                src_folder = src
            if (src_folder / "metadata.json").is_file() and not (src_folder / "model" / "model.bin").is_file():
                raise ModelError("refused: the package has no model (model/model.bin)", path=str(src))
            shutil.copytree(src_folder, staged, symlinks=True)
        else:
            try:
                with zipfile.ZipFile(src) as zf:
                    zroot, _kind = validate_zip(zf, src, limits)
                    staged.mkdir()
                    extract(zf, zroot, staged, limits)
            except zipfile.BadZipFile as exc:
                raise ModelError(f"refused: not a zip archive ({exc})", path=str(src)) from exc
        model_name = name or _default_name(src, staged)
        if not _NAME_RE.match(model_name):
            raise UsageError(f"invalid model name {model_name!r}", hint="pass --name")
        try:
            described = _describe(staged, model_name, "dubdesk")
        except ModelError as exc:
            raise ModelError(f"refused: {exc.message}", path=str(src), hint=exc.hint) from exc
        final = base / model_name
        described.path = final
        described.installed_from = str(src.resolve())
        described.installed_at = time.time()
        described.size_bytes = _folder_size(staged)
        record = described.to_dict()
        record.pop("path")
        record.pop("origin")
        (staged / METADATA_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")
        if final.exists():
            if not force:
                raise ModelError(
                    f"a model named {model_name!r} is already installed",
                    path=str(final),
                    hint="pass --force to replace it, or --name to install under another name",
                )
            old = staging / "old"
            os.replace(final, old)
        os.replace(staged, final)
        return described
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove(name: str, *, root: Path | None = None) -> InstalledModel:
    """Remove a model dubdesk installed (argostranslate's packages are left to argostranslate)."""
    model = find_model(name, root=root)
    if model.origin != "dubdesk":
        raise ModelError(
            f"{name!r} belongs to argostranslate's package folder",
            path=str(model.path),
            hint="remove it with argospm, dubdesk only removes what it installed",
        )
    base = root or models_dir()
    trash = Path(tempfile.mkdtemp(prefix=".removing-", dir=base))
    os.replace(model.path, trash / "model")
    shutil.rmtree(trash, ignore_errors=True)
    return model

