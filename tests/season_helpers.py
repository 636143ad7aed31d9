"""A generated season for the season tests: shifted and varied copies of the sample scene."""

from __future__ import annotations

from pathlib import Path

import pysubs2

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "composer"
MEDIA = ROOT / "samples" / "media"
MODELS = ROOT / "samples" / "models"
TARGETS = ("kk", "en")


def install_demo_models() -> None:
    """The ru→kk and ru→en demo packages (word-for-word CTranslate2 models) into DUBDESK_HOME."""
    from dubdesk.translate import models, routes

    for name in ("demo-ru-kk", "demo-ru-en"):
        models.install(MODELS / f"{name}.argosmodel")
    routes.clear_engine_cache()


def episode_subtitles(number: int) -> str:
    """The sample's Russian cues, shifted by ``number`` × 250 ms, with one cue dropped and the
    order of two lines varied, so that no two episodes are the same file."""
    subs = pysubs2.load(str(SAMPLES / "composer.ru.srt"), encoding="utf-8")
    subs.shift(ms=250 * number)
    if len(subs) > 3:
        del subs.events[number % len(subs)]
    first = subs.events[0]
    first.text = f"Серия {number}. " + first.text
    return str(subs.to_string("srt"))


def make_season(root: Path, episodes: int = 6, *, missing_audio: str | None = None, fail_on: str = "error") -> Path:
    """``root/season.toml`` and ``root/epNN/`` (manifest + subtitles); returns the season file.
    ``missing_audio``: the episode whose Kazakh dub audio names a file that does not exist."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1, episodes + 1):
        name = f"ep{n:02d}"
        folder = root / name
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.ru.srt").write_text(episode_subtitles(n), encoding="utf-8")
        kk_audio = folder / "missing.kk.m4a" if name == missing_audio else MEDIA / "composer.dub.kk.m4a"
        (folder / "dubdesk.toml").write_text(
            f'[episode]\nname = "{name}"\nvideo = "{MEDIA / "composer.mp4"}"\noriginal_language = "zh-Hans"\n\n'
            f'[source]\nlanguage = "ru"\nsubtitles = "{name}.ru.srt"\naudio = "{MEDIA / "composer.dub.ru.m4a"}"\n\n'
            f'[targets.kk]\ntranslate = true\naudio = "{kk_audio}"\n',
            encoding="utf-8",
        )
    (root / "season.toml").write_text(
        '[season]\nname = "The Composer"\nepisodes = ["ep*/dubdesk.toml"]\noutput = "out"\n\n'
        f'[defaults]\nglossary = "{ROOT / "glossaries" / "composer.toml"}"\n\n'
        '[defaults.targets.en]\ntranslate = true\n\n'
        f'[defaults.qa]\nfix = true\nfail_on = "{fail_on}"\n\n'
        '[defaults.output]\ncontainer = "mkv"\ndefault_audio = "kk"\ndefault_subtitles = "kk"\n',
        encoding="utf-8",
    )
    return root / "season.toml"
