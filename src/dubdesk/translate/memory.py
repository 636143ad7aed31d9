"""Translation memory: every translated text, kept in SQLite next to the user's data.

The key is (engine id, source language, target language, context, text):

* the *engine id* names the model and its version and fingerprint, so a new
  model never returns an old model's output;
* the *context* is a string the caller chooses — the pipeline passes the
  glossary version, so editing the glossary retranslates what it affects.

Where the file lives (first that applies):

1. the ``path`` argument;
2. ``$DUBDESK_MEMORY`` (a file path);
3. ``$DUBDESK_HOME/memory.sqlite``;
4. ``memory.sqlite`` in the platform's user data folder for "dubdesk"
   (``~/.local/share/dubdesk/memory.sqlite`` on Linux).

:meth:`TranslationMemory.put_many` commits at once, so a run that is
interrupted (Ctrl-C, kill) keeps every batch it finished and a re-run
translates only the rest. The database uses WAL journaling so a reader never
blocks the writer.

A memory that cannot be used (a full disk, a lock held longer than
``timeout``, a corrupt file) never stops a translation: it logs one warning
naming the file and the reason, and the run goes on without caching
(:attr:`TranslationMemory.problem` says why).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import platformdirs

from ..errors import DubdeskError

__all__ = ["TranslationMemory", "default_memory_path", "dubdesk_home"]

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    context TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (engine, source, target, context, text)
) WITHOUT ROWID;
"""

#: SQLite's default limit of bound parameters is 999 on old builds
_LOOKUP_CHUNK = 400
#: attempts at a write while other processes hold the database (backoff 10 ms doubling, at most 1 s)
_BUSY_RETRIES = 12


def dubdesk_home() -> Path:
    """``$DUBDESK_HOME`` or the platform's user data folder for dubdesk (not created)."""
    env = os.environ.get("DUBDESK_HOME")
    if env:
        return Path(env).expanduser()

    return Path(platformdirs.user_data_dir("dubdesk", appauthor=False))


def default_memory_path() -> Path:
    """Where the translation memory lives by default (see the module docstring)."""
    env = os.environ.get("DUBDESK_MEMORY")
    if env:
        return Path(env).expanduser()
    return dubdesk_home() / "memory.sqlite"


class TranslationMemory:
    """A SQLite translation memory. Use as a context manager or call :meth:`close`.

    ``path`` may be ``":memory:"`` for a throw-away memory.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = 30.0) -> None:
        self.path = str(path) if path is not None else str(default_memory_path())
        #: why the memory stopped working (a full disk, a lock held too long, a corrupt file), else None
        self.problem: str | None = None
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DubdeskError(
                    f"cannot create the translation memory folder: {exc.strerror or exc}",
                    path=self.path,
                    hint="set DUBDESK_MEMORY to a writable file",
                ) from exc
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=timeout)
            self._retrying(self._set_up)
        except sqlite3.Error as exc:
            self._give_up(exc)

    def _give_up(self, exc: sqlite3.Error) -> None:
        """Translation goes on without the memory: a cache must never stop a run; say so once."""
        if self.problem is None:
            self.problem = str(exc)
            log.warning(
                "%s: translation memory unusable (%s); continuing without caching%s",
                self.path, exc, "" if "full" in str(exc) or "locked" in str(exc) else
                " (delete the file to start a new memory)",
            )  # fmt: skip
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    # -- lookups -------------------------------------------------------------

    def get_many(
        self, engine: str, source: str, target: str, texts: Sequence[str], context: str = ""
    ) -> dict[str, str]:
        """The remembered translations of those ``texts`` that are known."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        with self._lock:
            try:
                for start in range(0, len(unique), _LOOKUP_CHUNK):
                    if self._db is None:
                        break
                    chunk = unique[start : start + _LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        "SELECT text, translation FROM translations WHERE engine=? AND source=? AND target=?"
                        f" AND context=? AND text IN ({marks})",
                        (engine, source, target, context, *chunk),
                    ).fetchall()
                    found.update((str(t), str(tr)) for t, tr in rows)
            except sqlite3.Error as exc:
                self._give_up(exc)
        return found

    def get(self, engine: str, source: str, target: str, text: str, context: str = "") -> str | None:
        return self.get_many(engine, source, target, [text], context).get(text)

    def put_many(
        self,
        engine: str,
        source: str,
        target: str,
        pairs: Mapping[str, str] | Iterable[tuple[str, str]],
        context: str = "",
    ) -> None:
        """Remember translations and commit (so an interrupted run keeps them)."""
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        now = time.time()
        rows = [(engine, source, target, context, text, tr, now) for text, tr in items]
        with self._lock:
            if self._db is None:
                return
            try:
                self._write(rows)
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._db.rollback()
                self._give_up(exc)

    def _connection(self) -> sqlite3.Connection:
        assert self._db is not None, "the memory gave up"
        return self._db

    def _set_up(self) -> None:
        db = self._connection()
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        db.commit()

    def _write(self, rows: list[tuple[str, str, str, str, str, str, float]]) -> None:
        def insert() -> None:
            db = self._connection()
            db.executemany("INSERT OR REPLACE INTO translations VALUES (?,?,?,?,?,?,?)", rows)
            db.commit()

        self._retrying(insert)

    def _retrying(self, action: Callable[[], None]) -> None:
        """Run ``action``, again while another process holds the database. The busy timeout covers
        most waits, but SQLite answers "locked" at once to a switch to WAL while another process
        creates the file, and to a writer whose WAL snapshot is stale (seen with two season
        workers opening a new memory together)."""
        for attempt in range(_BUSY_RETRIES):
            try:
                action()
                return
            except sqlite3.OperationalError as exc:
                self._connection().rollback()
                if attempt == _BUSY_RETRIES - 1 or not any(w in str(exc) for w in ("locked", "busy")):
                    raise
                time.sleep(min(1.0, 0.01 * 2**attempt))

    def rows(self, source: str | None = None, target: str | None = None) -> list[tuple[str, str, str, str, str, str]]:
        """Every entry, or those of one language pair: (engine, source, target, context, text, translation).
        A season on a cluster sends these to its workers (dubdesk.season)."""
        sql = "SELECT engine, source, target, context, text, translation FROM translations"
        args: tuple[str, ...] = ()
        if source is not None and target is not None:
            sql += " WHERE source=? AND target=?"
            args = (source, target)
        with self._lock:
            if self._db is None:
                return []
            return [tuple(str(v) for v in row) for row in self._db.execute(sql, args).fetchall()]  # type: ignore[misc]

    def put_rows(self, rows: Iterable[Sequence[str]]) -> None:
        """Remember entries given as :meth:`rows` returns them (what a cluster's workers sent back)."""
        now = time.time()
        data = [(e, s, t, c, x, tr, now) for e, s, t, c, x, tr in rows]
        if data:
            with self._lock:
                self._write(data)

    def __len__(self) -> int:
        with self._lock:
            if self._db is None:
                return 0
            return int(self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TranslationMemory({self.path!r})"
