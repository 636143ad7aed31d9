"""Profiles are data with sources; names, audiences, user files and overrides."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dubdesk.errors import ProfileError, UnknownProfileError
from dubdesk.profiles import PROFILE_DIR, VALUE_TYPES
from dubdesk.qa import load_profile, shipped_profiles


def test_shipped_profiles() -> None:
    assert shipped_profiles() == ["en", "kk", "ru", "zh-Hans", "zh-Hant"]


@pytest.mark.parametrize("path", sorted(PROFILE_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_number_has_source_and_date(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for section in ("values", "children"):
        for key, entry in data.get(section, {}).items():
            assert key in VALUE_TYPES
            assert isinstance(entry, dict) and {"value", "source", "date"} <= set(entry), f"{path.name}: {key}"
            assert entry["source"].strip() and entry["date"].strip()
            # a primary document, never this project's own design notes
            assert "DESIGN" not in entry["source"], f"{path.name}: {key}"
            assert entry["source"].startswith(("derived", "assumed")) or any(
                doc in entry["source"] for doc in ("Netflix", "Pellegrino")
            ), f"{path.name}: {key}"


@pytest.mark.parametrize(
    ("name", "chars", "cps", "half"),
    [("zh-Hans", 16, 9, 0.5), ("zh-Hans-children", 16, 7, 0.5), ("ru", 39, 17, 1.0), ("ru-children", 39, 13, 1.0),
     ("kk", 39, 17, 1.0), ("en", 42, 17, 1.0), ("en-children", 42, 13, 1.0), ("zh-Hant", 16, 9, 0.5),
     ("zh-CN", 16, 9, 0.5)],
)  # fmt: skip
def test_values(name: str, chars: int, cps: int, half: float) -> None:
    p = load_profile(name)
    assert (p.max_chars_per_line, p.max_cps, p.halfwidth_weight) == (chars, cps, half)
    assert (p.max_lines, p.min_duration_ms, p.max_duration_ms, p.min_gap_frames, p.chain_gap_ms) == (2, 833, 7000, 2, 500)


def test_kazakh_is_marked_derived_from_russian() -> None:
    kk = load_profile("kk")
    assert kk.derived and kk.derived_from == "ru"
    assert "derived" in kk.sources["max_cps"].source


def test_english_has_words_per_minute() -> None:
    assert load_profile("en").max_wpm == 200
    assert load_profile("en", audience="children").max_wpm == 160


def test_overrides_and_user_file(tmp_path: Path) -> None:
    p = load_profile("ru", overrides={"max_cps": "15"})
    assert p.max_cps == 15 and p.sources["max_cps"].source == "user override"
    user = tmp_path / "broadcaster.toml"
    user.write_text('[profile]\nname = "kz-tv"\nextends = "kk"\n[values]\nmax_chars_per_line = 37\n'
                    '[values.max_cps]\nvalue = 15\nsource = "KZ TV house rules"\ndate = "2024-05"\n', encoding="utf-8")  # fmt: skip
    q = load_profile(str(user))
    assert (q.name, q.language, q.max_chars_per_line, q.max_cps, q.max_lines) == ("kz-tv", "kk", 37, 15, 2)
    assert q.sources["max_cps"].source == "KZ TV house rules"


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(UnknownProfileError) as exc:
        load_profile("tlh")
    assert exc.value.exit_code == 2
    with pytest.raises(UnknownProfileError):
        load_profile(str(tmp_path / "missing.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text("[values]\nmax_cpz = 3\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="max_cpz"):
        load_profile(str(bad))
    with pytest.raises(ProfileError):
        load_profile("ru", overrides={"max_cps": "fast"})
