"""Two processes on one project: the lock file, stale locks, readers beside a writer.

Every "other process" here is a real second Python process running the store.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.core.errors import ProjectError, ProjectLockedError
from annotator.store import Project
from annotator.store.file.lock import LockHolder, lock_path, read_holder

# A second process that opens the project writable, says "ready", then obeys one
# command a line from stdin: "annotate S E LABEL" (prints the new id) or "close".
HOLDER = textwrap.dedent(
    """
    import sys
    from annotator.store import Project
    project = Project.open(sys.argv[1])
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "annotate":
            doc = project.documents()[0]
            a = project.annotate(doc, int(words[1]), int(words[2]), words[3])
            print(a.id, flush=True)
        elif words[0] == "close":
            project.close()
            print("closed", flush=True)
            break
    """
)

TEXT = "France's Senate adopted a resolution calling for the release of detainees.\n" * 20


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "shared.annot"
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(TEXT, "resolution")
        project.annotate(doc, 0, 15, "actor")
    return path


@pytest.fixture
def holder(project_path: Path):  # type: ignore[no-untyped-def]
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)


def tell(child: subprocess.Popen[str], line: str) -> str:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(line + "\n")
    child.stdin.flush()
    return child.stdout.readline().strip()


def test_second_writer_is_refused_with_the_holder_named(
    project_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(ProjectLockedError) as caught:
        Project.open(project_path)
    error = caught.value
    assert isinstance(error, ProjectError)
    assert isinstance(error.holder, LockHolder)
    assert error.holder.pid == holder.pid
    assert error.holder.host == socket.gethostname()
    message = str(error)
    assert message.startswith("shared.annot is open in Annotator by ")
    assert f"on {socket.gethostname()} (process {holder.pid}) since " in message
    assert message.endswith("close it there or use a copy")
    assert "\n" not in message


def test_lock_file_says_who_and_goes_away_on_close(
    project_path: Path, holder: subprocess.Popen[str]
) -> None:
    data = json.loads(lock_path(project_path).read_text("utf-8"))
    assert set(data) == {"user", "host", "pid", "since", "app_version"}
    assert data["pid"] == holder.pid
    assert read_holder(project_path) is not None
    assert tell(holder, "close") == "closed"
    assert not lock_path(project_path).exists()
    with Project.open(project_path) as project:  # free again
        assert project.annotations()


def test_reader_sees_the_writers_changes_and_nothing_breaks(
    project_path: Path, holder: subprocess.Popen[str]
) -> None:
    with Project.open(project_path, read_only=True) as reader:
        assert len(reader.annotations()) == 1
        ids = [int(tell(holder, f"annotate {i} {i + 5} claim")) for i in range(30)]
        seen = {a.id for a in reader.annotations()}
        assert set(ids) <= seen
        with pytest.raises(ProjectError, match="read-only"):
            reader.annotate(reader.documents()[0], 0, 3, "claim")
    assert tell(holder, "close") == "closed"
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 31
    conn.close()


def test_cli_writes_fail_with_one_line_reads_work(
    project_path: Path, tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    extra = tmp_path / "more.txt"
    extra.write_text("Another article about the Senate.\n", "utf-8")
    for args in (
        [
            "annotate",
            str(project_path),
            "--document",
            "1",
            "--start",
            "0",
            "--end",
            "6",
            "--label",
            "claim",
        ],
        ["import", str(project_path), str(extra)],
    ):
        run = run_cli(*args)
        assert run.returncode == 2, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert "is open in Annotator by" in lines[0]
        assert f"(process {holder.pid})" in lines[0]
        assert "close it there or use a copy" in lines[0]
        assert "Traceback" not in run.stderr
    listing = run_cli("list", str(project_path))
    assert listing.returncode == 0, listing.stderr
    assert "resolution" in listing.stdout
    exported = run_cli("export", str(project_path))
    assert exported.returncode == 0, exported.stderr
    assert "France's Senate" in exported.stdout
    with Project.open(project_path, read_only=True) as project:
        assert len(project.documents()) == 1 and len(project.annotations()) == 1


def test_stale_lock_of_a_killed_process_is_taken_over(project_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert lock_path(project_path).exists()  # left behind
    assert read_holder(project_path) is None  # but known to be stale
    with Project.open(project_path) as project:
        data = json.loads(lock_path(project_path).read_text("utf-8"))
        assert data["pid"] == os.getpid()
        assert len(project.annotations()) == 1
    assert not lock_path(project_path).exists()


@pytest.mark.skipif(os.name != "posix", reason="flock shows a reused process id is not the holder")
def test_stale_lock_whose_pid_was_reused_is_taken_over(project_path: Path) -> None:
    # the recorded pid is alive (our parent) but holds no lock: the holder is gone
    stale = LockHolder(
        "alice", socket.gethostname(), os.getppid(), "2026-01-02T10:04:00+00:00", "0"
    )
    lock_path(project_path).write_text(json.dumps(stale.__dict__), "utf-8")
    with Project.open(project_path):
        assert json.loads(lock_path(project_path).read_text("utf-8"))["pid"] == os.getpid()


def test_lock_from_another_host_is_respected(project_path: Path) -> None:
    other = LockHolder("alice", "host1", 4242, "2026-01-02T10:04:00+00:00", "0.1.0")
    lock_path(project_path).write_text(json.dumps(other.__dict__), "utf-8")
    with pytest.raises(ProjectLockedError) as caught:
        Project.open(project_path)
    assert "by alice on host1 (process 4242) since 2026-01-02 " in str(caught.value)
    assert caught.value.holder == other
    with Project.open(project_path, read_only=True) as project:  # reading is fine
        assert len(project.annotations()) == 1
    assert json.loads(lock_path(project_path).read_text("utf-8"))["host"] == "host1"


def test_one_process_may_open_a_project_twice(project_path: Path) -> None:
    first = Project.open(project_path)
    second = Project.open(project_path)
    second.close()
    assert lock_path(project_path).exists()  # the first still holds it
    first.annotate(first.documents()[0], 0, 3, "claim")
    first.close()
    assert not lock_path(project_path).exists()


def test_half_written_lock_file_is_not_a_holder(project_path: Path) -> None:
    lock_path(project_path).write_bytes(b"")  # killed between create and write
    with Project.open(project_path) as project:
        assert project.annotations()
    assert not lock_path(project_path).exists()


def test_create_takes_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "new.annot"
    with Project.create(path):
        assert json.loads(lock_path(path).read_text("utf-8"))["pid"] == os.getpid()
    assert not lock_path(path).exists()
