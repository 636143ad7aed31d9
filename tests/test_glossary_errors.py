"""Bad glossaries: one line per bad row with file and line; conflicts refused naming both entries."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import GlossaryError, GlossaryInvalidError
from dubdesk.glossary import load_glossary

BAD_ROWS = """[glossary]
name = "bad"

[[term]]
id = "a"
kind = "persn"

[term.ru]
approved = "Алматы"

[[term]]
id = "b"

[term.xx]
approved = "x"

[[term]]
id = "c"

[term.kk]
approved = ""
variants = "Алма-Ата"
spelling = "z"
"""

CONFLICT = """[[term]]
id = "almaty"
[term.ru]
approved = "Алматы"

[[term]]
id = "old-capital"
[term.ru]
approved = "Алма-Ата"
variants = ["Алматы"]
"""


def test_each_bad_row_is_one_line_with_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.toml"
    path.write_text(BAD_ROWS, encoding="utf-8")
    with pytest.raises(GlossaryInvalidError) as info:
        load_glossary(path)
    lines = info.value.lines()
    assert [p.line for p in info.value.problems] == [6, 14, 21, 22, 23]
    for line in lines:
        assert line.startswith(f"{path}:") and "\n" not in line
    assert "persn" in lines[0] and "'xx'" in lines[1] and "approved" in lines[2] and "variants" in lines[3] and "spelling" in lines[4]
    r = CliRunner().invoke(cli, ["glossary", "validate", str(path)])
    assert r.exit_code == 1
    assert [x for x in r.output.splitlines() if x.startswith("error:")] == [f"error: {x}" for x in lines]
    r = CliRunner().invoke(cli, ["glossary", "check", "samples/composer/composer.ru.srt", "-g", str(path)])
    assert r.exit_code == 1
    assert len([x for x in r.output.splitlines() if x.startswith("dubdesk: error:")]) == 5


def test_toml_syntax_error_names_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "syntax.toml"
    path.write_text('[[term]]\nid = "a"\n[term.ru]\napproved = "Алматы\n', encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert info.value.line == 4 and str(path) in str(info.value)


def test_conflict_is_refused_naming_both_entries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "conflict.toml"
    path.write_text(CONFLICT, encoding="utf-8")
    with pytest.raises(GlossaryInvalidError) as info:
        load_glossary(path)
    msg = str(info.value)
    assert "'almaty'" in msg and "'old-capital'" in msg and "Алматы" in msg
    assert "line 3" in msg and info.value.line == 8


def test_duplicates_and_self_conflicts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dup.toml"
    path.write_text('[[term]]\nid = "a"\n[term.en]\napproved = "X"\nvariants = ["x"]\n\n[[term]]\nid = "a"\n[term.en]\napproved = "Y"\n', encoding="utf-8")
    with pytest.raises(GlossaryInvalidError) as info:
        load_glossary(path)
    text = "\n".join(info.value.lines())
    assert "duplicate id 'a'" in text and "listed as variant and as approved" in text


def test_shipped_glossaries_validate() -> None:
    r = CliRunner().invoke(cli, ["glossary", "validate", "glossaries/composer.toml", "--json"])
    assert r.exit_code == 0, r.output
    assert '"ok": true' in r.output
    assert "bawrsak-theater" in r.output  # warned: no approved ru/kk/zh form yet


def test_missing_file() -> None:
    r = CliRunner().invoke(cli, ["glossary", "show", "nope.toml"])
    assert r.exit_code == 1 and "nope.toml" in r.output
