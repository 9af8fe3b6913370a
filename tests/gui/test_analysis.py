"""The analysis window in the real window: open it with its keys, walk the matrix with
arrow keys, Enter drills into a cell (its segments), and the matrices export as CSV and
XLSX; the label x date variable table draws a line chart."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.analysis.window import AnalysisWindow
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle, when_modal

TEXT = "The minister said the plan works. Critics said =SUM(A1) is wrong."


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "analysis.annot"
    with Project.create(path) as project:
        for n, (outlet, date) in enumerate(
            (("Le Monde", "2024-01-05"), ("Guardian", "2024-02-10"), ("Guardian", "2024-02-20"))
        ):
            doc = project.add_document(TEXT, f"Article {n}").id
            project.annotate(doc, 0, 33, "claim")  # the first sentence
            project.annotate(doc, 4, 12, "actor")  # minister, inside the claim
            project.annotate(doc, 34, 41, "actor")  # Critics: the second sentence
            project.variables.set(doc, "outlet", outlet, "text")
            project.variables.set(doc, "published", date, "date")
    return path


def _open(qtbot: QtBot, window: MainWindow) -> AnalysisWindow:
    key(qtbot, window, "Ctrl+Alt+M")
    found = window.findChild(AnalysisWindow, "analysisWindow")
    assert isinstance(found, AnalysisWindow)
    qtbot.waitUntil(found.isVisible)
    return found


def _go_to(qtbot: QtBot, table: QTableView, row: int, column: int) -> None:
    """Walk from the top left with the arrow keys, as a user would."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    for _ in range(row):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    for _ in range(column):
        qtbot.keyClick(table, Qt.Key.Key_Right)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (row, column)


def test_drill_into_a_cooccurrence_cell_and_jump_to_the_text(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    analysis = _open(qtbot, window)
    table = analysis.findChild(QTableView, "cooccurrenceMatrix")
    assert table is not None
    labels = window.session.require().codebook().keys()
    claim, actor = labels.index("claim"), labels.index("actor")
    model = table.model()
    assert model.index(claim, actor).data() == "3"  # one overlapping pair per article
    assert model.headerData(claim, Qt.Orientation.Vertical) == "Claim"

    _go_to(qtbot, table, claim, actor)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    segments = analysis.segments
    qtbot.waitUntil(segments.isVisible)
    assert segments.model.rowCount() == 6  # the 3 claims and the 3 ministers
    assert {s.label for s in segments.model.segments} == {"claim", "actor"}
    assert "3 document" in segments.summary.text()

    # same sentence: the minister pairs with its claim; the critics sit alone
    analysis.co.choice.setFocus()
    qtbot.keyClick(analysis.co.choice, Qt.Key.Key_Down)
    settle()
    assert analysis.co.choice.currentData() == "sentence"
    assert model.index(claim, actor).data() == "3"
    assert model.index(actor, actor).data() == "0"

    # Enter in the segments jumps to the text
    segments.table.setFocus()
    qtbot.keyClick(segments.table, Qt.Key.Key_Return)
    settle()
    first = segments.segment_at(segments.table.currentIndex().row())
    assert window.view.current == first.id


def _save_as(target: Path) -> list[QWidget]:
    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(target.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert isinstance(name, QLineEdit)
        name.setText(target.name)
        dialog.accept()

    return when_modal(pick, QFileDialog, seconds=90)


def test_export_matrices_as_csv_and_xlsx(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    analysis = _open(qtbot, window)
    labels = window.session.require().codebook().keys()

    target = tmp_path / "out" / "co.csv"
    target.parent.mkdir()
    _save_as(target)
    qtbot.mouseClick(analysis.co.csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=90_000)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["label", *labels]
    claim_row = next(r for r in rows if r[0] == "claim")
    assert claim_row[1 + labels.index("actor")] == "3"

    # label x outlet, the second tab, as a workbook
    analysis.tabs.setCurrentIndex(1)
    analysis.by.choice.setCurrentIndex(analysis.by.choice.findData("outlet"))
    settle()
    book_path = tmp_path / "out" / "outlets.xlsx"
    _save_as(book_path)
    qtbot.mouseClick(analysis.by.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(book_path.exists, timeout=90_000)
    sheet = load_workbook(book_path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["label / outlet", "Guardian", "Le Monde"]
    claim = next(r for r in values if r[0] == "claim")
    assert claim[1:] == [2, 1]


def test_label_by_date_variable_draws_a_line_per_label(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    analysis = _open(qtbot, window)
    analysis.tabs.setCurrentIndex(1)
    analysis.by.choice.setCurrentIndex(analysis.by.choice.findData("published"))
    settle()
    matrix = analysis.by.model.matrix
    assert matrix.columns == ("2024-01", "2024-02")
    assert matrix.count("claim", "2024-02") == 2
    assert analysis.chart.isVisible()
    series = [s for s in analysis.chart.chart().series() if isinstance(s, QLineSeries)]
    assert {s.name() for s in series} == {"Claim", "Actor"}
    claim_line = next(s for s in series if s.name() == "Claim")
    assert [claim_line.at(i).y() for i in range(claim_line.count())] == [1, 2]
    # drill into a month
    table = analysis.by.table
    _go_to(qtbot, table, matrix.rows.index("actor"), 1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(analysis.segments.isVisible)
    assert analysis.segments.model.rowCount() == 4


def test_matrix_exports_never_run_a_cell_as_a_formula(tmp_path: Path) -> None:
    from annotator.core.cooccurrence import SpanRow, by_variable
    from annotator.gui.analysis.matrix_export import write_matrix

    matrix = by_variable(
        [SpanRow(1, 1, 0, 3, "claim")], ("claim",), {1: '=HYPERLINK("x")'}, key="outlet"
    )
    write_matrix(matrix, tmp_path / "m.csv")
    rows = list(csv.reader((tmp_path / "m.csv").open(encoding="utf-8")))
    assert rows == [["label / outlet", '\'=HYPERLINK("x")'], ["claim", "1"]]
    write_matrix(matrix, tmp_path / "m.xlsx")
    cell = load_workbook(tmp_path / "m.xlsx").active.cell(1, 2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")' and cell.quotePrefix
