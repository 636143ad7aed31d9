"""Shared fixtures: repository paths and an isolated dubdesk home for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "composer"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Models and translation memory go to a temporary home, never the user's."""
    home = tmp_path_factory.mktemp("dubdesk-home")
    monkeypatch.setenv("DUBDESK_HOME", str(home))
    monkeypatch.delenv("DUBDESK_MEMORY", raising=False)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def ffmpeg_installed() -> None:
    """The project's set-up installs ffmpeg: without it the media tests fail, they never skip."""
    import shutil

    missing = [name for name in ("ffmpeg", "ffprobe") if shutil.which(name) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not on PATH: run ./setup.sh (it installs the OS package)")
