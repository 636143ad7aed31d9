"""Model management: install → list → info → routes → remove, and refusing unsafe archives."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import ModelError
from dubdesk.testing import toymodel
from dubdesk.translate import models
from translate_helpers import EN_KK, MULTI, build_package, isolate_model_dirs


@pytest.fixture
def models_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_model_dirs(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def good_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("pkg"), "en", "kk", EN_KK, name="demo-en-kk", extra_metadata={"demo": True})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_install_list_info_routes_remove_cli(models_root: Path, good_package: Path) -> None:
    code, out = run("models", "install", str(good_package), "--json")
    assert code == 0, out
    assert json.loads(out)["pairs"] == ["en>kk"]
    assert (models_root / "demo-en-kk" / "model" / "model.bin").is_file()

    code, out = run("models", "list", "--json")
    listed = json.loads(out)["models"]
    assert [(m["name"], m["kind"], m["demo"]) for m in listed] == [("demo-en-kk", "argos", True)]
    code, out = run("models", "list")
    assert "DEMO" in out and "en→kk" in out

    code, out = run("models", "info", "demo-en-kk", "--json")
    assert code == 0 and json.loads(out)["languages"] == ["en", "kk"]

    code, out = run("models", "routes", "--languages", "en,kk", "--json")
    routes = {(r["source"], r["target"]): r for r in json.loads(out)["routes"]}
    assert routes[("en", "kk")]["kind"] == "direct"
    assert routes[("kk", "en")]["kind"] is None

    code, out = run("models", "install", str(good_package))
    assert code == 1 and "already installed" in out

    code, out = run("models", "remove", "demo-en-kk", "--json")
    assert code == 0 and json.loads(out)["removed"] == "demo-en-kk"
    assert not (models_root / "demo-en-kk").exists()
    code, out = run("models", "info", "demo-en-kk")
    assert code == 1 and out.count("\n") == 1 and "no model named 'demo-en-kk'" in out


def test_install_extracted_folder_and_multilingual_folder(models_root: Path, tmp_path: Path) -> None:
    folder = toymodel.build_argos_package(tmp_path / "ru-kk", "ru", "kk", {"привет": "сәлем"}, extracted=True)
    assert models.install(folder, name="ru-kk").pairs == [("ru", "kk")]
    multi = toymodel.build_multilingual_model(tmp_path / "tiny-m2m", ["en", "ru", "kk"], MULTI)
    installed = models.install(multi)
    assert installed.kind == "multilingual" and installed.family == "m2m100"
    assert ("kk", "ru") in installed.pairs and len(installed.pairs) == 6
    assert {m.name for m in models.list_models()} == {"ru-kk", "tiny-m2m"}


def test_argostranslate_folder_is_shared(models_root: Path, tmp_path: Path) -> None:
    argos_dir = tmp_path / "argos-packages"
    argos_dir.mkdir()
    toymodel.build_argos_package(argos_dir / "translate-ru_en-1_0", "ru", "en", {"мир": "world"}, extracted=True)
    found = models.list_models()
    assert [(m.name, m.origin, m.pairs) for m in found] == [("translate-ru_en-1_0", "argostranslate", [("ru", "en")])]
    with pytest.raises(ModelError, match="argostranslate"):
        models.remove("translate-ru_en-1_0")


# --------------------------------------------------------------------------- unsafe archives


def _copy_members(good: Path, bad: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]], drop: str = "") -> None:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if drop and info.filename.endswith(drop):
                continue
            dst.writestr(info, src.read(info))
        for member, data in extra:
            dst.writestr(member, data)


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


CASES = {
    "traversal": ([("../evil.txt", b"x")], "", "escapes the target folder"),
    "nested traversal": ([("translate-en_kk-1_0/model/../../../evil", b"x")], "", "escapes"),
    "absolute": ([("/tmp/evil.txt", b"x")], "", "absolute path"),
    "windows absolute": ([("C:\\evil.txt", b"x")], "", "absolute path"),
    "symlink": ([(_symlink_info("translate-en_kk-1_0/link"), b"/etc/passwd")], "", "symlink"),
    "no metadata": ([], "metadata.json", "no metadata.json"),
    "no model": ([], "model.bin", "no model"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_unsafe_archive_refused_nothing_left(case: str, models_root: Path, good_package: Path, tmp_path: Path) -> None:
    extra, drop, message = CASES[case]
    bad = tmp_path / "bad.argosmodel"
    _copy_members(good_package, bad, extra, drop)
    with pytest.raises(ModelError, match=message):
        models.install(bad, name="bad")
    assert os.listdir(models_root) == []
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_zip_bomb_refused(models_root: Path, tmp_path: Path, good_package: Path) -> None:
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(good_package) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        # 300 MiB of zeros deflates to ~300 KiB: a ratio no model has
        with dst.open("translate-en_kk-1_0/padding.bin", "w", force_zip64=True) as fh:
            block = bytes(1 << 20)
            for _ in range(300):
                fh.write(block)
    with pytest.raises(ModelError, match="zip bomb"):
        models.install(bomb)
    assert os.listdir(models_root) == []


def test_too_many_members_and_total_size_refused(models_root: Path, good_package: Path) -> None:
    with pytest.raises(ModelError, match="members"):
        models.install(good_package, limits=models.ZipLimits(max_members=3))
    with pytest.raises(ModelError, match="uncompressed"):
        models.install(good_package, limits=models.ZipLimits(max_total_bytes=1000))
    assert os.listdir(models_root) == []


def test_folder_with_symlink_refused(models_root: Path, tmp_path: Path) -> None:
    folder = toymodel.build_argos_package(tmp_path / "pkg", "en", "kk", EN_KK, extracted=True)
    (folder / "link").symlink_to("/etc/passwd")
    with pytest.raises(ModelError, match="symlink"):
        models.install(folder)
    assert os.listdir(models_root) == []


def test_not_a_zip_is_one_clear_line(models_root: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"not a zip at all")
    code, out = run("models", "install", str(junk))
    assert code == 1
    assert out.startswith("dubdesk: error: ") and "not a zip archive" in out and out.count("\n") == 1
    code, out = run("models", "install", str(tmp_path / "missing.argosmodel"))
    assert code == 1 and "not found" in out
    assert os.listdir(models_root) == []
