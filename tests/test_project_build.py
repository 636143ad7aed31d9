"""Episode manifests: loading, building the samples' delivery end to end, QA policy, status and staleness."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import BuildStoppedError, ManifestError, RouteError
from dubdesk.media import SubtitleFacts, plan_mux, probe
from dubdesk.media import plan as plan_module
from dubdesk.project import DeliveryStatus, SubtitleStatus, build, load_manifest, status
from media_helpers import needs_ffmpeg
from project_helpers import SAMPLE_MANIFEST, SAMPLES, install_toy_model, planted, sample_media

__all__ = ["sample_media"]

pytestmark = needs_ffmpeg

FILE_LANG = {"ru": "ru", "kk": "kk", "zh": "zh-Hans"}


def test_samples_manifest_builds_the_delivery(sample_media: Path, tmp_path: Path) -> None:
    install_toy_model(tmp_path)
    m = load_manifest(SAMPLE_MANIFEST)
    m.output_folder = tmp_path / "out"
    steps: list[str] = []
    result = build(m, progress=lambda step, detail: steps.append(step))
    assert [s for s in dict.fromkeys(steps) if s != "warning"] == [
        "load", "glossary", "translate", "shots", "qa", "qa-audio", "mux", "verify", "done"
    ]
    out = tmp_path / "out" / "composer.mkv"
    assert result.output == str(out) and out.is_file()
    r = probe(out)
    assert [(s.type, s.language_bcp47, s.title, s.dispositions) for s in r.streams] == [
        ("video", None, None, ["default"]),
        ("audio", "zh-Hans", "中文（简体）", ["original"]),
        ("audio", "ru", "Русский", ["dub"]),
        ("audio", "kk", "Қазақша", ["default", "dub"]),
        ("subtitle", "ru", "Русский", []),
        ("subtitle", "kk", "Қазақша", ["default"]),
        ("subtitle", "zh-Hans", "中文（简体）", []),
        ("subtitle", "en", "English", []),
    ]
    assert [s.language for s in r.streams[1:]] == ["chi", "rus", "kaz", "rus", "kaz", "chi", "eng"]
    by_lang = {lr.language: lr for lr in result.languages}
    assert by_lang["en"].subtitles_from == "translated"
    # every planted timing problem is found (fixed, or reported), nothing else
    data = planted()
    for short, lang in FILE_LANG.items():
        want = {(t["cue"], t["rule"]) for t in data["timing"] if t["file"] == short}  # type: ignore[attr-defined,index]
        want |= {(t["cue"], t["rule"]) for t in data["shots"]}  # type: ignore[attr-defined,index]
        fixed = {(int(f.split(" #")[1]), f.split(" #")[0]) for f in by_lang[lang].qa_fixes}
        remaining = {(int(f.split(" ")[0][1:]), f.split(" ")[1]) for f in by_lang[lang].qa_findings}
        assert fixed | remaining == want, lang
        glossary_planted = [g for g in data["glossary"] if g["file"] == short]  # type: ignore[attr-defined,index]
        assert by_lang[lang].glossary_changes == len(glossary_planted), lang
    # dub audio QA ran for both dubs: loudness in range, durations right, the planted silent cue found
    audio_planted = {(a["file"], a["cue"], a["rule"]) for a in data["audio"]}  # type: ignore[attr-defined,index]
    for short, lang in (("ru", "ru"), ("kk", "kk")):
        qa = by_lang[lang].audio_qa
        assert qa is not None and abs(qa["measurements"]["integrated_lufs"] + 23) <= 1, lang
        assert {(short, *f.split(" ")[:2]) for f in qa["findings"]} == {
            (f, f"#{c}", r) for f, c, r in audio_planted if f == short
        }, lang
    # the delivered subtitles carry the glossary's approved forms; the drafts are untouched
    delivered_ru = (tmp_path / "out" / "subtitles" / "composer.ru.srt").read_text(encoding="utf-8")
    assert "Байқадамов" not in delivered_ru and "Байкадамов" in delivered_ru
    assert "Байқадамов" in (SAMPLES / "composer.ru.srt").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "subtitles" / "composer.zh-Hans.srt").read_text(encoding="utf-8")  # UTF-8 now

    st = status(m)
    assert st.delivery == "up to date", st.reasons
    assert [(x.language, x.subtitles, x.audio) for x in st.languages] == [
        ("ru", "ok", "ok"), ("kk", "ok", "ok"), ("zh-Hans", "ok", "none"), ("en", "translated", "none")
    ]
    # a second build reuses the translation
    again = build(m)
    assert {lr.language: lr.subtitles_from for lr in again.languages}["en"] == "reused translation"


def _copy_manifest(tmp_path: Path, sample_media: Path, extra: str = "") -> Path:
    work = tmp_path / "ep"
    work.mkdir()
    for name in ("composer.ru.srt", "composer.kk.ass", "composer.zh-Hans.srt"):
        shutil.copy(SAMPLES / name, work / name)
    (work / "dubdesk.toml").write_text(
        f"""
[episode]
name = "ep"
video = "{sample_media / 'composer.mp4'}"

[source]
language = "ru"
subtitles = "composer.ru.srt"

[targets.kk]
subtitles = "composer.kk.ass"
audio = "{sample_media / 'composer.dub.kk.m4a'}"

[targets.en]

[output]
folder = "out"
container = "mp4"
{extra}
""",
        encoding="utf-8",
    )
    return work / "dubdesk.toml"


def test_status_stale_when_source_changes(sample_media: Path, tmp_path: Path) -> None:
    install_toy_model(tmp_path)
    manifest = _copy_manifest(tmp_path, sample_media)
    st = status(manifest)
    assert st.delivery is DeliveryStatus.NOT_BUILT and st.delivery == "not built"
    assert st.languages[2].subtitles is SubtitleStatus.TO_TRANSLATE and st.to_dict()["delivery"] == "not built"
    assert [(x.language, x.subtitles) for x in st.languages] == [("ru", "ok"), ("kk", "ok"), ("en", "to translate")]
    result = build(manifest)
    assert result.output.endswith("ep.mp4") and probe(result.output).subtitles[0].codec == "mov_text"
    assert status(manifest).delivery == "up to date"
    src = manifest.parent / "composer.ru.srt"
    src.write_bytes(src.read_bytes().replace("Конец.".encode(), "Конец фильма.".encode()))
    st = status(manifest)
    assert st.delivery == "outdated" and "source subtitles changed" in st.reasons
    assert [(x.language, x.subtitles) for x in st.languages] == [("ru", "ok"), ("kk", "stale"), ("en", "stale")]
    res = CliRunner().invoke(cli, ["status", str(manifest), "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["languages"][2]["subtitles"] == "stale"
    # rebuilding translates again and everything is current
    assert {lr.language: lr.subtitles_from for lr in build(manifest).languages}["en"] == "translated"
    assert status(manifest).delivery == "up to date"


def test_build_muxes_what_it_wrote_without_loading_it_again(
    sample_media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_language knows the format and length of the file it saved; the mux plan takes them."""
    install_toy_model(tmp_path)
    manifest = _copy_manifest(tmp_path, sample_media)
    loads: list[str] = []
    real = plan_module.load_facts

    def counted(path: str, language: str) -> SubtitleFacts:
        loads.append(path)
        return real(path, language)

    monkeypatch.setattr(plan_module, "load_facts", counted)
    result = build(manifest)
    assert loads == [] and [lr.delivered for lr in result.languages if lr.delivered is None] == []
    # the plan made from those facts is the one made by loading the files (ASS keeps centiseconds)
    m = load_manifest(manifest)
    subs = [(s.language, m.subtitle_output(s)) for s in m.languages]
    facts = {str(path): lr.delivered for (_, path), lr in zip(subs, result.languages, strict=True) if lr.delivered}
    known = plan_mux(m.video, tmp_path / "a.mp4", subtitles=subs, subtitle_facts=facts)
    assert loads == []
    loaded = plan_mux(m.video, tmp_path / "a.mp4", subtitles=subs)
    assert sorted(loads) == sorted(facts)
    assert known.inputs == loaded.inputs and known.warnings == loaded.warnings
    for a, b in zip(known.streams, loaded.streams, strict=True):
        assert (a.codec_in, a.encoder, a.language) == (b.codec_in, b.encoder, b.language)
        assert abs((a.duration_ms or 0) - (b.duration_ms or 0)) < 10


def test_qa_policy_stops_before_muxing(sample_media: Path, tmp_path: Path) -> None:
    install_toy_model(tmp_path)
    manifest = _copy_manifest(tmp_path, sample_media, extra='\n[qa]\nfail_on = "warning"\n')
    with pytest.raises(BuildStoppedError) as err:
        build(manifest)
    assert err.value.exit_code == 3 and "reading-speed" in str(err.value)
    assert not (manifest.parent / "out" / "ep.mp4").exists()
    res = CliRunner().invoke(cli, ["build", str(manifest), "--fail-on", "never", "--no-fix"])
    assert res.exit_code == 0, res.output
    assert "overlap #8" in res.output  # no fixes: the overlap error is reported, not fixed


def test_missing_model_is_a_clear_error(sample_media: Path, tmp_path: Path) -> None:
    manifest = _copy_manifest(tmp_path, sample_media)
    with pytest.raises(RouteError, match="ru→en"):
        build(manifest)
    assert not (manifest.parent / "out" / "ep.mp4").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n[extra]\n', "unknown key 'extra'"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "xx"\nsubtitles = "a.srt"\n', "unknown language 'xx'"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\n', "[source] needs subtitles"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n'
         '[targets.kk]\nsubtitles = "k.srt"\ntranslate = true\n', "choose one"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n[qa]\nfail_on = "maybe"\n',
         "fail_on"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n[targets.ru]\n', "listed twice"),
    ],
)  # fmt: skip
def test_manifest_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "dubdesk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_manifest(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_manifest_syntax_error_has_line(tmp_path: Path) -> None:
    path = tmp_path / "dubdesk.toml"
    path.write_text('[episode]\nvideo = "v.mp4"\nname = \n', encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_manifest(path)
    assert err.value.line == 3
    res = CliRunner().invoke(cli, ["build", str(tmp_path / "nope.toml")])
    assert res.exit_code == 1 and "no such manifest" in res.output


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n\n[output]\nfolder = "o"\n'
         'colour = "red"\n', 9, "unknown key 'colour' in [output]"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n[targets."zh-Hans"]\n'
         'subtitles = "z.srt"\nforced = "yes"\n', 8, "[targets.zh-Hans] forced must be true or false"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n[qa]\nfix = true\n'
         'fail_on = "maybe"\n', 8, "[qa] fail_on = 'maybe'"),
        ('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n[targets.xx]\n', 6,
         "[targets.xx]: unknown language"),
    ],
)  # fmt: skip
def test_manifest_errors_name_their_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    """Like glossaries and profiles (dubdesk.validation): the line of the key, else of its table."""
    path = tmp_path / "dubdesk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_manifest(path)
    assert err.value.line == line and message in err.value.message
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_missing_input_named(sample_media: Path, tmp_path: Path) -> None:
    manifest = _copy_manifest(tmp_path, sample_media)
    (manifest.parent / "composer.kk.ass").unlink()
    assert [x.subtitles for x in status(manifest).languages][1] == "missing"
    with pytest.raises(ManifestError, match="kk subtitles not found"):
        build(manifest)
