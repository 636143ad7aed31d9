"""Seasons: many episode manifests built as one batch.

A season is one of:

* a ``season.toml`` naming its episodes (globs allowed) with shared defaults::

      [season]
      name = "To the Wonder"
      episodes = ["ep*/dubdesk.toml"]    # default: every */dubdesk.toml beside this file
      output = "out"                     # episodes go to out/<episode>/, the season report to out/

      [defaults]                         # same tables as an episode manifest
      glossary = "glossary.toml"
      [defaults.targets.kk]
      translate = true
      [defaults.qa]
      profile = "kk-children"
      fail_on = "error"

* a folder holding ``season.toml``, or holding episode folders with a ``dubdesk.toml`` each;
* a list of episode manifests (``dubdesk build ep*/dubdesk.toml``).

Paths in ``[defaults]`` are relative to the season file; a value an episode sets wins, and a
target table an episode lists replaces the season's table for that target. Episodes that set no
``[output] folder`` get ``<season output>/<episode name>``.
"""

from __future__ import annotations

import glob
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ManifestError
from ..project import Manifest, load_manifest

SEASON_FILE = "season.toml"
EPISODE_FILE = "dubdesk.toml"

_SEASON_KEYS = {"season", "defaults"}
_SEASON_TABLE_KEYS = {"name", "episodes", "output"}
_DEFAULT_KEYS = {"glossary", "targets", "qa", "output", "episode"}


@dataclass
class Season:
    """Episodes (manifests, season defaults applied) and where the season report goes."""

    name: str
    episodes: list[Manifest]
    output: Path  #: the season report's folder
    path: Path | None = None  #: the season.toml, if there is one
    defaults: dict[str, Any] = field(default_factory=dict)

    def episode(self, name: str) -> Manifest:
        for m in self.episodes:
            if m.name == name:
                return m
        raise KeyError(name)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every (source, target) language pair the season translates, in first-seen order."""
        seen: dict[tuple[str, str], None] = {}
        for m in self.episodes:
            for t in m.targets:
                if t.translate:
                    seen[(m.source.language, t.language)] = None
        return list(seen)


def _absolute_defaults(table: dict[str, Any], base: Path, where: Path) -> dict[str, Any]:
    """The season's ``[defaults]`` with its paths made absolute (they are relative to season.toml)."""
    unknown = sorted(set(table) - _DEFAULT_KEYS)
    if unknown:
        raise ManifestError(
            f"unknown key {unknown[0]!r} in [defaults]", path=str(where), hint="known: " + ", ".join(sorted(_DEFAULT_KEYS))
        )

    def absolute(value: Any) -> Any:
        if isinstance(value, str) and value:
            p = Path(value).expanduser()
            return str(p if p.is_absolute() else base / p)
        return value

    out: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in table.items()}
    g = out.get("glossary")
    if isinstance(g, str):
        out["glossary"] = absolute(g)
    elif isinstance(g, dict) and "path" in g:
        out["glossary"] = {**g, "path": absolute(g["path"])}
    qa = out.get("qa")
    if isinstance(qa, dict) and isinstance(qa.get("profile"), str) and qa["profile"].endswith(".toml"):
        qa["profile"] = absolute(qa["profile"])
    output = out.get("output")
    if isinstance(output, dict) and "folder" in output:
        output["folder"] = absolute(output["folder"])
    targets = out.get("targets")
    if isinstance(targets, dict):
        fixed: dict[str, Any] = {}
        for tag, t in targets.items():
            if isinstance(t, dict):
                t = {k: (absolute(v) if k in {"subtitles", "audio"} else v) for k, v in t.items()}
            fixed[tag] = t
        out["targets"] = fixed
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ManifestError("no such season file", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read the season file: {exc}", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML: {exc}", path=str(path)) from exc


def _episode_paths(patterns: list[str], base: Path, where: Path) -> list[Path]:
    found: dict[Path, None] = {}
    for pattern in patterns:
        full = pattern if os.path.isabs(pattern) else str(base / pattern)
        matches = sorted(glob.glob(full)) if glob.has_magic(full) else [full]
        if not matches:
            raise ManifestError(f"no episode manifest matches {pattern!r}", path=str(where))
        for match in matches:
            p = Path(match)
            found[(p / EPISODE_FILE) if p.is_dir() else p] = None
    return list(found)


def _load_episodes(paths: list[Path], defaults: dict[str, Any], output: Path, where: Path | None) -> list[Manifest]:
    episodes: list[Manifest] = []
    names: dict[str, Path] = {}
    for path in paths:
        has_folder = "folder" in ((_read_toml(path) if path.is_file() else {}).get("output") or {})
        m = load_manifest(path, defaults=defaults)
        if not has_folder and "folder" not in (defaults.get("output") or {}):
            m.output_folder = output / m.name
        if m.name in names:
            raise ManifestError(
                f"two episodes are named {m.name!r} ({names[m.name]} and {path})",
                path=None if where is None else str(where),
                hint="set [episode] name in one of them",
            )
        names[m.name] = path
        episodes.append(m)
    if not episodes:
        raise ManifestError("the season has no episodes", path=None if where is None else str(where))
    return episodes


def load_season(path: str | os.PathLike[str] | list[str | os.PathLike[str]], *, output: str | os.PathLike[str] | None = None) -> Season:
    """Read a season: a season.toml, a folder (with a season.toml or episode folders), or a list
    of episode manifests. ``output`` overrides where the season report goes."""
    if isinstance(path, list):
        paths = [Path(p) / EPISODE_FILE if Path(p).is_dir() else Path(p) for p in path]
        if not paths:
            raise ManifestError("no episode manifests given")
        base = Path(os.path.commonpath([p.resolve().parent for p in paths]))
        out = Path(output) if output is not None else base / "season-out"
        return Season(name=base.name, episodes=_load_episodes(paths, {}, out, None), output=out)
    p = Path(path)
    if p.is_dir():
        if (p / SEASON_FILE).is_file():
            p = p / SEASON_FILE
        else:
            paths = sorted(p.glob(f"*/{EPISODE_FILE}"))
            if not paths:
                raise ManifestError("no season.toml and no */dubdesk.toml in this folder", path=str(p))
            out = Path(output) if output is not None else p / "season-out"
            return Season(name=p.resolve().name, episodes=_load_episodes(paths, {}, out, None), output=out)
    data = _read_toml(p)
    unknown = sorted(set(data) - _SEASON_KEYS)
    if unknown:
        raise ManifestError(f"unknown table {unknown[0]!r} in a season file", path=str(p), hint="use [season] and [defaults]")
    base = p.resolve().parent
    table = data.get("season") or {}
    if not isinstance(table, dict) or set(table) - _SEASON_TABLE_KEYS:
        raise ManifestError("[season] takes name, episodes, output", path=str(p))
    patterns = table.get("episodes", [f"*/{EPISODE_FILE}"])
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not all(isinstance(x, str) for x in patterns):
        raise ManifestError("[season] episodes must be a list of manifest paths or globs", path=str(p))
    defaults = _absolute_defaults(data.get("defaults") or {}, base, p)
    out_value = table.get("output", "out")
    if not isinstance(out_value, str):
        raise ManifestError("[season] output must be a folder", path=str(p))
    out = Path(output) if output is not None else base / out_value
    episodes = _load_episodes(_episode_paths(patterns, base, p), defaults, out, p)
    return Season(name=str(table.get("name") or base.name), episodes=episodes, output=out, path=p, defaults=defaults)


def is_season(paths: list[str]) -> bool:
    """Whether ``dubdesk build PATHS`` means a season (several manifests, a season.toml, or a
    folder of episode folders) rather than one episode."""
    if len(paths) != 1:
        return True
    p = Path(paths[0])
    if p.is_dir():
        return not (p / EPISODE_FILE).is_file()
    if p.name == SEASON_FILE:
        return True
    if p.suffix == ".toml" and p.is_file():
        try:
            return "season" in tomllib.loads(p.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return False
    return False
