"""Batch forms of translate, qa, convert and fix: several files or a folder, --out-dir, -j."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.cli.batch import output_name
from season_helpers import SAMPLES, episode_subtitles, install_demo_models


def _episodes(folder: Path, count: int = 3) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(1, count + 1):
        path = folder / f"ep{n:02d}.ru.srt"
        path.write_text(episode_subtitles(n), encoding="utf-8")
        paths.append(path)
    return paths


def test_output_names_replace_the_language_part() -> None:
    assert output_name("translate", Path("ep01.zh-Hans.srt"), {"target": "kk"}) == "ep01.kk.srt"
    assert output_name("translate", Path("movie.ass"), {"target": "ru"}) == "movie.ru.ass"
    assert output_name("translate", Path("ep.final.srt"), {"target": "kk"}) == "ep.final.kk.srt"
    assert output_name("convert", Path("ep01.ru.srt"), {"to_fmt": "vtt"}) == "ep01.ru.vtt"
    assert output_name("qa", Path("ep01.ru.srt"), {"fmt": "junit"}) == "ep01.ru.qa.xml"
    assert output_name("fix", Path("ep01.ru.srt"), {}) == "ep01.ru.srt"


def test_translate_a_folder_in_parallel_gives_what_one_file_gives(tmp_path: Path) -> None:
    install_demo_models()
    files = _episodes(tmp_path / "in")
    runner = CliRunner()
    result = runner.invoke(cli, ["translate", str(tmp_path / "in"), "--to", "kk", "--out-dir", str(tmp_path / "out"),
                                 "-j", "2", "--memory", str(tmp_path / "a.sqlite")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ep01.kk.srt", "ep02.kk.srt", "ep03.kk.srt"]
    assert "3 files: 3 ok" in result.stderr
    single = runner.invoke(cli, ["translate", str(files[1]), "--to", "kk", "-o", str(tmp_path / "one.srt"),
                                 "--memory", str(tmp_path / "b.sqlite")])  # fmt: skip
    assert single.exit_code == 0, single.output
    assert (tmp_path / "out" / "ep02.kk.srt").read_bytes() == (tmp_path / "one.srt").read_bytes()


def test_one_bad_file_fails_alone_and_sets_the_exit_code(tmp_path: Path) -> None:
    files = _episodes(tmp_path / "in", 2)
    (tmp_path / "in" / "broken.srt").write_bytes(b"\x00\x01 not subtitles \xff" * 50)
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "in"), "--to", "vtt", "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ep01.ru.vtt", "ep02.ru.vtt"]
    assert "broken.srt" in result.stderr and "2 ok" in result.stderr and "1 failed" in result.stderr
    assert files[0].read_bytes().startswith(b"1\n")  # inputs untouched


def test_qa_and_fix_batches(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "composer.ru.srt", tmp_path / "a.ru.srt")
    shutil.copy(SAMPLES / "composer.ru.srt", tmp_path / "b.ru.srt")
    inputs = [str(tmp_path / "a.ru.srt"), str(tmp_path / "b.ru.srt")]
    qa = CliRunner().invoke(cli, ["qa", *inputs, "--format", "json", "--out-dir", str(tmp_path / "qa")])
    assert qa.exit_code == 3, qa.output  # the sample has planted timing errors
    assert sorted(p.name for p in (tmp_path / "qa").iterdir()) == ["a.ru.qa.json", "b.ru.qa.json"]
    fixed = CliRunner().invoke(cli, ["fix", *inputs, "--out-dir", str(tmp_path / "fixed")])
    assert fixed.exit_code == 0, fixed.output
    again = CliRunner().invoke(cli, ["qa", str(tmp_path / "fixed"), "--rules", "overlap", "--out-dir", str(tmp_path / "qa2")])
    assert again.exit_code == 0, again.output


def test_batch_usage_errors(tmp_path: Path) -> None:
    files = [str(p) for p in _episodes(tmp_path / "in", 2)]
    no_dir = CliRunner().invoke(cli, ["fix", *files])
    assert no_dir.exit_code == 2 and "--out-dir" in no_dir.stderr
    one_out = CliRunner().invoke(cli, ["convert", files[0]])
    assert one_out.exit_code == 2 and "Missing option" in one_out.stderr
    twice = CliRunner().invoke(cli, ["fix", files[0], files[0], "--out-dir", str(tmp_path / "o")])
    assert twice.exit_code == 2 and "both be written" in twice.stderr


def test_batch_workers_share_the_cores_for_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    # each worker of `translate -j N` runs CTranslate2 on its share of the cores, not on all of them
    import concurrent.futures as cf
    import multiprocessing

    from dubdesk.cli.batch import start_worker
    from dubdesk.translate.ct2 import default_threads

    monkeypatch.delenv("DUBDESK_CORES", raising=False)
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker, initargs=(3,)) as pool:
        assert pool.submit(default_threads).result() == (3, 1)  # 3: no machine's own count here
    monkeypatch.setenv("DUBDESK_CORES", "1")
    assert default_threads() == (1, 1)
    monkeypatch.setenv("DUBDESK_CORES", "many")  # not a number: every core, as without it
    assert default_threads() == default_threads(os.cpu_count())
