"""The dubdesk exception tree.

Every error a user can cause is a :class:`DubdeskError`. It carries the file,
the line (1-based) and a hint saying what to do, so the CLI can print one
readable line and exit with :attr:`exit_code`. Exceptions are picklable
(pysubs2 issue #97): ``__reduce__`` rebuilds them from their fields.
"""

from __future__ import annotations

from typing import Any


class DubdeskError(Exception):
    """Base class for every error dubdesk reports to a user."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        """``file:line: message (hint)`` — the form the CLI prints."""
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


def _rebuild(
    cls: type[DubdeskError], message: str, path: str | None, line: int | None, hint: str | None
) -> DubdeskError:
    err = cls.__new__(cls)
    DubdeskError.__init__(err, message, path=path, line=line, hint=hint)
    return err


class UsageError(DubdeskError):
    """The command line or API call itself is wrong (bad option value, unknown language)."""

    exit_code = 2


class UnknownLanguageError(UsageError):
    """A language tag dubdesk does not know."""


class SubtitleError(DubdeskError):
    """A subtitle file cannot be read or written."""


class ParseError(SubtitleError):
    """A subtitle file is malformed."""


class FormatDetectionError(SubtitleError):
    """The subtitle format cannot be told from the name or the content."""


class EncodingDetectionError(SubtitleError):
    """The text encoding cannot be determined with confidence, or the given one is wrong."""


class EncodeError(SubtitleError):
    """Text cannot be written in the chosen encoding (a character it does not have)."""


class OutputExistsError(DubdeskError):
    """Writing would overwrite an input or an existing file the user did not give up."""


class GlossaryError(DubdeskError):
    """A glossary file is malformed or inconsistent."""


class ModelError(DubdeskError):
    """A translation model is missing, broken or refused."""


class RouteError(ModelError):
    """No installed model can translate between two languages."""


class TranslationError(DubdeskError):
    """Translating a track failed."""


class ProfileError(DubdeskError):
    """A QA profile is unknown or malformed."""


class MediaError(DubdeskError):
    """A media file cannot be probed, muxed or extracted."""


class FFmpegNotFoundError(MediaError):
    """ffmpeg or ffprobe is not installed or not where it was said to be."""


class MuxError(MediaError):
    """ffmpeg failed or its output does not match the mux plan."""


class ManifestError(DubdeskError):
    """An episode manifest (dubdesk.toml) is malformed."""


class UnknownProfileError(ProfileError):
    """A QA profile name that is neither shipped nor a readable file (a usage error)."""

    exit_code = 2


class GlossaryInvalidError(GlossaryError):
    """A glossary has bad entries; :attr:`problems` holds one error per bad row, each with its line."""

    def __init__(self, problems: list[GlossaryError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, hint=first.hint)
        self.problems = list(problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))

    def one_line(self) -> str:
        text = self.problems[0].one_line()
        if len(self.problems) > 1:
            text += f" (and {len(self.problems) - 1} more; `dubdesk glossary validate` lists them all)"
        return text

    def lines(self) -> list[str]:
        """One line per problem, ``file:line: message``."""
        return [p.one_line() for p in self.problems]


class BuildStoppedError(DubdeskError):
    """``dubdesk build`` stopped: QA findings at or above the manifest's ``fail_on`` remain."""

    exit_code = 3


class ShotListError(DubdeskError):
    """A shot-change list (one time in seconds a line) has a line that is not a time."""


class ProfileOverrideError(ProfileError):
    """A profile override (``--set KEY=VALUE``, ``overrides=``) is invalid: a usage error."""

    exit_code = 2


class ManifestConflictError(ManifestError):
    """Two settings of a manifest contradict each other (``name = "x.mp4"`` with ``container = "mkv"``)."""

    exit_code = 2
