"""``dubdesk translate`` errors: one clear line, non-zero exit, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "composer"


@pytest.fixture()
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DUBDESK_HOME", str(home))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-argos"))
    return home


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def test_help_lists_every_option() -> None:
    code, out = run(["translate", "--help"])
    assert code == 0
    for option in ("--from", "--to", "-o", "--glossary", "--bilingual", "--profile", "--engine", "--model",
                   "--memory", "--json", "--quiet", "--in-place"):
        assert option in out


def test_unknown_language_is_one_line(tmp_path: Path, empty_home: Path) -> None:
    out_file = tmp_path / "out.srt"
    code, out = run(["translate", str(SAMPLES / "composer.ru.srt"), "--to", "xx-Nowhere", "-o", str(out_file)])
    assert code == 2
    assert out.strip().splitlines() == ["dubdesk: error: unknown language 'xx-Nowhere' (use a BCP 47 tag such as "
                                        "zh-Hans, zh-Hant, ru, kk, en)"]
    assert not out_file.exists()


def test_unreadable_file_is_one_line(tmp_path: Path, empty_home: Path) -> None:
    out_file = tmp_path / "out.srt"
    code, out = run(["translate", str(tmp_path / "missing.ru.srt"), "--to", "kk", "-o", str(out_file)])
    assert code != 0
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dubdesk: error:") and "missing.ru.srt" in lines[0]
    assert "Traceback" not in out
    assert not out_file.exists()


def test_missing_model_names_the_pair_and_how_to_install(tmp_path: Path, empty_home: Path) -> None:
    out_file = tmp_path / "out.srt"
    code, out = run(["translate", str(SAMPLES / "composer.ru.srt"), "--to", "kk", "-o", str(out_file)])
    assert code != 0
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    assert "ru" in lines[0] and "kk" in lines[0]
    assert "dubdesk models install" in lines[0]
    assert not out_file.exists()


def test_no_output_is_a_usage_error(empty_home: Path) -> None:
    code, out = run(["translate", str(SAMPLES / "composer.ru.srt"), "--to", "kk"])
    assert code == 2
    assert "no output file" in out


def test_same_language_is_a_usage_error(tmp_path: Path, empty_home: Path) -> None:
    code, out = run(["translate", str(SAMPLES / "composer.ru.srt"), "--to", "ru", "-o", str(tmp_path / "o.srt")])
    assert code == 2
    assert "source and target are both ru" in out


def test_input_is_never_the_output(tmp_path: Path, empty_home: Path) -> None:
    src = tmp_path / "a.ru.srt"
    src.write_bytes((SAMPLES / "composer.ru.srt").read_bytes())
    before = src.read_bytes()
    code, out = run(["translate", str(src), "--to", "kk", "-o", str(src)])
    assert code != 0
    assert "output is the same file as an input" in out
    assert src.read_bytes() == before
