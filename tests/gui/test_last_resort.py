"""An exception nothing caught, in the running window, reaches the user as one line
(gui/last_resort.py): the traceback goes to errors.log in the data folder, not to the
screen or the terminal. A fresh process runs the app as a user starts it; the bug is a
real exception raised in a slot of its event loop."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import pytest

from annotator.core.errors import ProjectError
from annotator.gui.last_resort import LastResort, message_for, write_log
from annotator.store import Project
from tests.gui.helpers import window_process

RUN = """
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from annotator.gui.app import application, run

os.environ["ANNOTATOR_QUIT_AFTER_MS"] = "1500"
application()

def bug():
    raise ValueError("a bug in a slot")

def look():
    boxes = [b.text() for b in QApplication.topLevelWidgets()
             if isinstance(b, QMessageBox) and b.isVisible()]
    print(json.dumps(boxes), flush=True)

QTimer.singleShot(300, bug)
QTimer.singleShot(350, bug)  # again while the box is open: no second box
QTimer.singleShot(900, look)
sys.exit(run(Path(sys.argv[1])))
"""


IN_A_WORKER = RUN.replace(
    "def bug():\n",
    "def bug():\n"
    "    import threading\n"
    "    threading.Thread(target=worker_bug, name='table-worker').start()\n"
    "\n"
    "def worker_bug():\n",
)


def _run_app(tmp_path: Path, script: str, errors: list[str]) -> tuple[list[str], Path]:
    """Run *script* on a small project with its own data folder: its output lines
    and the error log's path."""
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        project.add_document("Paris demands a vote.", "one")
    data = tmp_path / "data"
    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(data)
    try:
        lines = window_process(script, str(path), settings=tmp_path / "s.ini", errors=errors)
    finally:
        if old is None:
            del os.environ["XDG_DATA_HOME"]
        else:
            os.environ["XDG_DATA_HOME"] = old
    return lines, data / "annotator" / "errors.log"


def test_a_bug_in_a_worker_thread_is_one_line_shown_by_the_window(tmp_path: Path) -> None:
    errors: list[str] = []
    lines, log = _run_app(tmp_path, IN_A_WORKER, errors)
    boxes = json.loads(lines[0])
    assert len(boxes) == 1
    assert boxes[0].startswith("Something went wrong inside Annotator (ValueError: a bug")
    assert not [e for e in errors if "Traceback" in e or e.startswith("  File ")]
    text = log.read_text("utf-8")
    assert text.count("(table-worker)") == 2 and "in worker_bug" in text


def test_a_bug_in_the_running_window_is_one_line_and_logged(tmp_path: Path) -> None:
    errors: list[str] = []
    lines, log = _run_app(tmp_path, RUN, errors)
    boxes = json.loads(lines[0])
    assert len(boxes) == 1  # one box, though the bug came twice
    assert boxes[0].startswith("Something went wrong inside Annotator (ValueError: a bug")
    assert "Your saved work is safe" in boxes[0] and str(log) in boxes[0]
    assert "\n" not in boxes[0]
    assert not [e for e in errors if "Traceback" in e or e.startswith("  File ")]
    said = [e for e in errors if e.startswith("annotator: Something went wrong")]
    assert len(said) == 2  # one line on standard error per exception
    text = log.read_text("utf-8")
    assert text.count("Traceback (most recent call last)") == 2
    assert "ValueError: a bug in a slot" in text and "in bug" in text
    assert lines[-1].startswith("annotator: smoke test: opened")  # the window went on


def _raised(
    exc: BaseException,
) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    try:
        raise exc
    except BaseException as caught:  # the hook's input, as Python gives it
        return type(caught), caught, caught.__traceback__


def test_a_refusal_is_its_own_line_and_not_logged(tmp_path: Path) -> None:
    shown: list[str] = []

    def show(line: str) -> None:  # as the window's error box, minus the box
        shown.append(line)

    log = tmp_path / "errors.log"
    hook = LastResort(show, log)
    kind, exc, tb = _raised(ProjectError("p.annot is damaged:\n part of it cannot be read"))
    hook(kind, exc, tb)
    assert shown == ["p.annot is damaged: part of it cannot be read"]
    assert not log.exists()


def test_the_log_is_never_written_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me", "utf-8")
    log = tmp_path / "errors.log"
    log.symlink_to(target)
    assert write_log("a traceback\n", log) is None
    assert target.read_text("utf-8") == "keep me"
    exc = _raised(RuntimeError("boom"))[1]
    assert "the details could not be written" in message_for(exc, None)


def test_a_long_log_starts_afresh(tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    log.write_bytes(b"x" * ((1 << 20) + 1))
    assert write_log("new\n", log) == log
    assert log.read_text("utf-8") == "new\n"
    assert write_log("next\n", log) == log
    assert log.read_text("utf-8") == "new\nnext\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_log_is_private(tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    write_log("x\n", log)
    assert log.stat().st_mode & 0o077 == 0


def test_damage_met_while_reading_rows_is_the_damaged_file_line(tmp_path: Path) -> None:
    path = tmp_path / "big.annot"
    with Project.create(path) as project:
        for n in range(40):
            project.add_document(f"Document {n}. " + "The Senate voted. " * 2000, f"d{n}")
    data = bytearray(path.read_bytes())
    half = len(data) // 2 // 4096 * 4096
    data[half : half + 4096 * 8] = b"\xa5" * (4096 * 8)  # pages in the middle of the text
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        kind, exc, tb = _raised_by(
            lambda: [len(r[0]) for r in conn.execute("SELECT text FROM documents")]
        )
    finally:
        conn.close()
    assert isinstance(exc, sqlite3.DatabaseError)
    shown: list[str] = []

    def show(line: str) -> None:
        shown.append(line)

    LastResort(show, tmp_path / "errors.log")(kind, exc, tb)
    assert shown == [
        f"The project file is damaged: part of it cannot be read ({exc}); "
        "File > Restore a backup… puts one of its backups in its place"
    ]


def _raised_by(
    call: Callable[[], object],
) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    try:
        call()
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__
    raise AssertionError("it did not raise")
