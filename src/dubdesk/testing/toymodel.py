"""Small *real* CTranslate2 translation models, built on the fly without downloads.

Tests, the demo packages for the samples and the throughput benchmark need a
translation model, and no weights can be downloaded. This module constructs
one: a :class:`ctranslate2.specs.TransformerSpec` whose numpy weights are
written by hand, plus a SentencePiece model trained in memory.

How the constructed model translates (one encoder and one decoder layer,
pre-norm with RMS normalisation, one attention head):

* every vector of the residual stream is a sum of unit "features" living in
  separate sub-spaces: the token (one-hot over the vocabulary), the position
  (a fixed pseudo-random code with low cross-correlation), and, for the
  multilingual variant, the target language;
* the encoder layers add nothing, so the encoder output at position *s* is
  the (scaled) token and position features of source piece *s*;
* the decoder's cross-attention query is the position code of step *t* and the
  keys are the encoder position codes, scaled so attention lands on source
  position *t* only; its value copies the source token into the decoder;
* the output layer maps each source piece to a target piece (identity for a
  copy model, the word map otherwise). ``add_source_eos`` appends ``</s>`` to
  the source, it is copied at the last step and decoding stops;
* the multilingual variant (M2M100 style: source ``__ru__ … </s>``, target
  prefix ``__kk__``) finds the language token with decoder self-attention and
  its feed-forward layer holds one hidden unit per (target language, source
  piece) pair of the word maps, which rewrites the copied token.

So with a word map it is a word-for-word translator and without one a copy
model; output is exact and deterministic, and building one takes a fraction of
a second. Words of a word map become single SentencePiece pieces (they are
passed as ``user_defined_symbols``: ``▁word`` at a word start for spaced
scripts, the bare word anywhere for Chinese and Japanese); ``byte_fallback``
lets the copy path reproduce any character, even ones never seen in training.

:func:`build_base_model` makes a base-sized model (6+6 layers, d_model 512,
vocabulary 32k) with random weights for throughput benchmarks only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import string
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import languages
from ..languages.scripts import is_cjk_char

__all__ = [
    "DEFAULT_TRAINING_LINES",
    "ToyVocabulary",
    "build_argos_package",
    "build_base_model",
    "build_ct2_model",
    "build_multilingual_model",
    "piece_for",
    "train_bpe",
    "train_sentencepiece",
]

PathLike = str | os.PathLike[str]

#: Position codes: dimensions and the longest sequence the toy model supports.
_POS_DIMS = 128
_MAX_POSITIONS = 1024
#: Attention logit at the right position (others are at most ~45% of it).
_ATTENTION_SHARPNESS = 120.0
#: Output logit scale: the right token wins by about this much.
_LOGIT_SCALE = 40.0
#: An alternative target word's logit is this fraction of the scale lower per rank
#: (4.0 with the scale above): far above every other token, below the word map's.
_ALTERNATIVE_STEP = 0.1

#: A few sentences in each language so the SentencePiece model has a real
#: vocabulary (characters of all four scripts) even without a word map.
_SEED_SENTENCES: tuple[str, ...] = (
    "The composer came to Almaty in the winter of 1942.",
    "He had no home and no work, only music.",
    "They played together until the morning.",
    "What is this melody called?",
    "The street still bears his name.",
    "Композитор приехал в Алматы зимой 1942 года.",
    "У него не было ни дома, ни работы.",
    "Они играли вместе до самого утра.",
    "Как называется эта мелодия?",
    "Улица до сих пор носит его имя.",
    "Композитор Алматыға 1942 жылы қыста келді.",
    "Оның үйі де, жұмысы да жоқ еді.",
    "Олар таң атқанша бірге ойнады.",
    "Бұл әуен қалай аталады?",
    "Көше әлі күнге дейін оның есімімен аталады.",
    "作曲家在1942年冬天来到阿拉木图。",
    "他没有家，也没有工作，只有音乐。",
    "他们一起演奏到天亮。",
    "这首曲子叫什么？",
    "这条街道至今仍以他的名字命名。",
)

#: Default training corpus: a few hundred lines (the seed sentences and
#: deterministic shuffles of their words).
DEFAULT_TRAINING_LINES: tuple[str, ...] = ()


def _make_default_lines() -> tuple[str, ...]:
    rng = np.random.default_rng(1942)
    lines = list(_SEED_SENTENCES)
    words = [w for s in _SEED_SENTENCES for w in s.split()]
    while len(lines) < 300:
        pick = rng.choice(len(words), size=6, replace=False)
        lines.append(" ".join(words[int(i)] for i in pick))
    return tuple(lines)


DEFAULT_TRAINING_LINES = _make_default_lines()


# ---------------------------------------------------------------------------
# SentencePiece


def _is_unspaced(text: str) -> bool:
    """True for text written without spaces between words (Chinese, Japanese)."""
    return any(is_cjk_char(ch) for ch in text)


def _is_punctuation(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch)[0] in "PS" for ch in text)


def piece_for(word: str) -> str:
    """The SentencePiece piece a word-map *target* word becomes.

    Spaced scripts get the word-start marker ``▁`` so pieces decode with a
    space before them; Chinese/Japanese words and bare punctuation do not.
    """
    word = word.replace(" ", "\u2581")
    if word.startswith("\u2581") or _is_unspaced(word) or _is_punctuation(word):
        return word
    return "\u2581" + word


def _source_pieces(word: str, unspaced: bool = False) -> list[str]:
    """The pieces a word-map *source* word is recognised as.

    ``unspaced``: the source language is written without spaces (Chinese), so
    every key matches anywhere, Latin placeholders inside Chinese text included.
    """
    word = word.replace(" ", "\u2581")
    if word.startswith("\u2581"):
        return [word]
    if unspaced or _is_unspaced(word) or _is_punctuation(word):
        # at the start of a line SentencePiece's dummy prefix puts ``▁`` before it
        return [word, "\u2581" + word]
    return ["\u2581" + word]


def train_sentencepiece(
    lines: Iterable[str] = DEFAULT_TRAINING_LINES,
    *,
    symbols: Sequence[str] = (),
    vocab_size: int | None = None,
) -> bytes:
    """Train a SentencePiece unigram model in memory and return its bytes.

    ``symbols`` become single pieces (``user_defined_symbols``). The model
    uses the identity normalisation (no NFKC tables: tiny and exact) and byte
    fallback, so every character survives a round trip.
    """
    import sentencepiece as spm

    corpus = [line for line in lines if line.strip()]
    if not corpus:
        raise ValueError("training_lines is empty")
    unique_symbols = list(dict.fromkeys(s for s in symbols if s and s != "\u2581"))
    chars = {ch for line in corpus for ch in line}
    if vocab_size is None:
        vocab_size = 256 + len(unique_symbols) + len(chars) + 200
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        user_defined_symbols=unique_symbols,
        split_digits=False,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


class ToyVocabulary:
    """The pieces of a trained SentencePiece model, in id order."""

    def __init__(self, sp_model: bytes) -> None:
        import sentencepiece as spm

        self.sp_model = sp_model
        self.processor = spm.SentencePieceProcessor(model_proto=sp_model)
        self.pieces = [self.processor.id_to_piece(i) for i in range(self.processor.get_piece_size())]
        self.index = {p: i for i, p in enumerate(self.pieces)}

    def encode(self, text: str) -> list[str]:
        return list(self.processor.encode(text, out_type=str))

    def decode(self, pieces: list[str]) -> str:
        return str(self.processor.decode(pieces))


# ---------------------------------------------------------------------------
# Moses + BPE (argostranslate's second tokenizer)


def train_bpe(lines: Iterable[str], language: str, *, merges: int = 4000) -> bytes:
    """subword-nmt BPE codes learnt on the Moses-tokenised ``lines`` (every word seen twice or
    more becomes one token), as the bytes of a ``bpe.model``."""
    from subword_nmt.learn_bpe import learn_bpe

    tokenized = _moses_lines(lines, language)
    out = io.StringIO()
    with contextlib.redirect_stderr(io.StringIO()):  # its progress bar and "Stopping" notes
        learn_bpe(io.StringIO("\n".join(tokenized) + "\n"), out, merges, min_frequency=2)
    return out.getvalue().encode("utf-8")


def _moses_lines(lines: Iterable[str], language: str) -> list[str]:
    from sacremoses import MosesPunctNormalizer, MosesTokenizer

    normalizer, tokenizer = MosesPunctNormalizer(language), MosesTokenizer(language)
    return [" ".join(tokenizer.tokenize(normalizer.normalize(line))) for line in lines if line.strip()]


def _bpe_vocabulary(codes: bytes, lines: Iterable[str], language: str, extra: Iterable[str]) -> list[str]:
    """``<unk> <s> </s>``, every character (of the corpus and ASCII) alone and as a word's beginning (``x@@``), every
    unit a merge makes (``ab@@``; ``ab`` when it ends a word), and ``extra`` tokens (word-map
    targets): whatever the BPE makes of any text of these characters is in the vocabulary."""
    tokens: dict[str, None] = {}
    for line in [*_moses_lines(lines, language), string.ascii_letters + string.digits + string.punctuation]:
        for ch in line.replace(" ", ""):
            tokens.update(dict.fromkeys((ch, ch + "@@")))
    for merge in codes.decode("utf-8").splitlines():
        parts = merge.split(" ")
        if merge.startswith("#version") or len(parts) != 2:
            continue
        unit = parts[0] + parts[1]
        tokens[unit[: -len("</w>")] if unit.endswith("</w>") else unit + "@@"] = None
    tokens.update(dict.fromkeys(extra))
    return ["<unk>", "<s>", "</s>", *(t for t in tokens if t not in ("<unk>", "<s>", "</s>"))]


def _build_bpe_package(
    root: Path, source: str, target: str, word_map: Mapping[str, str] | None, lines: list[str], **spec: Any
) -> None:
    """``model/`` and ``bpe.model`` of a Moses + BPE package (copy or word-for-word model)."""
    from subword_nmt.apply_bpe import BPE

    lines = [*lines, *(f"{w} {w}" for w in (word_map or {}))]
    codes = train_bpe(lines, source)
    vocab = _bpe_vocabulary(codes, lines, source, (word_map or {}).values())
    index = {tok: i for i, tok in enumerate(vocab)}
    bpe = BPE(io.StringIO(codes.decode("utf-8")))
    piece_map: dict[int, int] = {}
    for src, tgt in (word_map or {}).items():
        segmented = bpe.segment_tokens(_moses_lines([src], source)[0].split(" "))
        if len(segmented) != 1 or segmented[0] not in index:
            raise ValueError(f"source word {src!r} did not become one BPE token: {segmented}")
        piece_map[index[segmented[0]]] = index[tgt]
    _save_spec(
        _make_spec(vocab, piece_map=piece_map, add_source_eos=True, decoder_start_token="<s>", **spec),
        root / "model",
    )
    (root / "bpe.model").write_bytes(codes)


# ---------------------------------------------------------------------------
# CTranslate2 weights


def _position_codes(dims: int, count: int) -> np.ndarray:
    """Pseudo-random ±1/√dims unit vectors: low correlation between positions."""
    rng = np.random.default_rng(20240601)
    codes = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(count, dims))
    result: np.ndarray = (codes / np.sqrt(dims)).astype(np.float32)
    return result


def _piece_map(
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
        for piece in _source_pieces(src, unspaced):
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
        for piece in _source_pieces(src, unspaced):
            if piece in vocab.index:
                mapping[vocab.index[piece]] = pieces
    return mapping


def _check_vocabulary(vocab: ToyVocabulary) -> None:
    expected = {0: "<unk>", 1: "<s>", 2: "</s>"}
    for index, piece in expected.items():
        if vocab.pieces[index] != piece:
            raise ValueError(f"SentencePiece id {index} is {vocab.pieces[index]!r}, expected {piece!r}")


def _linear(out_dim: int, in_dim: int) -> dict[str, np.ndarray]:
    return {"weight": np.zeros((out_dim, in_dim), np.float32), "bias": np.zeros(out_dim, np.float32)}


def _set_linear(spec: Any, weight: np.ndarray, bias: np.ndarray | None = None) -> None:
    spec.weight = np.ascontiguousarray(weight, dtype=np.float32)
    if bias is not None:
        spec.bias = np.ascontiguousarray(bias, dtype=np.float32)


def _set_norm(spec: Any, dim: int) -> None:
    spec.gamma = np.ones(dim, np.float32)


def _make_spec(
    vocab_tokens: list[str],
    *,
    piece_map: Mapping[int, int],
    piece_alternatives: Mapping[int, Sequence[int]] | None = None,
    lang_tokens: Sequence[str] = (),
    lang_maps: Mapping[str, Mapping[int, int]] | None = None,
    add_source_eos: bool,
    decoder_start_token: str,
    attend: Sequence[int] | None = None,
    max_positions: int = _MAX_POSITIONS,
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
    _set_norm(enc.layer_norm, d)
    layer = enc.layer[0]
    _set_norm(layer.self_attention.layer_norm, d)
    _set_linear(layer.self_attention.linear[0], np.zeros((3 * d, d)), np.zeros(3 * d))
    _set_linear(layer.self_attention.linear[1], np.zeros((d, d)), np.zeros(d))
    _set_norm(layer.ffn.layer_norm, d)
    _set_linear(layer.ffn.linear_0, np.zeros((8, d)), np.zeros(8))
    _set_linear(layer.ffn.linear_1, np.zeros((d, 8)), np.zeros(d))
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
    _set_norm(dec.layer_norm, d)
    layer = dec.layer[0]

    # self-attention: find the language token (only the multilingual variant)
    _set_norm(layer.self_attention.layer_norm, d)
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
    _set_linear(layer.self_attention.linear[0], qkv, qkv_bias)
    _set_linear(layer.self_attention.linear[1], out, np.zeros(d))

    # cross-attention: decoder step t attends to source position t
    _set_norm(layer.attention.layer_norm, d)
    q = np.zeros((d, d), np.float32)
    q[pos0 : pos0 + _POS_DIMS, pos0 : pos0 + _POS_DIMS] = np.eye(_POS_DIMS)
    # query input: position code * sqrt(d/n) (n = 1..4 unit features); key:
    # position code * sqrt(d/2); CTranslate2 divides by sqrt(head_dim) = sqrt(d).
    # So the score is SHARPNESS / sqrt(n) * correlation of the two codes.
    q *= _ATTENTION_SHARPNESS / np.sqrt(d / 2.0)
    _set_linear(layer.attention.linear[0], q, np.zeros(d))
    kv = np.zeros((2 * d, d), np.float32)
    kv[pos0 : pos0 + _POS_DIMS, pos0 : pos0 + _POS_DIMS] = np.eye(_POS_DIMS)
    kv[d + tok0 + np.arange(vsize), tok0 + np.arange(vsize)] = 1.0
    _set_linear(layer.attention.linear[1], kv, np.zeros(2 * d))
    cross_out = np.zeros((d, d), np.float32)
    cross_out[tok0 + np.arange(vsize), tok0 + np.arange(vsize)] = 1.0 / enc_scale
    _set_linear(layer.attention.linear[2], cross_out, np.zeros(d))

    # feed-forward: per (language, source piece) rewrite of the copied token
    _set_norm(layer.ffn.layer_norm, d)
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
    _set_linear(layer.ffn.linear_0, w0, b0)
    _set_linear(layer.ffn.linear_1, w1, np.zeros(d))

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
    _set_linear(dec.projection, proj * (_LOGIT_SCALE / np.sqrt(d)), np.zeros(vsize))

    spec.register_source_vocabulary(list(vocab_tokens))
    spec.register_target_vocabulary(list(vocab_tokens))
    spec.config.add_source_eos = add_source_eos
    spec.config.decoder_start_token = decoder_start_token
    return spec


def _save_spec(spec: Any, dest: Path) -> None:
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
    max_positions: int = _MAX_POSITIONS,
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
    _check_vocabulary(vocab)
    spec = _make_spec(
        vocab.pieces,
        piece_map=_piece_map(vocab, word_map, unspaced_source),
        piece_alternatives=_alternative_map(vocab, alternatives, unspaced_source),
        add_source_eos=True,
        decoder_start_token="<s>",
        attend=attend,
        max_positions=max_positions,
    )
    dest = Path(dest_dir)
    _save_spec(spec, dest)
    return dest


def _word_symbols(word_maps: Iterable[Mapping[str, str]], unspaced: bool = False) -> list[str]:
    symbols: list[str] = []
    for word_map in word_maps:
        for src, tgt in word_map.items():
            symbols.extend(_source_pieces(src, unspaced))
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
    max_positions: int = _MAX_POSITIONS,
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
    _check_vocabulary(vocab)
    tokens = vocab.pieces + lang_tokens
    lang_maps = {
        tok: _piece_map(vocab, maps_by_tag.get(lang.tag)) for tok, lang in zip(lang_tokens, langs, strict=True)
    }
    spec = _make_spec(
        tokens,
        piece_map={},
        lang_tokens=lang_tokens,
        lang_maps=lang_maps,
        add_source_eos=False,
        decoder_start_token="</s>",
    )
    dest = Path(dest_dir)
    _save_spec(spec, dest)
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
        _set_linear(s, rand(out_dim, in_dim), np.zeros(out_dim, np.float32))

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
    positions = rng.standard_normal((_MAX_POSITIONS, d_model), dtype=np.float32) * np.float32(0.5)
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
    _set_linear(spec.decoder.projection, projection, np.zeros(vocab_size, np.float32))
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
