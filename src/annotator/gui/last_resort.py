"""The window's last resort: an exception nothing caught becomes one line, never a
traceback on the user's screen.

PySide6 hands an exception raised in a slot, an event handler or a paint to
``sys.excepthook`` and goes on running. :func:`install` (called by ``app.run``, not by
``create_main_window``: tests keep pytest-qt's own hook, which fails the test) puts a
hook there that:

- shows an :class:`AnnotatorError` (a refused input, a damaged file) as its own line,
  and SQLite finding the file damaged (met while reading rows past a query's first,
  which the store does not wrap) as the damaged-file line;
- shows anything else (a bug) as one line that says the saved work is safe (every
  change is committed when made) and where the details went: the whole traceback is
  appended to ``errors.log`` in the user's data folder (never through a link; the
  log is started afresh past 1 MB);
- shows at most one box at a time (a failing paint would raise at every frame) and
  says on standard error one line per exception, not the traceback;
- does the same for a worker thread (``threading.excepthook``): logged where it
  happened, its line shown by the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog

from annotator.core.errors import AnnotatorError
from annotator.store.file.backup import data_home
from annotator.store.file.connection import is_damage
from annotator.store.file.sidefiles import open_existing, open_new

LOG_LIMIT = 1 << 20  # bytes; a longer log starts afresh


def log_path() -> Path:
    return data_home() / "errors.log"


def write_log(text: str, path: Path | None = None) -> Path | None:
    """Append *text* to the error log; the log's path, or None when it cannot be
    written (a read-only home; a link, a FIFO or anything not a plain file at its
    name: opened as the store's side files are)."""
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = open_existing(path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            fd = open_new(path, mode=0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as log:
            if os.fstat(fd).st_size > LOG_LIMIT:
                os.ftruncate(fd, 0)
            log.write(text)
    except (OSError, AnnotatorError):
        return None
    return path


def message_for(exc: BaseException, logged: Path | None) -> str:
    """The one line the user reads for *exc*."""
    if isinstance(exc, AnnotatorError):
        return " ".join(str(exc).split())
    if is_damage(exc):  # met past a query's first row, where the store does not look
        return (
            f"The project file is damaged: part of it cannot be read ({' '.join(str(exc).split())}); "
            "File > Restore a backup… puts one of its backups in its place"
        )
    what = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(what) > 200:
        what = what[:199] + "…"
    where = f"the details are in {logged}" if logged else "the details could not be written"
    return (
        f"Something went wrong inside Annotator ({what}). Your saved work is safe: "
        f"every change is saved when made; {where}"
    )


class _Relay(QObject):
    """Carries a line from a worker thread to the GUI thread (a queued signal)."""

    line = Signal(str)


class LastResort:
    """The hook: *show* puts a line in front of the user and returns the box it opened
    (the window's :meth:`show_error`); until that box is closed, later exceptions only
    go to standard error and the log. Made in the GUI thread; an exception of a worker
    thread is logged there and its line shown by the GUI thread."""

    def __init__(self, show: Callable[[str], QDialog | None], log: Path | None = None) -> None:
        self.show = show
        self.log = log
        self.showing = False
        self.shown: list[str] = []
        self._relay = _Relay()
        self._relay.line.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        logged: Path | None = None
        if not isinstance(exc, AnnotatorError):
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            where = threading.current_thread().name
            text = "".join(traceback.format_exception(kind, exc, tb))
            logged = write_log(f"--- {stamp} ({where})\n{text}", self.log)
        line = message_for(exc, logged)
        with contextlib.suppress(OSError, ValueError):  # no stderr to say it on
            print(f"annotator: {line}", file=sys.stderr, flush=True)
        if threading.current_thread() is threading.main_thread():
            self._show(line)
        else:
            self._relay.line.emit(line)  # queued: shown by the GUI thread

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """For ``threading.excepthook``: a worker thread's uncaught exception."""
        if args.exc_value is not None:
            self(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, line: str) -> None:
        if self.showing:
            return
        self.shown.append(line)
        try:
            box = self.show(line)
        except Exception:  # the box itself failed: the line on stderr is all there is
            return
        if box is not None:
            self.showing = True
            box.finished.connect(self._closed)

    def _closed(self, *_args: object) -> None:
        self.showing = False


def install(show: Callable[[str], QDialog | None]) -> LastResort:
    """Put a :class:`LastResort` showing its lines with *show* in ``sys.excepthook``
    and ``threading.excepthook`` (call it in the GUI thread)."""
    hook = LastResort(show)
    sys.excepthook = hook
    threading.excepthook = hook.thread_hook
    return hook
