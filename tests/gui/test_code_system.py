"""The code system dock and retrieved segments in the real window (issue 15, item 3)."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from annotator.core.codebook import load_codebook
from annotator.gui.codebook.code_system import CodeTreeModel
from annotator.gui.codebook.retrieval import RetrievedSegments
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import codes_in_front, drag_select, key, open_window, settle, when_modal

CODEBOOK = """name: Tree
labels:
  - key: claim
    colour: "#0072b2"
    hotkey: "1"
    children:
      - {key: demand, colour: "#e69f00", hotkey: "2"}
  - {key: actor, colour: "#009e73", hotkey: "3"}
"""
FIRST = "Paris demands a vote. Berlin rejects it. Rome says nothing at all today."
SECOND = "=SUM(A1) is no answer, said <b>Oslo</b>."


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "cs.annot"
    with Project.create(path, load_codebook(CODEBOOK), annotator="ana") as project:
        a = project.add_document(FIRST, "first").id
        b = project.add_document(SECOND, "second").id
        project.annotate_many(a, [(0, 5, "actor", None), (6, 20, "demand", "asks")])
        project.annotate_many(a, [(22, 28, "actor", None, "bo", None)])
        project.annotate_many(b, [(0, 8, "claim", "odd"), (28, 37, "actor", None)])
    return path


def _row(window: MainWindow, key_: str) -> QModelIndex:
    return window.code_system.model.index_of(key_)


def test_counts_wait_until_the_dock_is_in_front_and_its_keys_raise_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(qtbot, _project(tmp_path))
    panel, dock = window.code_system, window.docks["codes"]
    assert dock.isVisible() and window.tabifiedDockWidgets(dock) == [window.docks["labels"]]
    assert dock.visibleRegion().isEmpty()  # behind the label buttons' tab
    assert panel.stale and not panel.shown and panel.model.all == {}  # nothing counted
    assert panel.model.rowCount() == 0  # nor the tree filled

    statements: list[str] = []
    window.session.require().db.conn.set_trace_callback(statements.append)
    drag_select(qtbot, window.view, 29, 36)  # an edit while hidden reads no count
    key(qtbot, window, "3")
    assert not [s for s in statements if "GROUP BY a.label_id" in s]
    window.session.require().db.conn.set_trace_callback(None)

    codes_in_front(qtbot, window)  # the keys bring it up; they used to hide it
    assert not dock.isHidden() and not dock.visibleRegion().isEmpty()
    assert panel.model.rowCount() == 2 and panel.tree.isExpanded(_row(window, "claim"))
    assert panel.model.all == {"actor": 3, "demand": 1, "claim": 1}  # the edit counted
    assert panel.model.here == {"actor": 2, "demand": 1}
    key(qtbot, window, "Ctrl+Shift+Y")  # in front: the keys hide it
    assert dock.isHidden()
    key(qtbot, window, "Ctrl+Shift+Y")  # and show it again, in front of Labels
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert panel.shown

    window.docks["labels"].raise_()  # behind again: counts kept up without a query ...
    qtbot.waitUntil(lambda: not panel.shown)
    key(qtbot, window, "Ctrl+Z")
    assert not panel.stale and panel.model.all["actor"] == 2
    window.document_list.setFocus()
    key(qtbot, window, "Down")  # ... but another document's count waits
    settle()
    assert panel.stale and panel.model.here == {"actor": 1, "demand": 1}
    codes_in_front(qtbot, window)
    assert panel.model.all["actor"] == 2 and panel.model.here == {"claim": 1, "actor": 1}


def test_counts_here_and_everywhere_by_coder_kept_up_without_requery(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(qtbot, _project(tmp_path))
    codes_in_front(qtbot, window)
    panel = window.code_system
    model = panel.model
    assert panel.objectName() == "codeSystem"
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 2 and model.rowCount(_row(window, "claim")) == 1
    assert model.data(_row(window, "demand").siblingAtColumn(1)) == "2"  # hotkey shown
    assert model.here == {"actor": 1, "demand": 1}  # first document, current coder ana
    assert model.all == {"actor": 2, "demand": 1, "claim": 1}
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    assert model.here == {"actor": 2, "demand": 1} and model.all["actor"] == 3

    statements: list[str] = []
    window.session.require().db.conn.set_trace_callback(statements.append)
    drag_select(qtbot, window.view, 29, 36)
    key(qtbot, window, "3")
    settle()
    assert model.here["actor"] == 3 and model.all["actor"] == 4
    assert not [s for s in statements if "GROUP BY a.label_id" in s]  # no recount
    key(qtbot, window, "Ctrl+Z")
    assert model.here["actor"] == 2 and model.all["actor"] == 3
    window.session.require().db.conn.set_trace_callback(None)

    window.session.require().coders.set_blind(True)  # blind: the current coder only
    panel.recount()
    assert not panel.scope.isEnabled() and model.all["actor"] == 2

    window.document_list.setFocus()
    key(qtbot, window, "Down")  # the second document
    qtbot.waitUntil(lambda: panel.document_id == window.document_id != 1)
    assert model.here == {"claim": 1, "actor": 1}


def test_click_filters_the_table_and_enter_retrieves(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    codes_in_front(qtbot, window)
    panel = window.code_system
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    tree = panel.tree
    rect = tree.visualRect(_row(window, "actor"))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()
    assert window.table_panel.filter_label.currentData() == "actor"
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 2)  # this document's actors

    tree.setFocus()
    tree.setCurrentIndex(_row(window, "claim"))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    settle()
    dialog = window.findChild(RetrievedSegments, "retrievedSegmentsDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableView, "retrievedSegments")
    assert isinstance(table, QTableView)
    QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    rows = [dialog.segment_at(r) for r in range(dialog.proxy.rowCount())]
    assert [(s.label, s.document) for s in rows] == [("demand", "first"), ("claim", "second")]
    assert rows[0].before == "Paris " and rows[0].after.startswith(". Berlin")
    assert (rows[0].note, rows[0].coder) == ("asks", "ana")
    assert "2 segment(s) of claim and sub-labels in 2 document(s)" in dialog.summary.text()
    # sortable: by the segment's text
    header = table.horizontalHeader()
    at = QPoint(
        header.sectionViewportPosition(2) + header.sectionSize(2) // 2, header.height() // 2
    )
    texts = []
    for _ in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
        settle()
        texts.append([dialog.segment_at(r).text for r in range(2)])
    assert sorted(texts) == [["=SUM(A1)", "demands a vote"], ["demands a vote", "=SUM(A1)"]]
    table.sortByColumn(8, Qt.SortOrder.AscendingOrder)  # by document and position again

    # Enter on a row shows the span in the text
    table.setFocus()
    table.setCurrentIndex(dialog.proxy.index(0, 2))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    settle()
    assert window.document_id == rows[0].document_id and window.view.current == rows[0].id

    # without sub-labels
    panel.children_too.setChecked(False)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    settle()
    assert [dialog.segment_at(r).label for r in range(dialog.proxy.rowCount())] == ["claim"]


def _save_as(target: Path) -> None:
    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(target.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert isinstance(name, QLineEdit)
        name.setText(target.name)
        dialog.accept()

    when_modal(pick, QFileDialog, seconds=90)


def test_retrieved_segments_export_csv_inert_and_html_escaped(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    codes_in_front(qtbot, window)
    panel = window.code_system
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(_row(window, "claim"))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    settle()
    dialog = window.findChild(RetrievedSegments, "retrievedSegmentsDialog")
    assert dialog is not None
    out = tmp_path / "claims.csv"
    _save_as(out)
    dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Export &CSV…
    qtbot.waitUntil(out.exists, timeout=90_000)
    with open(out, encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert [(r["label"], r["text"]) for r in table] == [
        ("demand", "demands a vote"),
        ("claim", "'=SUM(A1)"),  # never a formula
    ]
    assert table[1]["after"].startswith(" is no answer")
    page = tmp_path / "claims.html"
    _save_as(page)
    button = dialog.findChild(QPushButton, "exportSegmentsHtml")
    assert button is not None
    dialog.activateWindow()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)  # Export HTML… (Alt+H once the window is active)
    qtbot.waitUntil(page.exists, timeout=90_000)
    html = page.read_text("utf-8")
    assert "&lt;b&gt;Oslo&lt;/b&gt;" in html and "<b>Oslo" not in html
    assert "<mark>demands a vote</mark>" in html
    window.close_project()
    with Project.open(path) as again:  # the export changed nothing
        assert len(again.annotations()) == 5
    assert QApplication.activeModalWidget() is None


def test_tree_model_with_a_thousand_nested_labels(qtbot: QtBot) -> None:
    from annotator.core.codebook import Label

    labels = [Label("top", "Top", "#000000")]
    for i in range(999):
        parent = "top" if i < 10 else f"l{i // 10 - 1}"
        labels.append(Label(f"l{i}", f"L {i}", "#0072b2", parent=parent))
    model = CodeTreeModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_labels(labels)
    model.set_counts({"l5": 2}, {"l5": 3, "l998": 1})
    deep = model.index_of("l998", 3)
    assert model.data(deep) == "1"
    chain = []
    index = model.index_of("l998")
    while index.isValid():
        chain.append(model.key_at(index))
        index = model.parent(index)
    assert chain[-1] == "top" and len(chain) > 3
    model.bump("l998", 1, 1)
    assert model.data(deep) == "2"
