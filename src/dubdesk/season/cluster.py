"""Seasons on a Dask cluster (the optional extra ``dubdesk[cluster]``: dask + distributed).

``dubdesk build season.toml --scheduler tcp://host:8786`` (or ``DUBDESK_SCHEDULER``) connects a
:class:`distributed.Client` and runs the season through ``client.get_executor()``. Every worker
gets :class:`DubdeskPlugin`: it divides the host's cores among the dubdesk workers on that host
(CTranslate2 threads) and loads the season's models once, by name, from the worker's own
model folder (``dubdesk models install`` on each worker, or a shared ``DUBDESK_HOME``).
See docs/season.md. Importing this module imports distributed; nothing else in dubdesk does.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import UsageError
from . import worker as season_worker

try:
    from distributed import Client
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as exc:  # pragma: no cover - depends on the extra
    raise UsageError(
        "running a season on a Dask cluster needs dask and distributed",
        hint="pip install 'dubdesk[cluster]'",
    ) from exc

PLUGIN_NAME = "dubdesk"
SCHEDULER_ENV = "DUBDESK_SCHEDULER"


class DubdeskPlugin(WorkerPlugin):
    """Set a worker's CTranslate2 thread budget and load the season's models once, at set-up."""

    def __init__(self, pairs: list[tuple[str, str]], workers_per_host: dict[str, int], threads: int | None = None):
        self.pairs = list(pairs)
        self.workers_per_host = dict(workers_per_host)
        self.threads = threads

    def setup(self, worker: Any) -> None:
        # Dask's statistical profiler samples every task thread's stack 100 times a second; with
        # CTranslate2 that made a 40-cue batch on the base model 2-3x slower than in a process
        # pool (1-thread worker, 2 cores, measured). Profiles of translation are of no use here.
        for name in ("profile", "profile-cycle"):
            callback = worker.periodic_callbacks.pop(name, None)
            if callback is not None:
                callback.stop()

        threads = self.threads
        if threads is None:
            host = str(worker.address).rsplit(":", 1)[0]
            here = self.workers_per_host.get(host, 1)
            threads = max(1, (os.cpu_count() or 1) // max(1, here))
        season_worker.configure(threads, self.pairs)  # also undoes the nanny's MALLOC_TRIM_THRESHOLD_


def workers_per_host(client: Any) -> dict[str, int]:
    """``{"tcp://10.0.0.5": 2, ...}``: how many workers the scheduler has on each host."""
    counts: dict[str, int] = {}
    for address in client.scheduler_info().get("workers", {}):
        host = str(address).rsplit(":", 1)[0]
        counts[host] = counts.get(host, 0) + 1
    return counts


def register_plugin(client: Any, pairs: list[tuple[str, str]], *, threads: int | None = None) -> int:
    """Give every worker (and every worker that joins later) the dubdesk plugin; returns how many
    workers there are now."""
    per_host = workers_per_host(client)
    client.register_plugin(DubdeskPlugin(pairs, per_host, threads), name=PLUGIN_NAME)
    return max(1, sum(per_host.values()))


def connect(address: str | None = None) -> Any:
    """A :class:`distributed.Client` for ``address`` (default ``$DUBDESK_SCHEDULER``)."""
    address = address or os.environ.get(SCHEDULER_ENV)
    if not address:
        raise UsageError("no Dask scheduler given", hint=f"pass --scheduler tcp://HOST:8786 or set {SCHEDULER_ENV}")
    try:
        return Client(address, timeout="20s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}",
                         hint="start one with `dask scheduler` (docs/season.md)") from exc  # fmt: skip


__all__ = ["DubdeskPlugin", "connect", "register_plugin", "workers_per_host"]
