"""docs/formats.md's feature table is the code's table (markup_map.SUPPORT)."""

from __future__ import annotations

from pathlib import Path

from dubdesk.formats.markup_map import FEATURES, SUPPORT

DOC = Path(__file__).resolve().parent.parent / "docs" / "formats.md"


def test_feature_table_matches_the_code() -> None:
    rows = [ln for ln in DOC.read_text(encoding="utf-8").splitlines() if ln.startswith("| ")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header[0] == "feature"
    table = {}
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    assert list(table) == list(FEATURES)
    for feature, by_format in table.items():
        for fmt, how in by_format.items():
            assert SUPPORT[fmt][feature] == how, (fmt, feature)
