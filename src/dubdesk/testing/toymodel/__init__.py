"""Small *real* CTranslate2 translation models, built on the fly without downloads.

Tests, the demo packages for the samples and the throughput benchmark need a
translation model, and no weights can be downloaded. This package constructs
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

from .base import build_base_model
from .packages import build_argos_package, build_multilingual_model
from .tokenizers import DEFAULT_TRAINING_LINES, ToyVocabulary, piece_for, train_bpe, train_sentencepiece
from .weights import build_ct2_model

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
