"""Retrieved segments: every span of a label (and its sub-labels) across the corpus,
with its context, note, document, coder and attributes; sortable; exported as CSV or
HTML; Enter or a double-click shows the span in the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.codebook.segment_export import write_csv, write_html
from annotator.gui.start.file_dialogs import save_file
from annotator.store.queries.retrieval_queries import Segment, retrieve_segments, with_descendants

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ModelIndex = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("codebook", text)


def no_default_buttons(dialog: QWidget) -> None:
    """Enter in a dialog's table activates the row and nothing else: no button of the
    dialog is its default (an item view leaves Enter to its parent, and a QDialog makes
    its first auto-default button the default one when it is shown)."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


class SegmentsModel(QAbstractTableModel):
    COLUMNS = ("Document", "Before", "Segment", "After", "Label", "Note", "Coder",
               "Attributes", "Position")  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.segments: list[Segment] = []

    def set_segments(self, segments: list[Segment]) -> None:
        self.beginResetModel()
        self.segments = segments
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        s = self.segments[index.row()]
        column = index.column()
        if role == SortRole:
            if column == 8:
                return (s.document.casefold(), s.document_id, s.start, s.end)
            return str(self.data(index)).casefold()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (s.document, s.before, s.text, s.after, s.label, s.note, s.coder,
                      s.attributes, f"{s.start}–{s.end}")  # fmt: skip
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _Sorter(QSortFilterProxyModel):
    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        a, b = left.data(SortRole), right.data(SortRole)
        return bool(a < b)


class RetrievedSegments(QDialog):
    """A window of its own beside the main window (not modal: jump, read, come back)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("retrievedSegmentsDialog")
        self.window_ = window
        self.resize(1000, 480)
        self.model = SegmentsModel()
        self.proxy = _Sorter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("retrievedSegments")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(8, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((140, 260, 200, 260, 90, 120, 80, 120, 90)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._jump)  # Enter, double-click
        self.summary = QLabel("", self)
        self.summary.setObjectName("retrievedSummary")
        csv_button = QPushButton(tr("Export &CSV…"), self)
        csv_button.setObjectName("exportSegmentsCsv")
        csv_button.clicked.connect(lambda: self.export("csv"))
        html_button = QPushButton(tr("Export &HTML…"), self)
        html_button.setObjectName("exportSegmentsHtml")
        html_button.clicked.connect(lambda: self.export("html"))
        close = QPushButton(tr("Close"), self)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(csv_button)
        row.addWidget(html_button)
        row.addWidget(close)
        rows = QVBoxLayout(self)
        rows.addWidget(self.table, 1)
        rows.addLayout(row)
        self.keys: list[str] = []
        no_default_buttons(self)  # Enter jumps to the span

    def retrieve(self, keys: list[str], *, children: bool, coder: str | None) -> None:
        project = self.window_.session.require()
        self.keys = with_descendants(project, keys) if children else list(keys)
        segments = retrieve_segments(project, self.keys, coder=coder)
        self.model.set_segments(segments)
        names = ", ".join(keys)
        if children and len(self.keys) > len(keys):
            names += tr(" and sub-labels")
        who = tr("every coder") if coder is None else coder
        documents = len({s.document_id for s in segments})
        self.summary.setText(
            tr("%d segment(s) of %s in %d document(s), %s") % (len(segments), names, documents, who)
        )
        self.setWindowTitle(tr("Retrieved segments: %s") % names)
        if segments:
            self.table.setCurrentIndex(self.proxy.index(0, 2))
        self.show()
        self.raise_()
        self.activateWindow()
        self.table.setFocus()

    def segment_at(self, row: int) -> Segment:
        return self.model.segments[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]

    def _jump(self, index: QModelIndex) -> None:
        segment = self.segment_at(index.row())
        window = self.window_
        try:
            window.jump_to(segment.id)
        except AnnotatorError as exc:  # deleted meanwhile
            window.show_status(str(exc))
            return
        window.activateWindow()
        window.view.setFocus()

    def export(self, kind: str) -> None:
        self.window_.session.require()
        name = "-".join(self.keys[:1]) or "segments"
        pattern = tr("CSV files (*.csv)") if kind == "csv" else tr("HTML files (*.html)")
        path = save_file(
            self, tr("Export retrieved segments"), f"{name}-segments", pattern, f".{kind}"
        )
        if path is None:
            return
        segments = [self.segment_at(row) for row in range(self.proxy.rowCount())]  # as sorted
        try:
            if kind == "csv":
                write_csv(segments, path)
            else:
                write_html(segments, path, self.windowTitle())
        except OSError as exc:
            self.summary.setText(tr("Could not write %s: %s") % (path.name, exc.strerror or exc))
            return
        self.summary.setText(tr("Wrote %d segment(s) to %s") % (len(segments), path.name))
