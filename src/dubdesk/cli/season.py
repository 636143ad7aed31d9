"""``dubdesk build`` / ``dubdesk status`` for a season (several manifests, a season.toml, a
folder of episodes): thin wrappers over :mod:`dubdesk.season`."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from ._common import emit_json, stderr_console, stdout_console

_COLOUR = {"done": "green", "skipped": "green", "running": "cyan", "queued": "dim", "failed": "red",
           "cancelled": "yellow", "pending": "yellow", "stale": "red", "stopped": "red", "up to date": "green",
           "outdated": "yellow", "not built": "yellow"}  # fmt: skip


def run_build(
    paths: list[str],
    *,
    jobs: int | None,
    keep_going: bool,
    scheduler: str | None,
    progress: str,
    fail_on: str | None,
    no_fix: bool,
    force: bool,
    out: str | None,
    as_json: bool,
) -> None:
    from ..season.model import load_season
    from ..season.runner import build_season

    season = load_season(paths[0] if len(paths) == 1 else list(paths), output=out)
    scheduler = scheduler or os.environ.get("DUBDESK_SCHEDULER")
    mode = progress if progress != "auto" else ("rich" if sys.stderr.isatty() and not as_json else "none")
    kwargs: dict[str, Any] = {"keep_going": keep_going, "fail_on": fail_on, "fix": False if no_fix else None,
                              "force": force}  # fmt: skip
    client = None
    if scheduler:
        from ..season.cluster import connect

        client = connect(scheduler)
        kwargs["executor"] = client.get_executor()
    else:
        kwargs["jobs"] = jobs
    try:
        if mode == "rich":
            report = _with_live_grid(season, build_season, kwargs)
        elif mode == "json":
            report = build_season(season, progress=lambda e: click.echo(json.dumps(e, ensure_ascii=False)), **kwargs)
        else:
            report = build_season(season, **kwargs)
    finally:
        if client is not None:
            client.close()
    if as_json:
        emit_json(report.to_dict())
    elif mode != "json":
        click.echo(report.to_text(), nl=False)
        click.echo(f"report: {season.output / 'index.html'}")
    if not report.ok:
        sys.exit(1)


def _with_live_grid(season: Any, build_season: Any, kwargs: dict[str, Any]) -> Any:
    """A rich table of episodes × jobs, updated as each job changes state."""
    from rich.live import Live
    from rich.table import Table

    from ..season.plan import plan_jobs

    plan = plan_jobs(season)
    states = {j.id: "queued" for j in plan}

    def grid() -> Table:
        table = Table(title=f"Season {season.name}", title_justify="left", header_style="bold", box=None)
        table.add_column("episode")
        columns: dict[str, None] = {}
        for j in plan:
            columns[j.id.split(":", 1)[1]] = None
        for c in columns:
            table.add_column(c)
        for m in season.episodes:
            cells = []
            for c in columns:
                state = states.get(f"{m.name}:{c}")
                cells.append("" if state is None else f"[{_COLOUR.get(state, 'white')}]{state}[/]")
            table.add_row(m.name, *cells)
        done = sum(1 for v in states.values() if v in ("done", "skipped"))
        table.caption = f"{done}/{len(states)} jobs done"
        return table

    with Live(grid(), console=stderr_console(), transient=True, refresh_per_second=8) as live:

        def show(event: dict[str, Any]) -> None:
            if event.get("event") == "job":
                states[event["job"]] = event["state"]
                live.update(grid())

        return build_season(season, progress=show, **kwargs)


def show_status(paths: list[str], as_json: bool) -> None:
    from ..season.model import load_season
    from ..season.status import season_status

    st = season_status(load_season(paths[0] if len(paths) == 1 else list(paths)))
    if as_json:
        emit_json(st.to_dict())
        return
    from rich.table import Table

    table = Table(title=f"Season {st.name}", title_justify="left", header_style="bold")
    table.add_column("episode")
    for lang in st.languages:
        table.add_column(lang)
    table.add_column("delivery")
    for episode, row in st.grid.items():
        cells = [row.get(lang, "") for lang in st.languages] + [st.delivery[episode]]
        table.add_row(episode, *[f"[{_COLOUR.get(c, 'white')}]{c}[/]" for c in cells])
    stdout_console().print(table)
