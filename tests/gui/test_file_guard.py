"""The open project file moved, deleted or damaged behind the window's back, and a
failed automatic backup: real files changed for real while a real window has them."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.gui.files.file_guard import FileProblemDialog
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from annotator.store.file.backup import backup_dir
from tests.gui.helpers import key, open_window, settle

TEXT = "The Senate adopted the resolution and the Assembly called for talks. " * 20


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "claims.annot"
    with Project.create(path, annotator="tester") as project:
        project.add_document(TEXT, "resolution")
    return path


def annotate(qtbot: QtBot, window: MainWindow, start: int, end: int, hotkey: str = "1") -> None:
    window.view.setFocus()
    window.view.select_range(start, end)
    key(qtbot, window, hotkey)


def in_view(window: MainWindow) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in window.view.index)


def in_file(path: Path) -> list[tuple[int, int]]:
    """What the file on disk holds, read by a connection of its own."""
    with Project.open(path, read_only=True) as project:
        return [(a.start, a.end) for a in project.annotations()]


def problem_dialog(window: MainWindow) -> FileProblemDialog:
    dialogs = [d for d in window.findChildren(FileProblemDialog) if d.isVisible()]
    assert len(dialogs) == 1, f"one dialog expected, {len(dialogs)} shown"
    assert not [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    return dialogs[0]


def answer(dialog: FileProblemDialog, button: object) -> None:
    assert button is not None
    button.click()  # type: ignore[attr-defined]
    settle()


def test_a_moved_project_offers_to_go_on_in_the_moved_file(
    qtbot: QtBot, project_path: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    annotate(qtbot, window, 4, 10)
    moved = tmp_path / "elsewhere" / "claims.annot"
    moved.parent.mkdir()
    os.rename(project_path, moved)

    annotate(qtbot, window, 11, 18, "2")
    dialog = problem_dialog(window)
    assert dialog.text() == f"The project was moved to {moved}. Continue working there?"
    assert "was not saved" in dialog.informativeText()
    assert dialog.continue_button is not None and dialog.copy_button.isVisible()
    assert in_view(window) == [(4, 10)]
    assert in_file(moved) == [(4, 10)]  # the moved file alone holds what was saved

    answer(dialog, dialog.continue_button)
    assert window.session.require().path == moved
    assert str(moved.name) in window.windowTitle()
    annotate(qtbot, window, 11, 18, "2")
    assert in_view(window) == in_file(moved) == [(4, 10), (11, 18)]
    window.close()
    assert not list(project_path.parent.glob("claims.annot*"))  # nothing left behind


def test_a_move_is_found_when_the_window_is_active_again(
    qtbot: QtBot, project_path: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    annotate(qtbot, window, 4, 10)
    moved = tmp_path / "moved.annot"
    os.rename(project_path, moved)
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: bool(window.findChildren(FileProblemDialog)), timeout=3000)
    dialog = problem_dialog(window)
    assert str(moved) in dialog.text()
    answer(dialog, dialog.continue_button)
    annotate(qtbot, window, 11, 18, "2")
    assert in_view(window) == in_file(moved) == [(4, 10), (11, 18)]


def test_undo_after_a_move_is_refused_then_works_in_the_moved_file(
    qtbot: QtBot, project_path: Path, tmp_path: Path
) -> None:
    """The issue's case: 30 spans, the file moved, Ctrl+Z three times moved the undo
    index to 27 with all 30 spans still in the file, and redo raised AssertionError."""
    window = open_window(qtbot, project_path)
    stack = window.session.undo_stack
    for i in range(30):
        annotate(qtbot, window, i * 20, i * 20 + 3)
    assert stack.index() == 30
    moved = tmp_path / "moved.annot"
    os.rename(project_path, moved)

    for sequence in ("Ctrl+Z", "Ctrl+Z", "Ctrl+Z", "Ctrl+Shift+Z"):
        key(qtbot, window, sequence)
        assert stack.index() == 30
        if sequence == "Ctrl+Z":
            answer(problem_dialog(window), problem_dialog(window).later_button)
        assert len(in_view(window)) == len(in_file(moved)) == 30

    key(qtbot, window, "Ctrl+Z")
    answer(problem_dialog(window), problem_dialog(window).continue_button)
    key(qtbot, window, "Ctrl+Z")
    assert stack.index() == 29
    assert in_view(window) == in_file(moved) and len(in_file(moved)) == 29
    key(qtbot, window, "Ctrl+Shift+Z")
    assert stack.index() == 30 and len(in_file(moved)) == 30


def fill_file_dialog(path: Path, seen: list[str]) -> Callable[[], None]:
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, fill)
            return
        seen.append(dialog.windowTitle())
        dialog.setDirectory(str(path.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.setText(path.name)
        dialog.accept()

    return fill


def test_a_deleted_project_offers_to_save_a_copy_and_goes_on_there(
    qtbot: QtBot, project_path: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    annotate(qtbot, window, 4, 10)
    annotate(qtbot, window, 11, 18, "2")
    project_path.unlink()

    annotate(qtbot, window, 23, 33, "3")
    dialog = problem_dialog(window)
    assert "deleted or replaced" in dialog.text()
    assert dialog.continue_button is None
    assert in_view(window) == [(4, 10), (11, 18)]

    copy = tmp_path / "rescued.annot"
    seen: list[str] = []
    QTimer.singleShot(50, fill_file_dialog(copy, seen))
    answer(dialog, dialog.copy_button)
    qtbot.waitUntil(lambda: window.session.require().path == copy)
    assert seen == ["Save a copy elsewhere"]
    assert in_file(copy) == [(4, 10), (11, 18)]
    annotate(qtbot, window, 23, 33, "3")
    assert in_view(window) == in_file(copy) == [(4, 10), (11, 18), (23, 33)]


def zero_the_header(path: Path) -> None:
    with open(path, "r+b") as f:
        f.write(b"\0" * 100)


def test_a_header_zeroed_by_another_program_stops_writing(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    annotate(qtbot, window, 4, 10)
    zero_the_header(project_path)
    damaged = project_path.read_bytes()

    annotate(qtbot, window, 11, 18, "2")
    dialog = problem_dialog(window)
    assert dialog.text() == "The project file was changed by another program while it was open."
    assert "header was overwritten" in dialog.informativeText()
    assert dialog.continue_button is None
    answer(dialog, dialog.later_button)
    # writing stays stopped: every change, undo included, is refused the same way
    for press in ("3", "Ctrl+Z"):
        if press == "3":
            annotate(qtbot, window, 23, 33, press)
        else:
            key(qtbot, window, press)
        answer(problem_dialog(window), problem_dialog(window).later_button)
    assert window.session.undo_stack.index() == 1
    assert in_view(window) == [(4, 10)]
    assert project_path.read_bytes() == damaged  # not one byte more was written
    assert "stopped writing" in window.statusBar().currentMessage()

    annotate(qtbot, window, 23, 33, "3")  # once more, and this time save a copy
    copy = project_path.with_name("rescued.annot")
    QTimer.singleShot(50, fill_file_dialog(copy, []))
    answer(problem_dialog(window), problem_dialog(window).copy_button)
    qtbot.waitUntil(lambda: window.session.require().path == copy)
    assert in_file(copy) == in_view(window) == [(4, 10)]
    annotate(qtbot, window, 23, 33, "3")
    assert in_file(copy) == in_view(window) == [(4, 10), (23, 33)]
    assert project_path.read_bytes() == damaged


def test_pages_overwritten_are_found_when_the_window_is_active_again(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    for i in range(5):
        annotate(qtbot, window, i * 20, i * 20 + 3)
    guard = window.files.guard
    guard.check()
    assert guard.last_check_ms is not None and not window.findChildren(FileProblemDialog)
    page = sqlite3.connect(project_path).execute("PRAGMA page_size").fetchone()[0]
    size = project_path.stat().st_size
    with open(project_path, "r+b") as f:  # every page but the first: garbage
        f.seek(page)
        f.write(bytes(range(256)) * ((size - page) // 256))
    damaged = project_path.read_bytes()

    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: bool(window.findChildren(FileProblemDialog)), timeout=3000)
    dialog = problem_dialog(window)
    assert "changed by another program" in dialog.text()
    answer(dialog, dialog.later_button)
    annotate(qtbot, window, 101, 104)
    answer(problem_dialog(window), problem_dialog(window).later_button)
    assert len(in_view(window)) == 5
    assert project_path.read_bytes() == damaged


def overwrite_pages(path: Path) -> None:
    """Every page but the first (the header stays intact): garbage."""
    page = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(page)
        f.write(bytes(range(256)) * ((size - page) // 256))


def replace_in_place(path: Path) -> None:
    """Another project copied over the open one (a sync client, a restore by hand)."""
    other = path.with_name("other.annot")
    with Project.create(other) as project:
        project.add_document("Another project altogether.", "other")
    os.replace(other, path)


@pytest.mark.parametrize("change", [overwrite_pages, replace_in_place])
def test_no_import_writes_into_a_file_changed_behind_the_window(
    qtbot: QtBot, project_path: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    """Imports write on a connection of their own, which the window's checks before
    each change do not cover: the open file is checked before the import starts."""
    window = open_window(qtbot, project_path)
    annotate(qtbot, window, 4, 10)
    article = tmp_path / "article.txt"
    article.write_text("The Assembly called for the release of detainees.", "utf-8")
    change(project_path)
    changed = project_path.read_bytes()
    for _ in range(2):  # and again: writing stays stopped
        assert window.files.import_files([article]) == 0
        dialog = problem_dialog(window)
        assert "another program" in dialog.text() or "deleted or replaced" in dialog.text()
        answer(dialog, dialog.later_button)
        assert project_path.read_bytes() == changed
        assert [d.title for d in window.session.require().documents()] == ["resolution"]


def test_a_failed_automatic_backup_is_said_once(
    qtbot: QtBot, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    window = open_window(qtbot, project_path)
    notices = [n for n in window.findChildren(QMessageBox, "backupNotice") if n.isVisible()]
    assert len(notices) == 1
    notice = notices[0]
    assert notice.windowModality() == Qt.WindowModality.NonModal and not notice.isModal()
    assert "automatic backup failed" in notice.informativeText()
    assert str(backup_dir(project_path)) in notice.informativeText()
    assert "automatic backup failed" in window.statusBar().currentMessage()
    annotate(qtbot, window, 4, 10)  # the window works on, the notice does not block it
    assert in_view(window) == [(4, 10)]
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    window.files.guard.check()
    settle()
    assert len(window.findChildren(QMessageBox, "backupNotice")) == 1  # said once
