"""A base-sized model with random weights, for throughput benchmarks only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ... import languages
from .tokenizers import PathLike, ToyVocabulary, train_sentencepiece
from .weights import MAX_POSITIONS, set_linear


def build_base_model(
    dest_dir: PathLike,
    *,
    source: str = "ru",
    target: str = "kk",
    layers: int = 6,
    d_model: int = 512,
    heads: int = 8,
    ffn: int = 2048,
    vocab_size: int = 32000,
    seed: int = 0,
    quantization: str | None = "int8",
    output_tokens: int = 16,
    sp_model: bytes | None = None,
) -> Path:
    """A base-sized Transformer with random weights, for throughput benchmarks.

    Written as an extracted Argos package folder (``metadata.json``,
    ``model/``, ``sentencepiece.model``) for ``source``→``target``, so
    :class:`~dubdesk.translate.argos.ArgosEngine` and ``dubdesk models
    install`` take it as they take a real one; ``dest_dir/"model"`` is the bare
    CTranslate2 model. Weights are quantised to int8 like the official Argos
    packages. Outputs are meaningless; what matters is that it costs what a
    real base model costs. Random weights alone never emit ``</s>`` (every
    hypothesis would run to the length limit), so one position-encoding
    dimension of the decoder switches on at step ``output_tokens`` and the
    ``</s>`` row of the output layer reads it: every hypothesis has
    ``output_tokens`` tokens, about a subtitle line's worth. The vocabulary is the
    pieces of ``sp_model`` (default: a small trained model) padded with filler
    tokens to ``vocab_size``, so real SentencePiece tokenisation feeds it.
    """
    from ctranslate2.specs import transformer_spec

    src_lang, tgt_lang = languages.get(source), languages.get(target)
    rng = np.random.default_rng(seed)
    vocab = ToyVocabulary(sp_model or train_sentencepiece())
    tokens = list(vocab.pieces)
    tokens += [f"<filler{i}>" for i in range(vocab_size - len(tokens))]
    spec = transformer_spec.TransformerSpec.from_config(layers, heads, pre_norm=True)

    def rand(*shape: int) -> np.ndarray:
        result: np.ndarray = rng.standard_normal(shape, dtype=np.float32) * np.float32(1.0 / np.sqrt(shape[-1]))
        return result

    def norm(s: Any) -> None:
        s.gamma = np.ones(d_model, np.float32)
        s.beta = np.zeros(d_model, np.float32)

    def lin(s: Any, out_dim: int, in_dim: int) -> None:
        set_linear(s, rand(out_dim, in_dim), np.zeros(out_dim, np.float32))

    spec.encoder.embeddings[0].weight = rand(vocab_size, d_model)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * d_model, d_model)
        lin(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, ffn, d_model)
        lin(layer.ffn.linear_1, d_model, ffn)
    # the last dimension is the "time to stop" signal: nothing else writes it
    stop = d_model - 1
    spec.decoder.embeddings.weight = rand(vocab_size, d_model)
    spec.decoder.embeddings.weight[:, stop] = 0.0
    positions = rng.standard_normal((MAX_POSITIONS, d_model), dtype=np.float32) * np.float32(0.5)
    positions[:, stop] = 0.0
    positions[output_tokens:, stop] = 40.0
    spec.decoder.position_encodings.encodings = positions
    norm(spec.decoder.layer_norm)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * d_model, d_model)
        lin(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        lin(layer.attention.linear[0], d_model, d_model)
        lin(layer.attention.linear[1], 2 * d_model, d_model)
        lin(layer.attention.linear[2], d_model, d_model)
        norm(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, ffn, d_model)
        lin(layer.ffn.linear_1, d_model, ffn)
    projection = rand(vocab_size, d_model)
    projection[:, stop] = 0.0
    projection[vocab.index["</s>"]] = 0.0
    projection[vocab.index["</s>"], stop] = 1.0
    set_linear(spec.decoder.projection, projection, np.zeros(vocab_size, np.float32))
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    spec.config.add_source_eos = True
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    spec.validate()
    spec.optimize(quantization=quantization)
    (dest / "model").mkdir(exist_ok=True)
    spec.save(str(dest / "model"))
    (dest / "sentencepiece.model").write_bytes(vocab.sp_model)
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.9.0",
        "from_code": src_lang.argos,
        "to_code": tgt_lang.argos,
        "type": "translate",
        "name": f"bench-{src_lang.argos}-{tgt_lang.argos}",
        "description": "dubdesk benchmark model: base-sized, random weights, meaningless output",
        "demo": True,
    }
    (dest / "metadata.json").write_text(json.dumps(metadata, indent=2), "utf-8")
    return dest
