"""Shared helpers for the translation-engine tests: small real models built on the fly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

EN_KK = {"hello": "сәлем", "world": "әлем", "composer": "композитор", "music": "музыка"}
EN_RU = {"hello": "привет", "world": "мир", "composer": "композитор", "music": "музыка"}
ZH_EN = {"阿拉木图": "Almaty", "音乐": "music", "冬": "winter", "，": ","}
RU_KK = {"привет": "сәлем", "мир": "әлем", "музыка": "музыка"}

#: target tag -> words of any source language (multilingual builder)
MULTI = {
    "kk": {"hello": "сәлем", "world": "әлем", "привет": "сәлем", "мир": "әлем"},
    "ru": {"hello": "привет", "world": "мир", "сәлем": "привет", "әлем": "мир"},
    "en": {"привет": "hello", "мир": "world", "сәлем": "hello", "әлем": "world"},
}


def raw_translate(model_dir: Path, sp_model: Path, texts: list[str], **kwargs: Any) -> list[str]:
    """Translate with bare CTranslate2 + SentencePiece (no dubdesk engine code)."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    prefix = kwargs.pop("target_prefix", None)
    source_prefix = kwargs.pop("source_prefix", None)
    batch = []
    for text in texts:
        pieces = sp.encode(text, out_type=str)
        if source_prefix is not None:
            pieces = [source_prefix, *pieces, "</s>"]
        batch.append(pieces)
    translator = ctranslate2.Translator(str(model_dir), device="cpu")
    results = translator.translate_batch(
        batch, target_prefix=[[prefix]] * len(batch) if prefix else None, beam_size=2, **kwargs
    )
    out = []
    for result in results:
        tokens = result.hypotheses[0]
        if prefix:
            assert tokens[0] == prefix
            tokens = tokens[1:]
        out.append(sp.decode(tokens))
    return out


def isolate_model_dirs(monkeypatch: Any, tmp_path: Path) -> Path:
    """Point DUBDESK_HOME, the memory and argostranslate's folder into ``tmp_path``; returns the models dir."""
    from dubdesk.translate import routes

    home = tmp_path / "home"
    monkeypatch.setenv("DUBDESK_HOME", str(home))
    monkeypatch.delenv("DUBDESK_MEMORY", raising=False)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    routes.clear_engine_cache()
    return home / "models"


def build_package(tmp_path: Path, source: str, target: str, word_map: dict[str, str] | None = None,
                  *, name: str | None = None, **kwargs: Any) -> Path:
    """A real toy .argosmodel at ``tmp_path/<name>.argosmodel``."""
    from dubdesk.testing import toymodel

    name = name or f"test-{source}-{target}"
    return toymodel.build_argos_package(tmp_path / f"{name}.argosmodel", source, target, word_map, **kwargs)
