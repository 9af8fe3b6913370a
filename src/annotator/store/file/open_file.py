"""Watching the open project file: moved, replaced, truncated or overwritten behind our back.

SQLite keeps writing into a file that was moved, deleted or replaced as long as its
descriptor is open, and it does not notice bytes changed by another program. So a
project holds its own read-only descriptor of the file it opened and, before every
write (a few microseconds: two ``stat`` calls, one 100-byte read and
``PRAGMA data_version``):

- checks that the path still names that file (device and inode); if not, finds where
  the open file now is (``/proc/self/fd`` on Linux) and refuses the write with
  :class:`~annotator.core.errors.ProjectMovedError`;
- checks the file's header (SQLite magic, page size, application id) and that the file
  is not shorter than what was last checkpointed into it; if it is, refuses with
  :class:`~annotator.core.errors.ProjectDamagedError`;
- notices through ``PRAGMA data_version`` that another connection committed, so cached
  texts and codebook are read again.

After every write the WAL is folded into the file and truncated (``wal_checkpoint
(TRUNCATE)``, about 0.7 ms), so the ``.annot`` alone always holds everything saved:
a moved file is complete, and a file replaced in place never meets a stale ``-wal``.
:meth:`OpenFile.deep_check` adds ``PRAGMA quick_check`` on a fresh connection (that
reads the disk, not our page cache), for the window regaining focus.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
import sys
from pathlib import Path

from annotator.core.errors import ProjectDamagedError, ProjectError, ProjectMovedError
from annotator.store.file.connection import connect_read_only, moved_message
from annotator.store.file.schema import APPLICATION_ID

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100


def damaged_while_open_message(path: Path, why: str) -> str:
    return (
        f"{path.name} was changed by another program while it was open ({why}); Annotator "
        "stopped writing to it so nothing gets worse. Save a copy elsewhere: it holds "
        "everything this window still has"
    )


class OpenFile:
    """The project file as opened: its descriptor, identity and expected shape."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        info = os.fstat(self._fd)
        self.identity = (info.st_dev, info.st_ino)
        self._data_version: int | None = None
        self._page_size: int | None = None
        self._checkpointed_size = 0  # bytes the file held after the last full checkpoint

    def close(self) -> None:
        """Forget the file; call after SQLite closed its connection.

        When the file was moved away, SQLite cannot remove its ``-wal`` and ``-shm``
        at the old name (it turns the connection read-only): they are removed here
        when nothing is left at the old name and the WAL holds nothing.
        """
        if self._fd < 0:
            return
        moved = not self.still_named()
        os.close(self._fd)
        self._fd = -1
        if moved and not os.path.lexists(self.path):
            wal, shm = Path(f"{self.path}-wal"), Path(f"{self.path}-shm")
            with contextlib.suppress(OSError):
                if wal.is_file() and not wal.is_symlink() and wal.stat().st_size == 0:
                    wal.unlink()
                if not wal.exists() and shm.is_file() and not shm.is_symlink():
                    shm.unlink()

    # -- where is it ---------------------------------------------------------------

    def still_named(self) -> bool:
        try:
            info = os.stat(self.path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self.identity

    def where_now(self) -> Path | None:
        """The path the open file has now, or None when it was deleted (or unknown)."""
        try:
            if sys.platform.startswith("linux"):
                target = os.readlink(f"/proc/self/fd/{self._fd}")
            elif sys.platform == "darwin":  # pragma: no cover - not run here
                import fcntl

                buf = fcntl.fcntl(self._fd, 50, b"\0" * 1024)  # F_GETPATH
                target = buf.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            else:  # pragma: no cover
                return None
        except OSError:
            return None
        if target.endswith(" (deleted)") or not target.startswith("/"):
            return None
        found = Path(target)
        try:
            info = os.stat(found)
        except OSError:
            return None
        return found if (info.st_dev, info.st_ino) == self.identity else None

    # -- before and after a write --------------------------------------------------

    def check_before_write(self, conn: sqlite3.Connection, *, writing: bool = True) -> bool:
        """Raise when the file was moved or damaged; True when another connection wrote."""
        if not self.still_named():
            now_at = self.where_now()
            raise ProjectMovedError(
                moved_message(self.path, now_at, writing=writing), moved_to=now_at
            )
        problem = self._shape_problem(conn)
        if problem:
            raise ProjectDamagedError(damaged_while_open_message(self.path, problem))
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        return changed

    def after_write(self, conn: sqlite3.Connection) -> None:
        """Fold the WAL into the file and truncate it (without waiting for readers).

        The change is committed already: a checkpoint that fails here (a disk error, a
        file damaged meanwhile) loses nothing, and the check before the next write says
        what is wrong, so nothing is raised from here."""
        try:
            busy, _log, _done = checkpoint(conn)
            if not busy:
                with contextlib.suppress(OSError):
                    self._checkpointed_size = os.fstat(self._fd).st_size
            self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        except (sqlite3.Error, ProjectError):
            self._data_version = None

    def _shape_problem(self, conn: sqlite3.Connection) -> str | None:
        try:
            header = os.pread(self._fd, HEADER_BYTES, 0)
            size = os.fstat(self._fd).st_size
        except OSError as exc:
            return f"it cannot be read: {exc.strerror or exc}"
        if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
            return "its header was overwritten"
        if self._page_size is None:
            self._page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        (page_size,) = struct.unpack(">H", header[16:18])
        page_size = 65536 if page_size == 1 else page_size
        (app_id,) = struct.unpack(">i", header[68:72])
        if page_size != self._page_size:
            return "its header was overwritten"
        if self._checkpointed_size and app_id != APPLICATION_ID:  # once folded in, it is there
            return "its header was overwritten"
        if size < self._checkpointed_size:
            return f"it was cut short from {self._checkpointed_size:,} to {size:,} bytes"
        return None

    def deep_check(self) -> str | None:
        """``PRAGMA quick_check`` of what is on disk; the problem found, or None."""
        try:
            probe = connect_read_only(self.path)
        except sqlite3.Error as exc:
            return f"it cannot be read: {exc}"
        except ProjectError as exc:  # damage met by the first read
            return " ".join(str(exc).split())
        try:
            rows = probe.execute("PRAGMA quick_check(3)").fetchall()
        except sqlite3.DatabaseError as exc:
            return " ".join(str(exc).split())
        except ProjectError as exc:  # the cursor's word for damage
            return " ".join(str(exc).split())
        finally:
            probe.close()
        if rows and rows[0][0] != "ok":
            return "the integrity check found broken pages: " + "; ".join(str(r[0]) for r in rows)
        return None


def checkpoint(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """``wal_checkpoint(TRUNCATE)`` that gives up at once when a reader is busy."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        row = (1, -1, -1)
    finally:
        conn.execute("PRAGMA busy_timeout = 5000")
    return (int(row[0]), int(row[1]), int(row[2]))
