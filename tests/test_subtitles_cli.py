"""The CLI: help everywhere, one-line errors, exit codes, stdin/stdout, light start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import CORPUS, ROOT
from dubdesk.cli import COMMANDS, LazyGroup, cli


def _run(*args: str, input: bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def _all_commands() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    ctx = click.Context(cli)
    group = cli
    assert isinstance(group, LazyGroup)
    for name in COMMANDS:
        cmd = group.get_command(ctx, name)
        assert cmd is not None, f"command {name} is registered but its module does not provide it"
        out.append((name, cmd))
        if isinstance(cmd, click.Group):
            out.extend((f"{name} {sub}", c) for sub, c in cmd.commands.items())
    return out


def test_every_command_has_help_text() -> None:
    for name, cmd in _all_commands():
        assert cmd.help and len(cmd.help.strip()) > 20, f"{name} has no help text"
        result = _run(*name.split(), "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_importing_dubdesk_is_light() -> None:
    code = (
        "import sys, dubdesk, dubdesk.cli; "
        "heavy = [m for m in ('ctranslate2', 'ffmpeg', 'sentencepiece', 'numpy', 'pysubs2', 'charset_normalizer') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_info_json(samples: Path) -> None:
    result = _run("info", "--json", str(samples / "composer.zh-Hans.srt"))
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["format"], data["encoding"], data["language"], data["cues"], data["duration_ms"]) == (
        "srt", "gb18030", "zh-Hans", 14, 49500)


def test_convert_to_stdout_from_stdin(samples: Path) -> None:
    data = (samples / "composer.ru.srt").read_bytes()
    result = CliRunner().invoke(cli, ["convert", "-", "-o", "-", "--to", "vtt", "--from-format", "srt"], input=data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nАлматы, зима 1942 года.")


def test_convert_to_legacy_encoding(tmp_path: Path) -> None:
    src = tmp_path / "ep.ru.srt"
    text = "1\r\n00:00:01,000 --> 00:00:04,000\r\nСянь Синхай приехал в Алматы.\r\n"
    src.write_text(text, encoding="utf-8", newline="")
    out = tmp_path / "ru.srt"
    result = _run("convert", str(src), "-o", str(out), "--to-encoding", "cp1251", "--crlf")
    assert result.exit_code == 0
    assert out.read_bytes() == text.encode("cp1251")


def test_convert_to_an_encoding_without_the_letters_fails_cleanly(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "ru.srt"  # the Russian draft has a Kazakh қ in a name: CP1251 cannot hold it
    result = CliRunner().invoke(cli, ["convert", str(samples / "composer.ru.srt"), "-o", str(out), "--to-encoding", "cp1251"])
    assert result.exit_code == 1 and "cannot write 'қ' in cp1251" in result.stderr and not out.exists()


def test_convert_refuses_to_overwrite_input(samples: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.srt"
    src.write_bytes((samples / "composer.ru.srt").read_bytes())
    before = src.read_bytes()
    result = CliRunner().invoke(cli, ["convert", str(src), "-o", str(src)])
    assert result.exit_code == 1
    assert "--in-place" in result.stderr and "Traceback" not in result.output
    assert src.read_bytes() == before


BAD = {
    "empty.srt": b"",
    "binary.srt": bytes(range(256)) * 8,
    "truncated.srt": b"1\n00:00:01,000 --> 00:0",
    "notes.xyz": b"some notes\n",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_and_nonzero(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(BAD[name])
    result = CliRunner().invoke(cli, ["convert", str(path), "-o", str(tmp_path / "out.vtt")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dubdesk: error: ") and str(path) in lines[0]
    assert path.read_bytes() == BAD[name]
    assert not (tmp_path / "out.vtt").exists()


def test_wrong_encoding_is_one_line(samples: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["info", "--encoding", "utf-8", str(samples / "composer.zh-Hans.srt")])
    assert result.exit_code == 1
    assert "cannot decode as utf-8" in result.stderr and "composer.zh-Hans.srt:3" in result.stderr


def test_unknown_language_is_a_usage_error(samples: Path) -> None:
    result = CliRunner().invoke(cli, ["info", "--lang", "klingon", str(samples / "composer.ru.srt")])
    assert result.exit_code == 2
    assert "unknown language 'klingon'" in result.stderr


def test_lint_reports_lines_and_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n"
        "3\n00:00:0x,000 --> 00:00:07,000\nbroken timing\n\n4\n00:00:03,000 --> 00:00:03,500\nearly\n",
        encoding="utf-8",
    )
    result = _run("lint", "--json", str(path))
    assert result.exit_code == 3
    issues = json.loads(result.output)[0]["issues"]
    codes = {(i["code"], i["line"], i["cue"]) for i in issues}
    assert ("end-before-start", None, 2) in codes
    assert ("out-of-order", None, 3) in codes
    assert any(code == "bad-timing" and line == 10 for code, line, _ in codes)
    assert any(code == "malformed-block" and line == 9 for code, line, _ in codes)  # the block starts at its index


def test_lint_clean_sample_exits_0(samples: Path) -> None:
    result = _run("lint", str(samples / "composer.ru.srt"), str(samples / "composer.kk.ass"))
    assert result.exit_code == 0, result.output


def test_lint_mixed_encodings() -> None:
    result = _run("lint", "--json", str(CORPUS / "pysubs2" / "srt_mixed_encodings.srt"))
    assert result.exit_code == 3
    assert any(i["code"] == "mixed-encodings" for i in json.loads(result.output)[0]["issues"])


def test_debug_shows_traceback(tmp_path: Path) -> None:
    path = tmp_path / "e.srt"
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["--debug", "info", str(path)])
    assert result.exit_code == 1 and result.exception is not None


def test_real_subprocess_and_module_entry(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "kk.vtt"
    proc = subprocess.run(
        [sys.executable, "-m", "dubdesk", "convert", str(samples / "composer.kk.ass"), "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Бақытжан Байқадамов" in out.read_text(encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "dubdesk", "info", str(tmp_path / "missing.srt")], capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "no such file" in bad.stderr


def test_conformance_corpus_at_least_95_percent() -> None:
    assert CORPUS.is_dir(), "the shared conformance corpus must sit beside the repository (../shared/corpus)"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "conformance.py"), str(CORPUS)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "0 tracebacks" in proc.stdout
