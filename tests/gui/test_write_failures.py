"""Undo and redo when a change cannot be saved: the stack stays where the file is.

Writes fail for real: the disk is made full with SQLite's ``max_page_count`` over a
project whose free pages were filled, so every change that needs a new page fails
(as on a full disk; deleting still works). The keys are pressed in a real window.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle

WORDS = 400
TEXT = "word " * WORDS


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "full.annot"
    with Project.create(path, annotator="tester") as project:
        project.add_document(TEXT, "words")
    return path


def fill_the_disk(window: MainWindow) -> None:
    """No free page is left and the file may not grow: the disk is full."""
    project = window.session.require()
    project.execute("CREATE TABLE IF NOT EXISTS ballast(b BLOB)")
    pages = project.execute("PRAGMA page_count").fetchone()[0]
    project.execute(f"PRAGMA max_page_count = {pages}")
    conn = project.db.conn
    for size in (4000, 1000, 200, 20, 1):
        while True:
            try:
                project.execute("INSERT INTO ballast VALUES (zeroblob(?))", (size,))
                conn.commit()
            except Exception:  # SQLITE_FULL, as the store meets it
                if conn.in_transaction:
                    conn.rollback()
                break


def free_the_disk(window: MainWindow) -> None:
    window.session.require().execute("PRAGMA max_page_count = 1073741823")


def view_spans(window: MainWindow) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in window.view.index)


def file_spans(window: MainWindow) -> list[tuple[int, int]]:
    return [(a.start, a.end) for a in window.session.require().annotations()]


def error_box(window: MainWindow) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    return boxes[-1] if boxes else None


def close_error_box(window: MainWindow) -> str:
    box = error_box(window)
    assert box is not None, "the failure should be shown in a dialog"
    text = box.text()
    box.close()
    settle()
    return text


def annotate_every_word(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+F "word", then "Annotate all" as claim: one undo step of 400 spans."""
    key(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(window.find_bar.edit, "word")
    window.find_bar.label.setCurrentIndex(window.find_bar.label.findData("claim"))
    qtbot.mouseClick(window.find_bar.annotate, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    settle()
    assert len(file_spans(window)) == WORDS


def delete_every_row(qtbot: QtBot, window: MainWindow) -> None:
    """Select all rows of the annotation table and press Del."""
    window.table.setFocus()
    window.table.selectAll()
    key(qtbot, window, "Del")
    assert file_spans(window) == []


def test_undo_that_cannot_be_saved_leaves_the_stack_and_shows_why(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    stack = window.session.undo_stack
    annotate_every_word(qtbot, window)
    delete_every_row(qtbot, window)
    assert stack.index() == 2 and view_spans(window) == []
    fill_the_disk(window)

    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")  # would put 400 spans back: no room for them
    assert stack.index() == 2
    assert "the disk is full" in close_error_box(window)
    assert "disk is full" in window.statusBar().currentMessage()
    assert view_spans(window) == file_spans(window) == []
    assert window.table_model.rowCount() == 0

    key(qtbot, window, "Ctrl+Z")  # again: still refused, still in place
    assert stack.index() == 2
    close_error_box(window)

    free_the_disk(window)
    key(qtbot, window, "Ctrl+Z")
    assert stack.index() == 1 and error_box(window) is None
    assert view_spans(window) == file_spans(window) and len(file_spans(window)) == WORDS
    key(qtbot, window, "Ctrl+Shift+Z")  # redo the delete
    assert stack.index() == 2 and view_spans(window) == file_spans(window) == []


def test_redo_that_cannot_be_saved_leaves_the_stack_and_shows_why(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    stack = window.session.undo_stack
    annotate_every_word(qtbot, window)
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")
    assert stack.index() == 0 and view_spans(window) == []
    fill_the_disk(window)

    key(qtbot, window, "Ctrl+Shift+Z")  # 400 spans again: no room
    assert stack.index() == 0
    assert "the disk is full" in close_error_box(window)
    assert view_spans(window) == file_spans(window) == []
    key(qtbot, window, "Ctrl+Y")
    assert stack.index() == 0
    close_error_box(window)

    free_the_disk(window)
    key(qtbot, window, "Ctrl+Y")
    assert stack.index() == 1
    assert view_spans(window) == file_spans(window) and len(file_spans(window)) == WORDS


def test_a_jump_in_the_history_stops_at_the_step_that_fails(
    qtbot: QtBot, project_path: Path
) -> None:
    """Clicking an old state in the undo history undoes several steps at once: the
    ones before the failure are undone, the failing one and those after stay done."""
    window = open_window(qtbot, project_path)
    stack = window.session.undo_stack
    annotate_every_word(qtbot, window)  # step 1: 400 spans
    delete_every_row(qtbot, window)  # step 2: all deleted
    window.view.setFocus()
    window.view.select_range(0, 4)
    key(qtbot, window, "1")  # step 3: one claim
    assert stack.index() == 3 and len(file_spans(window)) == 1
    fill_the_disk(window)

    history = window.undo_view
    history.setFocus()
    history.selectionModel().setCurrentIndex(
        history.model().index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    settle()
    assert stack.index() == 3  # choosing a row alone changes nothing (issue 13)
    key(
        qtbot, window, "Return"
    )  # "<opened>": undo 3 (works), undo 2 (fails: no room), 1 must not be touched
    assert stack.index() == 2
    assert view_spans(window) == file_spans(window) == []
    assert "the disk is full" in close_error_box(window)
    assert history.selectionModel().currentIndex().row() == 2

    free_the_disk(window)
    key(qtbot, window, "Ctrl+Z")
    assert stack.index() == 1 and len(file_spans(window)) == WORDS
    assert view_spans(window) == file_spans(window)


def test_no_undo_command_bypasses_the_guarded_path() -> None:
    """Commands give apply/revert; only FirstDoneCommand's undo/redo talk to the stack."""
    import importlib
    import pkgutil

    import annotator.gui
    from annotator.gui.session import FirstDoneCommand

    for module in pkgutil.walk_packages(annotator.gui.__path__, "annotator.gui."):
        importlib.import_module(module.name)  # every room's commands, whatever ran before

    found, todo = [], list(FirstDoneCommand.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls.__name__)
        todo.extend(cls.__subclasses__())
        assert "undo" not in vars(cls) and "redo" not in vars(cls), cls.__name__
        if not cls.__subclasses__():  # a shared base (e.g. _DocumentsCommand) may leave them
            assert cls.apply is not FirstDoneCommand.apply, cls.__name__
            assert cls.revert is not FirstDoneCommand.revert, cls.__name__
    assert {"AddSpans", "RemoveAnnotations", "LinkActor", "MergeActors"} <= set(found)
