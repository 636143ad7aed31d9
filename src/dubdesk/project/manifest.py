"""The episode manifest (``dubdesk.toml``): its schema and reading it.

Paths in a manifest are relative to the manifest's folder. Every problem is a
:class:`~dubdesk.errors.ManifestError` naming the file, the line of the table or
key at fault (the shared :mod:`dubdesk.validation` helper) and a hint. See docs/media.md.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import languages
from ..errors import ManifestConflictError, ManifestError, UnknownLanguageError
from ..qa.audio import delivery_profiles
from ..validation import require, toml_lines, toml_syntax_error

STATE_FILE = ".dubdesk-state.json"
#: ``[qa] fail_on``: the lowest severity that stops a build ("never": nothing stops it)
FAIL_ON = ("error", "warning", "info", "never")
CONTAINERS = ("mkv", "mp4", "webm")


@dataclass
class LanguageSpec:
    """One language of the delivery: its subtitles (a file, or None: translate) and dub audio."""

    language: str  #: canonical BCP 47
    subtitles: Path | None = None
    audio: Path | None = None
    translate: bool = False  #: no subtitle file: translate from the source
    forced: bool = False
    sdh: bool = False
    title: str | None = None
    is_source: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "subtitles": None if self.subtitles is None else str(self.subtitles),
            "audio": None if self.audio is None else str(self.audio),
            "translate": self.translate,
            "forced": self.forced,
            "sdh": self.sdh,
            "title": self.title,
        }


@dataclass
class Manifest:
    path: Path
    name: str
    video: Path
    source: LanguageSpec
    targets: list[LanguageSpec]
    original_language: str | None = None
    glossary: Path | None = None
    qa_profile: str | None = None
    qa_fix: bool = True
    fail_on: str = "error"  #: one of :data:`FAIL_ON`
    qa_delivery: str | None = None  #: ``[qa] delivery``: dub audio QA against this delivery profile
    qa_shots: bool | Path = False  #: ``[qa] shot_changes``: true (detect from the video) or a shot list file
    output_folder: Path = Path("out")
    output_name: str = "episode.mkv"
    container: str | None = None
    default_audio: str | None = None
    default_subtitles: str | None = None
    keep_original_audio: bool = True

    @property
    def languages(self) -> list[LanguageSpec]:
        """Source first, then targets in manifest order."""
        return [self.source, *self.targets]

    @property
    def output(self) -> Path:
        return self.output_folder / self.output_name

    @property
    def state_path(self) -> Path:
        return self.output_folder / STATE_FILE

    def subtitle_output(self, spec: LanguageSpec) -> Path:
        """Where the delivered (glossary-applied, fixed or translated) subtitles of ``spec`` go."""
        if spec.subtitles is not None:
            ext = spec.subtitles.suffix.lower()
            ext = ext if ext in {".srt", ".ass", ".ssa", ".vtt"} else ".srt"
        else:
            src = self.source.subtitles
            ext = src.suffix.lower() if src is not None and src.suffix.lower() in {".srt", ".ass", ".vtt"} else ".srt"
        return self.output_folder / "subtitles" / f"{self.name}.{spec.language}{ext}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "name": self.name,
            "video": str(self.video),
            "original_language": self.original_language,
            "source": self.source.to_dict(),
            "targets": [t.to_dict() for t in self.targets],
            "glossary": None if self.glossary is None else str(self.glossary),
            "qa": {"profile": self.qa_profile, "fix": self.qa_fix, "fail_on": self.fail_on,
                   "delivery": self.qa_delivery,
                   "shot_changes": str(self.qa_shots) if isinstance(self.qa_shots, Path) else self.qa_shots},
            "output": str(self.output),
            "container": self.container,
        }  # fmt: skip


# ---------------------------------------------------------------------------- reading

_TOP_KEYS = {"episode", "source", "targets", "glossary", "qa", "output"}
_EPISODE_KEYS = {"name", "video", "original_language"}
_LANG_KEYS = {"language", "subtitles", "audio", "forced", "sdh", "title", "translate"}
_QA_KEYS = {"profile", "fix", "fail_on", "delivery", "shot_changes"}
_OUTPUT_KEYS = {"folder", "name", "container", "default_audio", "default_subtitles", "keep_original_audio"}
_NAMED_CONTAINER = {".mkv": "mkv", ".mka": "mkv", ".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".webm": "webm"}


class _Reader:
    """The manifest being read: its path, folder and the line of every table and key, so each
    error names where it is (``table`` and ``key`` are dotted TOML names: ``targets.kk``, ``audio``)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.base = path.resolve().parent
        self.lines = toml_lines(text)

    def line(self, table: str, key: str | None = None) -> int | None:
        found = self.lines.get(f"{table}.{key}") if key else None
        return found if found is not None else self.lines.get(table)

    def error(self, message: str, table: str, key: str | None = None, hint: str | None = None) -> ManifestError:
        return ManifestError(message, path=str(self.path), line=self.line(table, key), hint=hint)

    def table(self, value: Any, allowed: set[str], table: str) -> dict[str, Any]:
        label = "manifest" if table == "" else table
        require(value, "table", f"[{label}]", error=ManifestError, path=str(self.path), line=self.line(table))
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.error(f"unknown key {unknown[0]!r} in [{label}]", table, unknown[0],
                             hint="known: " + ", ".join(sorted(allowed)))  # fmt: skip
        return dict(value)

    def tag(self, value: Any, table: str, key: str | None = None) -> str:
        what = f"[{table}] {key}" if key else f"[{table}]"
        if not isinstance(value, str):
            raise self.error(f"{what}: a language tag is needed", table, key)
        try:
            return languages.normalize(value)
        except UnknownLanguageError as exc:
            raise self.error(f"{what}: {exc.message}", table, key, hint=exc.hint) from exc

    def file(self, value: Any, table: str, key: str) -> Path:
        if not isinstance(value, str) or not value:
            raise self.error(f"{_what(table, key)} must be a file path", table, key)
        p = Path(value).expanduser()
        return Path(os.path.normpath(p if p.is_absolute() else self.base / p))

    def flag(self, value: Any, table: str, key: str) -> bool:
        require(value, "bool", _what(table, key), error=ManifestError, path=str(self.path), line=self.line(table, key))
        return bool(value)


def _what(table: str, key: str) -> str:
    return f"[{table}] {key}" if table else key


def _read_toml(path: str | os.PathLike[str]) -> tuple[Path, str, dict[str, Any]]:
    mpath = Path(path)
    if mpath.is_dir():
        mpath = mpath / "dubdesk.toml"
    try:
        raw = mpath.read_bytes()
    except FileNotFoundError:
        raise ManifestError("no such manifest", path=str(mpath), hint="create dubdesk.toml (see docs/media.md)") from None
    except OSError as exc:
        raise ManifestError(f"cannot read manifest: {exc.strerror or exc}", path=str(mpath)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError("manifest is not UTF-8", path=str(mpath)) from exc
    try:
        return mpath, text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = toml_syntax_error(exc)
        raise ManifestError(f"not valid TOML: {message}", path=str(mpath), line=line) from exc


def _merged(defaults: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` over ``defaults``, table by table (a value in the episode wins)."""
    out = dict(defaults)
    for key, value in data.items():
        base = out.get(key)
        out[key] = _merged(base, value) if isinstance(base, dict) and isinstance(value, dict) else value
    return out


def _with_defaults(data: dict[str, Any], defaults: dict[str, Any] | None) -> dict[str, Any]:
    if not defaults:
        return data
    # a target the episode lists replaces the season's table of that target whole
    target_tables = {**(defaults.get("targets") or {}), **(data.get("targets") or {})}
    merged = _merged(defaults, data)
    if target_tables:
        merged["targets"] = target_tables
    return merged


def load_manifest(
    path: str | os.PathLike[str] = "dubdesk.toml", *, defaults: dict[str, Any] | None = None
) -> Manifest:
    """Read and check an episode manifest; paths are resolved against its folder.

    ``defaults`` (a season's shared settings, same tables as a manifest, paths
    absolute) fill in what the manifest does not set. ``{episode}`` in
    ``[output] folder`` is the episode's name.

    Raises :class:`~dubdesk.errors.ManifestError` naming the file and the line
    for anything malformed: TOML syntax, unknown keys, unknown languages, a
    target both given and to be translated.
    """
    mpath, text, data = _read_toml(path)
    r = _Reader(mpath, text)
    r.table(data, _TOP_KEYS, "")
    data = _with_defaults(data, defaults)
    name, video, original = _episode(r, data.get("episode", {}))
    source = _source(r, data.get("source"))
    targets = _targets(r, data.get("targets", {}), source.language)
    glossary = _glossary(r, data.get("glossary"))
    return Manifest(
        path=mpath,
        name=name,
        video=video,
        source=source,
        targets=targets,
        original_language=original,
        glossary=glossary,
        **_qa(r, data.get("qa", {})),
        **_output(r, data.get("output", {}), name),
    )


def _episode(r: _Reader, table: Any) -> tuple[str, Path, str | None]:
    episode = r.table(table, _EPISODE_KEYS, "episode")
    if "video" not in episode:
        raise r.error("[episode] needs video = \"FILE\"", "episode")
    video = r.file(episode["video"], "episode", "video")
    name = episode.get("name") or video.stem
    if not isinstance(name, str) or "/" in name or name.startswith("."):
        raise r.error("[episode] name must be a plain file stem", "episode", "name")
    original = episode.get("original_language")
    return name, video, None if original is None else r.tag(original, "episode", "original_language")


def _source(r: _Reader, table: Any) -> LanguageSpec:
    if table is None:
        raise r.error("missing [source] (subtitles and language of the source)", "")
    if not isinstance(table, dict) or "language" not in table:
        raise r.error("[source] needs language = \"TAG\"", "source")
    return _language(r, table, r.tag(table["language"], "source", "language"), "source", is_source=True)


def _targets(r: _Reader, tables: Any, source: str) -> list[LanguageSpec]:
    if not isinstance(tables, dict):
        raise r.error("[targets] must be tables like [targets.kk]", "targets")
    targets: list[LanguageSpec] = []
    seen = {source}
    for key, table in tables.items():
        where = f"targets.{key}"
        tag = r.tag(key, where)
        if tag in seen:
            raise r.error(f"[{where}]: {tag} is listed twice (or is the source)", where)
        seen.add(tag)
        if isinstance(table, dict) and "language" in table:
            raise r.error(f"[{where}]: the language is the table name; drop language =", where, "language")
        targets.append(_language(r, table, tag, where, is_source=False))
    return targets


def _language(r: _Reader, table: Any, tag: str, where: str, *, is_source: bool) -> LanguageSpec:
    t = r.table(table, _LANG_KEYS, where)
    spec = LanguageSpec(language=tag, is_source=is_source)
    if "subtitles" in t:
        spec.subtitles = r.file(t["subtitles"], where, "subtitles")
    if "audio" in t:
        spec.audio = r.file(t["audio"], where, "audio")
    spec.forced = r.flag(t.get("forced", False), where, "forced")
    spec.sdh = r.flag(t.get("sdh", False), where, "sdh")
    if "title" in t:
        if not isinstance(t["title"], str):
            raise r.error(f"[{where}] title must be text", where, "title")
        spec.title = t["title"]
    translate = r.flag(t.get("translate", spec.subtitles is None), where, "translate")
    if is_source:
        if spec.subtitles is None:
            raise r.error("[source] needs subtitles = \"FILE\"", "source")
        translate = False
    elif translate and spec.subtitles is not None:
        raise r.error(f"[{where}] has subtitles and translate = true; choose one", where, "translate")
    elif not translate and spec.subtitles is None:
        raise r.error(f"[{where}] has no subtitles and translate = false", where, "translate")
    spec.translate = translate
    return spec


def _glossary(r: _Reader, value: Any) -> Path | None:
    if isinstance(value, str):
        return r.file(value, "", "glossary")
    if isinstance(value, dict):
        r.table(value, {"path"}, "glossary")
        return r.file(value.get("path"), "glossary", "path")
    if value is not None:
        raise r.error("glossary must be a path", "", "glossary")
    return None


def _qa(r: _Reader, table: Any) -> dict[str, Any]:
    """``[qa]`` as the Manifest fields it sets."""
    qa = r.table(table, _QA_KEYS, "qa")
    fail_on = str(qa.get("fail_on", "error")).lower()
    if fail_on not in FAIL_ON:
        raise r.error(f"[qa] fail_on = {fail_on!r}", "qa", "fail_on", hint="use " + ", ".join(FAIL_ON))
    profile = qa.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise r.error("[qa] profile must be a profile name or file", "qa", "profile")
    delivery = qa.get("delivery")
    if delivery is not None:
        if not isinstance(delivery, str) or delivery.lower() not in delivery_profiles():
            raise r.error(f"[qa] delivery = {delivery!r}", "qa", "delivery",
                          hint="use one of " + ", ".join(delivery_profiles()))  # fmt: skip
        delivery = delivery.lower()
    shots = qa.get("shot_changes", False)
    return {
        "qa_profile": profile,
        "qa_fix": r.flag(qa.get("fix", True), "qa", "fix"),
        "fail_on": fail_on,
        "qa_delivery": delivery,
        "qa_shots": r.file(shots, "qa", "shot_changes") if isinstance(shots, str)
        else r.flag(shots, "qa", "shot_changes"),
    }  # fmt: skip


def _output(r: _Reader, table: Any, episode: str) -> dict[str, Any]:
    """``[output]`` as the Manifest fields it sets."""
    out = r.table(table, _OUTPUT_KEYS, "output")
    container = out.get("container")
    if container is not None and container not in CONTAINERS:
        raise r.error(f"[output] container = {container!r}", "output", "container", hint="use mkv, mp4 or webm")
    name = out.get("name") or f"{episode}.{container or 'mkv'}"
    if not isinstance(name, str) or "/" in name:
        raise r.error("[output] name must be a file name", "output", "name")
    named = _NAMED_CONTAINER.get(Path(name).suffix.lower())
    if container is not None and named is not None and named != container:
        raise ManifestConflictError(
            f"[output] name = {name!r} is {named.upper()} but container = {container!r}",
            path=str(r.path),
            line=r.line("output", "container"),
            hint=f"name it {Path(name).stem}.{container}, or drop container",
        )
    folder = out.get("folder", "out")
    chosen = {
        key: None if out.get(key) is None else r.tag(out[key], "output", key)
        for key in ("default_audio", "default_subtitles")
    }
    return {
        "output_folder": r.file(folder.replace("{episode}", episode) if isinstance(folder, str) else folder,
                                "output", "folder"),
        "output_name": name,
        "container": container,
        **chosen,
        "keep_original_audio": r.flag(out.get("keep_original_audio", True), "output", "keep_original_audio"),
    }  # fmt: skip
