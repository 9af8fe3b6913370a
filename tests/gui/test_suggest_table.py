"""Suggestions in the annotation table (issue 17), by real key events: Ctrl+Alt+U lists
the stored suggestions after the annotations, in italics with their source and score;
Enter on one goes to it in the text, where Enter accepts it; they are never annotations
of the table (no id, not counted, not selected for Delete)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.suggest import Suggestion
from annotator.gui.main_window import MainWindow
from annotator.gui.panels.models import AnnotationTableModel
from annotator.store import Project
from annotator.store.suggestions import Suggestions
from tests.gui.helpers import key, open_window, settle

TEXT = "The Senate voted. Later the Senate met France and the Senate of France agreed."
OTHER = "Another Senate text."
ANNOTATOR = AnnotationTableModel.COLUMNS.index("annotator")


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "t.annot"
    with Project.create(path, annotator="ann") as project:
        doc = project.add_document(TEXT, title="Senate").id
        other = project.add_document(OTHER, title="Other").id
        project.annotate(doc, 4, 10, "actor")
        project.set_setting("annotator_confirmed", "1")
        layer = Suggestions(project)
        layer.replace(
            doc,
            "like-before",
            [Suggestion(28, 34, "actor", 1.0, "x"), Suggestion(54, 60, "actor", 0.9, "x")],
        )
        layer.replace(other, "learned", [Suggestion(8, 14, "actor", 0.873, "x")])
    return path


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(qtbot, path)
    window.show_document(1)
    window.view.setFocus()
    settle()
    QAbstractItemModelTester(
        window.table_model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    return window


def _cells(window: MainWindow, column: int) -> list[str]:
    model = window.table_model
    return [str(model.data(model.index(r, column))) for r in range(model.rowCount())]


def _cursor(window: MainWindow) -> int:
    return window.view.offsets.to_codepoint(window.view.textCursor().position())


def test_ctrl_alt_u_lists_suggestions_and_enter_goes_to_one_where_enter_accepts(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path)
    window = _window(qtbot, path)
    panel, model = window.table_panel, window.table_model
    assert model.rowCount() == 1  # the annotation only
    key(qtbot, window, "Ctrl+Alt+U")  # Suggest > Suggestions in the table
    assert panel.suggestions.isChecked()
    assert QApplication.focusWidget() is panel.table
    docs = window.documents
    assert docs.data(docs.index(0, 0)) == "Senate  (1)"  # not counted
    assert _cells(window, ANNOTATOR) == [
        "ann",
        "suggested: like-before 1.00",
        "suggested: like-before 0.90",
    ]
    assert _cells(window, 1) == ["Senate", "Senate", "Senate"]
    assert _cells(window, AnnotationTableModel.COLUMNS.index("position")) == [
        "4–10", "28–34", "54–60"
    ]  # fmt: skip
    font = model.data(model.index(1, 1), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert model.data(model.index(0, 1), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None  # not filled
    assert model.data(model.index(1, 0), AnnotationTableModel.IdRole) is None
    assert model.row_data(1) is None and model.suggestion_at(1) is not None
    # the first suggestion is current: no annotation is selected for Delete
    assert panel.table.currentIndex().row() == 1 and panel.selected_ids() == []
    key(qtbot, window, "Del")  # Delete on a suggestion's row deletes no annotation
    with Project.open(path, read_only=True) as project:
        assert len(project.annotations(1)) == 1
    assert model.rowCount() == 3
    key(qtbot, window, "Down")
    key(qtbot, window, "Return")  # goes to it in the text
    assert QApplication.focusWidget() is window.view
    layer = window.suggestions.layer
    assert _cursor(window) == 54 and layer.under_cursor() is not None
    assert layer.under_cursor().start == 54  # type: ignore[union-attr]
    key(qtbot, window, "Return")  # the view's accept key
    with Project.open(path, read_only=True) as project:
        spans = [(a.start, a.end, a.label, a.annotator) for a in project.annotations(1)]
        assert (54, 60, "actor", "ann") in spans
        assert len(spans) == 2
    settle()
    assert _cells(window, ANNOTATOR) == ["ann", "ann", "suggested: like-before 1.00"]
    key(qtbot, window, "Ctrl+Z")  # undone: the suggestion row is back
    settle()
    assert _cells(window, ANNOTATOR) == [
        "ann",
        "suggested: like-before 1.00",
        "suggested: like-before 0.90",
    ]
    window.table.setFocus()
    key(qtbot, window, "Ctrl+Alt+U")  # off again
    assert not panel.suggestions.isChecked()
    assert _cells(window, ANNOTATOR) == ["ann"]


def test_all_documents_lists_every_documents_suggestions_and_enter_opens_the_document(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, _project(tmp_path))
    panel = window.table_panel
    panel.all_documents.setChecked(True)
    key(qtbot, window, "Ctrl+Alt+U")
    document = AnnotationTableModel.COLUMNS.index("document")
    assert list(zip(_cells(window, ANNOTATOR), _cells(window, document), strict=True)) == [
        ("ann", "Senate"),
        ("suggested: like-before 1.00", "Senate"),
        ("suggested: like-before 0.90", "Senate"),
        ("suggested: learned 0.87", "Other"),
    ]
    key(qtbot, window, "Ctrl+End")  # the last row: the other document's suggestion
    key(qtbot, window, "Return")
    assert window.document_id == 2 and _cursor(window) == 8
    assert window.suggestions.layer.under_cursor() is not None
    # a double-click does the same: back in the first document, at its suggestion
    table = panel.table
    rect = table.visualRect(window.table_model.index(2, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()
    assert window.document_id == 1 and _cursor(window) == 54
    # a filter applies to the suggestions too; an annotation's row stays an annotation
    panel.filter_text.setText("zzz")
    settle()
    assert window.table_model.rowCount() == 0
    panel.filter_text.setText("")
    panel.filter_label.setCurrentIndex(panel.filter_label.findData("claim"))
    settle()
    assert window.table_model.rowCount() == 0


def test_a_source_switched_off_in_the_panel_leaves_the_table(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _project(tmp_path))
    window.table_panel.all_documents.setChecked(True)
    key(qtbot, window, "Ctrl+Alt+U")
    assert window.table_model.rowCount() == 4
    window.suggestions.panel.checks["learned"].setChecked(False)
    settle()
    assert "suggested: learned 0.87" not in _cells(window, ANNOTATOR)
    assert window.table_model.rowCount() == 3
