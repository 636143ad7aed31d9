"""TBX: export then import gives the same glossary; hostile XML is refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import GlossaryError
from dubdesk.glossary import load_glossary
from dubdesk.glossary.tbx import dumps_tbx, loads_tbx
from glossary_helpers import COMPOSER, glossary

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<martif type="TBX-Basic"><text><body><termEntry id="x"><langSet xml:lang="en"><tig><term>&lol3;</term></tig></langSet></termEntry></body></text></martif>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif type="TBX-Basic"><text><body><termEntry id="x"><langSet xml:lang="en"><tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>
"""

CAT_TOOL_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
 <martifHeader><fileDesc><titleStmt><title>From a CAT tool</title></titleStmt></fileDesc></martifHeader>
 <text><body>
  <termEntry id="c1">
   <descrip type="definition">A city</descrip>
   <langSet xml:lang="en-US"><tig><term>Almaty</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
     <tig><term>Alma-Ata</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig></langSet>
   <langSet xml:lang="ru-RU"><tig><term>Алматы</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
     <tig><term>Алма-Ата</term><termNote type="normativeAuthorization">deprecatedTerm</termNote></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""


def test_export_import_round_trip_is_equal() -> None:
    g = glossary()
    back = loads_tbx(dumps_tbx(g))
    assert back == g
    assert back.entries[0].langs == g.entries[0].langs


def test_cli_export_import_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    tbx, toml = tmp_path / "g.tbx", tmp_path / "g.toml"
    assert runner.invoke(cli, ["glossary", "export", str(COMPOSER), "-o", str(tbx)]).exit_code == 0
    assert runner.invoke(cli, ["glossary", "import", str(tbx), "-o", str(toml)]).exit_code == 0
    assert load_glossary(toml) == glossary() == load_glossary(tbx)
    # a .tbx works wherever --glossary is accepted
    r = runner.invoke(cli, ["glossary", "check", "samples/composer/composer.zh-Hans.srt", "-g", str(tbx)])
    assert r.exit_code == 3


def test_cat_tool_tbx_statuses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    g = loads_tbx(CAT_TOOL_TBX.encode())
    e = g.entry("c1")
    assert g.name == "From a CAT tool"
    assert e.langs["en"].approved == "Almaty" and e.langs["en"].forbidden == ["Alma-Ata"]
    assert e.langs["ru"].approved == "Алматы" and e.langs["ru"].variants == ["Алма-Ата"]


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_malicious_tbx_is_refused(tmp_path, data: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "evil.tbx"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert "evil.tbx" in str(info.value) and "entity" in str(info.value)
    r = CliRunner().invoke(cli, ["glossary", "validate", str(path)])
    assert r.exit_code == 1
    assert "evil.tbx" in r.output and "refused" in r.output
    assert "root:" not in r.output  # /etc/passwd never read


def test_broken_xml_names_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.tbx"
    path.write_text("<martif>\n<text>\n<body>\n</text></martif>", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert info.value.line == 4 and "broken.tbx:4:" in str(info.value)
