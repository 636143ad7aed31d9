"""Argos packages tokenised with Moses + BPE (``bpe.model``) instead of SentencePiece.

argostranslate accepts two tokenisers since its package format was extended
(argos-translate PR #369, 2023): ``sentencepiece.model``, or ``bpe.model`` —
subword-nmt BPE codes applied after Moses punctuation normalisation and
tokenisation. OPUS-MT conversions (community Chinese models among them) are
packaged the second way. :class:`MosesBPE` tokenises and detokenises exactly
as argostranslate's ``BPETokenizer`` does, with the same two small pure-Python
libraries it uses (sacremoses; subword-nmt's ``apply_bpe``, which
argostranslate vendors unchanged):

- encode: ``MosesPunctNormalizer(source).normalize`` → ``MosesTokenizer(source).tokenize``
  (escaping ``&<>`` as Moses does) → ``BPE.segment_tokens`` (``@@`` marks a word that continues);
- decode: tokens joined by spaces, ``"@@ "`` removed, ``MosesDetokenizer(target).detokenize``.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import ModelError

__all__ = ["BPE_NAME", "MosesBPE"]

#: the file name argostranslate looks for
BPE_NAME = "bpe.model"
_SEPARATOR = "@@"


class MosesBPE:
    """Moses normalisation/tokenisation + subword-nmt BPE, as argostranslate applies them."""

    def __init__(self, codes: bytes, source: str, target: str) -> None:
        try:
            from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
            from subword_nmt.apply_bpe import BPE
        except ImportError as exc:  # pragma: no cover - both are dependencies of dubdesk
            raise ModelError(f"BPE packages need sacremoses and subword-nmt: {exc}") from exc
        self.normalizer: Any = MosesPunctNormalizer(source)
        self.tokenizer: Any = MosesTokenizer(source)
        self.detokenizer: Any = MosesDetokenizer(target)
        try:
            self.bpe: Any = BPE(io.StringIO(codes.decode("utf-8")), separator=_SEPARATOR)
        except (UnicodeDecodeError, ValueError, IndexError) as exc:
            raise ModelError(f"{BPE_NAME} is not a BPE codes file: {exc}") from exc

    def encode(self, text: str) -> list[str]:
        normalized = self.normalizer.normalize(text)
        tokenized = " ".join(self.tokenizer.tokenize(normalized))
        stripped = tokenized.strip("\r\n ")
        if not stripped:
            return []
        return list(self.bpe.segment_tokens(stripped.split(" ")))

    def decode(self, tokens: list[str]) -> str:
        return str(self.detokenizer.detokenize(" ".join(tokens).replace(_SEPARATOR + " ", "").split(" ")))

    def decode_prefix(self, tokens: list[str]) -> str:
        """The decoding of the first tokens of a text (one that ends inside a word loses its ``@@``)."""
        if tokens and tokens[-1].endswith(_SEPARATOR):
            tokens = [*tokens[:-1], tokens[-1][: -len(_SEPARATOR)]]
        return self.decode(tokens)
