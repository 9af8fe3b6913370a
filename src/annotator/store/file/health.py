"""The health of a project file, checked without changing it (``annotator check``).

:func:`check_project` looks at the file, its side files, its lock and its backups and
returns a :class:`Health` with what it found; ``Health.problems`` lists, one sentence
each, what is wrong (empty when all is well). It never opens the project for writing and
changes no byte of it, nor its time stamps, and leaves no side file behind:

- nobody has the project open and there is no ``-wal``: the file is read as immutable
  (SQLite then reads the file alone and creates nothing beside it);
- nobody has it open but a ``-wal`` was left behind: the file and its ``-wal`` are
  copied into a private temporary folder and the copy is checked (what the next opening
  would see, WAL included);
- another process has it open: read through SQLite's WAL reader (``mode=ro``), which
  works while the other process writes; the side files are that process's own.

A path that is missing, a folder or no Annotator project at all raises
:class:`ProjectError` (a user mistake, not a finding).

Meant for a process that does not have the project open itself (the CLI): telling
whether others have it open closes a descriptor of its ``-shm`` file, which would drop
this process's own SQLite locks on it (POSIX locks belong to the process).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.store.file.backup import backup_dir, list_backups
from annotator.store.file.connection import SQLITE_HEADER
from annotator.store.file.lock import LockHolder, lock_path, read_holder
from annotator.store.file.schema import APPLICATION_ID, SCHEMA_VERSION
from annotator.store.file.schema_shape import missing_parts, missing_sentence

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

MAX_REPORTED = 20  # integrity messages kept (SQLite can list thousands)


@dataclass(frozen=True)
class SideFile:
    path: Path
    size: int


@dataclass
class Health:
    """What :func:`check_project` found; ``problems`` is empty when all is well."""

    path: Path
    size: int
    check: str  # "integrity_check" or "quick_check"
    integrity: list[str] = field(default_factory=list)  # ["ok"], or what SQLite found
    side_files: list[SideFile] = field(default_factory=list)  # -wal and -shm present
    in_use: bool = False  # another process has the project open (side files are its own)
    holder: LockHolder | None = None  # who has it open for writing
    stale_lock: Path | None = None  # a lock file left by a process that is gone
    backups: int = 0
    unreadable_backups: int = 0
    newest_backup: datetime | None = None  # UTC
    backup_folder: Path | None = None
    schema_version: int | None = None
    application_id: int | None = None
    non_text_documents: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # tables and columns gone (schema_shape)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def orphans(self) -> list[SideFile]:
        """Side files left beside the project while nobody has it open."""
        return [] if self.in_use else self.side_files


def check_project(path: Path, *, quick: bool = False) -> Health:
    """Check the project at *path*; see the module's docstring."""
    if not path.exists():
        raise ProjectError(f"there is no project at {path}")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    health = Health(path, path.stat().st_size, "quick_check" if quick else "integrity_check")
    health.holder = read_holder(path)
    if health.holder is None and lock_path(path).exists():
        health.stale_lock = lock_path(path)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            health.side_files.append(SideFile(side, side.stat().st_size))
    health.in_use = health.holder is not None or _shared_memory_in_use(Path(f"{path}-shm"))
    _check_backups(health)
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        if not health.backups:
            raise ProjectError(f"{path} is not an Annotator project (it is not an SQLite file)")
        health.integrity = ["the file does not start as an SQLite database"]
        health.problems.append(
            f"{path.name} is damaged: it no longer starts as an SQLite database "
            f"(overwritten or cut short); its backups are listed by 'annotator backups {path}'"
        )
    else:
        _check_database(health)
    _judge(health)
    return health


def _check_backups(health: Health) -> None:
    health.backup_folder = backup_dir(health.path)
    for folder in (health.backup_folder, *health.backup_folder.parents):
        if folder.exists():  # the deepest folder there is must take the backups
            if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                health.problems.append(
                    f"no backup can be taken: {folder} is not a folder Annotator can write "
                    f"to (backups go to {health.backup_folder})"
                )
            break
    try:
        backups = list_backups(health.path)
    except OSError as exc:
        health.problems.append(f"the backups in {health.backup_folder} cannot be read: {exc}")
        return
    health.backups = len(backups)
    health.unreadable_backups = sum(1 for b in backups if b.annotations is None)
    health.newest_backup = backups[0].taken_at if backups else None


def _check_database(health: Health) -> None:
    with tempfile.TemporaryDirectory(prefix="annotator-check-") as private:
        try:
            conn = _connect(health, Path(private))
        except OSError as exc:  # the private copy (a -wal was left): no room, no access
            raise ProjectError(
                f"cannot check {health.path.name}: copying it and its -wal to a temporary "
                f"folder failed ({exc.strerror or exc})"
            ) from None
        except sqlite3.Error as exc:
            health.integrity = [_one_line(exc)]
            return
        try:
            _read_database(health, conn)
        finally:
            conn.close()


def _connect(health: Health, private: Path) -> sqlite3.Connection:
    path = health.path
    uri = path.resolve().as_uri()
    if health.in_use:  # a WAL reader beside the process that has it open
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=5)
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        copy = private / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, f"{copy}-wal")
        return sqlite3.connect(copy, timeout=5)
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


def _read_database(health: Health, conn: sqlite3.Connection) -> None:
    try:
        health.application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        health.schema_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        health.integrity = [_one_line(exc)]
        return
    if health.application_id != APPLICATION_ID and "annotations" not in tables:
        raise ProjectError(f"{health.path} is an SQLite file but not an Annotator project")
    try:
        rows = conn.execute(f"PRAGMA {health.check}({MAX_REPORTED})").fetchall()
        health.integrity = [_one_line(r[0]) for r in rows]
    except sqlite3.DatabaseError as exc:
        health.integrity = [_one_line(exc)]
    if 1 <= health.schema_version <= SCHEMA_VERSION:
        with contextlib.suppress(sqlite3.DatabaseError):  # reported by the integrity check
            health.missing = missing_parts(conn, health.schema_version)
    if "documents" in tables and not health.missing:
        with contextlib.suppress(sqlite3.DatabaseError):  # reported by the integrity check
            health.non_text_documents = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM documents WHERE typeof(text) <> 'text' "
                    f"OR typeof(title) <> 'text' ORDER BY id LIMIT {MAX_REPORTED}"
                )
            ]


def _judge(health: Health) -> None:
    """Turn the findings into sentences in ``health.problems``."""
    name, out = health.path.name, health.problems
    if health.integrity and health.integrity != ["ok"] and health.schema_version is not None:
        first = "; ".join(health.integrity[:3])
        more = len(health.integrity) - 3
        out.append(
            f"the {health.check.replace('_', ' ')} found damage: {first}"
            + (f" (and {more} more)" if more > 0 else "")
        )
    elif health.schema_version is None and health.integrity:
        out.append(f"{name} is damaged: it cannot be read ({health.integrity[0]})")
    if health.application_id is not None and health.application_id != APPLICATION_ID:
        out.append(
            f"its application id is {health.application_id:#x}, not {APPLICATION_ID:#x} "
            "(Annotator): Annotator refuses to open it"
        )
    version = health.schema_version
    if version is not None and version > SCHEMA_VERSION:
        out.append(
            f"it was saved by a newer Annotator (file format {version}; this version reads "
            f"up to {SCHEMA_VERSION}): update Annotator to use it"
        )
    elif version is not None and version < 1:
        out.append(f"its schema version is {version}, which no Annotator writes")
    if health.missing and version is not None:
        out.append(
            f"{name} is damaged: {missing_sentence(health.missing, version)} (its schema was "
            "changed; integrity_check does not look at that): Annotator refuses to open "
            f"it; its backups are listed by 'annotator backups {health.path}'"
        )
    if health.non_text_documents:
        ids = ", ".join(map(str, health.non_text_documents))
        out.append(
            f"document(s) {ids} hold their text or title as raw bytes or numbers, not text "
            "(written by another program)"
        )
    for side in health.orphans:
        if side.path.name.endswith("-wal") and side.size > 0:
            out.append(
                f"{side.path.name} ({_size(side.size)}) is left beside it while nobody has it "
                f"open: changes in it are not in {name} itself; opening the project for "
                "changes folds them in (do not copy or mail the file alone until then)"
            )
        else:
            out.append(
                f"{side.path.name} ({_size(side.size)}) is left beside it while nobody has it "
                "open (it holds nothing that is not in the file; an unclean close left it)"
            )
    if health.unreadable_backups:
        out.append(
            f"{health.unreadable_backups} of its {health.backups} backups cannot be read "
            f"(in {health.backup_folder})"
        )


def _shared_memory_in_use(shm: Path) -> bool:
    """True when some process has the project open through SQLite (reader or writer).

    Every SQLite connection in WAL mode holds a shared lock on one byte of the ``-shm``
    file (the "DMS" byte, offset 128) while it is open; asking whether a write lock could
    be taken there (``F_GETLK``) tells, without taking any lock. Linux only; elsewhere
    (and when it cannot tell) False: then only the lock file says who has it open.
    """
    if fcntl is None or not sys.platform.startswith("linux") or not shm.exists():
        return False
    try:
        fd = os.open(shm, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        query = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 128, 1, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return struct.unpack("hhqqi4x", answer)[0] != fcntl.F_UNLCK
    except (OSError, struct.error):
        return False
    finally:
        os.close(fd)


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"
