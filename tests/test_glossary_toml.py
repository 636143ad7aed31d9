"""The TOML glossary writer: every string it writes reads back as it was, control characters too."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from dubdesk.glossary import dumps_toml, loads_toml
from dubdesk.glossary.toml_write import toml_string


@given(st.text())
def test_any_string_reads_back(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


def test_control_characters_in_a_note_survive_a_save() -> None:
    # a NUL, an ESC, a lone CR, a form feed and DEL: the old writer wrote them raw, and tomllib refused the file
    note = "pasted from a PDF:\x00\x1b[0m\rline\x0cend\x7f"
    text = '[glossary]\nname = "n"\n\n[[term]]\nid = "a"\nkind = "person"\nnote = ' + toml_string(note) + (
        '\n\n[term.ru]\napproved = "Абай"\n'
    )
    glossary = loads_toml(text)
    again = loads_toml(dumps_toml(glossary))
    assert again.entries[0].note == note
    assert dumps_toml(again) == dumps_toml(glossary)
