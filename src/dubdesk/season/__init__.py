"""Seasons: many episodes × languages built in parallel, on one machine or a Dask cluster.

``import dubdesk.season`` is light; the runner, the workers and (only for a cluster) dask are
imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_LAZY: dict[str, str] = {
    "Season": "dubdesk.season.model",
    "load_season": "dubdesk.season.model",
    "is_season": "dubdesk.season.model",
    "Job": "dubdesk.season.plan",
    "plan_jobs": "dubdesk.season.plan",
    "build_season": "dubdesk.season.runner",
    "process_pool": "dubdesk.season.runner",
    "SeasonReport": "dubdesk.season.report",
    "season_status": "dubdesk.season.status",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dubdesk.season' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover
    from .model import Season as Season
    from .model import is_season as is_season
    from .model import load_season as load_season
    from .plan import Job as Job
    from .plan import plan_jobs as plan_jobs
    from .report import SeasonReport as SeasonReport
    from .runner import build_season as build_season
    from .runner import process_pool as process_pool
    from .status import season_status as season_status
