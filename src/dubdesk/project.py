"""Episode manifests (``dubdesk.toml``): what goes into one delivery, and building it.

A manifest names the episode video, the source subtitles and their language,
the target languages (each with an existing subtitle file or none, meaning
"translate it", and optionally dub audio), a glossary, the QA policy and the
output. :func:`build` runs load → glossary apply → translate missing targets
→ QA (safe fixes, stop on findings at ``fail_on``) → mux → verify, and records
what each output was made from in a small state file beside the outputs, so
:func:`status` can tell what exists, what is missing and what is stale.

Paths in a manifest are relative to the manifest's folder. See docs/media.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import languages
from .errors import (
    BuildStoppedError,
    DubdeskError,
    ManifestConflictError,
    ManifestError,
    UnknownLanguageError,
    UsageError,
)
from .files import atomic_write_bytes

STATE_FILE = ".dubdesk-state.json"
STATE_VERSION = 1
FAIL_ON = ("error", "warning", "info", "never")

#: progress(step, detail): step is one of load, glossary, translate, shots, qa, qa-audio, mux, verify, done
Progress = Callable[[str, str], None]


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
    fail_on: str = "error"
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
        def lang(s: LanguageSpec) -> dict[str, Any]:
            return {
                "language": s.language,
                "subtitles": None if s.subtitles is None else str(s.subtitles),
                "audio": None if s.audio is None else str(s.audio),
                "translate": s.translate,
                "forced": s.forced,
                "sdh": s.sdh,
                "title": s.title,
            }

        return {
            "path": str(self.path),
            "name": self.name,
            "video": str(self.video),
            "original_language": self.original_language,
            "source": lang(self.source),
            "targets": [lang(t) for t in self.targets],
            "glossary": None if self.glossary is None else str(self.glossary),
            "qa": {"profile": self.qa_profile, "fix": self.qa_fix, "fail_on": self.fail_on,
                   "delivery": self.qa_delivery,
                   "shot_changes": str(self.qa_shots) if isinstance(self.qa_shots, Path) else self.qa_shots},
            "output": str(self.output),
            "container": self.container,
        }


# ---------------------------------------------------------------------------- loading

_TOP_KEYS = {"episode", "source", "targets", "glossary", "qa", "output"}
_EPISODE_KEYS = {"name", "video", "original_language"}
_LANG_KEYS = {"language", "subtitles", "audio", "forced", "sdh", "title", "translate"}
_QA_KEYS = {"profile", "fix", "fail_on", "delivery", "shot_changes"}
_OUTPUT_KEYS = {"folder", "name", "container", "default_audio", "default_subtitles", "keep_original_audio"}


def _check_keys(table: Any, allowed: set[str], where: str, path: Path) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ManifestError(f"[{where}] must be a table", path=str(path))
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ManifestError(
            f"unknown key {unknown[0]!r} in [{where}]", path=str(path), hint="known: " + ", ".join(sorted(allowed))
        )
    return table


def _lang_tag(value: Any, where: str, path: Path) -> str:
    if not isinstance(value, str):
        raise ManifestError(f"{where}: a language tag is needed", path=str(path))
    try:
        return languages.normalize(value)
    except UnknownLanguageError as exc:
        raise ManifestError(f"{where}: {exc.message}", path=str(path), hint=exc.hint) from exc


def _path(value: Any, base: Path, where: str, manifest: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ManifestError(f"{where} must be a file path", path=str(manifest))
    p = Path(value).expanduser()
    return Path(os.path.normpath(p if p.is_absolute() else base / p))


def _bool(value: Any, where: str, path: Path) -> bool:
    if not isinstance(value, bool):
        raise ManifestError(f"{where} must be true or false", path=str(path))
    return value


def _lang_spec(table: Any, tag: str, base: Path, where: str, path: Path, *, is_source: bool) -> LanguageSpec:
    t = _check_keys(table, _LANG_KEYS, where, path)
    spec = LanguageSpec(language=tag, is_source=is_source)
    if "subtitles" in t:
        spec.subtitles = _path(t["subtitles"], base, f"[{where}] subtitles", path)
    if "audio" in t:
        spec.audio = _path(t["audio"], base, f"[{where}] audio", path)
    for flag in ("forced", "sdh"):
        if flag in t:
            setattr(spec, flag, _bool(t[flag], f"[{where}] {flag}", path))
    if "title" in t:
        if not isinstance(t["title"], str):
            raise ManifestError(f"[{where}] title must be text", path=str(path))
        spec.title = t["title"]
    translate = _bool(t.get("translate", spec.subtitles is None), f"[{where}] translate", path)
    if is_source:
        if spec.subtitles is None:
            raise ManifestError("[source] needs subtitles = \"FILE\"", path=str(path))
        translate = False
    elif translate and spec.subtitles is not None:
        raise ManifestError(f"[{where}] has subtitles and translate = true; choose one", path=str(path))
    elif not translate and spec.subtitles is None:
        raise ManifestError(f"[{where}] has no subtitles and translate = false", path=str(path))
    spec.translate = translate
    return spec


def _merged(defaults: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` over ``defaults``, table by table (a value in the episode wins)."""
    out = dict(defaults)
    for key, value in data.items():
        base = out.get(key)
        out[key] = _merged(base, value) if isinstance(base, dict) and isinstance(value, dict) else value
    return out


def load_manifest(
    path: str | os.PathLike[str] = "dubdesk.toml", *, defaults: dict[str, Any] | None = None
) -> Manifest:
    """Read and check an episode manifest; paths are resolved against its folder.

    ``defaults`` (a season's shared settings, same tables as a manifest, paths
    absolute) fill in what the manifest does not set. ``{episode}`` in
    ``[output] folder`` is the episode's name.

    Raises :class:`~dubdesk.errors.ManifestError` naming the file (and the line
    for TOML syntax errors) for anything malformed: unknown keys, unknown
    languages, a target both given and to be translated.
    """
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
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ManifestError("manifest is not UTF-8", path=str(mpath)) from exc
    except tomllib.TOMLDecodeError as exc:
        import re

        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        raise ManifestError(
            f"not valid TOML: {str(exc).split(' (at line')[0]}", path=str(mpath), line=int(m.group(1)) if m else None
        ) from exc
    base = mpath.resolve().parent
    _check_keys(data, _TOP_KEYS, "manifest", mpath)
    if defaults:
        # a target the episode lists replaces the season's table of that target whole
        target_tables = {**(defaults.get("targets") or {}), **(data.get("targets") or {})}
        data = _merged(defaults, data)
        if target_tables:
            data["targets"] = target_tables
    episode = _check_keys(data.get("episode", {}), _EPISODE_KEYS, "episode", mpath)
    if "video" not in episode:
        raise ManifestError("[episode] needs video = \"FILE\"", path=str(mpath))
    video = _path(episode["video"], base, "[episode] video", mpath)
    name = episode.get("name") or video.stem
    if not isinstance(name, str) or "/" in name or name.startswith("."):
        raise ManifestError("[episode] name must be a plain file stem", path=str(mpath))
    original = episode.get("original_language")
    original_tag = None if original is None else _lang_tag(original, "[episode] original_language", mpath)

    source_t = data.get("source")
    if source_t is None:
        raise ManifestError("missing [source] (subtitles and language of the source)", path=str(mpath))
    if not isinstance(source_t, dict) or "language" not in source_t:
        raise ManifestError("[source] needs language = \"TAG\"", path=str(mpath))
    source = _lang_spec(source_t, _lang_tag(source_t["language"], "[source] language", mpath), base, "source",
                        mpath, is_source=True)  # fmt: skip

    targets: list[LanguageSpec] = []
    targets_t = data.get("targets", {})
    if not isinstance(targets_t, dict):
        raise ManifestError("[targets] must be tables like [targets.kk]", path=str(mpath))
    seen = {source.language}
    for key, table in targets_t.items():
        tag = _lang_tag(key, f"[targets.{key}]", mpath)
        if tag in seen:
            raise ManifestError(f"[targets.{key}]: {tag} is listed twice (or is the source)", path=str(mpath))
        seen.add(tag)
        if isinstance(table, dict) and "language" in table:
            raise ManifestError(f"[targets.{key}]: the language is the table name; drop language =", path=str(mpath))
        targets.append(_lang_spec(table, tag, base, f"targets.{key}", mpath, is_source=False))

    glossary: Path | None = None
    g = data.get("glossary")
    if isinstance(g, str):
        glossary = _path(g, base, "glossary", mpath)
    elif isinstance(g, dict):
        _check_keys(g, {"path"}, "glossary", mpath)
        glossary = _path(g.get("path"), base, "[glossary] path", mpath)
    elif g is not None:
        raise ManifestError("glossary must be a path", path=str(mpath))

    qa = _check_keys(data.get("qa", {}), _QA_KEYS, "qa", mpath)
    fail_on = str(qa.get("fail_on", "error")).lower()
    if fail_on not in FAIL_ON:
        raise ManifestError(f"[qa] fail_on = {fail_on!r}", path=str(mpath), hint="use " + ", ".join(FAIL_ON))
    profile = qa.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise ManifestError("[qa] profile must be a profile name or file", path=str(mpath))

    delivery = qa.get("delivery")
    if delivery is not None:
        from .qa.audio import delivery_profiles

        if not isinstance(delivery, str) or delivery.lower() not in delivery_profiles():
            raise ManifestError(f"[qa] delivery = {delivery!r}", path=str(mpath),
                                hint="use one of " + ", ".join(delivery_profiles()))  # fmt: skip
        delivery = delivery.lower()
    shots_value = qa.get("shot_changes", False)
    qa_shots: bool | Path = (
        _path(shots_value, base, "[qa] shot_changes", mpath) if isinstance(shots_value, str)
        else _bool(shots_value, "[qa] shot_changes", mpath)
    )  # fmt: skip

    out = _check_keys(data.get("output", {}), _OUTPUT_KEYS, "output", mpath)
    container = out.get("container")
    if container is not None and container not in {"mkv", "mp4", "webm"}:
        raise ManifestError(f"[output] container = {container!r}", path=str(mpath), hint="use mkv, mp4 or webm")
    out_name = out.get("name") or f"{name}.{container or 'mkv'}"
    if not isinstance(out_name, str) or "/" in out_name:
        raise ManifestError("[output] name must be a file name", path=str(mpath))
    named = {".mkv": "mkv", ".mka": "mkv", ".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".webm": "webm"}.get(
        Path(out_name).suffix.lower()
    )
    if container is not None and named is not None and named != container:
        raise ManifestConflictError(
            f"[output] name = {out_name!r} is {named.upper()} but container = {container!r}",
            path=str(mpath),
            hint=f"name it {Path(out_name).stem}.{container}, or drop container",
        )
    folder_t = out.get("folder", "out")
    folder = _path(folder_t.replace("{episode}", name) if isinstance(folder_t, str) else folder_t, base,
                   "[output] folder", mpath)  # fmt: skip
    chosen: dict[str, str | None] = {}
    for key in ("default_audio", "default_subtitles"):
        chosen[key] = None if out.get(key) is None else _lang_tag(out[key], f"[output] {key}", mpath)
    return Manifest(
        path=mpath,
        name=name,
        video=video,
        source=source,
        targets=targets,
        original_language=original_tag,
        glossary=glossary,
        qa_profile=profile,
        qa_fix=_bool(qa.get("fix", True), "[qa] fix", mpath),
        fail_on=fail_on,
        qa_delivery=delivery,
        qa_shots=qa_shots,
        output_folder=folder,
        output_name=out_name,
        container=container,
        default_audio=chosen["default_audio"],
        default_subtitles=chosen["default_subtitles"],
        keep_original_audio=_bool(out.get("keep_original_audio", True), "[output] keep_original_audio", mpath),
    )


# ---------------------------------------------------------------------------- state


def fingerprint(path: Path | None) -> str | None:
    """sha256 of a file (size and mtime for media over 64 MB, which would be slow to hash); None if absent."""
    if path is None or not path.is_file():
        return None
    st = path.stat()
    if st.st_size > 64 * 1024 * 1024:
        return f"size:{st.st_size}:mtime:{st.st_mtime_ns}"
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def read_state(manifest: Manifest) -> dict[str, Any]:
    try:
        data = json.loads(manifest.state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def _write_state(manifest: Manifest, state: dict[str, Any]) -> None:
    data = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    atomic_write_bytes(manifest.state_path, data)


# ---------------------------------------------------------------------------- build


@dataclass
class LanguageResult:
    """What the build did for one language."""

    language: str
    role: str  #: source, target
    subtitles_from: str  #: "file", "translated", "reused translation"
    subtitles: str | None = None  #: delivered subtitle file
    audio: str | None = None
    glossary_changes: int = 0
    translation: dict[str, Any] | None = None
    qa_fixes: list[str] = field(default_factory=list)  #: "too-short #4", ...
    qa_counts: dict[str, int] = field(default_factory=dict)  #: remaining findings by severity
    qa_findings: list[str] = field(default_factory=list)  #: remaining, "#12 reading-speed (warning)"
    audio_qa: dict[str, Any] | None = None  #: dub audio QA: counts, findings, measurements
    warnings: list[str] = field(default_factory=list)  #: near-miss spellings the glossary step saw

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "role": self.role,
            "subtitles_from": self.subtitles_from,
            "subtitles": self.subtitles,
            "audio": self.audio,
            "glossary_changes": self.glossary_changes,
            "translation": self.translation,
            "qa_fixes": self.qa_fixes,
            "qa_counts": self.qa_counts,
            "qa_findings": self.qa_findings,
            "audio_qa": self.audio_qa,
        }


@dataclass
class BuildResult:
    manifest: str
    output: str
    languages: list[LanguageResult]
    streams: list[dict[str, Any]]
    warnings: list[str]
    elapsed_s: float
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "output": self.output,
            "verified": self.verified,
            "elapsed_s": round(self.elapsed_s, 3),
            "languages": [lr.to_dict() for lr in self.languages],
            "streams": self.streams,
            "warnings": self.warnings,
        }


def _noop(step: str, detail: str) -> None:
    pass


def _require(path: Path | None, what: str, manifest: Manifest) -> Path:
    if path is None or not path.is_file():
        raise ManifestError(f"{what} not found: {path}", path=str(manifest.path), hint="fix the path in the manifest")
    return path


def build(
    manifest: Manifest | str | os.PathLike[str] = "dubdesk.toml",
    *,
    progress: Progress | None = None,
    fail_on: str | None = None,
    fix: bool | None = None,
    force_translate: bool = False,
) -> BuildResult:
    """Build the delivery a manifest describes; returns what was built.

    Steps: load every subtitle file → apply the glossary (variants and
    forbidden forms become the approved form) → translate targets without a
    file (a translation made earlier from the same source and glossary is
    reused unless ``force_translate``) → QA each track against its language
    profile, applying the safe fixes first when ``fix`` (manifest ``[qa] fix``,
    default true) → stop with :class:`~dubdesk.errors.BuildStoppedError`
    (exit 3) when findings at or above ``fail_on`` (manifest ``[qa] fail_on``,
    default ``error``) remain → mux with the dub audio → ffprobe verification.
    Input files are never modified; delivered subtitles go to
    ``<output folder>/subtitles/``.

    The steps are also public one by one (:func:`open_episode`,
    :func:`load_language`, :func:`translate_target`, :func:`check_language`,
    :func:`stop_if_failed`, :func:`mux_episode`), so a season build
    (:mod:`dubdesk.season`) runs each language of each episode as its own job.
    """
    started = time.perf_counter()
    m = manifest if isinstance(manifest, Manifest) else load_manifest(manifest)
    say = progress or _noop
    ep = open_episode(m, progress=say, fail_on=fail_on, fix=fix)

    tracks: dict[str, Any] = {}
    results: dict[str, LanguageResult] = {}
    for spec in m.languages:
        results[spec.language] = LanguageResult(spec.language, "source" if spec.is_source else "target", "file")
        if spec.subtitles is not None:
            tracks[spec.language] = load_language(ep, spec, results[spec.language], progress=say)
    for spec in m.targets:
        if spec.translate:
            tracks[spec.language] = translate_target(
                ep, spec, tracks[m.source.language], results[spec.language], force=force_translate, progress=say
            )
    stop: list[str] = []
    for spec in m.languages:
        stop += check_language(ep, spec, tracks[spec.language], results[spec.language], progress=say)
    stop_if_failed(ep, stop)
    return mux_episode(ep, [results[s.language] for s in m.languages], progress=say, started=started)


@dataclass
class Episode:
    """What every step of an episode's build needs: the manifest, the probed video, the glossary,
    the policy and the fingerprints of the shared inputs."""

    manifest: Manifest
    video_info: Any  #: dubdesk.media.ProbeResult of the video
    video_ms: int
    glossary: Any  #: dubdesk.Glossary or None
    policy: str  #: fail_on
    fix: bool
    source_fp: str | None
    glossary_fp: str | None
    state: dict[str, Any]
    shots: list[int] | None = None  #: the picture's shot changes (ms) when ``[qa] shot_changes``
    shot_fps: Any = None  #: the video's frame rate, for the shot-change rules


def open_episode(
    manifest: Manifest,
    *,
    progress: Progress | None = None,
    fail_on: str | None = None,
    fix: bool | None = None,
    glossary: bool = True,
) -> Episode:
    """Check that every input exists, probe the video and load the glossary (unless ``glossary`` is
    false: a job that does not need it)."""
    from .media import probe

    m = manifest
    say = progress or _noop
    policy = (fail_on or m.fail_on).lower()
    if policy not in FAIL_ON:
        raise UsageError(f"--fail-on {policy!r}", hint="use " + ", ".join(FAIL_ON))
    say("load", f"{m.path}")
    _require(m.video, "episode video", m)
    for spec in m.languages:
        if spec.subtitles is not None:
            _require(spec.subtitles, f"{spec.language} subtitles", m)
        if spec.audio is not None:
            _require(spec.audio, f"{spec.language} dub audio", m)
    video_info = probe(m.video)
    video_ms = max((s.duration_ms or 0 for s in video_info.video), default=0) or video_info.duration_ms
    glossary_obj: Any = None
    if m.glossary is not None and glossary:
        from .glossary import load_glossary

        say("glossary", str(_require(m.glossary, "glossary", m)))
        glossary_obj = load_glossary(m.glossary)
    shots, shot_fps = _shot_changes(m, say)
    return Episode(
        manifest=m,
        video_info=video_info,
        video_ms=video_ms,
        glossary=glossary_obj,
        policy=policy,
        fix=m.qa_fix if fix is None else fix,
        source_fp=fingerprint(m.source.subtitles),
        glossary_fp=fingerprint(m.glossary),
        state=read_state(m),
        shots=shots,
        shot_fps=shot_fps,
    )


def load_language(ep: Episode, spec: LanguageSpec, result: LanguageResult, *, progress: Progress | None = None) -> Any:
    """Load ``spec``'s subtitle file and apply the glossary to it (counted in ``result``)."""
    from .subtitles import load

    assert spec.subtitles is not None
    track = load(spec.subtitles, language=spec.language)
    if ep.glossary is not None:
        from .glossary import apply_glossary, check_glossary

        track, changes = apply_glossary(track, ep.glossary, spec.language)
        result.glossary_changes = len(changes)
        # unlisted spellings close to an approved form: reported, never changed
        near = [f for f in check_glossary(track, ep.glossary, spec.language).findings if f.kind == "near-miss"]
        result.warnings = [f"{spec.language}: cue {f.number}: near-miss {f.found!r}: {f.message}" for f in near]
        for w in result.warnings:
            (progress or _noop)("warning", w)
    return track


def translate_target(
    ep: Episode,
    spec: LanguageSpec,
    source_track: Any,
    result: LanguageResult,
    *,
    force: bool = False,
    progress: Progress | None = None,
    engine: Any = None,
    memory: Any = None,
) -> Any:
    """Translate ``source_track`` (glossary applied) into ``spec``'s language, or reuse the
    translation an earlier build made from the same source and glossary (unless ``force``).
    ``engine`` and ``memory`` go to :func:`dubdesk.translate.translate_track`."""
    from .subtitles import load

    m = ep.manifest
    say = progress or _noop
    out_path = m.subtitle_output(spec)
    earlier = (ep.state.get("languages") or {}).get(spec.language) or {}
    reusable = (
        not force
        and earlier.get("how") == "translated"
        and earlier.get("source") == ep.source_fp
        and earlier.get("glossary") == ep.glossary_fp
        and earlier.get("output_fp") is not None
        and earlier.get("output_fp") == fingerprint(out_path)
    )
    if reusable:
        say("translate", f"{spec.language}: reusing {out_path.name} (same source and glossary)")
        result.subtitles_from = "reused translation"
        return load(out_path, language=spec.language)
    from .translate import translate_track

    say("translate", f"{m.source.language} → {spec.language}")

    def cues_done(done: int, total: int, lang: str = spec.language) -> None:
        say("translate", f"{lang}: {done}/{total} cues")

    translated = translate_track(
        source_track, spec.language, glossary=ep.glossary, progress=cues_done, engine=engine, memory=memory
    )
    result.subtitles_from = "translated"
    report = getattr(translated, "report", None)
    if report is not None and hasattr(report, "to_dict"):
        result.translation = {
            k: v for k, v in report.to_dict().items() if k in {"route", "cues", "seconds", "glossary_fixes", "flagged"}
        }
    return translated.track


def check_language(
    ep: Episode,
    spec: LanguageSpec,
    track: Any,
    result: LanguageResult,
    *,
    progress: Progress | None = None,
    html: Path | None = None,
) -> list[str]:
    """QA one track (safe fixes first when the episode fixes), write its delivered copy to
    ``<output folder>/subtitles/`` (also when QA stops the build: it is what QA looked at) and
    return the findings at or above the policy ("kk #4 overlap"). ``html``: also write the QA
    report there as HTML."""
    from .qa.check import run_qa
    from .qa.fixes import fix_track
    from .qa.model import Severity
    from .subtitles import save

    m = ep.manifest
    lang = spec.language
    (progress or _noop)("qa", lang)
    profile = m.qa_profile
    if ep.fix:
        fixed, qa_changes = fix_track(track, profile, shot_changes=ep.shots, video_fps=ep.shot_fps)
        track = fixed
        result.qa_fixes = [f"{c.action} #{c.cue}" for c in qa_changes]
    report = run_qa(track, profile, video_duration_ms=ep.video_ms or None, shot_changes=ep.shots,
                    video_fps=ep.shot_fps)  # fmt: skip
    result.qa_counts = dict(report.counts())
    result.qa_findings = [f"#{f.cue} {f.rule} ({f.severity})" for f in report.findings]
    stop: list[str] = []
    if ep.policy != "never":
        stop = [f"{lang} #{f.cue} {f.rule}" for f in report.at_or_above(Severity.parse(ep.policy))]
    stop += _dub_audio_qa(ep, spec, track, result, progress or _noop)
    if html is not None:
        from .qa.reports import render

        html.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(html, render(report, "html", "error" if ep.policy == "never" else ep.policy).encode())
    out_path = m.subtitle_output(spec)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # in_place: the previous build's copy (a reused translation is read from it) is ours to replace
    save(track, out_path, fmt=out_path.suffix.lstrip("."), in_place=True)
    result.subtitles = str(out_path)
    return stop


def stop_if_failed(ep: Episode, stop: list[str]) -> None:
    """Raise :class:`~dubdesk.errors.BuildStoppedError` when QA left findings at or above the policy."""
    if stop:
        raise BuildStoppedError(
            f"QA found {len(stop)} finding(s) at or above {ep.policy}: " + ", ".join(stop[:6])
            + (" …" if len(stop) > 6 else ""),
            path=str(ep.manifest.path),
            hint="fix the drafts, set [qa] fail_on, or pass --fail-on never",
        )  # fmt: skip


def mux_episode(
    ep: Episode, results: list[LanguageResult], *, progress: Progress | None = None, started: float | None = None
) -> BuildResult:
    """Mux the delivered subtitles (already written by :func:`check_language`) with the video and
    dub audio, verify with ffprobe, record the state; ``results`` in manifest language order."""
    from .media import plan_mux, run_plan

    started = time.perf_counter() if started is None else started
    m = ep.manifest
    say = progress or _noop
    by_lang = {r.language: r for r in results}
    say("mux", str(m.output))
    audio = [(s.language, s.audio) for s in m.languages if s.audio is not None]
    for s in m.languages:
        if s.audio is not None:
            by_lang[s.language].audio = str(s.audio)
    subtitles = [(s.language, m.subtitle_output(s)) for s in m.languages]
    titles = {f"subs:{s.language}": s.title for s in m.languages if s.title}
    try:
        plan = plan_mux(
            m.video,
            m.output,
            audio=audio,
            subtitles=subtitles,
            drop_original_audio=not m.keep_original_audio,
            original_language=m.original_language,
            default_audio=m.default_audio,
            default_subtitles=m.default_subtitles,
            forced=[s.language for s in m.languages if s.forced],
            sdh=[s.language for s in m.languages if s.sdh],
            titles=titles,
            container=m.container,
            probes={str(m.video): ep.video_info},
        )
    except UsageError as exc:  # the library names its parameter, which is the manifest's key
        raise ManifestError(exc.message, path=str(m.path), hint=exc.hint) from exc
    for w in plan.warnings:
        say("warning", w)
    say("verify", "ffprobe against the plan")
    muxed = run_plan(plan)

    new_state: dict[str, Any] = {
        "version": STATE_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "source": {"path": str(m.source.subtitles), "fp": ep.source_fp},
        "glossary": ep.glossary_fp,
        "video": fingerprint(m.video),
        "languages": {},
        "delivery": {"path": str(m.output), "fp": fingerprint(m.output)},
    }
    for spec in m.languages:
        new_state["languages"][spec.language] = {
            "how": "source" if spec.is_source else ("translated" if spec.translate else "file"),
            "input": None if spec.subtitles is None else str(spec.subtitles),
            "input_fp": fingerprint(spec.subtitles),
            "audio": None if spec.audio is None else str(spec.audio),
            "audio_fp": fingerprint(spec.audio),
            "source": ep.source_fp,
            "glossary": ep.glossary_fp,
            "output": str(m.subtitle_output(spec)),
            "output_fp": fingerprint(m.subtitle_output(spec)),
        }
    _write_state(m, new_state)
    say("done", str(m.output))
    return BuildResult(
        manifest=str(m.path),
        output=str(m.output),
        languages=[by_lang[s.language] for s in m.languages],
        streams=[s.to_dict() for s in muxed.probe.streams],
        warnings=[w for r in results for w in r.warnings] + list(plan.warnings),
        elapsed_s=time.perf_counter() - started,
    )


def _shot_changes(m: Manifest, say: Progress) -> tuple[list[int] | None, Any]:
    """The picture's shot changes for QA (``[qa] shot_changes``): detected (cached) or read from a list."""
    if m.qa_shots is False:
        return None, None
    from .media.analysis import shot_changes, video_fps

    fps = video_fps(m.video)
    if isinstance(m.qa_shots, Path):
        from .media.shotlist import read_shot_list

        say("shots", f"reading {m.qa_shots}")
        return read_shot_list(m.qa_shots), fps
    say("shots", f"detecting shot changes in {m.video.name} (cached by content)")
    return shot_changes(m.video), fps


def _dub_audio_qa(ep: Episode, spec: LanguageSpec, track: Any, result: LanguageResult, say: Progress) -> list[str]:
    """Dub audio QA of ``spec``'s dub track against ``[qa] delivery``; returns the findings that stop the build."""
    m = ep.manifest
    if m.qa_delivery is None or spec.audio is None:
        return []
    from .qa.audio import run_audio_qa
    from .qa.model import Severity

    say("qa-audio", f"{spec.language}: {spec.audio.name} ({m.qa_delivery})")
    report = run_audio_qa(spec.audio, video=m.video, cues=track, delivery=m.qa_delivery)
    result.audio_qa = {
        "delivery": m.qa_delivery,
        "counts": dict(report.counts()),
        "findings": [f"{'#' + str(f.cue) + ' ' if f.cue is not None else ''}{f.rule} ({f.severity})"
                     for f in report.findings],
        "measurements": report.measurements,
    }  # fmt: skip
    if ep.policy == "never":
        return []
    return [f"{spec.language} audio {f.rule}" for f in report.at_or_above(Severity.parse(ep.policy))]


# ---------------------------------------------------------------------------- status


@dataclass
class LanguageStatus:
    language: str
    role: str  #: source, target
    subtitles: str  #: ok, missing, to translate, translated, stale
    audio: str  #: ok, missing, none
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "role": self.role, "subtitles": self.subtitles, "audio": self.audio,
                "detail": self.detail}  # fmt: skip


@dataclass
class Status:
    manifest: str
    video: str  #: ok, missing
    delivery: str  #: up to date, outdated, not built
    output: str
    languages: list[LanguageStatus]
    reasons: list[str] = field(default_factory=list)  #: why the delivery is outdated

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "video": self.video,
            "delivery": self.delivery,
            "output": self.output,
            "reasons": self.reasons,
            "languages": [s.to_dict() for s in self.languages],
        }


def _show(path: Path | None) -> str:
    """A path as people read it: relative to the current folder when inside it."""
    if path is None:
        return "—"
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def status(manifest: Manifest | str | os.PathLike[str] = "dubdesk.toml") -> Status:
    """Per language: what exists, what is missing, what is stale (source changed since it was made)."""
    m = manifest if isinstance(manifest, Manifest) else load_manifest(manifest)
    state = read_state(m)
    langs_state: dict[str, Any] = state.get("languages") or {}
    source_fp = fingerprint(m.source.subtitles)
    glossary_fp = fingerprint(m.glossary)
    rows: list[LanguageStatus] = []
    reasons: list[str] = []
    for spec in m.languages:
        earlier = langs_state.get(spec.language) or {}
        role = "source" if spec.is_source else "target"
        detail = ""
        if spec.translate:
            out = m.subtitle_output(spec)
            if not earlier or fingerprint(out) is None:
                subs = "to translate"
                detail = f"will be translated from {m.source.language}"
            elif earlier.get("source") != source_fp or earlier.get("glossary") != glossary_fp:
                subs = "stale"
                detail = "source or glossary changed since it was translated"
            else:
                subs = "translated"
                detail = _show(out)
        elif spec.subtitles is None or not spec.subtitles.is_file():
            subs = "missing"
            detail = _show(spec.subtitles)
        elif not spec.is_source and earlier and earlier.get("source") not in (None, source_fp):
            subs = "stale"
            detail = f"{m.source.language} source changed since this draft was last built"
        else:
            subs = "ok"
            detail = _show(spec.subtitles)
        if spec.audio is None:
            audio = "none"
        elif spec.audio.is_file():
            audio = "ok"
        else:
            audio = "missing"
        rows.append(LanguageStatus(spec.language, role, subs, audio, detail))
        if earlier:
            if spec.subtitles is not None and earlier.get("input_fp") != fingerprint(spec.subtitles):
                reasons.append(f"{spec.language} subtitles changed")
            if earlier.get("audio_fp") != fingerprint(spec.audio):
                reasons.append(f"{spec.language} dub audio changed")
        else:
            reasons.append(f"{spec.language} not in the last build")
    video = "ok" if m.video.is_file() else "missing"
    delivery_state = state.get("delivery") or {}
    if not state or not m.output.is_file():
        delivery = "not built"
    else:
        if delivery_state.get("fp") != fingerprint(m.output):
            reasons.append("the delivery file changed since it was built")
        if state.get("video") != fingerprint(m.video):
            reasons.append("video changed")
        if (state.get("source") or {}).get("fp") != source_fp:
            reasons.append("source subtitles changed")
        if state.get("glossary") != glossary_fp:
            reasons.append("glossary changed")
        delivery = "outdated" if reasons else "up to date"
    return Status(
        manifest=str(m.path),
        video=video,
        delivery=delivery,
        output=str(m.output),
        languages=rows,
        reasons=reasons if delivery != "not built" else [],
    )


__all__ = [
    "BuildResult",
    "DubdeskError",
    "Episode",
    "LanguageResult",
    "LanguageSpec",
    "LanguageStatus",
    "Manifest",
    "Status",
    "build",
    "check_language",
    "load_language",
    "load_manifest",
    "mux_episode",
    "open_episode",
    "status",
    "stop_if_failed",
    "translate_target",
]
