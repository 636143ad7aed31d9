"""Test tools for dubdesk and for programs built on it (as ``click.testing`` is for click).

:mod:`dubdesk.testing.toymodel` builds small *real* CTranslate2 translation
models without downloads: copy models, word-for-word models, models with a
known alignment or a short position limit, multilingual and BPE Argos
packages, and a base-sized random model for benchmarks. It needs numpy,
ctranslate2 and sentencepiece (imported when it is).
"""
