"""The Statistics dock's tables drilled into: Enter or a double-click on a cell of the
actor x label matrix lists the claims behind it (the actor in any role), on a cell of
the documents table the annotations of that label in that document. The matrix's tab
says which role it counts; the label chart's names are never cut. One hook: :func:`install_stats_drill`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarCategoryAxis, QChart
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QFontMetrics

from annotator.core.errors import AnnotatorError
from annotator.gui.analysis.window import CellSegments
from annotator.store.analysis_queries import claims
from annotator.store.cooccurrence_queries import label_ids_in

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

MATRIX_TAB = 2  # "Actor × label" in the dock's tabs


def tr(text: str) -> str:
    return QCoreApplication.translate("analysis", text)


class StatsDrill:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        panel = window.stats_panel
        self.segments = CellSegments(window)
        panel.tabs.setTabText(MATRIX_TAB, tr("Actor × label (any role)"))
        panel.matrix_view.setToolTip(
            tr(
                "Claims each actor takes part in as claimant, addressee, object or accused "
                "(Enter or double-click: the claims)"
            )
        )
        panel.document_view.setToolTip(tr("Enter or double-click: the annotations"))
        panel.matrix_view.activated.connect(self.actor_cell)
        panel.document_view.activated.connect(self.document_cell)
        chart = panel.label_chart.chart()
        chart.plotAreaChanged.connect(lambda _area: whole_label_names(chart))

    def _keys(self, column: int) -> list[str]:
        stats = self.window.stats_panel.stats
        if stats is None:
            return []
        model = self.window.stats_panel.matrix_model
        key = model._tips[column] if column < len(model._tips) else ""
        return list(stats.claim_labels) if column == model.columnCount() - 1 else [key]

    def actor_cell(self, index: QModelIndex) -> None:
        panel, project = self.window.stats_panel, self.window.session.project
        if project is None or panel.stats is None:
            return
        actor = panel.matrix_model._rows[index.row()]
        keys = set(self._keys(index.column()))
        document = None if panel.whole_project else panel.document_id
        ids = [
            c.item.id
            for c in claims(project, document)
            if c.item.label in keys
            and any(
                ref.name == actor
                for role in ("claimant", "addressee", "object", "accused")
                for ref in c.role(role)
            )
        ]
        self._show(ids, f"{actor} × {', '.join(sorted(keys))}")

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
