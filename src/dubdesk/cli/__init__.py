"""The ``dubdesk`` command line: a thin layer over the library.

Sub-commands live in their own modules and are imported only when run, so
``dubdesk --help`` stays fast (no ctranslate2, no ffmpeg at start-up). Every
:class:`~dubdesk.errors.DubdeskError` becomes one line on stderr and its exit
code; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import signal
import sys
from typing import Any

import click

from .. import __version__
from ..errors import DubdeskError

#: name -> (module:attribute, one-line help shown by ``dubdesk --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "info": ("dubdesk.cli.subtitles:info", "Show format, encoding, cue count and duration of subtitle files."),
    "convert": ("dubdesk.cli.subtitles:convert", "Convert a subtitle file to another format or encoding."),
    "lint": ("dubdesk.cli.subtitles:lint", "Report structural problems in subtitle files, with line numbers."),
    "glossary": ("dubdesk.cli.glossary:glossary", "Check, apply, show and validate term glossaries."),
    "translate": ("dubdesk.cli.translate:translate", "Translate a subtitle file offline, glossary-locked."),
    "models": ("dubdesk.cli.models:models", "List, install, remove and inspect translation models."),
    "qa": ("dubdesk.cli.qa:qa", "Check timing and readability against a language profile."),
    "fix": ("dubdesk.cli.qa:fix", "Apply safe timing fixes (and re-break over-long lines)."),
    "probe": ("dubdesk.cli.media:probe", "List the streams of a media file."),
    "mux": ("dubdesk.cli.media:mux", "Mux video, dub audio and subtitle tracks, then verify the result."),
    "extract": ("dubdesk.cli.media:extract", "Pull a subtitle or audio track out of a video by language."),
    "doctor": ("dubdesk.cli.media:doctor", "Show ffmpeg, models and what is missing."),
    "build": ("dubdesk.cli.project:build", "Build an episode delivery from its dubdesk.toml manifest."),
    "status": ("dubdesk.cli.project:status", "Show per language what exists, what is missing, what is stale."),
    "shots": ("dubdesk.cli.media_qa:shots", "Detect a video's shot changes (exact frames); export or import a shot list."),
    "qa-audio": ("dubdesk.cli.media_qa:qa_audio", "Check a dub's loudness, duration and speech against the cues."),
}

#: commands that also take several files or a folder with --out-dir and -j (cli/batch.py)
BATCH_COMMANDS = ("translate", "qa", "convert", "fix")


class LazyGroup(click.Group):
    """A group that imports a sub-command's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target[0].split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        if cmd_name in BATCH_COMMANDS:
            from .batch import batch_capable

            return batch_capable(cmd_name, command, run_argv)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, help_) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            try:
                return super().invoke(ctx)
            except Exception as exc:
                # a signal during a C extension's import surfaces as "ImportError: initialization failed"
                cause = _interruption(exc)
                if cause is not None and not debug:
                    raise cause from None
                raise
        except DubdeskError as exc:
            if debug:
                raise
            fail(exc.one_line(), exc.exit_code)
        except KeyboardInterrupt as exc:
            if debug:
                raise
            signum = int(getattr(exc, "signum", signal.SIGINT))  # processes.Interrupted: SIGTERM, SIGHUP
            fail("interrupted" if signum == signal.SIGINT else f"interrupted by {signal.Signals(signum).name}",
                 128 + signum)  # fmt: skip
        except BrokenPipeError:
            sys.exit(1)
        except OSError as exc:
            if debug:
                raise
            name = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            fail(f"{name}{exc.strerror or exc}", 1)


def _interruption(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C/SIGTERM/SIGHUP behind ``exc``, if another exception was raised while handling it."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def fail(message: str, code: int) -> None:
    click.echo(f"dubdesk: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dubdesk")
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """dubdesk: subtitles, glossaries, offline translation, timing QA and muxing
    for film and TV localisation.

    Run `dubdesk COMMAND --help` for the options of one command.
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: SIGTERM and SIGHUP end a run as Ctrl-C does."""
    from ..processes import handle_signals

    handle_signals()
    cli.main(args=argv, prog_name="dubdesk")


def run_argv(argv: list[str]) -> tuple[int, str, str]:
    """Run ``dubdesk ARGV`` in this process; (exit code, stdout, stderr): one file of a batch (cli/batch.py)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args=argv, prog_name="dubdesk", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        except Exception as exc:  # one file's failure is a line in the summary, not the batch's end
            err.write(f"dubdesk: error: {exc.one_line() if isinstance(exc, DubdeskError) else exc}\n")
            code = getattr(exc, "exit_code", 1)
    return code, out.getvalue(), err.getvalue()
