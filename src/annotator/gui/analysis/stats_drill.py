"""The Statistics dock's tables drilled into: Enter or a double-click on a cell of the
actor x label matrix lists the claims behind it (the actor in the role its tab counts),
on a cell of the documents table the annotations of that label in that document. The
label chart's names are never cut. One hook: :func:`install_stats_drill`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarCategoryAxis, QChart
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QFontMetrics

from annotator.core.errors import AnnotatorError
from annotator.gui.analysis.window import CellSegments
from annotator.store.queries.actor_role_queries import row_ids
from annotator.store.queries.cooccurrence_queries import label_ids_in

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("analysis", text)


class StatsDrill:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        panel = window.stats_panel
        self.segments = CellSegments(window)
        panel.document_view.setToolTip(tr("Enter or double-click: the annotations"))
        panel.matrix_view.activated.connect(self.actor_cell)
        panel.document_view.activated.connect(self.document_cell)
        chart = panel.label_chart.chart()
        chart.plotAreaChanged.connect(lambda _area: whole_label_names(chart))

    def actor_cell(self, index: QModelIndex) -> None:
        """The claims behind a cell, the actor in the role the tab counts (the matrix
        keeps their ids: what is listed is what was counted)."""
        tab = self.window.stats_panel.actor_tab
        matrix = tab.matrix
        if not 0 <= index.row() < len(matrix.rows):
            return
        actor = matrix.rows[index.row()]
        if index.column() < len(matrix.columns):
            column = matrix.columns[index.column()]
            ids, what = matrix.ids_of(actor, column), column
        else:  # the Total column
            ids, what = row_ids(matrix, actor), ", ".join(matrix.columns)
        self._show(ids, f"{actor} × {what} ({tab.role_name()})")

    def document_cell(self, index: QModelIndex) -> None:
        panel, project = self.window.stats_panel, self.window.session.project
        stats = panel.stats
        if project is None or stats is None:
            return
        documents = list(stats.per_document)
        model = panel.document_model
        if index.row() >= len(documents):
            return
        last = index.column() == model.columnCount() - 1
        keys = list(stats.labels) if last else [model._tips[index.column()]]
        ids = label_ids_in(project, documents[index.row()], keys, panel.coder)
        title = dict(stats.documents).get(documents[index.row()], "")
        self._show(ids, f"{title} × {', '.join(keys) if not last else tr('all labels')}")

    def _show(self, ids: list[int], title: str) -> None:
        if not ids:
            self.window.show_status(tr("No segments behind %s") % title)
            return
        try:
            self.segments.show_ids(ids, title)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))


def whole_label_names(chart: QChart) -> None:
    """The label chart's names whole ("Claim (12)", never "Clai…"): turned aslant when
    they do not fit side by side under their bars (a narrow dock)."""
    for axis in chart.axes(Qt.Orientation.Horizontal):
        if not isinstance(axis, QBarCategoryAxis) or not axis.count():
            continue
        metrics = QFontMetrics(axis.labelsFont())
        widest = max(metrics.horizontalAdvance(c) for c in axis.categories())
        room = chart.plotArea().width() / axis.count()
        angle = 0 if widest + 8 <= room else -90
        if axis.truncateLabels():
            axis.setTruncateLabels(False)
        if axis.labelsAngle() != angle:
            axis.setLabelsAngle(angle)


def install_stats_drill(window: MainWindow) -> StatsDrill:
    drill = StatsDrill(window)
    window.stats_drill = drill  # type: ignore[attr-defined]
    return drill
