"""Who has a project open for writing: an advisory lock file beside the project.

Opening a project writable creates ``.~<name>.lock`` next to it, atomically
(``O_EXCL``), holding JSON that says who has it: user, host, process id, since when
and the app version. Closing removes it. A second process that wants to write gets
:class:`~annotator.core.errors.ProjectLockedError` naming the holder; opening
read-only never takes the lock (SQLite's WAL lets readers in while one writes).

A lock is stale, and is taken over, when its holder is on this host and is gone:
on POSIX the holder keeps an ``flock`` on the file, so a lock whose ``flock`` can be
taken has no live holder (this also survives process ids being reused); elsewhere
the process id is checked. A lock from another host is never taken over silently.
SQLite's own locking (busy timeout) still guards every write underneath.

Within one process the lock is counted: the same project opened twice by one
program (the window and a script in it, or a test) shares it.
"""

from __future__ import annotations

import errno
import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import annotator
from annotator.core.errors import ProjectError, ProjectLockedError
from annotator.store.file.sidefiles import open_existing, open_new, read_small

try:
    import fcntl
except ImportError:  # Windows: fall back to checking the process id
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class LockHolder:
    """Who holds a project open for writing (the content of the lock file)."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601 with the holder's UTC offset
    app_version: str

    def describe(self) -> str:
        """``by alice on host1 (process 4242) since 10:04`` (local time)."""
        return f"by {self.user} on {self.host} (process {self.pid}) since {self.since_text()}"

    def since_text(self) -> str:
        try:
            when = datetime.fromisoformat(self.since).astimezone()
        except (ValueError, TypeError):
            return str(self.since)
        if when.date() == datetime.now().astimezone().date():
            return when.strftime("%H:%M")
        return when.strftime("%Y-%m-%d %H:%M")

    @property
    def on_this_host(self) -> bool:
        return self.host == _host()


def lock_path(project: Path) -> Path:
    """The lock file of *project*: ``.~<name>.lock`` in the same folder."""
    return project.parent / f".~{project.name}.lock"


def locked_message(project: Path, holder: LockHolder | None) -> str:
    """The one-line message for a project another process has open."""
    who = holder.describe() if holder else "by another program"
    return f"{project.name} is open in Annotator {who}; close it there or use a copy"


def read_holder(project: Path) -> LockHolder | None:
    """The live holder of *project*'s lock, or None when it is free or stale."""
    path = lock_path(project)
    holder = _read(path)
    if not path.exists():
        return None
    if _held.get(_key(path)) is not None:
        return holder
    return holder if _alive(path, holder) else None


class ProjectLock:
    """A held lock; :meth:`release` it when the project closes (idempotent)."""

    def __init__(self, path: Path, holder: LockHolder, fd: int) -> None:
        self.path = path
        self.holder = holder
        self._fd = fd
        self._count = 1

    def release(self) -> None:
        if self._fd < 0:
            return
        self._count -= 1
        if self._count > 0:
            return
        _held.pop(_key(self.path), None)
        ours = _same_file(self.path, self._fd)
        if fcntl is None:  # Windows cannot delete a file that is open
            os.close(self._fd)
        try:
            if ours:
                self.path.unlink()
        except OSError:
            pass  # a folder that vanished or became read-only: nothing to clean
        finally:
            if fcntl is not None:  # unlink first, so nobody takes a lock on a dying file
                os.close(self._fd)
            self._fd = -1


_held: dict[str, ProjectLock] = {}
_held_pid = os.getpid()


def acquire(project: Path) -> ProjectLock:
    """Take the lock of *project* or raise :class:`ProjectLockedError`.

    Raises :class:`ProjectError` when the folder cannot hold a lock file (read-only).
    """
    global _held_pid
    if _held_pid != os.getpid():  # a forked child does not hold its parent's locks
        _held.clear()
        _held_pid = os.getpid()
    path = lock_path(project)
    key = _key(path)
    mine = _held.get(key)
    if mine is not None:
        mine._count += 1
        return mine
    for _attempt in range(5):
        try:
            fd = open_new(path, read=True)
        except FileExistsError:
            fd = _take_over_stale(project, path)
            if fd < 0:
                continue  # it went away meanwhile: try to create it again
        except OSError as exc:
            raise ProjectError(_cannot_lock(project, exc)) from None
        holder = _me()
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _write(fd, holder)
        except OSError as exc:
            os.close(fd)
            if isinstance(exc, BlockingIOError):
                continue
            raise ProjectError(_cannot_lock(project, exc)) from None
        lock = ProjectLock(path, holder, fd)
        _held[key] = lock
        return lock
    raise ProjectLockedError(locked_message(project, _read(path)), _read(path))


def _take_over_stale(project: Path, path: Path) -> int:
    """Open the existing lock file and return its fd when its holder is gone.

    Returns -1 when the file disappeared meanwhile; raises ProjectLockedError when
    the holder is alive.
    """
    holder = _read(path)
    if holder is not None and not holder.on_this_host:
        raise ProjectLockedError(locked_message(project, holder), holder)
    try:
        fd = open_existing(path, os.O_RDWR)
    except FileNotFoundError:
        return -1
    except OSError as exc:
        raise ProjectError(_cannot_lock(project, exc)) from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = _read(path)
            raise ProjectLockedError(locked_message(project, holder), holder) from None
        if not _same_file(path, fd):  # released and recreated while we waited
            os.close(fd)
            return -1
        holder = _read(path)  # what it says now that nobody else can change it
        if holder is not None and not holder.on_this_host:
            os.close(fd)
            raise ProjectLockedError(locked_message(project, holder), holder)
        return fd
    if holder is not None and _pid_alive(holder.pid):
        os.close(fd)
        raise ProjectLockedError(locked_message(project, holder), holder)
    os.close(fd)
    path.unlink(missing_ok=True)
    return -1


def _alive(path: Path, holder: LockHolder | None) -> bool:
    if holder is not None and not holder.on_this_host:
        return True
    if fcntl is not None:
        try:
            fd = open_existing(path)
        except (OSError, ProjectError):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False
    return holder is not None and _pid_alive(holder.pid)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _same_file(path: Path, fd: int) -> bool:
    try:
        a, b = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _read(path: Path) -> LockHolder | None:
    try:
        data = json.loads(read_small(path).decode("utf-8"))
        return LockHolder(
            user=str(data["user"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            since=str(data["since"]),
            app_version=str(data.get("app_version", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, ProjectError):
        return None


def _write(fd: int, holder: LockHolder) -> None:
    data = json.dumps(asdict(holder), ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def _me() -> LockHolder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    since = datetime.now().astimezone().isoformat(timespec="seconds")
    return LockHolder(user, _host(), os.getpid(), since, annotator.__version__)


def _host() -> str:
    return socket.gethostname() or "localhost"


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _cannot_lock(project: Path, exc: OSError) -> str:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"{project.name} cannot be changed: its folder {project.parent} is read-only; "
            "open it read-only, or copy it to a folder you can write to"
        )
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: {project.name} cannot be opened for changes"
    if exc.errno == errno.ENOENT:
        return f"the folder of {project.name} was moved or deleted"
    return f"cannot open {project.name} for changes: {exc.strerror or exc}"
