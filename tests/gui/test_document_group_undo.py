"""Undo of "put the documents in a group" when that made the group: one step gives the
project back exactly as it was, the group gone too (issue 15, item 4: undo restores exactly)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle, when_modal


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "groups.annot"
    with Project.create(path) as project:
        for title in ("Alpha", "Beta"):
            project.add_document(f"{title} text. The minister said so.", title)
        project.groups.create("Kept")
    return path


def _groups(window: MainWindow) -> list[tuple[str, tuple[int, ...]]]:
    return [(g.name, g.document_ids) for g in window.session.require().groups.all()]


def _answer(name: str) -> None:
    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(name)  # a name that is not in the list makes a group
        dialog.accept()

    when_modal(pick, QInputDialog)


def _focus_list(window: MainWindow) -> None:
    window.activateWindow()
    settle()
    window.document_list.setFocus()
    window.document_list.setCurrentIndex(window.documents.index(0, 0))
    settle()
    assert QApplication.focusWidget() is window.document_list


def test_undo_of_adding_to_a_new_group_removes_the_group(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    first = window.documents.document_at(0).id  # type: ignore[union-attr]
    tree = window.documents_panel.group_tree  # type: ignore[attr-defined]

    _focus_list(window)
    _answer("Wire copy")
    key(qtbot, window, "Ctrl+G")
    qtbot.waitUntil(lambda: _groups(window) == [("Kept", ()), ("Wire copy", (first,))])
    assert tree.topLevelItem(0).childCount() == 2

    _focus_list(window)
    key(qtbot, window, "Ctrl+Z")  # one step: the membership and the group it made
    assert _groups(window) == [("Kept", ())]
    assert tree.topLevelItem(0).child(0).text(0) == "Kept (0)"
    assert tree.topLevelItem(0).childCount() == 1

    key(qtbot, window, "Ctrl+Shift+Z")  # redo makes it again, with the document
    assert _groups(window) == [("Kept", ()), ("Wire copy", (first,))]
    key(qtbot, window, "Ctrl+Z")
    window.close()
    with Project.open(path, read_only=True) as again:  # the file holds what was undone
        assert [(g.name, g.document_ids) for g in again.groups.all()] == [("Kept", ())]


def test_undo_of_adding_to_an_existing_group_keeps_the_group(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    first = window.documents.document_at(0).id  # type: ignore[union-attr]
    _focus_list(window)
    _answer("Kept")
    key(qtbot, window, "Ctrl+G")
    qtbot.waitUntil(lambda: _groups(window) == [("Kept", (first,))])
    _focus_list(window)
    key(qtbot, window, "Ctrl+Z")
    assert _groups(window) == [("Kept", ())]  # emptied again, not deleted
