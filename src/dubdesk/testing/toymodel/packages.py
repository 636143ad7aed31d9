"""Argos packages (SentencePiece or Moses + BPE) and multilingual model folders made of toy models."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ... import languages
from .tokenizers import (
    DEFAULT_TRAINING_LINES,
    PathLike,
    ToyVocabulary,
    bpe_vocabulary,
    moses_lines,
    piece_for,
    source_pieces,
    train_bpe,
    train_sentencepiece,
)
from .weights import MAX_POSITIONS, build_ct2_model, check_vocabulary, make_spec, piece_map, save_spec


def _build_bpe_package(
    root: Path, source: str, target: str, word_map: Mapping[str, str] | None, lines: list[str], **spec: Any
) -> None:
    """``model/`` and ``bpe.model`` of a Moses + BPE package (copy or word-for-word model)."""
    from subword_nmt.apply_bpe import BPE

    lines = [*lines, *(f"{w} {w}" for w in (word_map or {}))]
    codes = train_bpe(lines, source)
    vocab = bpe_vocabulary(codes, lines, source, (word_map or {}).values())
    index = {tok: i for i, tok in enumerate(vocab)}
    bpe = BPE(io.StringIO(codes.decode("utf-8")))
    piece_map: dict[int, int] = {}
    for src, tgt in (word_map or {}).items():
        segmented = bpe.segment_tokens(moses_lines([src], source)[0].split(" "))
        if len(segmented) != 1 or segmented[0] not in index:
            raise ValueError(f"source word {src!r} did not become one BPE token: {segmented}")
        piece_map[index[segmented[0]]] = index[tgt]
    save_spec(
        make_spec(vocab, piece_map=piece_map, add_source_eos=True, decoder_start_token="<s>", **spec),
        root / "model",
    )
    (root / "bpe.model").write_bytes(codes)


def _word_symbols(word_maps: Iterable[Mapping[str, str]], unspaced: bool = False) -> list[str]:
    symbols: list[str] = []
    for word_map in word_maps:
        for src, tgt in word_map.items():
            symbols.extend(source_pieces(src, unspaced))
            symbols.append(piece_for(tgt))
    return symbols


def _training_corpus(lines: Iterable[str] | None, word_maps: Iterable[Mapping[str, str]]) -> list[str]:
    corpus = list(DEFAULT_TRAINING_LINES if lines is None else lines)
    for word_map in word_maps:
        corpus.extend(f"{src} {tgt}" for src, tgt in word_map.items())
    return corpus


def build_argos_package(
    dest: PathLike,
    source: str,
    target: str,
    word_map: Mapping[str, str] | None = None,
    training_lines: Iterable[str] | None = None,
    *,
    package_version: str = "1.0",
    description: str | None = None,
    extracted: bool = False,
    extra_metadata: Mapping[str, Any] | None = None,
    alternatives: Mapping[str, Sequence[str]] | None = None,
    attend: Sequence[int] | None = None,
    max_positions: int = MAX_POSITIONS,
    state_limit: bool = False,
    tokenizer: str = "sentencepiece",
) -> Path:
    """Build a real Argos Translate package for ``source``→``target`` (BCP 47 tags).

    Writes ``dest`` as a ``.argosmodel`` zip (or, with ``extracted=True``, as a
    folder), laid out like the official packages: one top folder
    ``translate-<from>_<to>-<version>/`` holding ``metadata.json``, ``model/``
    (CTranslate2) and ``sentencepiece.model``. ``alternatives``: see
    :func:`build_ct2_model`, as are ``attend`` and ``max_positions``; with
    ``state_limit`` the model's ``config.json`` states the limit
    (``max_position_embeddings``, as converted Hugging Face models' configs do).
    ``tokenizer="bpe"``: the package is tokenised like OPUS-MT conversions
    (argos-translate PR #369): Moses + subword-nmt BPE codes in ``bpe.model``
    instead of ``sentencepiece.model`` (words of ``word_map`` are single
    tokens; ``alternatives`` are not supported there). Returns ``dest``.
    """
    src_lang, tgt_lang = languages.get(source), languages.get(target)
    maps = [word_map] if word_map else []
    # alternative words must be single pieces too: train them as pairs like the map's
    maps += [{src: tgt} for src, tgts in (alternatives or {}).items() for tgt in tgts]
    unspaced = languages.is_cjk(src_lang.tag)
    sp_model = train_sentencepiece(
        _training_corpus(training_lines, maps), symbols=_word_symbols(maps, unspaced)
    )
    metadata: dict[str, Any] = {
        "package_version": package_version,
        "argos_version": "1.9.0",
        "from_code": src_lang.argos,
        "from_name": src_lang.name,
        "to_code": tgt_lang.argos,
        "to_name": tgt_lang.name,
        "type": "translate",
        "description": description
        or ("dubdesk word-for-word test model" if word_map else "dubdesk copy test model"),
    }
    metadata.update(extra_metadata or {})
    folder_name = f"translate-{src_lang.argos}_{tgt_lang.argos}-{package_version.replace('.', '_')}"
    dest_path = Path(dest)
    with tempfile.TemporaryDirectory(prefix=".toy-", dir=dest_path.parent) as tmp:
        root = Path(tmp) / folder_name
        root.mkdir()
        if tokenizer == "bpe":
            _build_bpe_package(
                root, src_lang.argos, tgt_lang.argos, word_map,
                list(DEFAULT_TRAINING_LINES if training_lines is None else training_lines),
                attend=attend, max_positions=max_positions,
            )
        else:
            build_ct2_model(
                root / "model", sp_model, word_map, unspaced_source=unspaced, alternatives=alternatives,
                attend=attend, max_positions=max_positions,
            )
            (root / "sentencepiece.model").write_bytes(sp_model)
        if state_limit:
            config_path = root / "model" / "config.json"
            config = json.loads(config_path.read_text("utf-8"))
            config["max_position_embeddings"] = max_positions
            config_path.write_text(json.dumps(config, indent=2), "utf-8")
        (root / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=2), "utf-8")
        (root / "README.md").write_text(
            f"# {metadata['description']}\n\nBuilt by dubdesk.translate.toymodel; not a real translation model.\n",
            "utf-8",
        )
        if extracted:
            if dest_path.exists():
                shutil.rmtree(dest_path)
            shutil.move(str(root), dest_path)
        else:
            tmp_zip = Path(tmp) / "package.zip"
            with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                for path in sorted(root.rglob("*")):
                    zf.write(path, path.relative_to(tmp).as_posix())
            os.replace(tmp_zip, dest_path)
    return dest_path


def build_multilingual_model(
    dest_dir: PathLike,
    languages_: Sequence[str],
    word_maps: Mapping[str, Mapping[str, str]] | None = None,
    training_lines: Iterable[str] | None = None,
    *,
    family: str = "m2m100",
    description: str | None = None,
    extra_info: Mapping[str, Any] | None = None,
) -> Path:
    """Build a multilingual CTranslate2 model laid out like a converted M2M100 or NLLB.

    ``languages_`` are BCP 47 tags; ``word_maps`` maps a *target* tag to the
    words (of any source language) it translates, e.g.
    ``{"kk": {"hello": "сәлем", "привет": "сәлем"}}``. The target language is
    chosen by the target prefix token (``__kk__`` for M2M100, ``kaz_Cyrl`` for
    NLLB); the source is ``[source token] pieces </s>``. Words a map does not
    cover are copied. Writes ``model.bin``, the shared vocabulary,
    ``sentencepiece.bpe.model`` and a ``dubdesk.json`` describing the model.
    """
    if family not in {"m2m100", "nllb"}:
        raise ValueError("family must be 'm2m100' or 'nllb'")
    langs = [languages.get(tag) for tag in languages_]
    lang_tokens = [lang.m2m100 if family == "m2m100" else lang.nllb for lang in langs]
    maps_by_tag = {languages.normalize(tag): dict(m) for tag, m in (word_maps or {}).items()}
    sp_model = train_sentencepiece(
        _training_corpus(training_lines, maps_by_tag.values()), symbols=_word_symbols(maps_by_tag.values())
    )
    vocab = ToyVocabulary(sp_model)
    check_vocabulary(vocab)
    tokens = vocab.pieces + lang_tokens
    lang_maps = {
        tok: piece_map(vocab, maps_by_tag.get(lang.tag)) for tok, lang in zip(lang_tokens, langs, strict=True)
    }
    spec = make_spec(
        tokens,
        piece_map={},
        lang_tokens=lang_tokens,
        lang_maps=lang_maps,
        add_source_eos=False,
        decoder_start_token="</s>",
    )
    dest = Path(dest_dir)
    save_spec(spec, dest)
    (dest / "sentencepiece.bpe.model").write_bytes(sp_model)
    info = {
        "type": "multilingual",
        "family": family,
        "languages": [lang.tag for lang in langs],
        "description": description or f"dubdesk {family}-style test model",
        **(extra_info or {}),
    }
    (dest / "dubdesk.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), "utf-8")
    return dest
