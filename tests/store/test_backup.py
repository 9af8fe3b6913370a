"""Automatic backups on opening, the last seven kept, listing and restoring them."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import annotator.store.file.backup as backup_module
from annotator.cli_safety import SAFETY_COMMANDS, add_safety_commands
from annotator.core.errors import InputError, ProjectError, ProjectLockedError
from annotator.store import Project
from annotator.store.file.backup import (
    KEEP,
    backup_dir,
    list_backups,
    restore_backup,
    take_backup,
)
from tests.store.test_locking import HOLDER
from tests.strategies import snapshot

TEXT = "The Senate adopted a resolution calling for the release of detainees.\n" * 5


def make(path: Path, spans: int) -> Path:
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(TEXT, "resolution")
        for i in range(spans):
            project.annotate(doc, i, i + 4, "claim")
    return path


def contents(path: Path) -> list[dict[str, object]]:
    with Project.open(path, read_only=True) as project:
        return snapshot(project)


def run_safety(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="annotator")
    sub = parser.add_subparsers(dest="command")
    handlers = add_safety_commands(sub)
    assert set(handlers) == set(SAFETY_COMMANDS)
    args = parser.parse_args(argv)
    return handlers[args.command](args)


def test_opening_takes_a_backup_once_a_day(tmp_path: Path) -> None:
    path = make(tmp_path / "claims.annot", 3)
    assert list_backups(path) == []  # creating does not back up: there is nothing yet
    Project.open(path).close()
    [first] = list_backups(path)
    assert first.annotations == 3
    assert first.size == first.path.stat().st_size
    assert abs(datetime.now(UTC) - first.taken_at) < timedelta(minutes=1)
    assert contents(first.path) == contents(path)
    with Project.open(path) as project:
        project.annotate(1, 10, 20, "actor")
    assert len(list_backups(path)) == 1  # the newest is less than a day old
    Project.open(path, read_only=True).close()
    assert len(list_backups(path)) == 1


def test_backups_live_in_the_data_folder_one_folder_per_project(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    a = make(tmp_path / "one" / "claims.annot", 1)
    b = make(tmp_path / "two" / "claims.annot", 2)
    Project.open(a).close()
    Project.open(b).close()
    data = Path(os.environ["XDG_DATA_HOME"]) / "annotator" / "backups"
    assert backup_dir(a).parent == data and backup_dir(b).parent == data
    assert backup_dir(a) != backup_dir(b)
    assert backup_dir(a).name.startswith("claims-")
    assert [x.annotations for x in list_backups(a)] == [1]
    assert [x.annotations for x in list_backups(b)] == [2]
    assert not any(p.name.endswith(".part") for p in backup_dir(a).iterdir())


def test_an_old_backup_brings_a_new_one_and_seven_are_kept(tmp_path: Path) -> None:
    path = make(tmp_path / "claims.annot", 2)
    conn = sqlite3.connect(path)
    start = datetime.now(UTC) - timedelta(days=30)
    for day in range(9):
        take_backup(conn, path, start + timedelta(days=day))
    conn.close()
    assert len(list_backups(path)) == KEEP
    oldest_kept = min(b.taken_at for b in list_backups(path))
    assert oldest_kept == (start + timedelta(days=2)).replace(microsecond=0)
    Project.open(path).close()  # newest is 22 days old: a new one
    backups = list_backups(path)
    assert len(backups) == KEEP
    assert backups[0].taken_at > datetime.now(UTC) - timedelta(minutes=1)
    assert [b.taken_at for b in backups] == sorted((b.taken_at for b in backups), reverse=True)


def test_restore_puts_the_old_state_back_and_keeps_the_current(tmp_path: Path) -> None:
    path = make(tmp_path / "claims.annot", 2)
    Project.open(path).close()
    old = contents(path)
    with Project.open(path) as project:
        project.annotate(1, 30, 40, "demand")
        project.add_document("A second article.", "second")
    newer = contents(path)
    [backup] = list_backups(path)
    saved = restore_backup(backup, path)
    assert contents(path) == old
    assert saved is not None and contents(saved.path) == newer
    assert not Path(f"{path}-wal").exists()
    assert list_backups(path)[0].path == saved.path  # the newest, even within the same second
    with Project.open(path) as project:  # writable and sound
        assert project.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_over_a_damaged_project_keeps_its_bytes(tmp_path: Path) -> None:
    path = make(tmp_path / "claims.annot", 2)
    Project.open(path).close()
    good = contents(path)
    data = bytearray(path.read_bytes())
    data[:100] = b"\xff" * 100  # header gone: not a database any more
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError):
        Project.open(path)
    saved = restore_backup(list_backups(path)[0], path)
    assert contents(path) == good
    assert saved is not None and saved.path.read_bytes() == bytes(data)


def test_restore_is_refused_while_another_process_has_it_open(tmp_path: Path) -> None:
    path = make(tmp_path / "claims.annot", 2)
    Project.open(path).close()
    before = path.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(ProjectLockedError, match=f"process {child.pid}"):
            restore_backup(list_backups(path)[0], path)
        assert path.read_bytes() == before
    finally:
        child.kill()
        child.wait(timeout=10)


def test_restore_is_refused_while_this_process_has_it_open(tmp_path: Path) -> None:
    path = make(tmp_path / "claims.annot", 2)
    with Project.open(path) as project:
        with pytest.raises(ProjectError, match=r"close claims\.annot before restoring"):
            restore_backup(list_backups(path)[0], path)
        assert len(project.annotations()) == 2


def test_a_big_project_is_backed_up_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path / "claims.annot", 4)
    monkeypatch.setattr(backup_module, "SYNC_LIMIT", 0)
    project = Project.open(path)
    project.annotate(1, 0, 9, "actor")  # writing goes on while the copy runs
    project.close()  # waits for the copy
    assert project.backup_problem is None
    [backup] = list_backups(path)
    assert backup.annotations in (4, 5)


@pytest.fixture
def no_backup_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups cannot be written: their folder's parent is a file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))


def test_a_failing_background_backup_is_known_before_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_backup_folder: None
) -> None:
    path = make(tmp_path / "claims.annot", 1)
    monkeypatch.setattr(backup_module, "SYNC_LIMIT", 0)
    project = Project.open(path)
    job = project._backup_job
    assert job is not None
    job.wait()  # the window asks again at each check; the copy has ended by then
    problem = project.backup_problem or ""
    assert problem.startswith("the automatic backup failed") and str(backup_dir(path)) in problem
    project.close()


def test_a_failing_backup_does_not_stop_opening(tmp_path: Path, no_backup_folder: None) -> None:
    path = make(tmp_path / "claims.annot", 1)
    with Project.open(path) as project:
        problem = project.backup_problem or ""
        assert problem.startswith("the automatic backup failed (Not a directory")
        assert problem.endswith(f"; backups go to {backup_dir(path)}") and "\n" not in problem
        project.annotate(1, 0, 3, "claim")
    assert len(contents(path)[0]["spans"]) == 2  # type: ignore[arg-type]


def test_cli_lists_and_restores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make(tmp_path / "claims.annot", 2)
    assert run_safety("backups", str(path)) == 0
    assert "no backups of" in capsys.readouterr().out
    Project.open(path).close()
    with Project.open(path) as project:
        project.annotate(1, 5, 9, "actor")
    assert run_safety("backups", str(path)) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].split()[0] == "1" and "2 annotations" in out[0]
    assert run_safety("restore-backup", str(path), "1") == 0
    out = capsys.readouterr().out
    assert "restored" in out and "the version it replaced is kept as" in out
    assert len(contents(path)[0]["spans"]) == 2  # type: ignore[arg-type]
    with pytest.raises(InputError, match="choose 1 to 2"):
        run_safety("restore-backup", str(path), "9")


def test_cli_commands_are_wired_into_annotator(tmp_path: Path) -> None:
    from annotator import cli

    assert "backups" in cli.COMMANDS and "restore-backup" in cli.COMMANDS
    path = make(tmp_path / "claims.annot", 1)
    Project.open(path).close()
    assert cli.main(["backups", str(path)]) == 0
    assert cli.main(["restore-backup", str(path), "5"]) == 2
