"""``dubdesk status season.toml``: the grid of episodes × languages, from the job records."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..project import status
from . import records
from .model import Season, load_season


@dataclass
class SeasonStatus:
    name: str
    languages: list[str]  #: columns, in first-seen order
    grid: dict[str, dict[str, str]]  #: episode -> language -> done, stale, pending, stopped
    delivery: dict[str, str]  #: episode -> up to date, outdated, not built

    @property
    def complete(self) -> bool:
        return all(v == "up to date" for v in self.delivery.values())

    def to_dict(self) -> dict[str, Any]:
        return {"season": self.name, "languages": self.languages, "grid": self.grid, "delivery": self.delivery,
                "complete": self.complete}  # fmt: skip


def season_status(
    season: Season | str | os.PathLike[str] | list[str | os.PathLike[str]],
    *,
    fail_on: str | None = None,
    fix: bool | None = None,
) -> SeasonStatus:
    """Per episode × language: done (current), stale (an input changed), pending (never built),
    stopped (QA findings stopped the episode); and each episode's delivery state."""
    s = season if isinstance(season, Season) else load_season(season)
    langs: dict[str, None] = {}
    grid: dict[str, dict[str, str]] = {}
    delivery: dict[str, str] = {}
    for m in s.episodes:
        settings = records.settings_fingerprint(m, fail_on, fix)
        row: dict[str, str] = {}
        for spec in m.languages:
            langs[spec.language] = None
            record = records.read_record(m, spec.language)
            if record is None:
                row[spec.language] = "pending"
            elif not records.is_current(m, spec, settings, record):
                row[spec.language] = "stale"
            else:
                row[spec.language] = "stopped" if record.get("stop") else "done"
        grid[m.name] = row
        delivery[m.name] = status(m).delivery
    return SeasonStatus(s.name, list(langs), grid, delivery)
