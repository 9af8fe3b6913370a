"""Automatic backups of project files, and restoring one.

Opening a project for writing takes a copy with SQLite's backup API when the newest
backup is more than a day old (or there is none); the last :data:`KEEP` are kept.
They live in the user's data folder, not beside the project (so a project in a
read-only or synced folder is no problem)::

    $XDG_DATA_HOME/annotator/backups/<stem>-<hash of the absolute path>/<stem>-<UTC time>.annot

Each backup is a complete project file (rollback journal, no ``-wal``) that opens
like any other. Opening never waits long for it: a project up to :data:`SYNC_LIMIT`
is copied in the opening thread, in steps of :data:`STEP_PAGES` pages (measured: a
100 MB project takes about 0.45 s on a 2-core machine, so 32 MB about 0.15 s); a
bigger one is copied by a background thread on its own read-only connection (one
consistent snapshot; WAL lets the project be written meanwhile), and closing the
project waits for that copy to finish.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.core.errors import ProjectError
from annotator.store.file.connection import check_project_file, connect_read_only, damaged_message
from annotator.store.file.lock import acquire
from annotator.store.file.sidefiles import private_folder, publish

KEEP = 7
COPY_SECONDS = 60.0  # a copy that stays busy longer gives up
EVERY = timedelta(days=1)
STEP_PAGES = 4096  # 16 MB per step with 4 KB pages
SYNC_LIMIT = 32 * 2**20  # bigger projects are backed up by a background thread
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"-(\d{8}T\d{6}Z)(?:-(\d+))?\.annot$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    size: int  # bytes
    annotations: int | None  # None when the copy cannot be read


def data_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "annotator"


class _Policy:
    """Where backups go and how many are kept (the window's Preferences set it)."""

    folder: Path | None = None  # None: the user's data folder
    keep: int = KEEP


def configure(folder: str | os.PathLike[str] | None, keep: int = KEEP) -> None:
    """Put backups in *folder* (None or "": the user's data folder) and keep the last
    *keep* of each project (at least 1)."""
    text = os.fspath(folder) if folder is not None else ""
    _Policy.folder = Path(text).expanduser() if text.strip() else None
    _Policy.keep = max(1, int(keep))


def backup_dir(project_path: str | os.PathLike[str]) -> Path:
    """The folder holding the backups of the project at *project_path*."""
    absolute = Path(os.path.abspath(project_path))
    digest = hashlib.sha256(str(absolute).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    home = _Policy.folder if _Policy.folder is not None else data_home() / "backups"
    return home / f"{absolute.stem}-{digest}"


def backup_failed_message(project_path: Path, exc: BaseException) -> str:
    """One line: why the automatic backup of a project failed and where backups go."""
    reason = " ".join(str(getattr(exc, "strerror", None) or exc).split())
    return f"the automatic backup failed ({reason}); backups go to {backup_dir(project_path)}"


def list_backups(project_path: str | os.PathLike[str]) -> list[Backup]:
    """The backups of a project, newest first."""
    folder = backup_dir(project_path)
    if not folder.is_dir():
        return []
    out = []
    for path in folder.iterdir():
        match = _NAME.search(path.name)
        if not match or not path.is_file():
            continue
        taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        out.append(Backup(path, taken, path.stat().st_size, _count_annotations(path)))
    out.sort(key=lambda b: _order(b.path), reverse=True)
    return out


def _order(path: Path) -> tuple[str, int]:
    """Oldest first: by time, then by the counter of copies taken in the same second."""
    match = _NAME.search(path.name)
    if match is None:
        return ("", 0)
    return (match.group(1), int(match.group(2) or 1))


def backup_due(project_path: Path, now: datetime | None = None) -> bool:
    """True when the newest backup of the project is over a day old, or there is none."""
    now = now or datetime.now(UTC)
    times = _backup_times(project_path)
    return not times or now - max(times) >= EVERY


class BackupJob:
    """A backup of a big project running in a background thread."""

    def __init__(self, project_path: Path) -> None:
        self.project_path = project_path
        self.result: Backup | None = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="annotator-backup", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    @property
    def done(self) -> bool:
        return self._thread.ident is not None and not self._thread.is_alive()

    def _run(self) -> None:
        try:
            conn = connect_read_only(self.project_path)
            try:
                self.result = take_backup(conn, self.project_path, pages=-1)
            finally:
                conn.close()
        except (OSError, sqlite3.Error) as exc:
            self.error = backup_failed_message(self.project_path, exc)
        except ProjectError as exc:
            self.error = str(exc)


def backup_on_open(conn: sqlite3.Connection, project_path: Path) -> BackupJob | None:
    """Back up a project just opened for writing, when one is due.

    Small projects are copied here and now (a fraction of a second); bigger ones in
    a :class:`BackupJob` that the caller waits for when it closes the project.
    """
    if not backup_due(project_path):
        return None
    size = sum(
        Path(f"{project_path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{project_path}{suffix}").exists()
    )
    if size <= SYNC_LIMIT:
        take_backup(conn, project_path)
        return None
    job = BackupJob(project_path)
    job.start()
    return job


def take_backup(
    conn: sqlite3.Connection,
    project_path: Path,
    now: datetime | None = None,
    *,
    pages: int = STEP_PAGES,
) -> Backup:
    """Copy the project open on *conn* into its backup folder; drop the oldest copies."""
    now = now or datetime.now(UTC)
    folder = backup_dir(project_path)
    folder.mkdir(parents=True, exist_ok=True)
    for part in folder.glob(".*.tmp"):
        if part.is_dir() and not part.is_symlink():  # left by a copy that was interrupted
            shutil.rmtree(part, ignore_errors=True)
    stem = Path(project_path).stem
    stamp = now.strftime(_STAMP)
    # after the copies taken in the same second, never in the place of one pruned away
    # (the new copy would sort oldest and be pruned at once)
    n = 1 + max(
        (k for s, k in map(_order, folder.iterdir()) if s == stamp),
        default=0,
    )
    target = folder / (f"{stem}-{stamp}.annot" if n == 1 else f"{stem}-{stamp}-{n}.annot")
    while target.exists():
        n += 1
        target = folder / f"{stem}-{stamp}-{n}.annot"
    with private_folder(target) as private:
        tmp = private / target.name
        dest = sqlite3.connect(tmp)
        try:
            copy_database(conn, dest, pages=pages, sleep=0)
            dest.execute("PRAGMA journal_mode=DELETE")
            _check_copy(dest, Path(project_path))
        finally:
            dest.close()
        os.replace(tmp, target)
    _prune(folder)
    return Backup(target, now, target.stat().st_size, _count_annotations(target))


def copy_database(
    source: sqlite3.Connection,
    dest: sqlite3.Connection,
    *,
    pages: int = STEP_PAGES,
    sleep: float = 0.05,
    seconds: float = COPY_SECONDS,
) -> None:
    """SQLite's backup API with a bound: a source that stays busy (a write transaction
    that never ends) makes it retry for ever, so give up after *seconds*."""
    if source.in_transaction:
        raise ProjectError("the project cannot be copied while a change is being written")
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if time.monotonic() > deadline:
            raise ProjectError(
                f"the project could not be copied: it stayed busy for {seconds:.0f} s "
                f"({remaining} of {total} pages left); try again"
            )

    source.backup(dest, pages=pages, progress=progress, sleep=sleep)


def restore_backup(backup: Backup, project_path: str | os.PathLike[str]) -> Backup | None:
    """Put *backup* in place of the project; return the backup made of the current file.

    The current file is backed up first, then replaced atomically. Refused while
    another process (or this one) has the project open for writing.
    """
    project = Path(project_path)
    check_project_file(backup.path)
    lock = acquire(project)
    try:
        if lock._count > 1:
            raise ProjectError(f"close {project.name} before restoring a backup of it")
        with private_folder(project) as private:
            tmp = private / project.name
            try:
                shutil.copyfile(backup.path, tmp)
                with tmp.open("rb+") as fh:
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise ProjectError(
                    f"cannot restore into {project.parent}: {exc.strerror}"
                ) from None
            try:
                saved = _save_current(project) if project.exists() else None
                for suffix in ("-wal", "-shm"):
                    Path(f"{project}{suffix}").unlink(missing_ok=True)
                publish(tmp, project)
            except OSError as exc:
                raise ProjectError(f"cannot restore {project.name}: {exc.strerror}") from None
        return saved
    finally:
        lock.release()


def _check_copy(dest: sqlite3.Connection, project_path: Path) -> None:
    """Refuse a copy of a damaged project: it must not push good backups out.

    The copy is checked, not the project: it is the same pages, and reading it does
    not hold up the project.
    """
    try:
        result = dest.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(damaged_message(project_path, exc)) from None
    if result != "ok":
        problem = sqlite3.DatabaseError("the integrity check found broken pages")
        raise ProjectError(damaged_message(project_path, problem))


def _save_current(project: Path) -> Backup:
    """Back up the file about to be replaced and fold its WAL in (or copy it raw)."""
    try:
        conn = sqlite3.connect(project, timeout=5)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return take_backup(conn, project)
        finally:
            conn.close()
    except (sqlite3.DatabaseError, ProjectError):
        # damaged: keep its bytes (and its WAL) as they are
        folder = backup_dir(project)
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        target = folder / f"{project.stem}-{now.strftime(_STAMP)}.damaged"
        shutil.copyfile(project, target)
        wal = Path(f"{project}-wal")
        if wal.exists():
            shutil.copyfile(wal, f"{target}-wal")
        return Backup(target, now, target.stat().st_size, None)


def _backup_times(project_path: Path) -> list[datetime]:
    folder = backup_dir(project_path)
    if not folder.is_dir():
        return []
    out = []
    for path in folder.iterdir():
        match = _NAME.search(path.name)
        if match:
            out.append(datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC))
    return out


def _prune(folder: Path) -> None:
    copies = sorted((p for p in folder.iterdir() if _NAME.search(p.name)), key=_order)
    for old in copies[: -_Policy.keep]:
        old.unlink(missing_ok=True)


def _count_annotations(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None
