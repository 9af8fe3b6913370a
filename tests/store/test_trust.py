"""Ways to lose saved work that are closed: planted links, moved, replaced and damaged files.

Every test here failed on the code before the fix it guards (issue "Trust"): side
files were opened by a guessable name and followed links, committed changes stayed
in the ``-wal`` beside a moved file, writes went on into overwritten files, and a
file format of 0 or -1 gave SQLite's "table meta already exists".
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import (
    InputError,
    ProjectDamagedError,
    ProjectError,
    ProjectMovedError,
)
from annotator.formats.registry import export_project
from annotator.store import Project
from annotator.store.file.backup import list_backups, restore_backup, take_backup
from annotator.store.file.lock import lock_path
from tests.store.test_locking import run_cli

TEXT = "The Senate adopted a resolution. The Assembly called for the release of detainees.\n"


def make(path: Path, n: int = 5) -> list[tuple[int, int, str]]:
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(TEXT * 3, "resolution")
        for i in range(n):
            project.annotate(doc, i * 10, i * 10 + 7, "claim")
    return stored(path)


def stored(path: Path) -> list[tuple[int, int, str]]:
    with Project.open(path, read_only=True) as project:
        return sorted((a.start, a.end, a.label) for a in project.annotations())


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@pytest.fixture
def thesis(tmp_path: Path) -> tuple[Path, bytes]:
    """A precious project whose bytes no planted link may change."""
    path = tmp_path / "thesis.annot"
    make(path, 3)
    return path, path.read_bytes()


# -- 1. side files never follow links -------------------------------------------------


@pytest.mark.parametrize("kind", ["symlink", "hardlink"])
def test_a_link_planted_at_the_lock_name_is_refused(
    tmp_path: Path, thesis: tuple[Path, bytes], kind: str
) -> None:
    victim, before = thesis
    shared = tmp_path / "shared.annot"
    make(shared)
    planted = lock_path(shared)
    (os.symlink if kind == "symlink" else os.link)(victim, planted)
    with pytest.raises(ProjectError, match="never writes through a link") as caught:
        Project.open(shared)
    assert "\n" not in str(caught.value)
    assert victim.read_bytes() == before
    # the CLI says the same in one line and changes nothing
    note = tmp_path / "a.txt"
    note.write_text("Another text.\n", encoding="utf-8")
    run = run_cli("import", str(shared), str(note))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "link" in run.stderr
    assert victim.read_bytes() == before


def test_export_never_writes_through_a_link_at_its_temporary_name(
    tmp_path: Path, thesis: tuple[Path, bytes]
) -> None:
    victim, before = thesis
    out = tmp_path / "out.csv"
    for name in ("out.csv.part", ".out.csv.part", "out.csv.tmp"):
        os.symlink(victim, tmp_path / name)
    with Project.open(victim, read_only=True) as project:
        export_project(project, "csv", out)
    assert victim.read_bytes() == before
    assert out.read_text("utf-8-sig").startswith("document_id") or out.stat().st_size > 0
    assert (out.stat().st_mode & 0o777) == (0o666 & ~_umask())


def test_an_export_target_that_is_a_link_is_replaced_not_written_through(
    tmp_path: Path, thesis: tuple[Path, bytes]
) -> None:
    victim, before = thesis
    out = tmp_path / "out.jsonl"
    os.symlink(victim, out)
    with Project.open(victim, read_only=True) as project:
        export_project(project, "jsonl", out)
    assert victim.read_bytes() == before
    assert not out.is_symlink() and out.read_text("utf-8").startswith("{")


def test_save_a_copy_and_restore_never_write_through_links(
    tmp_path: Path, thesis: tuple[Path, bytes]
) -> None:
    victim, before = thesis
    project_path = tmp_path / "p.annot"
    make(project_path)
    os.symlink(victim, tmp_path / "copy.annot.part")
    os.symlink(victim, tmp_path / ".p.annot.restoring")
    with Project.open(project_path) as project:
        copy = project.backup_to(tmp_path / "copy.annot")
        backup = take_backup(project._conn, project_path)
    assert stored(copy) == stored(project_path)
    restore_backup(backup, project_path)
    assert victim.read_bytes() == before
    assert len(list_backups(project_path)) >= 2


def test_a_copy_of_a_project_in_mid_write_gives_up_instead_of_hanging(
    tmp_project: Project, tmp_path: Path
) -> None:
    tmp_project._conn.execute("BEGIN IMMEDIATE")
    tmp_project._conn.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')")
    with pytest.raises(ProjectError, match="while a change is being written"):
        tmp_project.backup_to(tmp_path / "copy.annot")
    tmp_project._conn.execute("ROLLBACK")
    assert not (tmp_path / "copy.annot").exists()


# -- 2. a moved or replaced file keeps everything saved --------------------------------


def test_moving_only_the_annot_while_open_keeps_every_committed_change(tmp_path: Path) -> None:
    path = tmp_path / "moving.annot"
    make(path, 0)
    project = Project.open(path)
    doc = project.documents()[0]
    for i in range(5):
        project.annotate(doc, i * 10, i * 10 + 7, "actor")
    moved = tmp_path / "elsewhere.annot"
    os.rename(path, moved)  # the -wal and -shm stay behind, as a file manager does it
    with pytest.raises(ProjectMovedError, match="was moved to") as caught:
        project.annotate(doc, 60, 65, "claim")
    assert caught.value.moved_to == moved
    project.close()
    assert len(stored(moved)) == 5
    assert side_files(path) == [] and side_files(moved) == []


def test_after_a_move_the_window_can_go_on_in_the_moved_file(tmp_path: Path) -> None:
    path = tmp_path / "moving.annot"
    make(path, 2)
    project = Project.open(path)
    moved = tmp_path / "sub"
    moved.mkdir()
    moved = moved / "moved.annot"
    os.rename(path, moved)
    with pytest.raises(ProjectMovedError):
        project.verify()
    assert project.write_blocked and "moved to" in project.write_blocked
    with pytest.raises(ProjectMovedError):  # stays blocked until the user decides
        project.annotate(1, 0, 3, "claim")
    project.relocate(moved)
    assert project.write_blocked is None and project.path == moved
    project.annotate(1, 0, 3, "claim")
    assert lock_path(moved).exists() and not lock_path(path).exists()
    project.close()
    assert len(stored(moved)) == 3
    assert side_files(path) == [] and side_files(moved) == []
    assert not lock_path(moved).exists()


def test_a_file_replaced_in_place_is_not_read_with_the_old_wal(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    make(path, 2)
    other = tmp_path / "other.annot"
    make(other, 4)
    project = Project.open(path)
    project.annotate(1, 0, 3, "claim")  # committed; must not linger in p.annot-wal
    os.replace(other, path)
    with pytest.raises(ProjectMovedError, match="deleted or replaced"):
        project.annotate(1, 5, 9, "claim")
    rescued = project.backup_to(tmp_path / "rescued.annot")
    project.close()
    assert len(stored(rescued)) == 3
    # the file now at the path opens whole: it was never paired with the old WAL
    assert len(stored(path)) == 4
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_no_wal_or_shm_is_left_after_close_list_or_export(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    make(path)
    assert side_files(path) == []
    with Project.open(path, read_only=True) as project:
        project.annotations()
    assert side_files(path) == []
    for args in (("list", str(path)), ("export", str(path), "-o", str(tmp_path / "o.csv"))):
        run = run_cli(*args)
        assert run.returncode == 0, run.stderr
        assert side_files(path) == [], args
    with Project.open(path) as project:
        project.annotate(1, 0, 3, "claim")
        assert Path(f"{path}-wal").stat().st_size == 0  # folded in after each change
    assert side_files(path) == []


# -- 4. damage done by another program while the file is open -------------------------


@pytest.mark.parametrize("damage", ["zero-header", "truncate"])
def test_damage_behind_our_back_stops_writing(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "p.annot"
    make(path, 3)
    project = Project.open(path)
    project.add_document("x " * 40_000, "big")
    project.annotate(1, 0, 3, "claim")
    with open(path, "r+b") as fh:
        if damage == "zero-header":
            fh.write(b"\0" * 100)
        else:
            fh.truncate(8192)
    with pytest.raises(ProjectDamagedError, match="changed by another program") as caught:
        project.annotate(1, 5, 9, "claim")
    assert "\n" not in str(caught.value)
    with pytest.raises(ProjectDamagedError):  # every later write too
        project.annotate(1, 10, 14, "claim")
    rescued = project.backup_to(tmp_path / "rescued.annot")
    project.close()
    assert len(stored(rescued)) == 4


def test_overwritten_pages_are_found_by_the_deep_check(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    make(path, 3)
    project = Project.open(path)
    project.add_document("word " * 200_000, "big")
    project.verify(deep=True)  # healthy: nothing raised
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xa5" * 8192)
    project.verify()  # the cheap check cannot see inside pages
    with pytest.raises(ProjectDamagedError, match="changed by another program"):
        project.verify(deep=True)
    assert project.write_blocked is not None
    project.close()


def test_a_change_by_another_connection_is_seen_before_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    make(path, 1)
    project = Project.open(path)
    assert "event" not in {label.key for label in project.labels()}
    other = sqlite3.connect(path)
    other.execute(
        "INSERT INTO labels(key, name, colour, position) VALUES ('event', 'Event', '#123456', 99)"
    )
    other.commit()
    other.close()
    project.annotate(1, 0, 3, "claim")  # the write notices data_version and forgets caches
    assert "event" in {label.key for label in project.labels()}
    project.close()


# -- the transaction turns what Python cannot store into one line ----------------------


def test_values_sqlite_cannot_take_give_one_line_and_change_nothing(tmp_project: Project) -> None:
    doc = tmp_project.add_document("The Senate", "d")
    before = tmp_project.annotations()
    with pytest.raises(InputError, match="unpaired surrogate"):
        tmp_project.annotate(doc, 0, 3, "claim", note="bad \udcff byte")
    with pytest.raises(InputError, match="too large"):
        tmp_project.set_setting("x", 2**70)  # type: ignore[arg-type]
    assert tmp_project.annotations() == before


# -- 12. file formats no version writes ------------------------------------------------


@pytest.mark.parametrize("version", [0, -1])
def test_a_file_format_of_zero_or_below_is_refused_unchanged(tmp_path: Path, version: int) -> None:
    path = tmp_path / "p.annot"
    make(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(ProjectError, match=f"file format {version}, which no version"):
            Project.open(path, read_only=read_only)
    assert path.read_bytes() == before


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old
