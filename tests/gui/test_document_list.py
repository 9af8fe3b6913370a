"""The document list with many documents: one count changes, one row repaints.

A span added, undone or deleted changes one document's count; the list must not lay
out every row again (a cost that grows with the number of documents).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from annotator.gui.panels.document_list import DocumentListView
from annotator.gui.panels.models import DocumentListModel
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle

DOCS = 300
TEXT = "The Senate of France adopted the resolution on Armenia."


def _many(tmp_path: Path) -> Path:
    path = tmp_path / "many.annot"
    with Project.create(path, annotator="tester") as project, project.transaction():
        for n in range(DOCS):
            project.add_document(f"{TEXT} ({n})", f"Report {n:04d}")
    return path


class Spy:
    """What the document list's model told its view."""

    def __init__(self, model: DocumentListModel) -> None:
        self.changed: list[tuple[int, int]] = []
        self.resets = 0
        self.layout_changes = 0
        model.dataChanged.connect(self._changed)
        model.modelReset.connect(self._reset)
        model.layoutChanged.connect(self._layout)

    def _changed(self, top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        self.changed.append((top.row(), bottom.row()))

    def _reset(self) -> None:
        self.resets += 1

    def _layout(self) -> None:
        self.layout_changes += 1


def test_a_bump_changes_one_row_and_lays_out_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    with Project.open(_many(tmp_path)) as project:
        model = DocumentListModel()
        model.reload(project)
        view = DocumentListView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(300, 400)
        view.show()
        qtbot.waitExposed(view)
        settle()
        spy, before = Spy(model), view.layouts
        target = model.document_at(DOCS - 7)
        assert target is not None
        model.bump(target.id, 1)
        settle()
        assert spy.changed == [(DOCS - 7, DOCS - 7)]
        assert (spy.resets, spy.layout_changes, view.layouts) == (0, 0, before)
        assert model.index(DOCS - 7, 0).data().endswith("(1)")
        assert model.row_of(target.id) == DOCS - 7
        assert model.row_of(10**9) == -1


def test_adding_undoing_and_deleting_a_span_repaints_one_row(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _many(tmp_path))
    settle()
    view = window.document_list
    assert isinstance(view, DocumentListView)
    spy, before = Spy(window.documents), view.layouts
    start = TEXT.index("Senate")
    window.view.setFocus()
    window.view.select_range(start, start + len("Senate"))
    key(qtbot, window, "1")  # the first label's hotkey
    assert window.documents.index(0, 0).data().endswith("(1)")
    key(qtbot, window, "Ctrl+Z")
    assert window.documents.index(0, 0).data().endswith("(0)")
    key(qtbot, window, "Ctrl+Shift+Z")
    assert window.documents.index(0, 0).data().endswith("(1)")
    window.view.setFocus()
    window.view.set_current(window.session.require().annotations()[0].id)
    key(qtbot, window, "Delete")
    assert window.documents.index(0, 0).data().endswith("(0)")
    assert spy.changed == [(0, 0)] * 4
    assert (spy.resets, spy.layout_changes, view.layouts) == (0, 0, before)


def test_the_last_of_many_documents_is_a_key_away_right_after_opening(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The list lays out its rows in batches; End and Home work before it has finished."""
    window = open_window(qtbot, _many(tmp_path))
    window.document_list.setFocus()
    key(qtbot, window, "End")
    last = window.documents.document_at(DOCS - 1)
    assert last is not None
    assert window.document_list.currentIndex().row() == DOCS - 1
    assert window.document_id == last.id
    assert window.document_list.visualRect(window.document_list.currentIndex()).isValid()
    key(qtbot, window, "Home")
    assert window.document_list.currentIndex().row() == 0
