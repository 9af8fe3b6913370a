"""The annotation table with its filters (label, text, all documents).

Typing in the text filter of a large table (more than the model's ``inline_max``
annotations in scope) waits for a pause of ``DEBOUNCE_MS`` before querying, so fast
typing makes one query, not one per key; Enter filters at once. A small table filters
at every key (a few milliseconds). Sorting and filtering a large table run in the
model's worker thread; "Updating…" shows beside the filters meanwhile.

"Suggestions" (also Suggest > Suggestions in the table) lists the stored suggestions of
the same scope after the annotations, in italics with their source and score; Enter or a
double-click on one emits ``suggestionActivated`` (the suggestion room goes to it in the
text, where Enter accepts it). They are never selected ids: Delete and the other actions
on selected rows act on annotations only.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Label
from annotator.gui.editing.label_palette import fill_label_combo
from annotator.gui.panels.models import AnnotationTableModel
from annotator.store.queries.table_queries import TableFilter, TableRow
from annotator.store.suggestions import SuggestedRow

DEBOUNCE_MS = 250


def tr(text: str) -> str:
    return QCoreApplication.translate("AnnotationTable", text)


class AnnotationTablePanel(QWidget):
    rowSelected = Signal(object)  # TableRow
    rowActivated = Signal(object)  # TableRow (double-click or Enter)
    suggestionActivated = Signal(object)  # SuggestedRow (double-click or Enter)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_id: int | None = None
        self.coders: tuple[str, ...] | None = None  # the shown coders' layers (None: all)
        self.model = AnnotationTableModel()
        self.table = QTableView(self)
        self.table.setObjectName("annotationTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(
            AnnotationTableModel.COLUMNS.index("position"), Qt.SortOrder.AscendingOrder
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((110, 360, 160, 160)):
            self.table.setColumnWidth(column, width)
        self.table.setWordWrap(False)
        self.filter_label = QComboBox(self)
        self.filter_label.setObjectName("tableLabelFilter")
        self.filter_text = QLineEdit(self)
        self.filter_text.setObjectName("tableTextFilter")
        self.filter_text.setPlaceholderText(tr("Filter by text or note"))
        self.filter_text.setClearButtonEnabled(True)
        self.all_documents = QCheckBox(tr("All documents"), self)
        self.suggestions = QCheckBox(tr("Suggestions"), self)
        self.suggestions.setObjectName("tableSuggestions")
        self.suggestions.setToolTip(
            tr("List the stored suggestions too, in italics with their source and score")
        )
        self.busy = QLabel(self)  # "Updating…" while the worker works; its room kept
        self.busy.setObjectName("tableBusy")
        self.busy.setMinimumWidth(self.busy.fontMetrics().horizontalAdvance(tr("Updating…")) + 4)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.apply_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_label)
        filters.addWidget(self.filter_text, 1)
        filters.addWidget(self.busy)
        filters.addWidget(self.all_documents)
        filters.addWidget(self.suggestions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.filter_label.currentIndexChanged.connect(self.apply_filter)
        self.filter_text.textChanged.connect(self._text_changed)
        self.filter_text.returnPressed.connect(self.apply_filter)
        self.all_documents.toggled.connect(self.apply_filter)
        self.suggestions.toggled.connect(self._suggestions_toggled)
        self.model.busyChanged.connect(self._busy)
        self.model.failed.connect(self._failed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def set_labels(self, labels: list[Label]) -> None:
        self.filter_label.blockSignals(True)
        fill_label_combo(self.filter_label, labels, tr("All labels"))
        self.filter_label.blockSignals(False)

    def set_document(self, document_id: int | None) -> None:
        self.document_id = document_id
        self.apply_filter()

    def current_filter(self) -> TableFilter:
        """The filter the widgets describe."""
        everywhere = self.all_documents.isChecked()
        document = (
            None if everywhere else (self.document_id if self.document_id is not None else -1)
        )
        return TableFilter(
            document_id=document,
            label=self.filter_label.currentData() or None,
            text=self.filter_text.text(),
            coders=self.coders,
        )

    def apply_filter(self, *_args: object) -> None:
        self.debounce.stop()
        self.table.setColumnHidden(
            AnnotationTableModel.COLUMNS.index("document"), not self.all_documents.isChecked()
        )
        self.model.set_filter(self.current_filter())

    def _text_changed(self, _text: str) -> None:
        if self.model.is_large(self.current_filter()):
            self.debounce.start()  # (re)started: the query runs after a pause in typing
        else:
            self.apply_filter()

    def _suggestions_toggled(self, shown: bool) -> None:
        self.model.show_suggestions(shown)
        rows = self.model.suggestion_rows
        if shown and rows:  # they follow the annotations: bring the first one into view
            self.table.selectionModel().setCurrentIndex(
                self.model.index(rows.start, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(rows.start, 0))

    def current_suggestion(self) -> SuggestedRow | None:
        return self.model.suggestion_at(self.table.currentIndex().row())

    def _busy(self, busy: bool) -> None:
        self.busy.setText(tr("Updating…") if busy else "")
        self.busy.setToolTip("")

    def _failed(self, message: str) -> None:
        self.busy.setText(message)
        self.busy.setToolTip(message)

    def selected_ids(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [r.id for r in (self.model.row_data(row) for row in sorted(rows)) if r is not None]

    def select(self, annotation_id: int | None) -> None:
        if annotation_id is None:
            self.table.clearSelection()
            return
        row = self.model.row_of(annotation_id)
        if row >= 0 and self.table.currentIndex().row() != row:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.model.removing:  # the current row was dropped: the window decides what next
            return
        row: TableRow | None = self.model.row_data(current.row())
        if row is not None:
            self.rowSelected.emit(row)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_data(index.row())
        if row is not None:
            self.rowActivated.emit(row)
            return
        suggested = self.model.suggestion_at(index.row())
        if suggested is not None:
            self.suggestionActivated.emit(suggested)
