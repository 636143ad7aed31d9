"""Safe file writing: every command's output goes through here.

* A regular file (new or existing) is written to a temporary file in a private
  folder beside it (``.name.partial-PID-XXXX/``) and renamed into place, so
  nothing half-written is ever left under the final name. An existing file
  keeps its permissions and, where the process may, its owner and group.
* A symlink is resolved: the real file is replaced, the link stays a link.
* A target that exists and is not a regular file (``/dev/null``, a FIFO, a
  socket, ``/dev/stdout``, a terminal) is opened and written directly, never
  renamed over: its reader gets the bytes and the special file stays what it is.
* A private folder left by a process that no longer runs (``kill -9``, power
  loss) and older than this process is removed at the next write into that
  folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import DubdeskError, OutputExistsError

PathLike = str | os.PathLike[str]

#: when this process started (wall clock); private folders older than this and
#: whose owner is gone are debris of an earlier run
PROCESS_STARTED = time.time()
_PARTIAL_RE = re.compile(r"^\..*\.partial-(?:(\d+)-)?[A-Za-z0-9_]+$")
#: paths that name a stream of this process rather than a file (``/dev/stdout``, ``/proc/self/fd/1``)
_STREAM_PREFIXES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")


def same_file(a: PathLike, b: PathLike) -> bool:
    """True when two paths name the same file (following symlinks)."""
    pa, pb = Path(a), Path(b)
    try:
        return pa.resolve() == pb.resolve() or (pa.exists() and pb.exists() and os.path.samefile(pa, pb))
    except OSError:
        return False


#: the overwrite hint of commands that have ``--in-place``
CLI_HINT = "choose another -o, or pass --in-place to overwrite the input"


def refuse_overwrite(
    output: PathLike, inputs: list[PathLike], *, in_place: bool = False, hint: str | None = None
) -> None:
    """Raise :class:`OutputExistsError` when ``output`` is one of ``inputs`` and not ``in_place``.

    The default hint names the library's ``in_place`` parameter; the CLI passes
    :data:`CLI_HINT` where the command has ``--in-place`` and its own otherwise.
    """
    if in_place:
        return
    for item in inputs:
        if str(item) != "-" and str(output) != "-" and same_file(output, item) and not is_special(output):
            raise OutputExistsError(
                "output is the same file as an input",
                path=str(output),
                hint=hint or "write to another path, or pass in_place=True to overwrite the input",
            )


def is_special(path: PathLike) -> bool:
    """True when ``path`` exists and is not a regular file or folder (device, FIFO, socket, terminal)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _is_stream(path: PathLike) -> bool:
    """A special file, or a ``/dev``/``/proc`` name for a stream (``/dev/stdout`` redirected to a file)."""
    if is_special(path):
        return True
    text = os.path.abspath(os.fspath(path))
    return text.startswith(_STREAM_PREFIXES) and os.path.exists(text)


def is_stdout(path: PathLike) -> bool:
    """Does writing ``path`` write this process's standard output (``-o /dev/stdout``, or the very
    file stdout is redirected to)? A report printed there would land inside the written file."""
    try:
        a, b = os.stat(path), os.fstat(1)
    except (OSError, ValueError):
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def remove_stale_partials(folder: PathLike) -> list[Path]:
    """Remove private ``.*.partial-*`` folders in ``folder`` left by runs that ended abnormally.

    A folder is stale when it is older than this process and the process that
    made it (its PID is in the name) no longer runs; folders of a run still in
    progress, even an older one, are left alone. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PARTIAL_RE.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= PROCESS_STARTED:
                continue
        except OSError:
            continue
        pid = int(match.group(1)) if match.group(1) else None
        if pid is not None and (pid == os.getpid() or _pid_alive(pid)):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _private_folder(folder: Path, name: str) -> Path:
    remove_stale_partials(folder)
    return Path(tempfile.mkdtemp(prefix=f".{name}.partial-{os.getpid()}-", dir=folder))


def _keep_metadata(original: Path, replacement: Path) -> None:
    """Give ``replacement`` the permissions and (where allowed) the owner of ``original``."""
    try:
        st = os.stat(original)
    except FileNotFoundError:
        return
    os.chmod(replacement, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown"):
        try:
            os.chown(replacement, st.st_uid, st.st_gid)
        except PermissionError:
            with contextlib.suppress(OSError):  # a member of the group may still keep the group
                os.chown(replacement, -1, st.st_gid)


def _write_stream(destination: PathLike, chunks: Iterator[bytes]) -> None:
    """Write into an existing special file without replacing it."""
    mode = os.stat(destination).st_mode
    if stat.S_ISSOCK(mode):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(os.fspath(destination))
            for chunk in chunks:
                sock.sendall(chunk)
        return
    # a FIFO blocks here until a reader opens it, as `cat > fifo` does; a regular file
    # reached through /dev/stdout is appended to, so a shell's `>>` is respected
    flags = os.O_WRONLY | (os.O_APPEND if stat.S_ISREG(mode) else 0)
    fd = os.open(destination, flags)
    with open(fd, "wb", closefd=True) as fh:
        for chunk in chunks:
            fh.write(chunk)


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def resolve_target(destination: PathLike) -> Path:
    """The file a write to ``destination`` replaces: symlinks resolved, even a dangling one."""
    return Path(os.path.realpath(destination))


@contextlib.contextmanager
def atomic_path(destination: PathLike, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path for ``destination``; put its content into place on success.

    The path is a file that does not exist yet, inside a private folder
    (``.name.partial-PID-XXXX/``) in the real destination's folder, so the
    rename never crosses file systems. The file keeps the destination's name
    (or its stem plus ``suffix``) so tools that pick a format by extension
    (ffmpeg) still work. Not pre-creating the file matters: ext4
    (``auto_da_alloc``) flushes a file truncated to zero and rewritten as soon
    as it is closed, which cost ffmpeg 5-10% on a 220 MB mux.

    For a special target (see the module doc) the private folder is in the
    system's temporary folder and the finished file is copied into the target.
    """
    dest = Path(destination)
    stream = _is_stream(dest)
    real = dest if stream else resolve_target(dest)
    folder = Path(tempfile.gettempdir()) if stream else real.parent
    if not folder.is_dir():
        raise DubdeskError("output folder does not exist", path=str(dest.parent), hint="create it first")
    private = _private_folder(folder, real.name)
    tmp = private / (real.name if suffix is None else real.stem + suffix)
    try:
        yield tmp
        if stream:
            _write_stream(dest, _file_chunks(tmp))
        else:
            _keep_metadata(real, tmp)
            os.replace(tmp, real)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def atomic_write_bytes(destination: PathLike, data: bytes) -> None:
    """Write ``data`` to ``destination``: atomically (fsync, rename) or, for a special file, directly."""
    try:
        if _is_stream(destination):
            _write_stream(destination, iter([data]))
            return
        with atomic_path(destination) as tmp, open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise DubdeskError(
            f"cannot write output: {exc.strerror or exc}", path=str(destination), hint="check free space and permissions"
        ) from exc
