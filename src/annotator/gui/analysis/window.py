"""The analysis window: label x label co-occurrence and label x document variable,
every cell drilled into with Enter or a double-click, every matrix exported as CSV or
XLSX, and a line chart over time when the variable is a date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.cooccurrence import Matrix
from annotator.core.errors import AnnotatorError
from annotator.gui.analysis.matrix_export import write_matrix
from annotator.gui.analysis.matrix_model import MatrixModel
from annotator.gui.codebook.retrieval import RetrievedSegments, no_default_buttons
from annotator.gui.start.file_dialogs import save_file
from annotator.store.queries.cooccurrence_queries import label_matrix, segments_of, variable_matrix

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("analysis", text)


class CellSegments(RetrievedSegments):
    """The segments behind one matrix cell (the retrieved-segments window)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("cellSegmentsDialog")

    def show_ids(self, ids: list[int], title: str) -> None:
        project = self.window_.session.require()
        segments = segments_of(project, ids)
        self.keys = ["cell"]
        self.model.set_segments(segments)
        documents = len({s.document_id for s in segments})
        self.summary.setText(
            tr("%d segment(s) in %d document(s): %s") % (len(segments), documents, title)
        )
        self.setWindowTitle(tr("Segments of %s") % title)
        if segments:
            self.table.setCurrentIndex(self.proxy.index(0, 2))
        self.show()
        self.raise_()
        self.activateWindow()
        self.table.setFocus()


class MatrixTab(QWidget):
    """One matrix: a chooser above, the table, the export buttons below."""

    def __init__(self, name: str, choices_label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.choice = QComboBox(self)
        self.choice.setObjectName(f"{name}Choice")
        pick = QLabel(choices_label, self)
        pick.setBuddy(self.choice)
        self.model = MatrixModel()
        self.table = QTableView(self)
        self.table.setObjectName(name)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setDefaultSectionSize(90)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.summary = QLabel("", self)
        self.summary.setObjectName(f"{name}Summary")
        self.csv_button = QPushButton(tr("Export &CSV…"), self)
        self.csv_button.setObjectName(f"{name}Csv")
        self.xlsx_button = QPushButton(tr("Export &XLSX…"), self)
        self.xlsx_button.setObjectName(f"{name}Xlsx")
        top = QHBoxLayout()
        top.addWidget(pick)
        top.addWidget(self.choice, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.xlsx_button)
        self.rows = QVBoxLayout(self)
        self.rows.addLayout(top)
        self.rows.addWidget(self.table, 3)
        self.rows.addLayout(bottom)


class AnalysisWindow(QDialog):
    """Not modal: drill into a cell, read the text, come back."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("analysisWindow")
        self.setWindowTitle(tr("Analysis"))
        self.window_ = window
        self.resize(960, 640)
        self.tabs = QTabWidget(self)
        self.co = MatrixTab("cooccurrenceMatrix", tr("Co-&occurring:"), self)
        self.co.choice.addItem(tr("overlapping spans"), "overlap")
        self.co.choice.addItem(tr("spans in the same sentence"), "sentence")
        self.by = MatrixTab("variableMatrix", tr("By document &variable:"), self)
        self.chart = QChartView(self.by)
        self.chart.setObjectName("variableChart")
        self.chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart.setMinimumHeight(220)
        self.by.rows.insertWidget(2, self.chart, 2)
        self.tabs.addTab(self.co, tr("Label × label"))
        self.tabs.addTab(self.by, tr("Label × document variable"))
        close = QPushButton(tr("Close"), self)
        close.clicked.connect(self.close)
        rows = QVBoxLayout(self)
        rows.addWidget(self.tabs, 1)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(close)
        rows.addLayout(end)
        self.segments = CellSegments(window)
        no_default_buttons(self)
        for tab in (self.co, self.by):
            tab.choice.currentIndexChanged.connect(self.refresh)
            tab.table.activated.connect(self._drill)  # Enter, double-click
            tab.csv_button.clicked.connect(lambda _=False, t=tab: self.export(t, "csv"))
            tab.xlsx_button.clicked.connect(lambda _=False, t=tab: self.export(t, "xlsx"))

    def open(self) -> None:  # type: ignore[override]
        self._fill_variables()
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.co.table.setFocus()
        self.co.table.setCurrentIndex(self.co.model.index(0, 0))

    def _fill_variables(self) -> None:
        project = self.window_.session.require()
        choice = self.by.choice
        was = choice.currentData()
        choice.blockSignals(True)
        choice.clear()
        for key, kind in project.variables.types().items():
            choice.addItem(f"{key} ({kind})", key)
        if was is not None and choice.findData(was) >= 0:
            choice.setCurrentIndex(choice.findData(was))
        choice.blockSignals(False)

    def _names(self) -> dict[str, str]:
        project = self.window_.session.require()
        return {lab.key: lab.name for lab in project.labels()}

    def refresh(self) -> None:
        project = self.window_.session.project
        if project is None:
            return
        names = self._names()
        try:
            mode = str(self.co.choice.currentData())
            co = label_matrix(project, mode)
            self.co.model.set_matrix(co, names, tr("pairs of spans"))
            self.co.summary.setText(
                tr("Pairs of %s, every document and coder. Enter or double-click: the segments")
                % self.co.choice.currentText()
            )
            key = self.by.choice.currentData()
            if key is None:
                self.by.model.set_matrix(Matrix((), ()), names, tr("annotations"))
                self.by.summary.setText(tr("The project has no document variables yet"))
                self.chart.setChart(QChart())
                return
            by = variable_matrix(project, str(key))
        except AnnotatorError as exc:
            self.window_.show_error(str(exc))
            return
        self.by.model.set_matrix(by, names, tr("annotations"))
        kind = project.variables.types().get(str(key))
        self.by.summary.setText(
            tr("Annotations of each label by the documents' %s%s. Enter: the segments")
            % (key, tr(" (by month)") if kind == "date" else "")
        )
        self._chart(by, names, dated=kind == "date")

    def _chart(self, matrix: Matrix, names: dict[str, str], *, dated: bool) -> None:
        chart = QChart()
        self.chart.setChart(chart)
        self.chart.setVisible(dated)
        if not dated:
            return
        chart.setTitle(tr("Annotations per month"))
        months = [c for c in matrix.columns if c[:1].isdigit()]
        axis_x = QBarCategoryAxis()
        axis_x.append(months)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        most = 0
        colours = {lab.key: lab.colour for lab in self.window_.session.require().labels()}
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for row in matrix.rows:
            counts = [matrix.count(row, m) for m in months]
            if not any(counts):
                continue
            series = QLineSeries()
            series.setName(names.get(row, row))
            if row in colours:
                series.setColor(QColor(colours[row]))
            for x, n in enumerate(counts):
                series.append(x, n)
            most = max(most, *counts)
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        axis_y.setRange(0, max(most, 1))
        axis_y.applyNiceNumbers()  # 0, 5, 10 … rather than 0, 8.7, 17.3 …

    def _drill(self, index: QModelIndex) -> None:
        model = index.model()
        assert isinstance(model, MatrixModel)
        row, column = model.cell(index)
        ids = model.matrix.ids_of(row, column)
        title = f"{model.names.get(row, row)} × {model.names.get(column, column)}"
        if not ids:
            self.window_.show_status(tr("No segments behind %s") % title)
            return
        self.segments.show_ids(ids, title)

    def export(self, tab: MatrixTab, kind: str) -> None:
        self.window_.session.require()
        stem = "cooccurrence" if tab is self.co else f"labels-by-{tab.choice.currentData()}"
        pattern = tr("CSV files (*.csv)") if kind == "csv" else tr("Excel workbooks (*.xlsx)")
        path = save_file(self, tr("Export the matrix"), stem, pattern, f".{kind}")
        if path is None:
            return
        try:
            write_matrix(tab.model.matrix, path, stem)
        except AnnotatorError as exc:
            self.window_.show_error(str(exc))
            return
        tab.summary.setText(tr("Wrote %s") % path.name)


def open_analysis(window: MainWindow) -> AnalysisWindow:
    """Analysis > Matrices…: the one analysis window of *window*, refreshed and shown."""
    found = window.findChild(AnalysisWindow, "analysisWindow")
    dialog = found if isinstance(found, AnalysisWindow) else AnalysisWindow(window)
    dialog.open()
    return dialog
