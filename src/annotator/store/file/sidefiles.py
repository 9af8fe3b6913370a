"""Side files (lock, temporary, restore and backup files) that are never written through a link.

A name beside a project or an export is guessable: whoever can write to that folder can
plant a symbolic (or hard) link there that points at something precious, and a program
that opens the name for writing would truncate the file the link points at. So:

- :func:`open_new` creates a file with ``O_CREAT | O_EXCL | O_NOFOLLOW``: it fails when
  anything, a link included, already has the name;
- :func:`open_existing` opens a file that must already be there with ``O_NOFOLLOW`` and
  refuses anything but a plain file with one name (no link, no hard link, no FIFO);
- :func:`replacing` and :func:`private_folder` give a temporary path inside a fresh
  folder only this process can enter (``mkdtemp``, mode 0700, random name), so what is
  written there cannot be redirected; the finished file is then renamed over the target
  (a rename replaces a link at the target, it never writes through it).

Every refusal is a :class:`~annotator.core.errors.ProjectError` with one line.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import ProjectError

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


UMASK = _umask()


def link_message(path: Path) -> str:
    return (
        f"{path} is a link or not a plain file; Annotator never writes through a link "
        "planted beside a project. Remove it and try again"
    )


def open_new(path: Path, *, read: bool = False, mode: int = 0o644) -> int:
    """Create *path* and return its descriptor; fail if anything has the name.

    Raises :class:`FileExistsError` for a plain file already there (callers decide),
    and :class:`ProjectError` for a link there.
    """
    flags = os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC
    flags |= os.O_RDWR if read else os.O_WRONLY
    try:
        return os.open(path, flags, mode)
    except FileExistsError:
        if os.path.islink(path):
            raise ProjectError(link_message(path)) from None
        raise


def open_existing(path: Path, flags: int = os.O_RDONLY) -> int:
    """Open a side file that is already there; refuse links and anything not plain.

    Raises :class:`FileNotFoundError` when it is not there (callers decide).
    """
    try:
        fd = os.open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EMLINK and os.path.islink(path)):
            raise ProjectError(link_message(path)) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise ProjectError(link_message(path))
    if O_NONBLOCK:
        os.set_blocking(fd, True)
    return fd


def read_small(path: Path, limit: int = 65536) -> bytes:
    """The bytes of a small side file (at most *limit*), never through a link or a FIFO."""
    fd = open_existing(path)
    try:
        return os.read(fd, limit)
    finally:
        os.close(fd)


@contextmanager
def private_folder(beside: Path) -> Iterator[Path]:
    """A fresh folder next to *beside* that only this user can enter; removed afterwards."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent))
    except OSError as exc:
        raise ProjectError(f"cannot write {beside}: {exc.strerror or exc}") from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(tmp: Path, target: Path) -> None:
    """Give *tmp* the permissions a new file gets (the umask) and rename it to *target*."""
    os.chmod(tmp, 0o666 & ~UMASK)
    os.replace(tmp, target)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path to write to; it replaces *target* only when the block ends well.

    A failed or cancelled export never leaves half a file, and nothing is written
    through a link planted next to the target.
    """
    with replacing_all([target]) as (tmp,):
        yield tmp


@contextmanager
def replacing_all(targets: Sequence[Path]) -> Iterator[tuple[Path, ...]]:
    """:func:`replacing` for several files written together (all or none)."""
    targets = [Path(t) for t in targets]
    if not targets:
        raise ValueError("no targets")
    for target in targets:
        if target.is_dir():
            raise ProjectError(f"cannot write {target}: it is a folder")
    try:
        with private_folder(targets[0]) as folder:
            tmps = tuple(folder / f"{i}-{t.name}" for i, t in enumerate(targets))
            yield tmps
            for tmp, target in zip(tmps, targets, strict=True):
                publish(tmp, target)
    except OSError as exc:
        raise ProjectError(f"cannot write {targets[0]}: {exc.strerror or exc}") from None
