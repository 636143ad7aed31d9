"""Multilingual CTranslate2 models: M2M100 and NLLB converted with CTranslate2's converter.

A model folder as ``ct2-transformers-converter --copy_files`` writes it:
``model.bin``, ``config.json``, ``shared_vocabulary.json`` (or ``.txt``) and
the SentencePiece model (``sentencepiece.bpe.model``, ``spm.model`` or
``sentencepiece.model``). dubdesk may add a ``dubdesk.json`` saying which
family it is; without one the family is told from the vocabulary: ``__kk__``
tokens are M2M100, ``kaz_Cyrl`` tokens NLLB-200.

The source is ``[source language token] pieces </s>`` and the target language
is chosen by the target prefix (``__kk__`` / ``kaz_Cyrl``), which is removed
from the output. BCP 47 tags map to those codes through :mod:`dubdesk.languages`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

from .. import languages
from ..errors import ModelError, TranslationError
from . import limits
from .ct2 import CTranslate2Engine, EngineOptions

__all__ = ["MultilingualEngine", "MultilingualModel", "language_token", "read_multilingual"]

_SP_NAMES = ("sentencepiece.bpe.model", "spm.model", "sentencepiece.model", "source.spm")
_VOCAB_NAMES = ("shared_vocabulary.json", "shared_vocabulary.txt")


def language_token(family: str, tag: str) -> str:
    """The model's code for a BCP 47 tag: ``__kk__`` (M2M100) or ``kaz_Cyrl`` (NLLB)."""
    lang = languages.get(tag)
    return lang.m2m100 if family == "m2m100" else lang.nllb


@dataclass
class MultilingualModel:
    path: Path
    family: str  #: "m2m100" or "nllb"
    languages: list[str]  #: BCP 47 tags the vocabulary has tokens for
    sp_name: str
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.info.get("name") or self.path.name)

    @property
    def demo(self) -> bool:
        return bool(self.info.get("demo", False))

    @property
    def description(self) -> str:
        return str(self.info.get("description") or f"{self.family} multilingual model")

    @property
    def version(self) -> str:
        return str(self.info.get("version", ""))

    def fingerprint(self) -> str:
        h = hashlib.sha256(self.family.encode())
        for name in ("config.json", "model.bin"):
            path = self.path / name
            if not path.is_file():
                continue
            size = path.stat().st_size
            h.update(f"{name}:{size}".encode())
            with open(path, "rb") as fh:
                h.update(fh.read(1 << 20))
                if size > 2 << 20:
                    fh.seek(size - (1 << 20))
                    h.update(fh.read())
        return h.hexdigest()[:12]


def _vocabulary(path: Path) -> list[str]:
    for name in _VOCAB_NAMES:
        file = path / name
        if file.is_file():
            if name.endswith(".json"):
                data = json.loads(file.read_text("utf-8"))
                return [str(t) for t in data]
            return file.read_text("utf-8").splitlines()
    raise ModelError("no shared_vocabulary.json or .txt in the model folder", path=str(path))


def detect_family(tokens: set[str]) -> str | None:
    if "__en__" in tokens or "__kk__" in tokens:
        return "m2m100"
    if "eng_Latn" in tokens or "kaz_Cyrl" in tokens:
        return "nllb"
    return None


def read_multilingual(path: str | os.PathLike[str]) -> MultilingualModel:
    """Read a converted M2M100/NLLB model folder; :class:`ModelError` if it is not one."""
    p = Path(path)
    if not p.is_dir() or not (p / "model.bin").is_file():
        raise ModelError("not a CTranslate2 model folder (no model.bin)", path=str(p))
    info: dict[str, Any] = {}
    if (p / "dubdesk.json").is_file():
        try:
            info = json.loads((p / "dubdesk.json").read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ModelError(f"dubdesk.json is not valid JSON: {exc}", path=str(p)) from exc
    tokens = set(_vocabulary(p))
    family = str(info.get("family") or detect_family(tokens) or "")
    if family not in {"m2m100", "nllb"}:
        raise ModelError(
            "not a multilingual model: no M2M100 (__kk__) or NLLB (kaz_Cyrl) language tokens",
            path=str(p),
        )
    langs = [lang.tag for lang in languages.known() if language_token(family, lang.tag) in tokens]
    # zh-Hans and zh-Hant share M2M100's __zh__: keep both, the model writes what it learnt
    sp = next((n for n in _SP_NAMES if (p / n).is_file()), None)
    if sp is None:
        raise ModelError("no SentencePiece model (sentencepiece.bpe.model or spm.model) in the folder", path=str(p))
    return MultilingualModel(p, family, langs, sp, info)


class MultilingualEngine(CTranslate2Engine):
    """Translate with an M2M100/NLLB CTranslate2 model; the target chosen by its prefix token."""

    def __init__(
        self,
        model: MultilingualModel | str | os.PathLike[str],
        **options: Unpack[EngineOptions],
    ) -> None:
        super().__init__(**options)
        self.model = model if isinstance(model, MultilingualModel) else read_multilingual(model)
        self.name = self.model.name
        self.position_limit = limits.position_limit(
            [self.model.info, self.model.path / "config.json", self.model.path / "dubdesk.json"]
        )
        self.id = f"multilingual:{self.model.family}:{self.model.name}:{self.model.fingerprint()}"
        import sentencepiece

        try:
            self.translator = self._load_translator(str(self.model.path))
            self.sp = sentencepiece.SentencePieceProcessor(model_file=str(self.model.path / self.model.sp_name))
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the model: {exc}", path=str(self.model.path)) from exc

    def __repr__(self) -> str:
        return f"MultilingualEngine({self.model.name!r}, {self.model.family})"

    #: the model input is ``[source language token] pieces </s>``
    source_lead = 1
    source_extra = 2

    def _check_pair(self, source: str, target: str) -> None:
        for tag in (source, target):
            if languages.normalize(tag) not in self.model.languages:
                raise TranslationError(f"model {self.model.name} has no language {tag}")

    def _pieces(self, texts: list[str]) -> list[list[str]]:
        return [list(p) for p in self.sp.encode(list(texts), out_type=str)]

    def _detokenize(self, pieces: list[list[str]]) -> list[str]:
        return [str(t) for t in self.sp.decode(pieces)]

    def _model_input(self, pieces: list[str], source: str) -> list[str]:
        return [language_token(self.model.family, source), *pieces, "</s>"]

    def _target_prefix(self, target: str) -> str:
        return language_token(self.model.family, target)
