"""``dubdesk probe``, ``mux``, ``extract`` and ``doctor``: thin wrappers over :mod:`dubdesk.media`."""

from __future__ import annotations

from typing import Any

import click

from ._common import emit_json, json_option, stdout_console


def _print_probe(result: Any) -> None:
    from rich.table import Table

    console = stdout_console()
    console.print(
        f"[bold]{result.path}[/bold]  {result.format}  {result.duration_ms / 1000:.3f} s  {result.size} bytes"
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("#", "type", "codec", "lang", "title", "dispositions", "duration"):
        table.add_column(col)
    for s in result.streams:
        lang = s.language or ""
        if s.language_bcp47 and s.language_bcp47 != s.language:
            lang += f" ({s.language_bcp47})"
        table.add_row(
            str(s.index),
            f"{s.type}:{s.type_index}",
            s.codec,
            lang,
            s.title or "",
            ",".join(s.dispositions),
            "" if s.duration_ms is None else f"{s.duration_ms / 1000:.3f} s",
        )
    console.print(table)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
def probe(file: str, as_json: bool) -> None:
    """List the streams of a media FILE: index, type, codec, language, title,
    dispositions and duration."""
    from ..media import probe as probe_file

    result = probe_file(file)
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_probe(result)
