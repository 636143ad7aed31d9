"""Argos packages tokenised with Moses + BPE (``bpe.model``, argos-translate PR #369), built on the fly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import dubdesk
from dubdesk.errors import ModelError
from dubdesk.testing import toymodel
from dubdesk.translate import models
from dubdesk.translate.argos import ArgosEngine, read_package
from translate_helpers import EN_KK, isolate_model_dirs

TEXTS = [
    "Hello, world! The composer came to Almaty in the winter of 1942.",
    'hello world & music "quoted" (x)',
    "They played together until the morning...",
]


@pytest.fixture(scope="module")
def bpe_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return toymodel.build_argos_package(
        tmp_path_factory.mktemp("bpe") / "en_kk.argosmodel", "en", "kk", EN_KK, tokenizer="bpe"
    )


def argostranslate_way(package: Path, texts: list[str]) -> list[str]:
    """What argostranslate's BPETokenizer + CTranslate2 give, written out from its source (no dubdesk code)."""
    import ctranslate2
    from sacremoses.normalize import MosesPunctNormalizer
    from sacremoses.tokenize import MosesDetokenizer, MosesTokenizer
    from subword_nmt.apply_bpe import BPE

    with zipfile.ZipFile(package) as zf:
        root = zf.namelist()[0].split("/")[0]
        codes = zf.read(f"{root}/bpe.model").decode("utf-8")
        folder = package.parent / "extracted"
        zf.extractall(folder)
    bpe = BPE(io.StringIO(codes))
    normalizer, tokenizer, detokenizer = MosesPunctNormalizer("en"), MosesTokenizer("en"), MosesDetokenizer("kk")
    translator = ctranslate2.Translator(str(folder / root / "model"))
    out = []
    for text in texts:
        tokens = bpe.segment_tokens(" ".join(tokenizer.tokenize(normalizer.normalize(text))).strip("\r\n ").split(" "))
        hyp = translator.translate_batch([tokens], beam_size=2)[0].hypotheses[0]
        out.append(detokenizer.detokenize(" ".join(hyp).replace("@@ ", "").split(" ")))
    return out


def test_a_bpe_package_is_read_and_translates_as_argostranslate_does(bpe_package: Path) -> None:
    pkg = read_package(bpe_package)
    assert pkg.tokenizer == "bpe" and "sentencepiece.model" not in pkg.files
    engine = ArgosEngine(pkg)
    out = engine.translate_batch(TEXTS, "en", "kk")
    assert out == [
        "Hello, әлем! The композитор came to Almaty in the winter of 1942.",
        'сәлем әлем & музыка "quoted" (x)',
        "They played together until the morning...",
    ]
    assert out == argostranslate_way(bpe_package, TEXTS)
    # words split into BPE units come back whole ("Hello" is H@@ el@@ lo)
    assert engine.tokenize(["Hello"]) == [["H@@", "el@@", "lo"]]


def test_a_bpe_package_installs_and_translates_a_file(bpe_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_model_dirs(monkeypatch, tmp_path)
    installed = models.install(bpe_package)
    assert installed.pairs == [("en", "kk")]
    path = tmp_path / "a.en.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nhello <i>world</i>, the composer\n\n"
        "2\n00:00:02,100 --> 00:00:03,000\ncame to Almaty in the winter.\n", "utf-8"
    )
    result = dubdesk.translate_track(dubdesk.load(path), "kk", memory=False)
    assert [e.text for e in result.track.events] == ["сәлем {\\i1}әлем{\\i0}, the композитор", "came to Almaty in the winter."]
    assert (result.report.aligned, result.report.fallback) == (2, [])


def test_a_package_without_a_tokenizer_is_refused(tmp_path: Path) -> None:
    folder = toymodel.build_argos_package(tmp_path / "p", "en", "kk", extracted=True)
    (folder / "sentencepiece.model").unlink()
    with pytest.raises(ModelError, match=r"no tokenizer \(sentencepiece.model or bpe.model\)"):
        read_package(folder)
