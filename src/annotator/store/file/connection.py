"""Opening the project file: the checks before, the connection, and write errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from annotator.core.errors import ProjectDamagedError, ProjectError
from annotator.store.file.schema import APPLICATION_ID, SCHEMA_VERSION
from annotator.store.file.schema_shape import missing_parts, missing_sentence

SQLITE_HEADER = b"SQLite format 3\x00"


SQLITE_READONLY_DBMOVED = 1032
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26

FileId = tuple[int, int]


def damaged_message(path: Path, exc: sqlite3.Error) -> str:
    return (
        f"{path.name} is damaged: part of it cannot be read ({' '.join(str(exc).split())}); "
        f"its automatic backups are listed by 'annotator backups {path}'"
    )


def is_damage(exc: BaseException) -> bool:
    """Whether *exc* is SQLite finding the file damaged (corrupt, or no database)."""
    code = getattr(exc, "sqlite_errorcode", 0) or 0
    return isinstance(exc, sqlite3.DatabaseError) and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def _reraise(exc: sqlite3.DatabaseError, conn: sqlite3.Connection) -> None:
    if is_damage(exc):
        path = getattr(conn, "project_path", None) or Path("the project")
        raise ProjectDamagedError(damaged_message(Path(path), exc)) from None
    raise exc


class _Cursor(sqlite3.Cursor):
    """A cursor that reports a damaged file as :class:`ProjectError`, not a traceback.

    ``execute`` and the ``fetch*`` calls are covered (damage is nearly always met by
    the first step, inside ``execute``); plain iteration is not wrapped, because a
    Python ``__next__`` would double the cost of every row read.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self.connection)
            raise

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self.connection)
            raise

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany() if size is None else super().fetchmany(size)
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self.connection)
            raise

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self.connection)
            raise


class ProjectConnection(sqlite3.Connection):
    """The project's connection: damage found while reading becomes a ProjectError."""

    project_path: Path | None = None

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor(_Cursor).execute(sql, parameters)


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = connect_read_only(path)
    else:
        if not os.access(path, os.W_OK) and path.exists():
            raise ProjectError(read_only_message(path))
        conn = sqlite3.connect(path, timeout=5, factory=ProjectConnection)
        conn.project_path = path  # type: ignore[attr-defined]
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; works while another process writes (WAL readers).

    A WAL project in a folder nobody may write to, closed cleanly (no ``-wal`` file),
    cannot get its shared-memory file: it is then opened as immutable, which is exact
    because nobody can be writing to it.
    """
    uri = path.resolve().as_uri()
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        # Opened for reading and writing but refusing writes (query_only), so that the
        # last connection to close folds and removes the -wal and -shm files, as a
        # writer's would: a read-only (mode=ro) connection leaves them behind.
        conn = sqlite3.connect(f"{uri}?mode=rw", uri=True, timeout=5, factory=ProjectConnection)
        conn.project_path = path  # type: ignore[attr-defined]
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=5, factory=ProjectConnection)
        conn.project_path = path  # type: ignore[attr-defined]
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn
    except sqlite3.OperationalError:
        wal = Path(f"{path}-wal")
        if (wal.exists() and wal.stat().st_size > 0) or os.access(path.parent, os.W_OK):
            raise
    conn = sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, timeout=5, factory=ProjectConnection
    )
    conn.project_path = path  # type: ignore[attr-defined]
    return conn


def file_id(path: Path) -> FileId | None:
    """Device and inode of *path* (to notice a project file replaced or deleted)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def moved_message(path: Path, now_at: Path | None = None, *, writing: bool = True) -> str:
    """The one message for a project file that no longer stands at *path*: moved to
    *now_at*, or deleted or replaced (None)."""
    unsaved = ", so the last change was not saved" if writing else ""
    if now_at is None:
        return (
            f"the project file {path} was deleted or replaced while it was open{unsaved}; "
            "everything saved before is still open: save a copy elsewhere to keep it"
        )
    return (
        f"the project file {path} was moved to {now_at} while it was open{unsaved}; "
        "everything saved before is in the moved file: go on working there, or save a "
        "copy elsewhere"
    )


def read_only_message(path: Path) -> str:
    return (
        f"{path.name} is read-only (the file or its folder cannot be written); "
        "open it read-only, or copy it to a folder you can write to"
    )


def check_project_file(path: Path) -> None:
    """Raise :class:`ProjectError` unless *path* is a project this version can open.

    Reads only: a refused file is never modified.
    """
    if not path.exists():
        raise ProjectError(f"there is no project at {path}")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        raise ProjectError(f"{path} is not an Annotator project (it is not an SQLite file)")
    try:
        conn = connect_read_only(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            missing = missing_parts(conn, version) if 1 <= version <= SCHEMA_VERSION else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path} is damaged and cannot be opened ({exc})") from None
    if app_id != APPLICATION_ID or "annotations" not in tables:
        raise ProjectError(f"{path} is an SQLite file but not an Annotator project")
    if version < 1:
        raise ProjectError(
            f"{path} has Annotator's tables but file format {version}, which no version of "
            "Annotator writes (another program changed it); the file was not changed. "
            f"'annotator check {path}' tells more; its backups are listed by "
            f"'annotator backups {path}'"
        )
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path} was saved by a newer version of Annotator (file format {version}; this "
            f"version reads up to {SCHEMA_VERSION}). Update Annotator to open it; the file "
            "was not changed."
        )
    if missing:
        raise ProjectError(
            f"{path} is damaged: {missing_sentence(missing, version)} (another program or "
            f"a damaged disk changed its schema); the file was not changed. Its backups are "
            f"listed by 'annotator backups {path}'"
        )


def explain_open_error(path: Path, exc: sqlite3.Error) -> str:
    """A plain one-line message for a project that could not be opened for writing."""
    message = str(exc)
    if "readonly" in message or "read-only" in message or not os.access(path.parent, os.W_OK):
        return read_only_message(path)
    if "full" in message:
        return f"the disk is full: {path.name} cannot be opened for changes; free some space"
    if "locked" in message or "busy" in message:
        return f"{path.name} is busy: another program is writing to it; try again"
    return f"cannot open {path}: {message}"


def explain_write_error(path: Path, exc: sqlite3.Error) -> str:
    """A plain one-line message for a failed write; earlier changes are always kept."""
    message = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    if code == SQLITE_READONLY_DBMOVED or not path.exists():
        return moved_message(path)
    if "readonly" in message or "read-only" in message:
        return f"{path.name} cannot be changed: the file or its folder is read-only"
    if "locked" in message or "busy" in message:
        return f"{path.name} is busy: another program is writing to it; try again"
    if "full" in message:
        return (
            f"the disk is full: the last change to {path.name} was not saved (everything "
            "saved before is safe); free some space and try again"
        )
    if "disk I/O" in message or "unable to open" in message:
        return (
            f"{path.name} could not be written (disk I/O error); is the drive still there? "
            "Everything saved before is safe"
        )
    return f"{path.name} could not be written: {message}"
