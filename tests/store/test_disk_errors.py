"""A full disk, a read-only project and a project file that vanishes while open.

Each gives a plain one-line :class:`ProjectError` and loses nothing saved before.
The file systems are real: a read-only or tiny tmpfs when this runs as root and may
mount (CI containers usually can), plain permissions otherwise; a test skips when
neither is possible. The full disk is also simulated with ``PRAGMA max_page_count``,
which works everywhere.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.core.errors import ProjectError, ProjectMovedError
from annotator.store import Project
from annotator.store.file.lock import lock_path
from tests.store.damage import integrity

TEXT = "The Senate adopted a resolution. The Assembly called for the release of detainees.\n"


def fill(project: Project, n: int = 5) -> list[tuple[int, int, str]]:
    """Add a document with *n* annotations; return their (start, end, label)."""
    doc = project.add_document(TEXT * 3, "resolution")
    spans = [(i * 10, i * 10 + 7, "claim" if i % 2 else "actor") for i in range(n)]
    for s, e, label in spans:
        project.annotate(doc, s, e, label)
    return spans


def stored(path: Path) -> list[tuple[int, int, str]]:
    with Project.open(path, read_only=True) as project:
        return [(a.start, a.end, a.label) for a in project.annotations()]


def _mount(target: Path, options: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    run = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return run.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@contextmanager
def read_only_folder(base: Path, prepare: Callable[[Path], None]) -> Iterator[Path]:
    """A folder whose content *prepare(folder)* writes, then made read-only for real.

    As root: a tmpfs remounted read-only (root ignores permissions); otherwise
    chmod. Skips when neither works.
    """
    folder = base / "readonly"
    folder.mkdir()
    if os.name == "posix" and os.geteuid() == 0:
        if not _mount(folder, "size=16m,mode=0755"):
            pytest.skip(
                "running as root and cannot mount a tmpfs: no way to make a folder read-only"
            )
        try:
            prepare(folder)
            remount = subprocess.run(
                ["mount", "-o", "remount,ro", str(folder)], capture_output=True, check=False
            )
            if remount.returncode != 0:
                pytest.skip("cannot remount the tmpfs read-only")
            yield folder
        finally:
            _umount(folder)
        return
    prepare(folder)
    modes = {p: p.stat().st_mode for p in folder.iterdir()}
    for p in folder.iterdir():
        p.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        for p, mode in modes.items():
            p.chmod(mode)


@contextmanager
def tiny_disk(base: Path, size: str = "1m") -> Iterator[Path]:
    """A real, small file system (tmpfs); skips when mounting is not permitted."""
    folder = base / "tiny"
    folder.mkdir()
    if not _mount(folder, f"size={size},mode=0755"):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount permission)")
    try:
        yield folder
    finally:
        _umount(folder)


# -- full disk ---------------------------------------------------------------------


def test_full_disk_simulated_with_max_page_count(tmp_path: Path) -> None:
    path = tmp_path / "full.annot"
    with Project.create(path, annotator="tester") as project:
        before = fill(project)
        pages = project.execute("PRAGMA page_count").fetchone()[0]
        project.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(ProjectError) as caught:
            project.add_document("A long report. " * 50_000, "too big")
        message = str(caught.value)
        assert message.startswith("the disk is full")
        assert "\n" not in message and "was not saved" in message
        assert [d.title for d in project.documents()] == ["resolution"]
        # the project stays usable once there is room again
        project.execute("PRAGMA max_page_count = 1073741823")
        doc = project.documents()[0]
        project.annotate(doc, 0, 3, "demand")
    assert integrity(path) == "ok"
    assert stored(path) == sorted([*before, (0, 3, "demand")])


def test_full_disk_on_a_real_tiny_file_system(tmp_path: Path) -> None:
    with tiny_disk(tmp_path, "1m") as disk:
        path = disk / "small.annot"
        with Project.create(path, annotator="tester") as project:
            before = fill(project)
            with pytest.raises(ProjectError) as caught:
                for n in range(40):  # 40 x 100 KB cannot fit in 1 MB
                    project.add_document(f"Report {n}. " + "x" * 100_000, f"report {n}")
            assert "the disk is full" in str(caught.value)
            titles = [d.title for d in project.documents()]
        assert integrity(path) == "ok"
        assert stored(path) == sorted(before)
        with Project.open(path, read_only=True) as again:
            assert [d.title for d in again.documents()] == titles


# -- read-only ---------------------------------------------------------------------


def _make_project(folder: Path) -> None:
    with Project.create(folder / "claims.annot", annotator="tester") as project:
        fill(project)


def test_read_only_folder_opens_read_only_and_refuses_writing(tmp_path: Path) -> None:
    with read_only_folder(tmp_path, _make_project) as folder:
        path = folder / "claims.annot"
        assert not Path(f"{path}-wal").exists()  # closed cleanly: needs the immutable open
        with Project.open(path, read_only=True) as project:
            assert len(project.annotations()) == 5
            with pytest.raises(ProjectError, match="read-only"):
                project.annotate(project.documents()[0], 0, 3, "claim")
        with pytest.raises(ProjectError) as caught:
            Project.open(path)
        assert "read-only" in str(caught.value)
        assert "open it read-only" in str(caught.value)
        assert not lock_path(path).exists()
        assert len(stored(path)) == 5


def test_read_only_file_in_writable_folder(tmp_path: Path) -> None:
    if os.name == "posix" and os.geteuid() == 0:
        # root may write to a 0444 file, so the file is made read-only by its file
        # system instead (for SQLite, the same case as a read-only file)
        with (
            read_only_folder(tmp_path, _make_project) as folder,
            pytest.raises(ProjectError, match="read-only"),
        ):
            Project.open(folder / "claims.annot")
        return
    path = tmp_path / "claims.annot"
    _make_project(tmp_path)
    path.chmod(0o444)
    try:
        with pytest.raises(ProjectError) as caught:
            Project.open(path)
        assert "read-only" in str(caught.value)
        assert not lock_path(path).exists()
        assert len(stored(path)) == 5
    finally:
        path.chmod(0o644)


# -- the file vanishes while open ----------------------------------------------------


def test_project_moved_while_open(tmp_path: Path) -> None:
    path = tmp_path / "moving.annot"
    project = Project.create(path, annotator="tester")
    before = fill(project)
    moved = tmp_path / "elsewhere.annot"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.rename(f"{path}{suffix}", f"{moved}{suffix}")
    with pytest.raises(ProjectError) as caught:
        project.annotate(project.documents()[0], 0, 3, "claim")
    message = str(caught.value)
    assert f"was moved to {moved}" in message and "\n" not in message
    assert isinstance(caught.value, ProjectMovedError) and caught.value.moved_to == moved
    project.close()
    assert stored(moved) == sorted(before)
    assert integrity(moved) == "ok"


def test_project_deleted_while_open_can_still_be_saved_as(tmp_path: Path) -> None:
    path = tmp_path / "deleted.annot"
    project = Project.create(path, annotator="tester")
    before = fill(project)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(ProjectMovedError, match="deleted or replaced") as caught:
        project.annotate(project.documents()[0], 0, 3, "claim")
    assert caught.value.moved_to is None
    # what was saved is still readable through the open connection: Save As keeps it
    rescued = project.backup_to(tmp_path / "rescued.annot")
    project.close()
    assert stored(rescued) == sorted(before)


def test_project_folder_vanishes_before_opening(tmp_path: Path) -> None:
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    _make_project(folder)
    gone = tmp_path / "unplugged"
    folder.rename(gone)
    with pytest.raises(ProjectError, match="there is no project"):
        Project.open(folder / "claims.annot")
    assert len(stored(gone / "claims.annot")) == 5
