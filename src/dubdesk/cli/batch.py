"""Batch forms of the file commands: ``dubdesk translate|qa|convert|fix`` take several files or a
folder with ``--out-dir`` and run in parallel with ``-j``.

The one-file command is left as it is: :func:`batch_capable` wraps it in a command whose first
argument takes several paths. One file without ``--out-dir`` runs the original command; anything
else runs it once per file (output named in ``--out-dir``) in a pool of worker processes, each of
which keeps the engines it loaded for its next files. Each file's messages are printed in input
order; the exit code is the worst of the files' (1 error, 3 findings or flagged cues).
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..processes import stop_pool, tie_to_parent

SUBTITLE_EXTENSIONS = (".srt", ".ass", ".ssa", ".vtt")
_REPORT_EXT = {"text": "txt", "json": "json", "csv": "csv", "junit": "xml", "html": "html"}


def _strip_language(stem: str) -> str:
    """``ep01.zh-Hans`` -> ``ep01``; a stem whose last part is not a language tag is kept."""
    from .. import languages
    from ..errors import UnknownLanguageError

    base, dot, last = stem.rpartition(".")
    if not dot:
        return stem
    try:
        languages.normalize(last)
    except UnknownLanguageError:
        return stem
    return base


def output_name(command: str, path: Path, params: dict[str, Any]) -> str:
    """The output file name of ``path`` for ``command`` (``ep01.zh-Hans.srt`` -> ``ep01.kk.srt``)."""
    if command == "translate":
        return f"{_strip_language(path.stem)}.{params['target']}{path.suffix}"
    if command == "convert":
        fmt = params.get("to_fmt")
        return f"{path.stem}.{fmt}" if fmt else path.name
    if command == "qa":
        return f"{path.stem}.qa.{_REPORT_EXT.get(params.get('fmt') or 'text', 'txt')}"
    return path.name  # fix


def expand(inputs: tuple[str, ...]) -> list[Path]:
    """Files as given; a folder gives its subtitle files (not recursive), sorted."""
    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUBTITLE_EXTENSIONS)
            if not found:
                from ..errors import UsageError

                raise UsageError(f"no subtitle files in {p}", hint="files ending " + ", ".join(SUBTITLE_EXTENSIONS))
            files += found
        else:
            files.append(p)
    return files


def _argv(command: click.Command, params: dict[str, Any], skip: set[str]) -> list[str]:
    """The command-line options that give ``params`` (those that differ from their defaults)."""
    argv: list[str] = []
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in skip or param.name is None:
            continue
        value = params.get(param.name)
        if value is None or value == param.default or (param.multiple and not value):
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            if value:
                argv.append(flag)
        elif param.multiple:
            for v in value:
                argv += [flag, str(v)]
        else:
            argv += [flag, str(value)]
    return argv


#: runs ``dubdesk ARGV`` in one process: (exit code, stdout, stderr); module-level, so a process pool can send it
Runner = Callable[[list[str]], tuple[int, str, str]]


def batch_capable(name: str, command: click.Command, run: Runner) -> click.Command:
    """``command`` with its first argument taking several files or folders, plus ``--out-dir`` and ``-j``."""
    first = next(p for p in command.params if isinstance(p, click.Argument))
    params: list[click.Parameter] = []
    required_output = False
    for p in command.params:
        if isinstance(p, click.Option) and p.name == "output" and p.required:
            # -o stays required for one file (checked below), not for --out-dir
            p = copy.copy(p)
            p.required = False
            required_output = True
        if p is first:
            params.append(click.Argument([first.name or "inputs"], nargs=-1, required=True,
                                         type=click.Path(allow_dash=True), metavar=f"{first.human_readable_name}..."))  # fmt: skip
        else:
            params.append(p)
    params.append(click.Option(["--out-dir"], type=click.Path(file_okay=False),
                               help="Several files or a folder: write each output here (ep01.zh-Hans.srt -> ep01.kk.srt)."))  # fmt: skip
    params.append(click.Option(["-j", "--jobs"], type=click.IntRange(min=1),
                               help="Several files: worker processes (default: one per core)."))  # fmt: skip
    original: Callable[..., Any] = command.callback  # type: ignore[assignment]
    arg_name = first.name or "inputs"

    def callback(**kwargs: Any) -> None:
        inputs: tuple[str, ...] = kwargs.pop(arg_name)
        out_dir: str | None = kwargs.pop("out_dir")
        jobs: int | None = kwargs.pop("jobs")
        if len(inputs) == 1 and out_dir is None and not Path(inputs[0]).is_dir():
            if required_output and kwargs.get("output") is None:
                raise click.UsageError("Missing option '-o' / '--output' (or --out-dir).")
            original(**{arg_name: inputs[0]}, **kwargs)
            return
        _run_batch(name, command, inputs, out_dir, jobs, kwargs, run)

    wrapped = click.Command(
        name=command.name, params=params, callback=callback, help=(command.help or "") + _BATCH_HELP,
        epilog=command.epilog, short_help=command.short_help, context_settings=command.context_settings,
    )  # fmt: skip
    return wrapped


_BATCH_HELP = """

Several files, or a folder of subtitle files, with --out-dir: each is
processed as above, in parallel (-j), outputs named in --out-dir
(translate: ep01.zh-Hans.srt -> ep01.<to>.srt; convert: new extension;
qa: ep01.zh-Hans.qa.<format>; fix: same name). Exit code: the worst file's."""


def start_worker(cores: int) -> None:
    """A batch's worker process: it ends with dubdesk, and its translations use ``cores`` cores
    (``DUBDESK_CORES``), so two workers on two cores run one CTranslate2 thread each, not two."""
    tie_to_parent()
    os.environ["DUBDESK_CORES"] = str(cores)


def _run_batch(
    name: str, command: click.Command, inputs: tuple[str, ...], out_dir: str | None, jobs: int | None,
    params: dict[str, Any], run: Runner,
) -> None:
    from ..errors import UsageError

    files = expand(inputs)
    if out_dir is None and name != "qa":
        raise UsageError(f"{len(files)} input files need --out-dir", hint="pass --out-dir FOLDER")
    if params.get("in_place"):
        raise UsageError("--in-place takes one file", hint="use --out-dir for several")
    if params.get("output"):
        raise UsageError("-o names one output", hint="use --out-dir for several files")
    if name == "convert" and not params.get("to_fmt"):
        raise UsageError("converting several files needs --to FMT")
    options = _argv(command, params, {"output"})
    runs: list[tuple[Path, str | None, list[str]]] = []
    folder = Path(out_dir) if out_dir is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        out = None if folder is None else str(folder / output_name(name, f, params))
        runs.append((f, out, [name, str(f), *([] if out is None else ["-o", out]), *options]))
    outs = [out for _, out, _ in runs if out is not None]
    if len(set(outs)) != len(outs):
        twice = next(o for o in outs if outs.count(o) > 1)
        raise UsageError(f"two inputs would both be written to {twice}", hint="give each file once, or separate folders")
    workers = min(len(runs), jobs or os.cpu_count() or 1)
    results: list[tuple[int, str, str]]
    if workers <= 1:
        results = [run(argv) for _, _, argv in runs]
    else:
        share = max(1, (os.cpu_count() or 1) // workers)  # workers × translation threads ≤ cores
        pool = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                      initializer=start_worker, initargs=(share,))  # fmt: skip
        try:
            results = list(pool.map(run, [argv for _, _, argv in runs]))
        except BaseException:
            stop_pool(pool)  # interrupted: the workers end now, not after their files
            raise
        pool.shutdown()
    for (f, out, _), (code, stdout, stderr) in zip(runs, results, strict=True):
        if stdout:
            click.echo(stdout, nl=False)
        for line in stderr.splitlines():
            click.echo(f"{f.name}: {line}", err=True)
        state = {0: "ok", 3: "findings" if name == "qa" else "flagged cues"}.get(code, f"failed (exit {code})")
        click.echo(f"{f} -> {out or '(report above)'}: {state}", err=True)
    codes = [code for code, _, _ in results]
    # an error (1, 2) outranks findings (3): the batch is as bad as its worst file
    errors = [c for c in codes if c not in (0, 3)]
    worst = max(errors) if errors else (3 if 3 in codes else 0)
    middle = {"qa": "with findings", "translate": "with flagged cues"}.get(name)
    click.echo(f"{len(runs)} files: {codes.count(0)} ok, " + (f"{codes.count(3)} {middle}, " if middle else "")
               + f"{len(errors)} failed", err=True)  # fmt: skip
    if worst:
        raise SystemExit(worst)
