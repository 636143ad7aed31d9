"""The toy models' tokenizers: a SentencePiece model trained in memory, or Moses + BPE
(argostranslate's second tokenizer), with the words of a word map kept whole."""

from __future__ import annotations

import contextlib
import io
import os
import string
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from ...languages.scripts import is_cjk_char

PathLike = str | os.PathLike[str]

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


def source_pieces(word: str, unspaced: bool = False) -> list[str]:
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

    tokenized = moses_lines(lines, language)
    out = io.StringIO()
    with contextlib.redirect_stderr(io.StringIO()):  # its progress bar and "Stopping" notes
        learn_bpe(io.StringIO("\n".join(tokenized) + "\n"), out, merges, min_frequency=2)
    return out.getvalue().encode("utf-8")


def moses_lines(lines: Iterable[str], language: str) -> list[str]:
    from sacremoses import MosesPunctNormalizer, MosesTokenizer

    normalizer, tokenizer = MosesPunctNormalizer(language), MosesTokenizer(language)
    return [" ".join(tokenizer.tokenize(normalizer.normalize(line))) for line in lines if line.strip()]


def bpe_vocabulary(codes: bytes, lines: Iterable[str], language: str, extra: Iterable[str]) -> list[str]:
    """``<unk> <s> </s>``, every character (of the corpus and ASCII) alone and as a word's beginning (``x@@``), every
    unit a merge makes (``ab@@``; ``ab`` when it ends a word), and ``extra`` tokens (word-map
    targets): whatever the BPE makes of any text of these characters is in the vocabulary."""
    tokens: dict[str, None] = {}
    for line in [*moses_lines(lines, language), string.ascii_letters + string.digits + string.punctuation]:
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
