"""What a failed write becomes: one line for the user, and no more writes when it is damage.

:meth:`Project.transaction <annotator.store.project.Project.transaction>` sends whatever
escaped a write through :func:`write_error`: values Python cannot hand to SQLite
(unpaired surrogates from bytes that were not UTF-8, integers of 2**63 and more) become
:class:`~annotator.core.errors.InputError`; SQLite's own errors become the plain
messages of :func:`~annotator.store.file.connection.explain_write_error`; damage found while
writing blocks every later write of that project.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from annotator.core.errors import InputError, ProjectDamagedError, ProjectError, ProjectMovedError
from annotator.store.file.connection import (
    SQLITE_CORRUPT,
    SQLITE_NOTADB,
    explain_write_error,
)
from annotator.store.file.open_file import damaged_while_open_message

if TYPE_CHECKING:
    from annotator.store.project import Project


def write_error(project: Project, exc: BaseException) -> BaseException:
    """The error to raise for *exc*, met while writing to *project*."""
    if isinstance(exc, UnicodeEncodeError):
        return InputError(
            "a value cannot be stored: it holds an unpaired surrogate (bytes that are not "
            f"UTF-8?) at character {exc.start}"
        )
    if isinstance(exc, OverflowError):
        return InputError("a number is too large to store (whole numbers go up to 2**63 - 1)")
    if isinstance(exc, ProjectDamagedError):
        project._blocked = exc
        return exc
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            damaged = ProjectDamagedError(
                damaged_while_open_message(project.path, " ".join(str(exc).split()))
            )
            project._blocked = damaged
            return damaged
        return ProjectError(explain_write_error(project.path, exc))
    return exc


def moved_args(exc: ProjectError) -> tuple[object, ...]:
    """The extra constructor arguments to raise *exc* again."""
    return (exc.moved_to,) if isinstance(exc, ProjectMovedError) else ()
