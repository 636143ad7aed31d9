"""Route planning, the engines on real CTranslate2 models, translation memory, import weight."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dubdesk.errors import RouteError, TranslationError, UnknownLanguageError
from dubdesk.testing import toymodel
from dubdesk.translate import argos, engines, memory, models, routes
from translate_helpers import EN_KK, EN_RU, MULTI, RU_KK, build_package, isolate_model_dirs

ZH_EN = {"阿拉木图": "Almaty", "音乐": "music", "，": ","}
EN_KK_PIVOT = {"Almaty": "Алматы", "music": "музыка"}


@pytest.fixture
def models_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_model_dirs(monkeypatch, tmp_path)


def test_argos_package_from_zip_and_from_folder(tmp_path: Path) -> None:
    zipped = build_package(tmp_path, "en", "ru", EN_RU)
    folder = toymodel.build_argos_package(tmp_path / "folder", "en", "ru", EN_RU, extracted=True)
    texts = ["hello world", "The composer and the music.", ""]
    expected = ["привет мир", "The композитор and the музыка.", ""]
    from_zip = argos.ArgosEngine(zipped)
    from_dir = argos.ArgosEngine(folder)
    assert from_zip.translate_batch(texts, "en", "ru") == expected
    assert from_dir.translate_batch(texts, "en", "ru") == expected
    # the parent folder of an extracted package works as well
    parent = tmp_path / "parent"
    parent.mkdir()
    (tmp_path / "folder").rename(parent / "translate-en_ru-1_0")
    assert argos.read_package(parent).target == "ru"
    assert from_zip.id == from_dir.id  # same weights, same memory key
    with pytest.raises(TranslationError, match="en→ru"):
        from_zip.translate_batch(["hello"], "ru", "en")


def test_official_package_extras_are_ignored(tmp_path: Path) -> None:
    folder = toymodel.build_argos_package(
        tmp_path / "translate-en_kk-1_9", "en", "kk", EN_KK, extracted=True, package_version="1.9"
    )
    (folder / "stanza").mkdir()
    (folder / "stanza" / "en.pt").write_bytes(b"not used")
    pkg = argos.read_package(folder)
    assert (pkg.source, pkg.target, pkg.version) == ("en", "kk", "1.9")
    assert argos.ArgosEngine(pkg).translate_batch(["hello world"], "en", "kk") == ["сәлем әлем"]


def test_multilingual_engine_every_direction(tmp_path: Path) -> None:
    from dubdesk.translate.multilingual import MultilingualEngine

    for family in ("m2m100", "nllb"):
        model = toymodel.build_multilingual_model(tmp_path / family, ["en", "ru", "kk"], MULTI, family=family)
        eng = MultilingualEngine(model)
        assert eng.translate_batch(["hello world", "Bob"], "en", "kk") == ["сәлем әлем", "Bob"]
        assert eng.translate_batch(["привет, мир!"], "ru", "kk") == ["сәлем, әлем!"]
        assert eng.translate_batch(["сәлем әлем"], "kk", "ru") == ["привет мир"]
        assert eng.translate_batch(["сәлем"], "kk-KZ", "en-US") == ["hello"]


def test_argos_engine_gives_n_distinct_hypotheses_best_first(tmp_path: Path) -> None:
    # the toy model's n-best list: the word map's choice, then each alternative a fixed step below
    pkg = build_package(tmp_path, "en", "kk", EN_KK, alternatives={"hello": ["салем", "сәлеметсіз"]})
    eng = argos.ArgosEngine(pkg)
    assert engines.supports_alternatives(eng)
    alternatives = eng.translate_alternatives(["hello world", "hello", "music"], "en", "kk", 3)
    assert alternatives[:2] == [["сәлем әлем", "салем әлем", "сәлеметсіз әлем"], ["сәлем", "салем", "сәлеметсіз"]]
    # fewer when hypotheses detokenise to the same text; never repeats, the best always first
    assert alternatives[2][0] == "музыка" and len(set(alternatives[2])) == len(alternatives[2]) <= 3
    assert [alts[0] for alts in alternatives] == eng.translate_batch(["hello world", "hello", "music"], "en", "kk")
    assert eng.translate_alternatives(["hello world"], "en", "kk", 1) == [["сәлем әлем"]]
    assert eng.translate_alternatives([], "en", "kk", 4) == []
    with pytest.raises(TranslationError, match="en→kk"):
        eng.translate_alternatives(["hello"], "kk", "en", 2)


def test_multilingual_engine_gives_alternatives(tmp_path: Path) -> None:
    from dubdesk.translate.multilingual import MultilingualEngine

    eng = MultilingualEngine(toymodel.build_multilingual_model(tmp_path / "m2m", ["en", "ru", "kk"], MULTI))
    assert engines.supports_alternatives(eng)
    (alternatives,) = eng.translate_alternatives(["hello world"], "en", "kk", 3)
    assert alternatives[0] == "сәлем әлем" and len(set(alternatives)) == len(alternatives) <= 3
    assert eng.translate_alternatives(["hello world"], "en", "kk", 1) == [["сәлем әлем"]]


def test_wrappers_pass_alternatives_through_without_caching_them(tmp_path: Path) -> None:
    en_kk = argos.ArgosEngine(build_package(tmp_path, "en", "kk", EN_KK, alternatives={"hello": ["салем"]}))
    ru_en = argos.ArgosEngine(build_package(tmp_path, "ru", "en", {"привет": "hello", "мир": "world"}))
    # pivot: the first leg's best, the last leg's alternatives
    pivot = engines.PivotEngine(ru_en, en_kk)
    assert engines.supports_alternatives(pivot)
    assert pivot.translate_alternatives(["привет мир"], "ru", "kk", 2) == [["сәлем әлем", "салем әлем"]]
    cached = engines.CachedEngine(en_kk, memory.TranslationMemory(tmp_path / "m.sqlite"))
    assert engines.supports_alternatives(cached)
    assert cached.translate_alternatives(["hello world"], "en", "kk", 2) == [["сәлем әлем", "салем әлем"]]
    assert (cached.stats.hits, cached.stats.misses) == (0, 0)
    assert cached.memory.get_many(cached.id, "en", "kk", ["hello world"], cached.context) == {}
    # engines without the capability, wrapped or not
    copy = engines.CopyEngine()
    for eng in (copy, engines.CachedEngine(copy, cached.memory), engines.PivotEngine(en_kk, copy)):
        assert not engines.supports_alternatives(eng)
    with pytest.raises(TranslationError, match="no alternatives"):
        engines.CachedEngine(copy, cached.memory).translate_alternatives(["x"], "en", "kk", 2)


def test_route_direct_multilingual_pivot_missing(models_root: Path, tmp_path: Path) -> None:
    with pytest.raises(RouteError) as err:
        routes.plan_route("zh-Hans", "kk")
    assert "zh-Hans→kk" in err.value.message and "dubdesk models install PATH" in str(err.value)

    models.install(build_package(tmp_path, "zh-Hans", "en", ZH_EN, name="demo-zh-en", extra_metadata={"demo": True}))
    models.install(build_package(tmp_path, "en", "kk", EN_KK_PIVOT, name="demo-en-kk", extra_metadata={"demo": True}))
    pivot = routes.plan_route("zh", "kk")
    assert pivot.kind == "pivot"
    assert pivot.describe().startswith("zh-Hans→en→kk via demo-zh-en, demo-en-kk")
    eng = routes.get_engine(pivot)
    assert isinstance(eng, engines.PivotEngine)
    assert eng.translate_batch(["阿拉木图，音乐"], "zh-Hans", "kk") == ["Алматы, музыка"]

    models.install(toymodel.build_multilingual_model(tmp_path / "tiny-m2m", ["zh-Hans", "ru", "kk", "en"], MULTI))
    multi = routes.plan_route("ru", "kk")
    assert multi.kind == "multilingual" and multi.describe() == "ru→kk via tiny-m2m (multilingual)"
    assert routes.get_engine(multi).translate_batch(["привет мир"], "ru", "kk") == ["сәлем әлем"]
    # multilingual beats the pivot once it is installed
    assert routes.plan_route("zh-Hans", "kk").kind == "multilingual"

    models.install(build_package(tmp_path, "ru", "kk", RU_KK, name="ru-kk"))
    direct = routes.plan_route("ru", "kk")
    assert direct.kind == "direct" and direct.describe() == "ru→kk via ru-kk"
    assert routes.plan_route("ru", "kk", engine="multilingual").kind == "multilingual"
    assert routes.plan_route("ru", "kk", model="tiny-m2m").models[0].name == "tiny-m2m"
    with pytest.raises(RouteError, match="does not translate"):
        routes.plan_route("ru", "kk", model="demo-en-kk")


def test_unknown_language(models_root: Path) -> None:
    with pytest.raises(UnknownLanguageError):
        routes.plan_route("xx-Qaaa", "kk")


def test_memory_hits_and_resume(tmp_path: Path) -> None:
    db = tmp_path / "memory.sqlite"

    class Counting:
        id = "counting-v1"

        def __init__(self) -> None:
            self.calls: list[list[str]] = []

        def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
            self.calls.append(list(texts))
            if "boom" in texts:
                raise KeyboardInterrupt  # an interrupted run
            return [t.upper() for t in texts]

    inner = Counting()
    cached = engines.CachedEngine(inner, memory.TranslationMemory(db), glossary_version="g1")
    assert cached.translate_batch(["a", "b", "a"], "ru", "kk") == ["A", "B", "A"]
    assert inner.calls == [["a", "b"]] and (cached.stats.hits, cached.stats.misses) == (0, 2)
    with pytest.raises(KeyboardInterrupt):
        cached.translate_batch(["boom"], "ru", "kk")
    cached.memory.close()

    # a new process: what was committed is there, only new texts are translated
    inner.calls.clear()
    again = engines.CachedEngine(inner, memory.TranslationMemory(db), glossary_version="g1")
    assert again.translate_batch(["a", "b", "c"], "ru", "kk") == ["A", "B", "C"]
    assert inner.calls == [["c"]] and (again.stats.hits, again.stats.misses) == (2, 1)
    # another glossary version, target or engine id is another key
    other = engines.CachedEngine(inner, again.memory, glossary_version="g2")
    other.translate_batch(["a"], "ru", "kk")
    assert inner.calls[-1] == ["a"]


def test_memory_with_real_engine_skips_known_texts(tmp_path: Path) -> None:
    eng = argos.ArgosEngine(build_package(tmp_path, "en", "kk", EN_KK))
    cached = engines.CachedEngine(eng, memory.TranslationMemory(tmp_path / "m.sqlite"))
    assert cached.translate_batch(["hello", "world"], "en", "kk") == ["сәлем", "әлем"]
    assert cached.translate_batch(["hello", "music"], "en", "kk") == ["сәлем", "музыка"]
    assert (cached.stats.hits, cached.stats.misses) == (1, 3)


def test_default_memory_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DUBDESK_MEMORY", raising=False)
    monkeypatch.setenv("DUBDESK_HOME", str(tmp_path / "h"))
    assert memory.default_memory_path() == tmp_path / "h" / "memory.sqlite"
    monkeypatch.setenv("DUBDESK_MEMORY", str(tmp_path / "x.sqlite"))
    assert memory.default_memory_path() == tmp_path / "x.sqlite"
    assert models.models_dir() == tmp_path / "h" / "models"


def test_argostranslate_engine_missing_is_a_clear_error() -> None:
    from dubdesk.errors import ModelError

    with pytest.raises(ModelError, match=r"pip install 'dubdesk\[argos\]'"):
        engines.engine_class("argostranslate")()


def test_importing_dubdesk_and_engines_does_not_import_ctranslate2() -> None:
    code = (
        "import sys, dubdesk, dubdesk.translate, dubdesk.translate.engines, dubdesk.translate.routes, "
        "dubdesk.translate.models, dubdesk.cli.models\n"
        "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_max_decoding_length_caps_every_hypothesis(tmp_path: Path) -> None:
    """A runaway model must not decode 256 tokens per cue: the cap is the engine's to set."""
    pkg = build_package(tmp_path, "en", "kk", EN_KK)
    free = argos.ArgosEngine(pkg).translate_batch(["hello world music composer"], "en", "kk")
    capped = argos.ArgosEngine(pkg, max_decoding_length=2).translate_batch(["hello world music composer"], "en", "kk")
    assert free == ["сәлем әлем музыка композитор"]
    assert capped[0] != free[0] and free[0].startswith(capped[0]) and capped[0]
    assert argos.decoding_limit(10, None) == 256 and argos.decoding_limit(200, None) == 408
    assert argos.decoding_limit(200, 20) == 20


def test_default_threads_one_replica_per_core_up_to_four() -> None:
    assert argos.default_threads(1) == (1, 1)
    assert argos.default_threads(2) == (2, 1)
    assert argos.default_threads(8) == (4, 2)


def test_batch_size_gives_every_replica_work() -> None:
    assert argos.batch_size(1000, 64, 2) == 64
    assert argos.batch_size(10, 64, 2) == 5
    assert argos.batch_size(1, 64, 2) == 1
    assert argos.batch_size(7, 64, 1) == 7
