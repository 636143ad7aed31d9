"""Fixtures for the episode-manifest tests: the sample media and a toy ru→en model."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "composer"
SAMPLE_MANIFEST = SAMPLES / "dubdesk.toml"


def ensure_sample_media() -> None:
    """Run the set-up step that makes samples/media (idempotent, ~2 s the first time)."""
    subprocess.run(["bash", str(ROOT / "scripts" / "prepare.d" / "10-sample-media.sh")], check=True, capture_output=True)


def install_toy_model(tmp_path: Path, source: str = "ru", target: str = "en") -> None:
    """A real (copying) CTranslate2 Argos package installed into the test's DUBDESK_HOME."""
    from dubdesk.testing import toymodel
    from dubdesk.translate import models, routes

    package = toymodel.build_argos_package(tmp_path / f"toy-{source}-{target}.argosmodel", source, target, extra_metadata={"demo": True})
    models.install(package)
    routes.clear_engine_cache()


def planted() -> dict[str, object]:
    return tomllib.loads((SAMPLES / "PLANTED.toml").read_text(encoding="utf-8"))


@pytest.fixture
def sample_media() -> Path:
    ensure_sample_media()
    return ROOT / "samples" / "media"
