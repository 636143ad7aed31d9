"""Encoding detection without a language: the labelled test set, wide Unicode without BOM, hints, mixed files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.encodings import decode
from dubdesk.errors import EncodingDetectionError
from dubdesk.subtitles import load, save
from encoding_testset import make_testset

NEWS_KK = (  # a Kazakh news item, the way KZ-1048 files come from regional broadcasters
    "Алматыда халықаралық музыка фестивалі ашылды.",
    "Фестивальге он екі елден әншілер мен композиторлар келді.",
    "Бақытжан Байқадамовтың әндері қазақ және қытай тілдерінде орындалды.",
    "Ұйымдастырушылар келесі жылы фестивальді Шанхайда өткізуді жоспарлап отыр.",
    "Көрермендер концертті түнге дейін тамашалады.",
)


def _srt(lines: tuple[str, ...] | list[str], repeat: int = 1) -> str:
    out = []
    n = 0
    for r in range(repeat):
        for i, line in enumerate(lines):
            n += 1
            t = (r * len(lines) + i) * 3000
            out.append(f"{n}\n00:{t // 60000:02d}:{t // 1000 % 60:02d},000 --> 00:{t // 60000:02d}:{t // 1000 % 60 + 2:02d},500\n{line}\n")
    return "\n".join(out)


def test_labelled_set_long_files_are_right_and_no_wrong_guess_is_accepted() -> None:
    samples = make_testset(seed=21, lengths=(3, 10, 50, 120))
    right = wrong = long_total = long_right = 0
    for s in samples:
        try:
            got = decode(s.data)
        except EncodingDetectionError:
            continue
        ok = got.text == s.text
        right += ok
        wrong += not ok
        assert ok, f"{s.language} {s.encoding} {s.cues} cues read as {got.encoding}"
        if s.cues >= 50:
            long_right += 1
    long_total = sum(1 for s in samples if s.cues >= 50)
    assert wrong == 0
    assert long_right / long_total >= 0.99
    assert len({s.encoding for s in samples}) >= 20 and len({s.language for s in samples}) >= 30


def test_kz1048_news_file_without_a_language_in_its_name(tmp_path: Path) -> None:
    path = tmp_path / "novosti.srt"
    path.write_bytes(_srt(NEWS_KK, 4).encode("kz1048"))
    track = load(path)
    assert track.source.encoding == "kz1048" and track.source.encoding_method == "detected"
    assert "Бақытжан Байқадамовтың" in track.cues[2].text
    assert 0.6 <= track.source.confidence <= 1.0


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("lines", [NEWS_KK, ("Сянь Синхай приехал сюда", "из далёкой Москвы."), ("冼星海从遥远的莫斯科来到这里。",)])
def test_wide_unicode_without_bom_in_any_script(enc: str, lines: tuple[str, ...], tmp_path: Path) -> None:
    path = tmp_path / "x.srt"
    path.write_bytes(_srt(lines).encode(enc))
    track = load(path)
    assert codecs.lookup(track.source.encoding).name == codecs.lookup(enc).name
    assert track.cues[0].text == lines[0]


def test_lang_narrows_the_guess_for_short_files(tmp_path: Path) -> None:
    # one word: CP1251 "Нет." and CP1250 "Íĺň." are both plausible; --lang ru decides
    ru = tmp_path / "short.srt"
    ru.write_bytes(_srt(["Нет."]).encode("cp1251"))
    with pytest.raises(EncodingDetectionError) as exc:
        load(ru)
    assert "--encoding" in exc.value.one_line() and " or --encoding " in exc.value.one_line()
    assert load(ru, language="ru").source.encoding == "cp1251"
    zh = tmp_path / "short.srt"
    zh.write_bytes(_srt(["謝謝！"]).encode("big5"))
    with pytest.raises(EncodingDetectionError, match="big5"):
        load(zh)
    assert load(zh, language="zh-Hant").cues[0].text == "謝謝！"


def test_a_utf8_file_with_one_cp1251_cue_is_refused_naming_the_cue(tmp_path: Path) -> None:
    path = tmp_path / "episode.srt"
    data = _srt(["Привет, мир", "Как дела?", "Хорошо, спасибо."]).encode("utf-8")
    data = data.replace("Как дела?".encode(), "Как дела?".encode("cp1251"))
    path.write_bytes(data)
    with pytest.raises(EncodingDetectionError, match=r"mixed encodings: cue 2 is not in UTF-8") as exc:
        load(path)
    assert "mac" not in exc.value.one_line()
    result = CliRunner().invoke(cli, ["convert", str(path), "-o", str(tmp_path / "out.srt")])
    assert result.exit_code == 1 and "cue 2" in result.output and not (tmp_path / "out.srt").exists()


def test_mixed_bytes_pass_through_only_when_asked(tmp_path: Path) -> None:
    # pysubs2's srt_mixed_encodings.srt shape: UTF-8, CP1250, Shift-JIS and Big5 lines in one cue
    text = b"1\n00:00:00,000 --> 00:01:00,000\nThe quick brown fox\n" + "Příliš žluťoučký\n".encode("cp1250")
    text += "Vamp quäkt: Grüß Felix bzw. Jody\n".encode() + "日本語\n".encode("shift_jis") + "中文\n".encode("big5")
    path = tmp_path / "mixed.srt"
    path.write_bytes(text)
    with pytest.raises(EncodingDetectionError, match="cue 1 is not in UTF-8"):
        load(path)
    track = load(path, encoding="utf-8", errors="surrogateescape")
    save(track, tmp_path / "out.srt")
    assert (tmp_path / "out.srt").read_bytes() == text


def test_binary_garbage_and_nul_bytes_are_one_line_errors(tmp_path: Path) -> None:
    import random

    rng = random.Random(3)
    garbage = tmp_path / "garbage.srt"
    garbage.write_bytes(bytes(rng.randrange(256) for _ in range(50_000)))
    nul = tmp_path / "nul.srt"
    nul.write_bytes(b"\x00" * 4000 + b"1\n00:00:01,000 --> 00:00:02,000\nx\n")
    truncated = tmp_path / "truncated.srt"
    truncated.write_bytes(_srt(NEWS_KK).encode("utf-8")[:-7])  # cut inside a two-byte letter
    for path in (garbage, nul):
        result = CliRunner().invoke(cli, ["info", str(path)])
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and "Traceback" not in result.output and path.name in result.output
    track = load(truncated)
    assert [w.code for w in track.source.warnings] == ["truncated"] and len(track.cues) == len(NEWS_KK)
    result = CliRunner().invoke(cli, ["convert", str(truncated), "-o", str(tmp_path / "out.srt")])
    assert result.exit_code == 0 and "cut short" in result.output and "Traceback" not in result.output


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import resource

    path = tmp_path / "huge.srt"
    with path.open("wb") as fh:
        fh.truncate(200 * 2**20)  # sparse: 200 MB to stat, nothing on disk
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = CliRunner().invoke(cli, ["info", str(path)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "200 MB is larger than any subtitle file" in result.output and "Traceback" not in result.output
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: nothing read
