"""Creating and opening a project file: the checks, the lock, migrations, the daily backup."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.codebook import Codebook, default_codebook
from annotator.core.errors import ProjectError
from annotator.store.file.backup import backup_failed_message, backup_on_open
from annotator.store.file.connection import check_project_file, connect, explain_open_error
from annotator.store.file.lock import acquire
from annotator.store.file.schema import SCHEMA_VERSION, migrate, shim_for_reading

if TYPE_CHECKING:
    from annotator.store.project import Project


def now() -> str:
    """The current time as an ISO 8601 UTC timestamp (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def create_project(
    cls: type[Project],
    target: Path,
    codebook: Codebook | None,
    *,
    annotator: str | None,
    name: str | None,
) -> Project:
    """See :meth:`Project.create`."""
    if target.exists():
        raise ProjectError(f"{target} already exists; choose another name or open it")
    if not target.parent.is_dir():
        raise ProjectError(f"cannot create {target}: folder {target.parent} does not exist")
    codebook = codebook or default_codebook()
    lock = acquire(target)
    try:
        conn = connect(target, read_only=False)
    except sqlite3.Error as exc:
        lock.release()
        raise ProjectError(f"cannot create {target}: {exc}") from None
    project = cls(target, conn, read_only=False)
    project._lock = lock
    try:
        migrate(conn)
        with project.db.atomic():
            project._write_meta("name", name or target.stem)
            project._write_meta("created", now())
            if annotator:
                project._write_meta("annotator", annotator)
            project._write_codebook(codebook)
        assert project._open_file is not None
        project._open_file.after_write(conn)
    except BaseException:
        conn.close()
        lock.release()
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        raise
    return project


def open_project(cls: type[Project], target: Path, *, read_only: bool) -> Project:
    """See :meth:`Project.open`."""
    check_project_file(target)
    lock = None if read_only else acquire(target)
    try:
        conn = connect(target, read_only=read_only)
        if not read_only:
            migrate(conn)
    except sqlite3.Error as exc:
        if lock is not None:
            lock.release()
        raise ProjectError(explain_open_error(target, exc)) from None
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    project = cls(target, conn, read_only)
    project._lock = lock
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if read_only and version < SCHEMA_VERSION:
        # a file of an older format opened read-only is not upgraded: format 1 has no
        # annotation UUIDs yet, format 2 no label tree, variables, groups or memos
        if version < 2:
            project._annotation_columns = project._annotation_columns.replace("a.uuid", "NULL")
        shim_for_reading(conn, version)
    if project._open_file is not None:
        project._open_file.after_write(conn)  # the migration, and any WAL left, folded in
    if not read_only:
        try:
            project._backup_job = backup_on_open(conn, target)
        except ProjectError:
            project.close()  # damaged: writing on would make it worse
            raise
        except (OSError, sqlite3.Error) as exc:
            project.backup_problem = backup_failed_message(target, exc)
    return project
