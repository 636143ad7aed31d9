"""The on-the-fly model builder: real CTranslate2 models with exact, deterministic output."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from dubdesk.testing import toymodel
from translate_helpers import EN_KK, MULTI, ZH_EN, raw_translate

TEXTS = [
    "hello world",
    "The composer came to Almaty, hello!",
    "阿拉木图，1942年冬。",
    "Сянь Синхай мұнда келді — ӘҒҚ ⚡ 😀 never-seen characters",
    "{PH0} keeps ⟦1⟧ placeholders",
]


def test_copy_model_returns_input_exactly(tmp_path: Path) -> None:
    sp = toymodel.train_sentencepiece()
    (tmp_path / "sp.model").write_bytes(sp)
    toymodel.build_ct2_model(tmp_path / "model", sp)
    assert raw_translate(tmp_path / "model", tmp_path / "sp.model", TEXTS) == TEXTS


def test_word_map_model_translates_word_for_word(tmp_path: Path) -> None:
    path = toymodel.build_argos_package(tmp_path / "en_kk.argosmodel", "en", "kk", EN_KK, extracted=True)
    root = path
    out = raw_translate(root / "model", root / "sentencepiece.model", ["hello world", "music, composer and Bob"])
    assert out == ["сәлем әлем", "музыка, композитор and Bob"]


def test_chinese_source_words_map_without_spaces(tmp_path: Path) -> None:
    path = toymodel.build_argos_package(tmp_path / "zh_en", "zh-Hans", "en", ZH_EN, extracted=True)
    root = path
    out = raw_translate(root / "model", root / "sentencepiece.model", ["阿拉木图，音乐", "音乐冬"])
    assert out == ["Almaty, music", "music winter"]


def test_argos_zip_layout_and_metadata(tmp_path: Path) -> None:
    path = toymodel.build_argos_package(tmp_path / "p.argosmodel", "zh-Hans", "en", ZH_EN, extra_metadata={"demo": True})
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        top = {n.split("/")[0] for n in names}
        assert top == {"translate-zh_en-1_0"}
        meta = json.loads(zf.read("translate-zh_en-1_0/metadata.json"))
    assert "translate-zh_en-1_0/model/model.bin" in names
    assert "translate-zh_en-1_0/sentencepiece.model" in names
    assert meta["from_code"] == "zh" and meta["to_code"] == "en"
    assert meta["package_version"] == "1.0" and meta["argos_version"]
    assert meta["demo"] is True


def test_multilingual_model_honours_target_prefix(tmp_path: Path) -> None:
    model = toymodel.build_multilingual_model(tmp_path / "m2m", ["en", "ru", "kk"], MULTI)
    sp = model / "sentencepiece.bpe.model"
    assert raw_translate(model, sp, ["hello world!"], source_prefix="__en__", target_prefix="__kk__") == [
        "сәлем әлем!"
    ]
    assert raw_translate(model, sp, ["hello world!"], source_prefix="__en__", target_prefix="__ru__") == [
        "привет мир!"
    ]
    assert raw_translate(model, sp, ["привет, мир"], source_prefix="__ru__", target_prefix="__en__") == [
        "hello, world"
    ]
    # a word the target's map does not cover is copied
    assert raw_translate(model, sp, ["сәлем, Bob"], source_prefix="__kk__", target_prefix="__ru__") == [
        "привет, Bob"
    ]
    info = json.loads((model / "dubdesk.json").read_text("utf-8"))
    assert info["family"] == "m2m100" and info["languages"] == ["en", "ru", "kk"]


def test_nllb_style_uses_nllb_codes(tmp_path: Path) -> None:
    model = toymodel.build_multilingual_model(tmp_path / "nllb", ["ru", "kk"], MULTI, family="nllb")
    vocab = json.loads((model / "shared_vocabulary.json").read_text("utf-8"))
    assert "kaz_Cyrl" in vocab and "rus_Cyrl" in vocab
    out = raw_translate(
        model, model / "sentencepiece.bpe.model", ["привет мир"], source_prefix="rus_Cyrl", target_prefix="kaz_Cyrl"
    )
    assert out == ["сәлем әлем"]


def test_build_is_fast_and_deterministic(tmp_path: Path) -> None:
    start = time.perf_counter()
    toymodel.build_argos_package(tmp_path / "a.argosmodel", "en", "kk", EN_KK)
    assert time.perf_counter() - start < 1.0
    toymodel.build_argos_package(tmp_path / "b.argosmodel", "en", "kk", EN_KK)
    with zipfile.ZipFile(tmp_path / "a.argosmodel") as a, zipfile.ZipFile(tmp_path / "b.argosmodel") as b:
        for name in a.namelist():
            if name.endswith((".bin", ".model")):
                assert a.read(name) == b.read(name), name


def test_target_word_that_is_not_a_piece_is_rejected(tmp_path: Path) -> None:
    sp = toymodel.train_sentencepiece()
    with pytest.raises(ValueError, match="one piece"):
        toymodel.build_ct2_model(tmp_path / "m", sp, {"hello": "zzqqxx"})


def test_chinese_source_keys_match_anywhere_latin_too(tmp_path: Path) -> None:
    # in a Chinese source every key matches anywhere: a Latin placeholder between
    # Chinese words becomes its own (spaced) word in the target
    word_map = {"ZXQ0Q": "ZXQ0Q", "在": "beside", "身边": "near", "▁他": "He", "他": "he"}
    path = toymodel.build_argos_package(tmp_path / "zh_en", "zh-Hans", "en", word_map, extracted=True)
    out = raw_translate(path / "model", path / "sentencepiece.model", ["在ZXQ0Q身边", "他在他"])
    assert out == ["beside ZXQ0Q near", "He beside he"]


def test_demo_lexicon_builds_every_pair(tmp_path: Path) -> None:
    import tomllib

    lexicon = Path(__file__).parent.parent / "samples" / "models-src" / "demo_lexicon.toml"
    data = tomllib.loads(lexicon.read_text("utf-8"))
    assert set(data["meta"]["pairs"]) == {"zh-Hans>en", "en>kk", "ru>kk", "kk>ru", "zh-Hans>ru", "ru>en"}
    path = toymodel.build_argos_package(tmp_path / "ru_kk", "ru", "kk", data["ru"]["kk"], extracted=True, extra_metadata={"demo": True})
    out = raw_translate(path / "model", path / "sentencepiece.model", ["У него не было ни дома, ни работы."])
    assert out == ["Оның үйі де, жұмысы да жоқ еді."]


def test_base_model_is_an_argos_package_with_fixed_output_length(tmp_path: Path) -> None:
    from dubdesk.translate.argos import ArgosEngine

    # the benchmark builds 6+6 layers, d_model 512, vocab 32k; the same code at a small size here
    path = toymodel.build_base_model(
        tmp_path / "bench", layers=1, d_model=64, heads=4, ffn=128, vocab_size=2000, output_tokens=5
    )
    engine = ArgosEngine(path)
    out = engine.translate_batch(["Они играли вместе.", "Конец."], "ru", "kk")
    assert len(out) == 2 and all(out)
    results = engine.translator.translate_batch(engine.tokenize(["Они играли вместе до утра."]))
    assert len(results[0].hypotheses[0]) == 5
