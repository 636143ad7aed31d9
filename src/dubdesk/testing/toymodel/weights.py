"""The CTranslate2 weights of a toy model, written by hand (see :mod:`dubdesk.testing.toymodel`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .tokenizers import PathLike, ToyVocabulary, piece_for, source_pieces

#: Position codes: dimensions and the longest sequence the toy model supports.
_POS_DIMS = 128
MAX_POSITIONS = 1024
#: Attention logit at the right position (others are at most ~45% of it).
_ATTENTION_SHARPNESS = 120.0
#: Output logit scale: the right token wins by about this much.
_LOGIT_SCALE = 40.0
#: An alternative target word's logit is this fraction of the scale lower per rank
#: (4.0 with the scale above): far above every other token, below the word map's.
_ALTERNATIVE_STEP = 0.1


def _position_codes(dims: int, count: int) -> np.ndarray:
    """Pseudo-random ±1/√dims unit vectors: low correlation between positions."""
    rng = np.random.default_rng(20240601)
    codes = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(count, dims))
    result: np.ndarray = (codes / np.sqrt(dims)).astype(np.float32)
    return result


def piece_map(
    vocab: ToyVocabulary, word_map: Mapping[str, str] | None, unspaced: bool = False
) -> dict[int, int]:
    """Source piece id -> target piece id for the mapped words."""
    mapping: dict[int, int] = {}
    # explicit line-start keys (``▁他``) win over the line-start form of a bare key
    items = sorted((word_map or {}).items(), key=lambda kv: kv[0].startswith("\u2581"))
    for src, tgt in items:
        target_piece = piece_for(tgt)
        if target_piece not in vocab.index:
            raise ValueError(f"target word {tgt!r} did not become one piece")
        for piece in source_pieces(src, unspaced):
            if piece in vocab.index:
                mapping[vocab.index[piece]] = vocab.index[target_piece]
    return mapping


def _alternative_map(
    vocab: ToyVocabulary, alternatives: Mapping[str, Sequence[str]] | None, unspaced: bool = False
) -> dict[int, list[int]]:
    """Source piece id -> target piece ids of its alternatives, best first."""
    mapping: dict[int, list[int]] = {}
    for src, targets in (alternatives or {}).items():
        pieces = []
        for tgt in targets:
            target_piece = piece_for(tgt)
            if target_piece not in vocab.index:
                raise ValueError(f"alternative word {tgt!r} did not become one piece")
            pieces.append(vocab.index[target_piece])
        for piece in source_pieces(src, unspaced):
            if piece in vocab.index:
                mapping[vocab.index[piece]] = pieces
    return mapping


def check_vocabulary(vocab: ToyVocabulary) -> None:
    expected = {0: "<unk>", 1: "<s>", 2: "</s>"}
    for index, piece in expected.items():
        if vocab.pieces[index] != piece:
            raise ValueError(f"SentencePiece id {index} is {vocab.pieces[index]!r}, expected {piece!r}")


def linear(out_dim: int, in_dim: int) -> dict[str, np.ndarray]:
    return {"weight": np.zeros((out_dim, in_dim), np.float32), "bias": np.zeros(out_dim, np.float32)}


def set_linear(spec: Any, weight: np.ndarray, bias: np.ndarray | None = None) -> None:
    spec.weight = np.ascontiguousarray(weight, dtype=np.float32)
    if bias is not None:
        spec.bias = np.ascontiguousarray(bias, dtype=np.float32)


def set_norm(spec: Any, dim: int) -> None:
    spec.gamma = np.ones(dim, np.float32)


def make_spec(
    vocab_tokens: list[str],
    *,
    piece_map: Mapping[int, int],
    piece_alternatives: Mapping[int, Sequence[int]] | None = None,
    lang_tokens: Sequence[str] = (),
    lang_maps: Mapping[str, Mapping[int, int]] | None = None,
    add_source_eos: bool,
    decoder_start_token: str,
    attend: Sequence[int] | None = None,
    max_positions: int = MAX_POSITIONS,
) -> Any:
    """Construct the aligned copy/word-map TransformerSpec (see module docstring).

    ``attend[t]`` is the source position decoder step ``t`` attends to (and
    copies); steps past its end attend to their own position.
    """
    from ctranslate2.specs import common_spec, transformer_spec

    vsize = len(vocab_tokens)
    n_lang = len(lang_tokens)
    # sub-space offsets in the residual stream
    tok0 = 0
    pos0 = tok0 + vsize
    lang0 = pos0 + _POS_DIMS  # language token embedding (decoder input)
    flag = lang0 + n_lang  # "this is a language token" feature
    lang2 = flag + 1  # target language, copied to every decoder step
    d = lang2 + n_lang
    d += (-d) % 8

    spec = transformer_spec.TransformerSpec.from_config(
        (1, 1), 1, pre_norm=True, rms_norm=True, activation=common_spec.Activation.RELU
    )
    positions = np.zeros((max_positions, d), np.float32)
    positions[:, pos0 : pos0 + _POS_DIMS] = _position_codes(_POS_DIMS, max_positions)
    # decoder step t carries the position code of the source position it attends to
    decoder_positions = positions.copy()
    for step, where in enumerate(attend or ()):
        decoder_positions[step] = positions[where]

    # --- encoder: adds nothing to token + position
    enc = spec.encoder
    enc.scale_embeddings = False
    emb = np.zeros((vsize, d), np.float32)
    emb[np.arange(vsize), tok0 + np.arange(vsize)] = 1.0
    enc.embeddings[0].weight = emb
    enc.position_encodings.encodings = positions
    set_norm(enc.layer_norm, d)
    layer = enc.layer[0]
    set_norm(layer.self_attention.layer_norm, d)
    set_linear(layer.self_attention.linear[0], np.zeros((3 * d, d)), np.zeros(3 * d))
    set_linear(layer.self_attention.linear[1], np.zeros((d, d)), np.zeros(d))
    set_norm(layer.ffn.layer_norm, d)
    set_linear(layer.ffn.linear_0, np.zeros((8, d)), np.zeros(8))
    set_linear(layer.ffn.linear_1, np.zeros((d, 8)), np.zeros(d))
    # encoder output = (token + position) / rms, rms = sqrt(2/d)
    enc_scale = np.sqrt(d / 2.0)

    # --- decoder
    dec = spec.decoder
    dec.scale_embeddings = False
    demb = np.zeros((vsize, d), np.float32)
    token_index = {tok: i for i, tok in enumerate(vocab_tokens)}
    for li, tok in enumerate(lang_tokens):
        demb[token_index[tok], lang0 + li] = 1.0
        demb[token_index[tok], flag] = 1.0
    dec.embeddings.weight = demb
    dec.position_encodings.encodings = decoder_positions
    set_norm(dec.layer_norm, d)
    layer = dec.layer[0]

    # self-attention: find the language token (only the multilingual variant)
    set_norm(layer.self_attention.layer_norm, d)
    qkv = np.zeros((3 * d, d), np.float32)
    qkv_bias = np.zeros(3 * d, np.float32)
    out = np.zeros((d, d), np.float32)
    if n_lang:
        # query: a constant (bias only); key: the flag feature, sqrt(d/3) after
        # normalisation at the language token (3 unit features), 0 elsewhere
        qkv_bias[flag] = _ATTENTION_SHARPNESS * np.sqrt(3.0)
        qkv[d + flag, flag] = 1.0
        # value: the language one-hot of the token attended to (its rms is sqrt(3/d))
        for li in range(n_lang):
            qkv[2 * d + lang0 + li, lang0 + li] = 1.0
            out[lang2 + li, lang0 + li] = np.sqrt(3.0 / d)
    set_linear(layer.self_attention.linear[0], qkv, qkv_bias)
    set_linear(layer.self_attention.linear[1], out, np.zeros(d))

    # cross-attention: decoder step t attends to source position t
    set_norm(layer.attention.layer_norm, d)
    q = np.zeros((d, d), np.float32)
    q[pos0 : pos0 + _POS_DIMS, pos0 : pos0 + _POS_DIMS] = np.eye(_POS_DIMS)
    # query input: position code * sqrt(d/n) (n = 1..4 unit features); key:
    # position code * sqrt(d/2); CTranslate2 divides by sqrt(head_dim) = sqrt(d).
    # So the score is SHARPNESS / sqrt(n) * correlation of the two codes.
    q *= _ATTENTION_SHARPNESS / np.sqrt(d / 2.0)
    set_linear(layer.attention.linear[0], q, np.zeros(d))
    kv = np.zeros((2 * d, d), np.float32)
    kv[pos0 : pos0 + _POS_DIMS, pos0 : pos0 + _POS_DIMS] = np.eye(_POS_DIMS)
    kv[d + tok0 + np.arange(vsize), tok0 + np.arange(vsize)] = 1.0
    set_linear(layer.attention.linear[1], kv, np.zeros(2 * d))
    cross_out = np.zeros((d, d), np.float32)
    cross_out[tok0 + np.arange(vsize), tok0 + np.arange(vsize)] = 1.0 / enc_scale
    set_linear(layer.attention.linear[2], cross_out, np.zeros(d))

    # feed-forward: per (language, source piece) rewrite of the copied token
    set_norm(layer.ffn.layer_norm, d)
    pairs = [
        (li, src, tgt)
        for li, tok in enumerate(lang_tokens)
        for src, tgt in sorted((lang_maps or {}).get(tok, {}).items())
        if src != tgt
    ]
    hidden = max(8, len(pairs))
    w0 = np.zeros((hidden, d), np.float32)
    b0 = np.zeros(hidden, np.float32)
    w1 = np.zeros((d, hidden), np.float32)
    # FFN input = features / rms with 3..5 unit features: each feature is
    # sqrt(d/5)..sqrt(d/3); a pair sums to >= 2*sqrt(d/5) = 0.894*sqrt(d), a
    # single feature is <= sqrt(d/3) = 0.577*sqrt(d): threshold in between.
    threshold = 0.73
    smallest = 2 * np.sqrt(1 / 5) - threshold
    gain = 2.5 / smallest
    for h, (li, src, tgt) in enumerate(pairs):
        w0[h, lang2 + li] = 1.0 / np.sqrt(d)
        w0[h, tok0 + src] = 1.0 / np.sqrt(d)
        b0[h] = -threshold
        w1[tok0 + tgt, h] = gain
        w1[tok0 + src, h] = -gain
    set_linear(layer.ffn.linear_0, w0, b0)
    set_linear(layer.ffn.linear_1, w1, np.zeros(d))

    # output layer: token feature -> logits
    proj = np.zeros((vsize, d), np.float32)
    if n_lang:
        proj[np.arange(vsize), tok0 + np.arange(vsize)] = 1.0
    else:
        for src in range(vsize):
            proj[piece_map.get(src, src), tok0 + src] = 1.0
        # n-best lists: each alternative a fixed step below the one before it
        for src, alts in (piece_alternatives or {}).items():
            for rank, alt in enumerate(alts, 1):
                if alt != piece_map.get(src, src):
                    proj[alt, tok0 + src] = 1.0 - _ALTERNATIVE_STEP * rank
    set_linear(dec.projection, proj * (_LOGIT_SCALE / np.sqrt(d)), np.zeros(vsize))

    spec.register_source_vocabulary(list(vocab_tokens))
    spec.register_target_vocabulary(list(vocab_tokens))
    spec.config.add_source_eos = add_source_eos
    spec.config.decoder_start_token = decoder_start_token
    return spec


def save_spec(spec: Any, dest: Path) -> None:
    spec.validate()
    spec.optimize()
    dest.mkdir(parents=True, exist_ok=True)
    spec.save(str(dest))


def build_ct2_model(
    dest_dir: PathLike,
    sp_model: bytes,
    word_map: Mapping[str, str] | None = None,
    *,
    unspaced_source: bool = False,
    alternatives: Mapping[str, Sequence[str]] | None = None,
    attend: Sequence[int] | None = None,
    max_positions: int = MAX_POSITIONS,
) -> Path:
    """Write a CTranslate2 word-for-word (or copy) model for ``sp_model`` into ``dest_dir``.

    ``alternatives`` maps a source word to other target words, best first:
    beam search with several hypotheses returns them after the word map's
    choice (for tests of n-best lists). ``attend`` is a known alignment:
    decoder step ``t`` attends to (and translates) source piece ``attend[t]``
    (the last source position is ``</s>``, which ends decoding; steps past the
    list attend to their own position). ``max_positions``: the longest input
    and output, in pieces (CTranslate2 fails beyond it, as real models do).
    """
    vocab = ToyVocabulary(sp_model)
    check_vocabulary(vocab)
    spec = make_spec(
        vocab.pieces,
        piece_map=piece_map(vocab, word_map, unspaced_source),
        piece_alternatives=_alternative_map(vocab, alternatives, unspaced_source),
        add_source_eos=True,
        decoder_start_token="<s>",
        attend=attend,
        max_positions=max_positions,
    )
    dest = Path(dest_dir)
    save_spec(spec, dest)
    return dest
