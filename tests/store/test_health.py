"""store/file/health.py: telling side files in use from side files left over."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.store import Project
from annotator.store.file.health import check_project

READER = textwrap.dedent(
    """
    import sys
    from annotator.store import Project
    project = Project.open(sys.argv[1], read_only=True)
    project.documents()
    print("reading", flush=True)
    sys.stdin.readline()
    project.close()
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_GETLK on -shm: Linux")
def test_side_files_of_a_reader_in_another_process_are_not_orphans(tmp_path: Path) -> None:
    """A project open read-only elsewhere takes no lock file, but SQLite there holds its
    shared memory: its -wal and -shm are in use, not left over."""
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        project.add_document("The Senate said so.", "Senate")
    proc = subprocess.Popen(
        [sys.executable, "-c", READER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "reading\n"
        health = check_project(path)
        if not health.side_files:
            pytest.skip("this SQLite reads without shared memory here")
        assert health.in_use and health.holder is None and health.orphans == []
        assert health.ok, health.problems
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(timeout=30)
    left = check_project(path)
    assert not left.in_use
    assert left.orphans == left.side_files  # whatever the reader left is an orphan now
    assert left.ok == (not left.side_files)
