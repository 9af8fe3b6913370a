"""``annotator check PROJECT`` on real project files: healthy, damaged, an orphan WAL, a
lock held by another live process, a newer schema, no project at all.

Every check must leave the project's bytes and time stamps as they were and create no
side file (``-wal``, ``-shm``) beside it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Project
from annotator.store.file.health import check_project

PAGE = 4096


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "claims.annot"
    with Project.create(path, annotator="tester") as p:
        doc = p.add_document("The Senate adopted the resolution. " * 3000, "Senate")
        p.annotate_many(doc, [(i * 35, i * 35 + 10, "actor", None) for i in range(400)])
    return path


def _state(path: Path) -> tuple[bytes, int, list[str]]:
    side = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))
    return path.read_bytes(), path.stat().st_mtime_ns, side


def check(capsys: pytest.CaptureFixture[str], path: Path, *flags: str) -> tuple[int, str, str]:
    before = _state(path) if path.is_file() else None
    code = main(["check", str(path), *flags])
    out, err = capsys.readouterr()
    if before is not None:
        assert _state(path) == before, "check changed the project or left a side file"
    return code, out, err


def test_a_healthy_project_is_all_well(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, project)
    assert (code, err) == (0, "")
    lines = dict(line.split(None, 1) for line in out.splitlines()[1:-1])
    assert lines["integrity"] == "ok (integrity_check)"
    assert lines["side"] == "files   none"
    assert lines["lock"] == "none"
    assert lines["backups"].startswith("none yet (they go to ")
    assert lines["schema"].startswith("version ") and "this Annotator's" in lines["schema"]
    assert lines["application"] == "Annotator project (0x416e6e74)"
    assert out.splitlines()[-1] == "all is well"
    code, out, _ = check(capsys, project, "--quick")
    assert code == 0 and "ok (quick_check)" in out


def test_backups_are_counted_with_the_newest_date(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Project.open(project).close()  # opening for changes takes the daily backup
    code, out, _ = check(capsys, project)
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("backups"))
    assert line.split()[1] == "1," and "newest 20" in line and "/backups/claims-" in line


def test_a_damaged_page_is_found_and_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = project.stat().st_size // PAGE
    with project.open("r+b") as fh:  # pages in the middle: the documents' text, the index
        for page in (pages // 2, pages - 2):
            fh.seek(page * PAGE)
            fh.write(b"\xa5" * PAGE)
    code, out, err = check(capsys, project)
    assert code == 1 and err == ""
    assert "  integrity    DAMAGED (integrity_check): " in out
    assert "problem(s):" in out
    problem = next(x for x in out.splitlines() if x.startswith("  - "))
    assert problem.startswith("  - the integrity check found damage: ")
    assert check(capsys, project, "--quick")[0] == 1


def test_a_file_that_no_longer_starts_as_sqlite_but_has_backups(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Project.open(project).close()  # a backup exists: this was a project
    with project.open("r+b") as fh:
        fh.write(b"\0" * 100)
    code, out, _ = check(capsys, project)
    assert code == 1
    assert "claims.annot is damaged: it no longer starts as an SQLite database" in out
    assert f"'annotator backups {project}'" in out


def test_an_orphan_wal_is_reported_with_its_size(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A WAL holding committed changes, left while nobody has the project open: what a
    copy taken while the project was being written looks like (or a crash)."""
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    with conn:
        conn.execute("UPDATE documents SET title = 'Changed in the WAL'")
    orphan = tmp_path / "copy" / "claims.annot"
    orphan.parent.mkdir()
    orphan.write_bytes(project.read_bytes())
    Path(f"{orphan}-wal").write_bytes(Path(f"{project}-wal").read_bytes())
    conn.close()
    wal_size = Path(f"{orphan}-wal").stat().st_size
    assert wal_size > 0
    before = Path(f"{orphan}-wal").read_bytes()
    code, out, _ = check(capsys, orphan)
    assert code == 1
    assert "claims.annot-wal" in out and "LEFT OVER (nobody has the project open)" in out
    assert "changes in it are not in claims.annot itself" in out
    assert "  integrity    ok (integrity_check)" in out
    assert Path(f"{orphan}-wal").read_bytes() == before
    health = check_project(orphan)
    assert [s.size for s in health.orphans] == [wal_size] and not health.in_use


HOLDER = textwrap.dedent(
    """
    import sys
    from annotator.store import Project
    project = Project.open(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
    doc = project.documents()[0]
    project.annotate(doc, 0, 3, "claim")
    project.close()
    print("wrote", flush=True)
    """
)


@pytest.fixture
def holder(project: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert proc.stdout is not None and proc.stdout.readline() == "open\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)


def test_a_live_lock_held_by_another_process(
    project: Path, holder: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.read_bytes(), project.stat().st_mtime_ns
    code = main(["check", str(project)])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert "open for changes by " in out and f"(process {holder.pid})" in out
    assert "in use by the process that has the project open" in out or "side files   none" in out
    assert (project.read_bytes(), project.stat().st_mtime_ns) == before
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.write("go\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "wrote\n" and holder.wait(timeout=30) == 0


def test_a_newer_schema_is_a_problem(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    code, out, _ = check(capsys, project)
    assert code == 1
    assert "version 99: NEWER than this Annotator" in out
    assert "it was saved by a newer Annotator (file format 99;" in out


def test_text_stored_as_bytes_by_another_program(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(project)
    with conn:
        conn.execute("UPDATE documents SET text = CAST(text AS BLOB)")
    conn.close()
    code, out, _ = check(capsys, project)
    assert code == 1
    assert "document(s) 1 hold their text or title as raw bytes or numbers" in out


@pytest.mark.parametrize("kind", ["missing", "folder", "text", "foreign-sqlite"])
def test_no_project_is_a_user_mistake(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.annot"
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("just some text\n", encoding="utf-8")
    elif kind == "foreign-sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t(x)")
        conn.close()
    code, out, err = check(capsys, path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("annotator: error: ")
    expected = {
        "missing": "there is no project at",
        "folder": "is a folder, not a project file",
        "text": "is not an Annotator project (it is not an SQLite file)",
        "foreign-sqlite": "is an SQLite file but not an Annotator project",
    }[kind]
    assert expected in err


def test_a_backup_folder_that_cannot_be_written(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    code, out, _ = check(capsys, project)
    assert code == 1 and f"no backup can be taken: {blocker} is not a folder" in out
