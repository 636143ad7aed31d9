"""The shared validator: glossaries, profiles and the manifest report a bad value the same way (path, line, hint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dubdesk.errors import GlossaryError, GlossaryInvalidError, ProfileError
from dubdesk.glossary import loads_toml
from dubdesk.profiles import load_profile
from dubdesk.validation import Problems, require, toml_lines


def test_problems_collect_every_bad_value_with_its_line() -> None:
    problems = Problems("g.toml", GlossaryError)
    assert problems.check(True, "bool", "dnt", 3)
    assert not problems.check("yes", "bool", "dnt", 4)
    assert not problems.check(["a", " "], "names", "accepted", 7, "one form a string")
    assert [e.one_line() for e in problems] == [
        "g.toml:4: dnt must be true or false",
        "g.toml:7: accepted must be a list of non-empty strings (one form a string)",
    ]


def test_require_raises_the_files_own_error() -> None:
    with pytest.raises(ProfileError, match=r"^p\.toml: \[profile\] must be a table$"):
        require(3, "table", "[profile]", error=ProfileError, path="p.toml")


def test_a_glossary_reports_every_bad_row_at_its_line() -> None:
    text = '[[term]]\nid = "a"\ndnt = "yes"\n\n[term.ru]\napproved = ""\naccepted = [1]\n'
    with pytest.raises(GlossaryInvalidError) as exc:
        loads_toml(text, "g.toml")
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (3, "entry 'a': dnt must be true or false"),
        (6, "entry 'a' [ru]: approved must be a non-empty string"),
        (7, "entry 'a' [ru]: accepted must be a list of non-empty strings"),
    ]


def test_a_profile_with_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text('[profile]\nname = "mine"\nmax_cps = \n', encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(str(bad))
    assert exc.value.line == 3 and exc.value.message.startswith("malformed profile: ")


def test_toml_lines_index_tables_and_keys_but_not_arrays_of_tables() -> None:
    text = 'top = 1\n[episode]\nvideo = "v"  # comment\n\n[targets."zh-Hans"]\n"title" = "x"\n[[term]]\nid = 2\n'
    assert toml_lines(text) == {
        "top": 1, "episode": 2, "episode.video": 3, "targets.zh-Hans": 5, "targets.zh-Hans.title": 6
    }  # fmt: skip
