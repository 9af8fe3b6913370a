"""Opening the project file: the checks before, the connection, and write errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    else:
        conn = sqlite3.connect(path, timeout=5)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


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
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path} is damaged and cannot be opened ({exc})") from None
    if app_id != APPLICATION_ID or "annotations" not in tables:
        raise ProjectError(f"{path} is an SQLite file but not an Annotator project")
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path} was saved by a newer version of Annotator (file format {version}; this "
            f"version reads up to {SCHEMA_VERSION}). Update Annotator to open it; the file "
            "was not changed."
        )


def explain_write_error(path: Path, exc: sqlite3.OperationalError) -> str:
    message = str(exc)
    if "readonly" in message or "read-only" in message:
        return f"{path.name} cannot be changed: the file or its folder is read-only"
    if "locked" in message or "busy" in message:
        return f"{path.name} is busy: another program is writing to it; try again"
    if "full" in message:
        return f"the disk holding {path.name} is full; nothing was saved of the last change"
    if "disk I/O" in message:
        return f"{path.name} could not be written (disk I/O error); is the drive still there?"
    return f"{path.name} could not be written: {message}"
