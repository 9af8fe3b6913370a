"""Keeping what is open when its file moved: go on at the new place, or save a copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import ProjectError
from annotator.store.file.backup import copy_database
from annotator.store.file.connection import connect, explain_open_error, file_id
from annotator.store.file.database import database
from annotator.store.file.lock import acquire
from annotator.store.file.open_file import OpenFile, checkpoint
from annotator.store.file.sidefiles import private_folder, publish

if TYPE_CHECKING:
    from annotator.store.project import Project


def relocate(project: Project, target: Path) -> None:
    """Reopen *project* at *target*, which must name the file that is open (it moved).

    The WAL is folded into the file first; the lock moves with it; the connection is
    opened anew, so SQLite's side files follow the new name too.
    """
    opened = project._open_file
    if opened is None:
        raise ProjectError(f"{project.path.name} is open read-only")
    if file_id(target) != opened.identity:
        raise ProjectError(f"{target} is not the project file that was open")
    lock = acquire(target)
    try:
        checkpoint(project._conn)
        project._conn.close()
        conn = connect(target, read_only=False)
    except sqlite3.Error as exc:
        lock.release()
        raise ProjectError(explain_open_error(target, exc)) from None
    if project._lock is not None:
        project._lock.release()
    project._lock = lock
    opened.close()
    project._open_file = OpenFile(target)
    project.path, project._conn, project._db = target, conn, database(conn)
    project._blocked = None
    project.forget_cached()


def backup_to(project: Project, target: Path) -> Path:
    """Copy the whole project to *target* with SQLite's backup API, through a private
    folder (never through a link), from the open connection."""
    opened = project._open_file
    same_name = target.resolve() == project.path.resolve() and project._blocked is None
    if same_name or (opened is not None and file_id(target) == opened.identity):
        raise ProjectError("a copy cannot replace the project itself")
    try:
        with private_folder(target) as folder:
            tmp = folder / target.name
            dest = sqlite3.connect(tmp)
            try:
                with dest:
                    copy_database(project._conn, dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
            publish(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        raise ProjectError(f"cannot write {target}: {exc}") from None
    return target
