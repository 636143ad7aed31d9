"""Argos Translate packages, read and run directly on CTranslate2 + SentencePiece.

A ``.argosmodel`` file is a zip holding one folder (``translate-en_de-1_9/``)
with ``metadata.json`` (``from_code``, ``to_code``, ``package_version``,
``argos_version``…), ``model/`` (a CTranslate2 model), ``sentencepiece.model``
and optional extras (``stanza/``, ``README.md``) that dubdesk ignores. The
same layout extracted to a folder is what argostranslate installs into its
package folder; :func:`read_package` accepts the zip, the folder or its
parent. Official packages work unchanged.

:class:`ArgosEngine` tokenises all texts of a call with SentencePiece and
makes ONE ``Translator.translate_batch`` call over them (``max_batch_size``
64), instead of argostranslate's one call per sentence.

:class:`ArgosTranslateEngine` is the optional engine that calls the
argostranslate library itself (``pip install 'dubdesk[argos]'``).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Unpack

from .. import languages
from ..errors import ModelError, TranslationError, UnknownLanguageError
from . import limits
from .bpe import BPE_NAME, MosesBPE

# the shared CTranslate2 engine moved to .ct2; re-exported here for old imports
from .ct2 import (
    DEFAULT_BEAM_SIZE,
    DEFAULT_MAX_BATCH_SIZE,
    CTranslate2Engine,
    EngineOptions,
    batch_size,
    decoding_limit,
    default_threads,
)

__all__ = [
    "DEFAULT_BEAM_SIZE",
    "DEFAULT_MAX_BATCH_SIZE",
    "ArgosEngine",
    "ArgosPackage",
    "ArgosTranslateEngine",
    "CTranslate2Engine",
    "argos_language",
    "argostranslate_packages_dir",
    "batch_size",
    "decoding_limit",
    "default_threads",
    "read_package",
]

_SP_NAMES = ("sentencepiece.model", "spm.model", "sentencepiece.bpe.model", "source.spm")


def argos_language(code: str) -> str:
    """BCP 47 tag for an Argos language code (``zh`` → ``zh-Hans``, ``zt`` → ``zh-Hant``).

    Codes dubdesk does not know are kept as they are (lower case).
    """
    try:
        return languages.normalize(code)
    except UnknownLanguageError:
        return code.strip().lower()


def argostranslate_packages_dir() -> Path:
    """argostranslate's package folder: ``$ARGOS_PACKAGES_DIR`` or its default under the XDG data home."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


@dataclass
class ArgosPackage:
    """An Argos package found on disk (a folder or a ``.argosmodel`` zip)."""

    path: Path  #: the zip or the package folder
    root: str  #: folder inside the zip ('' for flat), or '' for a folder
    metadata: dict[str, Any]
    source: str  #: BCP 47
    target: str  #: BCP 47
    is_zip: bool = False
    sp_name: str = "sentencepiece.model"  #: the tokenizer file: a SentencePiece model or ``bpe.model``
    files: list[str] = field(default_factory=list)

    @property
    def version(self) -> str:
        return str(self.metadata.get("package_version", ""))

    @property
    def name(self) -> str:
        name = self.metadata.get("name")
        if isinstance(name, str) and name:
            return name
        stem = self.path.name
        return stem[: -len(".argosmodel")] if stem.endswith(".argosmodel") else stem

    @property
    def tokenizer(self) -> str:
        """``"sentencepiece"`` or ``"bpe"`` (Moses + BPE, argos-translate PR #369)."""
        return "bpe" if self.sp_name == BPE_NAME else "sentencepiece"

    @property
    def demo(self) -> bool:
        return bool(self.metadata.get("demo", False))

    @property
    def description(self) -> str:
        return str(self.metadata.get("description") or self.metadata.get("name") or "")

    @property
    def target_prefix(self) -> str:
        return str(self.metadata.get("target_prefix") or "")

    def fingerprint(self) -> str:
        """A short hash of metadata, vocabulary and model weights (size and first MiB).

        The same for the zip and its extracted folder, cheap for large models
        (a zip member cannot be read from its end without inflating it all).
        """
        h = hashlib.sha256(json.dumps(self.metadata, sort_keys=True).encode())
        for name in sorted(self.model_file_names()):
            data = self.read_bytes(f"model/{name}", head_tail=1 << 20)
            h.update(name.encode())
            h.update(data)
        return h.hexdigest()[:12]

    # -- file access (zip or folder) -----------------------------------------

    def _member(self, rel: str) -> str:
        return f"{self.root}/{rel}" if self.root else rel

    def model_file_names(self) -> list[str]:
        prefix = "model/"
        return sorted(f[len(prefix) :] for f in self.files if f.startswith(prefix) and not f.endswith("/"))

    def read_bytes(self, rel: str, head_tail: int | None = None) -> bytes:
        """A file of the package; with ``head_tail`` only its size and first ``head_tail`` bytes."""
        if self.is_zip:
            with zipfile.ZipFile(self.path) as zf:
                info = zf.getinfo(self._member(rel))
                if head_tail is not None and info.file_size > head_tail:
                    with zf.open(info) as fh:
                        return str(info.file_size).encode() + fh.read(head_tail)
                return zf.read(info)
        path = self.path / rel
        size = path.stat().st_size
        if head_tail is not None and size > head_tail:
            with open(path, "rb") as fh:
                return str(size).encode() + fh.read(head_tail)
        return path.read_bytes()

    def json(self, rel: str) -> dict[str, Any]:
        """A JSON file of the package as a dict ({} when missing or not an object)."""
        if rel not in self.files:
            return {}
        try:
            data = json.loads(self.read_bytes(rel).decode("utf-8-sig"))
        except (OSError, KeyError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def model_dir(self) -> str | None:
        """The CTranslate2 model folder when the package is a folder."""
        return None if self.is_zip else str(self.path / "model")


def _find_root(names: list[str]) -> str | None:
    """The folder holding metadata.json: '' (flat) or the single top folder."""
    if "metadata.json" in names:
        return ""
    tops = {PurePosixPath(n).parts[0] for n in names if n.strip("/")}
    if len(tops) == 1:
        top = next(iter(tops))
        if f"{top}/metadata.json" in names:
            return top
    return None


def _parse_metadata(raw: bytes, where: Path) -> dict[str, Any]:
    try:
        meta = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"metadata.json is not valid JSON: {exc}", path=str(where)) from exc
    if not isinstance(meta, dict):
        raise ModelError("metadata.json is not a JSON object", path=str(where))
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise ModelError(f"metadata.json has no {key}", path=str(where), hint="not an Argos translate package")
    return meta


def read_package(path: str | os.PathLike[str]) -> ArgosPackage:
    """Read an Argos package: a ``.argosmodel`` zip, its extracted folder, or that folder's parent.

    Raises :class:`ModelError` when metadata, model or SentencePiece model are missing.
    """
    p = Path(path)
    if p.is_file():
        try:
            with zipfile.ZipFile(p) as zf:
                names = zf.namelist()
                root = _find_root(names)
                if root is None:
                    raise ModelError("no metadata.json in the package", path=str(p), hint="not an Argos package")
                meta = _parse_metadata(zf.read(f"{root}/metadata.json" if root else "metadata.json"), p)
        except zipfile.BadZipFile as exc:
            raise ModelError(f"not a zip archive: {exc}", path=str(p)) from exc
        prefix = f"{root}/" if root else ""
        files = [n[len(prefix) :] for n in names if n.startswith(prefix)]
        pkg = ArgosPackage(p, root, meta, argos_language(meta["from_code"]), argos_language(meta["to_code"]), True)
        pkg.files = files
    elif p.is_dir():
        folder = p
        if not (p / "metadata.json").is_file():
            subs = [c for c in p.iterdir() if c.is_dir() and (c / "metadata.json").is_file()]
            if len(subs) != 1:
                raise ModelError("no metadata.json in the package folder", path=str(p), hint="not an Argos package")
            folder = subs[0]
        meta = _parse_metadata((folder / "metadata.json").read_bytes(), folder)
        files = [c.relative_to(folder).as_posix() for c in folder.rglob("*") if c.is_file()]
        pkg = ArgosPackage(
            folder, "", meta, argos_language(meta["from_code"]), argos_language(meta["to_code"]), False
        )
        pkg.files = files
    else:
        raise ModelError("model package not found", path=str(p))
    if "model/model.bin" not in pkg.files:
        raise ModelError("the package has no CTranslate2 model (model/model.bin)", path=str(p))
    # argostranslate's order: SentencePiece if the package has it, else Moses + BPE
    sp = next((n for n in (*_SP_NAMES, BPE_NAME) if n in pkg.files), None)
    if sp is None:
        raise ModelError(
            "the package has no tokenizer (sentencepiece.model or bpe.model)",
            path=str(p),
            hint="not an Argos translate package",
        )
    pkg.sp_name = sp
    return pkg


class ArgosEngine(CTranslate2Engine):
    """Run an Argos package with CTranslate2: every text of a call in one batched call."""

    def __init__(
        self,
        package: ArgosPackage | str | os.PathLike[str],
        **options: Unpack[EngineOptions],
    ) -> None:
        super().__init__(**options)
        self.package = package if isinstance(package, ArgosPackage) else read_package(package)
        self.name = self.package.name
        self.position_limit = limits.position_limit([self.package.metadata, self.package.json("model/config.json")])
        self.id = f"argos:{self.package.source}-{self.package.target}:{self.package.version}:{self.package.fingerprint()}"
        import sentencepiece

        pkg = self.package
        try:
            model_dir = pkg.model_dir()
            # a zip is read straight from memory, nothing extracted
            files = None if model_dir else {name: pkg.read_bytes(f"model/{name}") for name in pkg.model_file_names()}
            self.translator = self._load_translator(model_dir or str(pkg.path), files)
            self.bpe = (
                MosesBPE(pkg.read_bytes(BPE_NAME), pkg.metadata["from_code"], pkg.metadata["to_code"])
                if pkg.tokenizer == "bpe"
                else None
            )
            if self.bpe is None:
                self.sp = sentencepiece.SentencePieceProcessor(model_proto=pkg.read_bytes(pkg.sp_name))
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the model: {exc}", path=str(pkg.path)) from exc

    def __repr__(self) -> str:
        return f"ArgosEngine({self.package.name!r}, {self.package.source}→{self.package.target})"

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        if self.bpe is not None:
            return [self.bpe.encode(t) for t in texts]
        return [list(t) for t in self.sp.encode(texts, out_type=str)]

    def detokenize(self, tokens: list[list[str]]) -> list[str]:
        if self.bpe is not None:
            return [self.bpe.decode(t) for t in tokens]
        return [str(t) for t in self.sp.decode(tokens)]

    def _prefix_texts(self, pieces: list[str]) -> list[str]:
        if self.bpe is not None:
            return [self.bpe.decode_prefix(pieces[: k + 1]) for k in range(len(pieces))]
        return super()._prefix_texts(pieces)

    _pieces = tokenize
    _detokenize = detokenize

    def _target_prefix(self, target: str) -> str:
        return self.package.target_prefix

    def _check_pair(self, source: str, target: str) -> None:
        pkg = self.package
        if languages.normalize(source) != pkg.source or languages.normalize(target) != pkg.target:
            raise TranslationError(
                f"model {pkg.name} translates {pkg.source}→{pkg.target}, not {source}→{target}"
            )


class ArgosTranslateEngine:
    """Call the argostranslate library itself (optional: ``pip install 'dubdesk[argos]'``).

    Slower (one call per sentence) and heavy to install; dubdesk's own
    :class:`ArgosEngine` reads the same packages.
    """

    def __init__(self, package: Any = None, **_: Any) -> None:
        try:
            import argostranslate.translate  # noqa: F401
        except ImportError as exc:
            raise ModelError(
                "the argostranslate engine needs the argostranslate library",
                hint="pip install 'dubdesk[argos]', or use the default engine",
            ) from exc
        self.package = package
        version = getattr(package, "version", "")
        self.id = f"argostranslate:{getattr(package, 'source', '')}-{getattr(package, 'target', '')}:{version}"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        import argostranslate.translate as at

        src, tgt = languages.get(source).argos, languages.get(target).argos
        translation = at.get_translation_from_codes(src, tgt)
        if translation is None:
            raise TranslationError(f"argostranslate has no {src}→{tgt} package installed")
        return [str(translation.translate(t)) for t in texts]
