"""Adding one span and undoing it touch the side panels only as much as they must (issue
14: add and undo < 16 ms in every shape): the Annotation panel keeps its attribute
editors (nothing rebuilt, nothing moves) yet always shows the right values, the table
selects no neighbour when the current row goes, and the window's keys are watched on the
focused line edit only, not on every event of the application."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.gui.panels.models import TableRow
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle

TEXT = (
    "The first claim is here. Then some words in between to select. "
    "The second claim is there. And the end of the text."
)
FIRST = "The first claim"
SECOND = "The second claim"
BETWEEN = "some words"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "a.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "claims")
        for needle in (FIRST, SECOND):
            at = TEXT.index(needle)
            project.annotate(doc, at, at + len(needle), "claim")
        first = project.annotations(label="claim")[0].id
        project.set_attributes(first, {"position": "+1"})
    return path


def add_claim_between(qtbot: QtBot, window: MainWindow) -> None:
    at = TEXT.index(BETWEEN)
    window.view.select_range(at, at + len(BETWEEN))
    key(qtbot, window, "1")  # the claim label's hotkey


def test_add_and_undo_keep_the_editors_and_show_the_right_values(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    panel = window.structure_panel
    click_at(qtbot, window.view, TEXT.index(FIRST) + 3)
    position = panel.findChild(QComboBox, "attribute-position")
    assert position is not None and position.currentData() == "+1"
    settle()  # laid out
    frame = panel.attributes_box.geometry()
    add_claim_between(qtbot, window)
    assert panel.annotation is not None and panel.annotation.text == BETWEEN
    assert panel.findChild(QComboBox, "attribute-position") is position  # not rebuilt
    assert position.currentData() is None  # the new claim's own (no) value
    key(qtbot, window, "Ctrl+Z")
    assert panel.annotation is None and not panel.attributes_box.isEnabled()
    assert position.currentData() is None  # nothing selected: nothing shown
    settle()
    assert panel.attributes_box.geometry() == frame  # nothing moved: no docks laid out
    add_claim_between(qtbot, window)
    assert panel.findChild(QComboBox, "attribute-position") is position
    key(qtbot, window, "Ctrl+Z")
    key(qtbot, window, "Ctrl+Shift+Z")  # redo: the claim is back, selected
    assert panel.annotation is not None and panel.annotation.text == BETWEEN
    assert panel.attributes_box.isEnabled() and position.currentData() is None
    click_at(qtbot, window.view, TEXT.index(FIRST) + 3)  # another choice: its own value
    settle()
    assert panel.findChild(QComboBox, "attribute-position") is position
    assert position.currentData() == "+1" and panel.attributes_box.geometry() == frame


def test_undoing_an_add_selects_no_neighbour_row(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    add_claim_between(qtbot, window)
    assert window.table_model.rowCount() == 3
    chosen: list[TableRow] = []
    window.table_panel.rowSelected.connect(chosen.append)
    key(qtbot, window, "Ctrl+Z")
    assert window.table_model.rowCount() == 2
    assert chosen == []  # the current row went: no neighbour was chosen for the user
    assert window.view.current is None and window.structure_panel.annotation is None
    assert window.table_panel.selected_ids() == []


def test_the_issue_completer_offers_the_values_used_since_the_editor_was_built(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    panel = window.structure_panel
    click_at(qtbot, window.view, TEXT.index(SECOND) + 3)
    issue = panel.findChild(QLineEdit, "attribute-issue")
    assert issue is not None
    qtbot.mouseClick(issue, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(issue, "detainees")
    qtbot.keyClick(issue, Qt.Key.Key_Return)
    settle()
    click_at(qtbot, window.view, TEXT.index(FIRST) + 3)  # a claim too: same editors
    assert panel.findChild(QLineEdit, "attribute-issue") is issue and issue.text() == ""
    qtbot.mouseClick(issue, Qt.MouseButton.LeftButton)
    completer = issue.completer()
    assert completer is not None
    model = completer.model()
    offered = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert offered == ["detainees"]


def test_the_keys_freer_watches_only_the_focused_line_edit(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    fired: list[bool] = []
    window.export_action.triggered.disconnect()
    window.export_action.triggered.connect(lambda: fired.append(True))
    key(qtbot, window, "Ctrl+Shift+F")  # the corpus search, its query focused
    edit = window.corpus_search.edit
    assert QApplication.focusWidget() is edit
    assert window.keys_freer.watched is edit
    key(qtbot, window, "Ctrl+E")  # the window's key, not the line edit's End
    assert fired == [True]
    window.view.setFocus()
    settle()
    assert window.keys_freer.watched is None  # the view's events never reach it
