"""Readability profiles: per-language limits (line length, reading speed, durations), shipped as data with sources.

A profile file (TOML) has a ``[profile]`` table (name, language, ``extends``,
``derived``) and ``[values.<key>]`` tables, each ``{value, source, date}``;
a ``[children.<key>]`` table overrides values for children's programmes.
User files may give bare numbers (``max_cps = 15`` under ``[values]``) and
``extends`` a shipped profile (``extends = "ru"``).

>>> p = load_profile("zh-Hans")
>>> p.max_chars_per_line, p.max_cps
(16.0, 9.0)
>>> load_profile("ru", audience="children").max_cps
13.0
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import languages
from ..errors import ProfileError, ProfileOverrideError, UnknownLanguageError, UnknownProfileError, UsageError
from ..validation import require, toml_syntax_error

PROFILE_DIR = Path(__file__).parent

#: every value a profile may set, with its type; keys outside this set are an error
VALUE_TYPES: dict[str, type] = {
    "max_chars_per_line": float,
    "max_lines": int,
    "max_cps": float,
    "max_wpm": float,
    "min_duration_ms": int,
    "max_duration_ms": int,
    "min_gap_frames": float,
    "chain_gap_ms": int,
    "default_fps": float,
    "halfwidth_weight": float,
    "speech_rate": float,
    "speech_unit": str,
    "reading_speed_increase_max": float,
    "dub_overrun_tolerance": float,
    "timing_tolerance_ms": int,
    "shot_change_snap_frames": float,
    "shot_change_out_frames": float,
}

AUDIENCES = ("adult", "children")


@dataclass(frozen=True)
class ValueSource:
    """Where one number in a profile comes from."""

    source: str
    date: str


@dataclass(frozen=True)
class Profile:
    """Readability limits for one language and audience. Times in ms, rates per second."""

    name: str
    language: str | None = None
    audience: str = "adult"
    description: str = ""
    derived: bool = False
    derived_from: str | None = None
    max_chars_per_line: float = 42.0
    max_lines: int = 2
    max_cps: float = 17.0
    max_wpm: float | None = None
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_frames: float = 2.0
    chain_gap_ms: int = 500
    default_fps: float = 25.0
    halfwidth_weight: float = 1.0
    speech_rate: float = 6.0
    speech_unit: str = "syllable"
    reading_speed_increase_max: float = 1.5
    dub_overrun_tolerance: float = 0.10
    timing_tolerance_ms: int = 40
    shot_change_snap_frames: float = 12.0  #: a cue edge nearer a shot change than this snaps to it
    shot_change_out_frames: float = 2.0  #: an out-cue snapped to a shot change ends this many frames before it
    #: value key -> its source; values set by --set or a bare user number have source "user"
    sources: dict[str, ValueSource] = field(default_factory=dict, compare=False, repr=False)
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in ("name", "language", "audience", "derived", "derived_from")}
        data["values"] = {k: getattr(self, k) for k in VALUE_TYPES}
        data["sources"] = {k: dataclasses.asdict(v) for k, v in sorted(self.sources.items())}
        return data

    def with_overrides(self, overrides: dict[str, Any]) -> Profile:
        """A copy with single values replaced (``--set max_cps=15``); sources say "user"."""
        if not overrides:
            return self
        changes: dict[str, Any] = {}
        sources = dict(self.sources)
        for key, raw in overrides.items():
            changes[key] = _coerce(key, raw, where="--set")
            sources[key] = ValueSource("user override", "")
        return dataclasses.replace(self, sources=sources, **changes)


#: values that divide or bound something: zero would be a division by zero or an empty limit
POSITIVE = frozenset(
    {"max_chars_per_line", "max_lines", "max_cps", "max_wpm", "default_fps", "speech_rate", "max_duration_ms"}
)


def _coerce(key: str, raw: Any, *, where: str) -> Any:
    """Check one value; ``where`` is the profile file, or ``--set`` for an override.

    A bad override (``--set max_cps=0`` on the command line, ``overrides=``
    in the library) is a usage error naming the key; a bad file value is a
    :class:`ProfileError` naming the file and the key.
    """
    def bad(message: str) -> ProfileError:
        if where == "--set":
            return ProfileOverrideError(f"profile override {key}={raw}: {message}")
        return ProfileError(f"profile value {key}: {message}", path=where)

    kind = VALUE_TYPES.get(key)
    if kind is None:
        if where == "--set":
            err: ProfileError = ProfileOverrideError(f"unknown profile value {key!r}")
        else:
            err = ProfileError(f"unknown profile value {key!r}", path=where)
        err.hint = "known values: " + ", ".join(VALUE_TYPES)
        raise err
    if kind is str:
        return str(raw)
    if isinstance(raw, bool):
        raise bad(f"must be a number, got {raw!r}")
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise bad(f"must be a number, got {raw!r}") from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        raise bad(f"must be a non-negative number, got {raw!r}")
    if key in POSITIVE and (number == 0 or (kind is int and round(number) == 0)):
        raise bad(f"must be greater than zero, got {raw!r}")
    return round(number) if kind is int else number


def shipped_profiles() -> list[str]:
    """Names of the profiles shipped with dubdesk (``common`` is a base, not listed)."""
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml") if p.stem != "common")


@functools.lru_cache(maxsize=64)
def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise UnknownProfileError(f"cannot read profile: {exc.strerror or exc}", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        message, line = toml_syntax_error(exc)
        raise ProfileError(f"malformed profile: {message}", path=path, line=line) from exc
    return data


def _resolve_name(name: str) -> tuple[str, str | None]:
    """``name`` -> (shipped profile name, audience suffix or None)."""
    audience = None
    base = name
    for aud in AUDIENCES:
        if name.lower().endswith("-" + aud):
            base, audience = name[: -len(aud) - 1], aud
    shipped = {n.lower(): n for n in shipped_profiles()}
    if base.lower() in shipped:
        return shipped[base.lower()], audience

    try:
        tag = languages.normalize(base)
    except UnknownLanguageError:
        tag = base
    if tag.lower() in shipped:
        return shipped[tag.lower()], audience
    raise UnknownProfileError(
        f"unknown QA profile {name!r}",
        hint="use one of " + ", ".join(shipped_profiles()) + " (add -children for children's speeds), or a profile .toml file",
    )


def _layers(data: dict[str, Any], path: str, seen: tuple[str, ...]) -> list[tuple[dict[str, Any], str]]:
    """The chain of profile files from the base (``common``) to ``data``."""
    head = data.get("profile", {})
    require(head, "table", "[profile]", error=ProfileError, path=path)
    parent = head.get("extends")
    if parent is None:
        return [(data, path)]
    if not isinstance(parent, str):
        raise ProfileError("extends must be a profile name", path=path)
    if parent in seen:
        raise ProfileError(f"profile extends itself through {parent!r}", path=path)
    parent_path = PROFILE_DIR / f"{parent}.toml"
    if not parent_path.is_file():
        candidate = Path(path).parent / parent
        parent_path = candidate if candidate.is_file() else PROFILE_DIR / f"{_resolve_name(parent)[0]}.toml"
    return [*_layers(_read(str(parent_path)), str(parent_path), (*seen, parent)), (data, path)]


def values_with_sources(
    table: Any, path: str, section: str, coerce: Callable[[str, Any], Any]
) -> dict[str, tuple[Any, ValueSource]]:
    """A ``[section]`` table of a data file with sources: ``key = {value, source, date}`` (or, in a
    user's file, a bare ``key = value``), each value checked by ``coerce(key, raw)``. Readability
    profiles and delivery profiles (:mod:`dubdesk.qa.audio`) are both read this way."""
    out: dict[str, tuple[Any, ValueSource]] = {}
    if table is None:
        return out
    require(table, "table", f"[{section}]", error=ProfileError, path=path)
    for key, entry in table.items():
        if isinstance(entry, dict):
            if "value" not in entry:
                raise ProfileError(f"[{section}.{key}] has no value", path=path)
            src = ValueSource(str(entry.get("source", "")), str(entry.get("date", "")))
            out[key] = (coerce(key, entry["value"]), src)
        else:
            out[key] = (coerce(key, entry), ValueSource(f"user profile {Path(path).name}", ""))
    return out


def _values_of(table: Any, path: str, section: str) -> dict[str, tuple[Any, ValueSource]]:
    return values_with_sources(table, path, section, lambda key, raw: _coerce(key, raw, where=path))


def load_profile(
    name: str | Path | Profile | None = None,
    *,
    audience: str | None = None,
    overrides: dict[str, Any] | None = None,
    language: str | None = None,
) -> Profile:
    """Load a QA profile by name (``"zh-Hans"``, ``"ru-children"``), language tag or file path.

    ``audience`` is ``"adult"`` or ``"children"`` (children's reading speeds);
    ``overrides`` replaces single values (``{"max_cps": 15}``), as ``--set`` does.
    ``language`` is used when ``name`` is None.
    Raises :class:`~dubdesk.errors.UnknownProfileError` (a usage error) for an
    unknown name and :class:`~dubdesk.errors.ProfileError` for a malformed file.
    """
    if isinstance(name, Profile):
        profile = name
        if audience is not None and audience != profile.audience:
            raise ProfileError("cannot change the audience of an already loaded profile")
        return profile.with_overrides(overrides or {})
    if name is None:
        if language is None:
            raise UnknownProfileError("no QA profile and no track language", hint="give the track a language, or a profile")
        name = language
    if audience is not None and audience not in AUDIENCES:
        raise UnknownProfileError(f"unknown audience {audience!r}", hint="use adult or children")
    text = str(name)
    as_path = Path(text)
    if text.endswith(".toml") or (as_path.suffix and as_path.exists()):
        if not as_path.is_file():
            raise UnknownProfileError("profile file not found", path=text, hint="check the path")
        path, suffix_audience = str(as_path), None
    else:
        shipped, suffix_audience = _resolve_name(text)
        path = str(PROFILE_DIR / f"{shipped}.toml")
    audience = audience or suffix_audience or "adult"
    return _build(path, audience).with_overrides(overrides or {})


@functools.lru_cache(maxsize=64)
def _build(path: str, audience: str) -> Profile:
    layers = _layers(_read(path), path, ())
    values: dict[str, tuple[Any, ValueSource]] = {}
    for data, layer_path in layers:
        values.update(_values_of(data.get("values"), layer_path, "values"))
        if audience == "children":
            values.update(_values_of(data.get("children"), layer_path, "children"))
    head = layers[-1][0].get("profile", {})
    name = str(head.get("name") or Path(path).stem)
    if audience == "children":
        name += "-children"
    language = head.get("language")
    if language is None:
        for data, _ in reversed(layers):
            language = data.get("profile", {}).get("language")
            if language:
                break
    kwargs = {k: v for k, (v, _) in values.items()}
    return Profile(
        name=name,
        language=str(language) if language else None,
        audience=audience,
        description=str(head.get("description", "")),
        derived=bool(head.get("derived", False)),
        derived_from=head.get("derived_from"),
        sources={k: s for k, (_, s) in values.items()},
        path=path,
        **kwargs,
    )


def parse_overrides(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["max_cps=15", "max_lines=3"]`` -> dict; a usage error for anything else."""

    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key or not value.strip():
            raise UsageError(f"--set expects KEY=VALUE, got {item!r}", hint="e.g. --set max_cps=15")
        if key not in VALUE_TYPES:
            raise UsageError(f"--set: unknown profile value {key!r}", hint="known values: " + ", ".join(VALUE_TYPES))
        out[key] = value.strip()
    return out
