"""Claim structure in the window: attributes, links, canonical actors; all undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle

TEXT = sample_text()
DEMAND = "calling for the immediate and unconditional release"
SENATE = "France’s Senate"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "s.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        for needle, label in (
            (SENATE, "actor"),
            ("National Assembly", "actor"),
            (DEMAND, "demand"),
        ):
            at = TEXT.index(needle)
            project.annotate(doc, at, at + len(needle), label)
    return path


def choose_in_dialog(qtbot: QtBot, wanted: str) -> None:
    """Answer the next modal QInputDialog with the item containing *wanted*."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog), dialog
        items = dialog.comboBoxItems()
        dialog.setTextValue(next(i for i in items if f"—{wanted}→" in i))
        dialog.accept()

    QTimer.singleShot(100, answer)


def test_attributes_are_edited_in_the_panel_and_undone(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(DEMAND) + 3)
    panel = window.structure_panel
    position = panel.findChild(QComboBox, "attribute-position")
    issue = panel.findChild(QLineEdit, "attribute-issue")
    assert position is not None and issue is not None
    assert panel.findChild(QComboBox, "attribute-form") is None  # form applies to claims only
    position.setCurrentIndex(position.findData("+1"))
    position.activated.emit(position.currentIndex())
    qtbot.mouseClick(issue, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(issue, "detainees")
    qtbot.keyClick(issue, Qt.Key.Key_Return)
    settle()
    with Project.open(project_path, read_only=True) as project:
        demand_id = project.annotations(label="demand")[0].id
        assert project.attributes(demand_id) == {"position": "+1", "issue": "detainees"}
    row = window.table_model.row_of(demand_id)
    assert window.table_model.index(row, 2).data() == "issue=detainees position=+1"
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")
    key(qtbot, window, "Ctrl+Z")
    with Project.open(project_path, read_only=True) as project:
        assert project.attributes(demand_id) == {}


def test_link_with_the_keyboard_and_the_mouse_then_undo_redo_reopen(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    key(qtbot, window, "Ctrl+L")
    assert window.structure_panel.linking_from is not None
    click_at(qtbot, window.view, TEXT.index(DEMAND) + 5)  # only "claimant" fits actor -> demand
    with Project.open(project_path, read_only=True) as project:
        (relation,) = project.relations()
        assert relation.type == "claimant"
        assert project.annotation(relation.from_id).text == SENATE
        assert project.annotation(relation.to_id).text == DEMAND
    assert window.relations_model.rowCount() == 1
    assert window.view.relations == [(relation.from_id, relation.to_id, "claimant")]
    window.view.viewport().repaint()  # the arc is drawn without errors
    # from a demand to an actor two link types fit: the user picks one
    click_at(qtbot, window.view, TEXT.index(DEMAND) + 5)
    key(qtbot, window, "Ctrl+L")
    choose_in_dialog(qtbot, "object")
    click_at(qtbot, window.view, TEXT.index("National Assembly") + 2)
    with Project.open(project_path, read_only=True) as project:
        kinds = sorted((project.annotation(r.from_id).label, r.type) for r in project.relations())
    assert kinds == [("actor", "claimant"), ("demand", "object")]
    key(qtbot, window, "Ctrl+Z")
    with Project.open(project_path, read_only=True) as project:
        assert len(project.relations()) == 1
    key(qtbot, window, "Ctrl+Shift+Z")
    window.close()
    again = open_window(qtbot, project_path)
    assert again.relations_model.rowCount() == 2


def test_a_link_that_does_not_fit_is_refused_clearly(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    key(qtbot, window, "Ctrl+L")
    click_at(qtbot, window.view, TEXT.index("National Assembly") + 2)
    assert "No link type" in window.statusBar().currentMessage()
    with Project.open(project_path, read_only=True) as project:
        assert project.relations() == []


def test_canonical_actors_link_and_merge_undoably(
    qtbot: QtBot, project_path: Path, qtmodeltester: ModelTester
) -> None:
    window = open_window(qtbot, project_path)
    panel = window.structure_panel
    for needle, name in (
        (SENATE, "French Senate"),
        ("National Assembly", "National Assembly (France)"),
    ):
        click_at(qtbot, window.view, TEXT.index(needle) + 2)
        assert panel.actor_box.isEnabled()
        panel.actor_name.clear()
        qtbot.keyClicks(panel.actor_name, name)
        panel.actor_type.setCurrentIndex(panel.actor_type.findData("organisation"))
        qtbot.keyClick(panel.actor_name, Qt.Key.Key_Return)
    model = window.actors_panel.model
    qtmodeltester.check(model)
    assert [a.name for a in model.actors] == ["French Senate", "National Assembly (France)"]
    keep, gone = model.actors[1], model.actors[0]
    assert window.actors_panel.merge(keep, gone)
    with Project.open(project_path, read_only=True) as project:
        assert [(a.name, len(project.mentions(a.id))) for a in project.actors()] == [
            ("National Assembly (France)", 2)
        ]
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")  # unmerge
    with Project.open(project_path, read_only=True) as project:
        assert sorted(a.name for a in project.actors()) == [
            "French Senate",
            "National Assembly (France)",
        ]
    key(qtbot, window, "Ctrl+Z")  # unlink the assembly mention: its new actor goes too
    with Project.open(project_path, read_only=True) as project:
        assert [a.name for a in project.actors()] == ["French Senate"]
