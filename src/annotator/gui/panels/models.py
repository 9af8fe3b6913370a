"""Item models: the documents of the project and the annotation table.

The table model keeps only the ordered annotation ids (an ``array``) and fetches the
rows it shows page by page from SQLite, so a million annotations cost a few MB. The
ids of a small table (at most ``inline_max`` annotations in its document, or in all)
are queried at once; a larger table's are queried by its worker thread
(gui/panels/table_worker.py) while the old rows stay shown.

With suggestions shown (:meth:`AnnotationTableModel.show_suggestions`) the stored
suggestions of the table's scope (not yet accepted; rejected ones are not stored) follow
the annotations as rows of their own (of the ``suggestion_sources`` switched on), in
text order and in italics, "suggested: SOURCE
SCORE" in the annotator column; they are read in one query beside the ids (they are
few), and they are no annotations: :meth:`row_data` and the id role give nothing for them.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from annotator.core.codebook import Label
from annotator.gui.panels.table_worker import TableResult, TableWorker, rows_of
from annotator.store import Annotation, Document, Project
from annotator.store.queries.layer_queries import document_counts
from annotator.store.queries.table_queries import (
    TableFilter,
    TableRow,
    ordered_ids,
    rows_before,
    rows_for,
    scope_size,
)
from annotator.store.suggestions import SuggestedRow, Suggestions

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_ID = Qt.ItemDataRole.UserRole.value + 1
_TABLE_ROLES = frozenset({_DISPLAY, _TOOLTIP, _DECORATION, _BACKGROUND, _ID})
PAGE = 256
INCREMENTAL_MAX = 50  # more added or removed rows than this: query the ids again
CACHE_ROWS = 4096
# at most this many annotations in the table's document (or in all): its ids are
# queried on the GUI thread (about 20 ms for the slowest sort); more go to the worker
INLINE_MAX = 20_000


def tr(text: str) -> str:
    return QCoreApplication.translate("models", text)


class DocumentListModel(QAbstractListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self._docs: list[Document] = []
        self._rows: dict[int, int] = {}  # document id -> row
        self._counts: dict[int, int] = {}
        self.coders: list[str] | None = None  # count only these coders' layers (blind mode)

    def reload(self, project: Project | None) -> None:
        self.beginResetModel()
        self._docs = project.documents() if project else []
        self._rows = {doc.id: row for row, doc in enumerate(self._docs)}
        self._counts = document_counts(project, self.coders) if project else {}
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._docs)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        doc = self._docs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{doc.title}  ({self._counts.get(doc.id, 0)})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("%s\n%d characters, %d annotations\nimported %s") % (
                doc.source_name or doc.title,
                doc.length,
                self._counts.get(doc.id, 0),
                doc.imported_at,
            )
        if role == self.IdRole:
            return doc.id
        return None

    def row_of(self, document_id: int) -> int:
        return self._rows.get(document_id, -1)

    def document_at(self, row: int) -> Document | None:
        return self._docs[row] if 0 <= row < len(self._docs) else None

    def bump(self, document_id: int, delta: int) -> None:
        """One document's count changed (a span added, undone or deleted): a change of
        that one row, which the document list repaints without laying out the others."""
        self._counts[document_id] = self._counts.get(document_id, 0) + delta
        row = self.row_of(document_id)
        if row >= 0:
            idx = self.index(row, 0)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DisplayRole])


class AnnotationTableModel(QAbstractTableModel):
    """Annotations of the current document (or all), sorted and filtered in SQL."""

    COLUMNS = ("label", "text", "attributes", "note", "annotator", "position", "document")
    IdRole = Qt.ItemDataRole.UserRole + 1
    busyChanged = Signal(bool)  # the worker is sorting or filtering (old rows shown)
    failed = Signal(str)  # the worker could not read the table (one line)

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.inline_max = INLINE_MAX
        self.worker = TableWorker(self)
        self.worker.ready.connect(self._arrived)
        self._pending_reset = False  # the awaited result replaces the rows (else: a sort)
        # rows being dropped: the selection model moves the current row to a neighbour
        # then, which is no choice of the user's (see AnnotationTablePanel._current_changed)
        self.removing = False
        self.filter = TableFilter()
        self.sort_key = "position"
        self.descending = False
        self._ids: array[int] = array("q")
        self._cache: OrderedDict[int, TableRow] = OrderedDict()
        self._label_names: dict[str, str] = {}
        self._label_colours: dict[str, QColor] = {}
        self._label_fills: dict[str, QBrush] = {}
        self._shown: dict[int, tuple[str, ...]] = {}  # display strings of cached rows
        self.suggestions_shown = False
        self.suggestion_sources: frozenset[str] | None = None  # those listed (None: all)
        self._suggested: list[SuggestedRow] = []  # the rows after the annotations' ones
        self._italic = QFont()
        self._italic.setItalic(True)
        self._headers = (
            tr("Label"),
            tr("Text"),
            tr("Attributes"),
            tr("Note"),
            tr("Annotator"),
            tr("Position"),
            tr("Document"),
        )

    def set_project(self, project: Project | None, flt: TableFilter | None = None) -> None:
        """Show *project* (with *flt*, else the current filter): one ids query."""
        self.project = project
        if flt is not None:
            self.filter = flt
        if project is not None:
            self.set_labels(project.labels())
        self.refresh()

    def set_labels(self, labels: list[Label]) -> None:
        self._label_names = {label.key: label.name for label in labels}
        # one QColor and one QBrush per colour: 20,000 labels share a dozen colours
        colours = {c: QColor(c) for c in {label.colour for label in labels}}
        fills = {c: QBrush(QColor(q.red(), q.green(), q.blue(), 60)) for c, q in colours.items()}
        self._label_colours = {label.key: colours[label.colour] for label in labels}
        self._label_fills = {label.key: fills[label.colour] for label in labels}
        self._shown.clear()

    def set_filter(self, flt: TableFilter) -> None:
        self.filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Query the ids again (filter changed, many rows changed): now when the table is
        small, else in the worker, the old rows shown until the new ones arrive."""
        self._request(reset=True)

    @property
    def pending(self) -> bool:
        """The worker is sorting or filtering; the rows shown are the previous ones."""
        return self.worker.pending

    def is_large(self, flt: TableFilter | None = None) -> bool:
        """Whether the table of *flt* (else the current filter) goes to the worker."""
        project = self.project
        if project is None or project.closed:
            return False
        limit = self.inline_max + 1
        return scope_size(project, flt or self.filter, limit) >= limit

    def _request(self, *, reset: bool) -> None:
        project = self.project
        if project is None or project.closed or not self.is_large():
            was_busy = self.worker.pending
            self.worker.cancel()
            ids = (
                ordered_ids(project, self.filter, self.sort_key, self.descending)
                if project is not None and not project.closed
                else array("q")
            )
            self._apply(ids, reset=reset or self._pending_reset, rows=None)
            self._pending_reset = False
            if was_busy:
                self.busyChanged.emit(False)
            return
        self._pending_reset = self._pending_reset or reset
        # the rows the selection and current index are on; and row 0, on which the
        # horizontal header keeps a persistent index over each layout change (for its
        # stretched last section): its new row is found by the worker, not here
        track = frozenset(self._ids[i.row()] for i in self._tracked()) | frozenset(self._ids[:1])
        was_busy = self.worker.pending
        self.worker.submit(
            project.path,
            self.filter,
            self.sort_key,
            self.descending,
            track,
        )
        if not was_busy:
            self.busyChanged.emit(True)

    def _tracked(self) -> list[QModelIndex]:
        return [i for i in self.persistentIndexList() if 0 <= i.row() < len(self._ids)]

    def _arrived(self, result: TableResult) -> None:
        reset, self._pending_reset = self._pending_reset, False
        self.busyChanged.emit(False)
        if result.ids is None:
            self.failed.emit(result.error)
            return
        self._apply(result.ids, reset=reset, rows=result.rows)

    def _apply(self, ids: array[int], *, reset: bool, rows: dict[int, int] | None) -> None:
        """Show *ids*: a reset (new filter), or the same rows in a new order (a sort:
        the selection and current row follow their annotations)."""
        if reset or len(ids) != len(self._ids):  # rows came or went (another program)
            self.beginResetModel()
            self._cache.clear()
            self._shown.clear()
            self._ids = ids
            self._suggested = self._read_suggestions()
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        tracked = self._tracked()
        old = [(self._ids[i.row()], i) for i in tracked]
        wanted = {annotation_id for annotation_id, _i in old}
        known = rows if rows is not None else {}
        missing = wanted - known.keys()
        if missing and len(ids) <= self.inline_max:
            known = {**known, **rows_of(ids, missing)}
        elif missing:  # made after the request (a click meanwhile): no search of every id
            known = {**known, **{i: p.row() for i, p in old if i in missing}}
        self._ids = ids
        for annotation_id, persistent in old:
            r = known.get(annotation_id, -1)
            self.changePersistentIndex(
                persistent, self.index(r, persistent.column()) if r >= 0 else QModelIndex()
            )
        self.layoutChanged.emit()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids) + len(self._suggested)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def row_data(self, row: int) -> TableRow | None:
        if not 0 <= row < len(self._ids) or self.project is None or self.project.closed:
            return None
        annotation_id = self._ids[row]
        cached = self._cache.get(annotation_id)
        if cached is not None:
            self._cache.move_to_end(annotation_id)
            return cached
        first = max(0, row - PAGE // 4)
        page = [i for i in self._ids[first : first + PAGE] if i not in self._cache]
        self._cache.update(rows_for(self.project, page))
        while len(self._cache) > CACHE_ROWS:
            gone, _row = self._cache.popitem(last=False)
            self._shown.pop(gone, None)
        return self._cache.get(annotation_id)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Qt asks for a dozen roles per cell on every repaint: answer the ones we do not
        # serve before any other work (a repaint of the table is ~2,000 calls)
        if role not in _TABLE_ROLES or not index.isValid():
            if role == _FONT and index.row() >= len(self._ids) and index.isValid():
                return self._italic  # a suggestion's row
            return None
        if index.row() >= len(self._ids):
            return self._suggestion_data(index.row() - len(self._ids), index.column(), role)
        row = self.row_data(index.row())
        if row is None:
            return None
        if role == _ID:
            return row.id
        column = index.column()
        if role in (_DISPLAY, _TOOLTIP):
            shown = self._shown.get(row.id)
            if shown is None:
                shown = self._shown[row.id] = self._display(row)
            if role == _TOOLTIP and column == 1:
                return row.text
            return shown[column]
        if column != 0:
            return None
        if role == _DECORATION:
            return self._label_colours.get(row.label)
        return self._label_fills.get(row.label)  # background of the label cell

    def _display(self, row: TableRow) -> tuple[str, ...]:
        text = row.text.replace("\n", " ⏎ ")
        return (
            self._label_names.get(row.label, row.label),
            text if len(text) <= 200 else text[:199] + "…",
            row.attributes,
            (row.note or "").replace("\n", " ⏎ "),
            row.annotator,
            f"{row.start}–{row.end}",
            row.document,
        )

    # -- suggestions -------------------------------------------------------------------

    def show_suggestions(self, shown: bool) -> None:
        """List the stored suggestions of the table's scope after its annotations, or not."""
        self.suggestions_shown = shown
        self.reload_suggestions()

    def _read_suggestions(self) -> list[SuggestedRow]:
        project, flt = self.project, self.filter
        if not self.suggestions_shown or project is None or project.closed:
            return []
        rows = Suggestions(project).rows(flt.document_id, flt.label, flt.text)
        wanted = self.suggestion_sources
        return rows if wanted is None else [r for r in rows if r.source in wanted]

    def reload_suggestions(self) -> None:
        """Read the suggestion rows again (accepted, rejected or suggested since): those
        rows change, the annotations' rows (and their selection) stay."""
        new = self._read_suggestions()
        if new == self._suggested:
            return
        first = len(self._ids)
        if self._suggested:
            self.beginRemoveRows(QModelIndex(), first, first + len(self._suggested) - 1)
            self._suggested = []
            self.endRemoveRows()
        if new:
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._suggested = new
            self.endInsertRows()

    @property
    def suggestion_rows(self) -> range:
        """The rows that show suggestions."""
        return range(len(self._ids), len(self._ids) + len(self._suggested))

    def suggestion_at(self, row: int) -> SuggestedRow | None:
        """The suggestion shown in *row*, else None (an annotation's row, or none)."""
        i = row - len(self._ids)
        return self._suggested[i] if 0 <= i < len(self._suggested) else None

    def _suggestion_data(self, i: int, column: int, role: int) -> object:
        x = self._suggested[i] if 0 <= i < len(self._suggested) else None
        if x is None or role in (_ID, _BACKGROUND):
            return None  # no annotation id; outlined in the text, so no fill here either
        if role == _DECORATION:
            return self._label_colours.get(x.label) if column == 0 else None
        if role == _TOOLTIP:
            return tr(
                "Suggested by %s, score %.2f (not an annotation): Enter or a double-click "
                "goes to it in the text, where Enter accepts it and Backspace rejects it"
            ) % (x.source, x.score)
        text = x.text.replace("\n", " ⏎ ")
        shown = (
            self._label_names.get(x.label, x.label),
            text if len(text) <= 200 else text[:199] + "…",
            "",
            "",
            tr("suggested: %s %.2f") % (x.source, x.score),
            f"{x.start}–{x.end}",
            x.document,
        )
        return shown[column] if 0 <= column < len(shown) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        key, descending = self.COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if self.pending and (key, descending) == (self.sort_key, self.descending):
            return  # asked already (QTableView.sortByColumn calls sort twice)
        self.sort_key, self.descending = key, descending
        self._request(reset=False)

    def insert_annotations(self, made: Sequence[Annotation]) -> bool:
        """Put a few new annotations at their rows (the store counts the rows before
        each in the table's order) instead of querying every id again; False when a
        full :meth:`refresh` is needed (many rows, or a filter/sort SQL must judge)."""
        flt = self.filter
        if (
            self.project is None
            or self.pending  # the worker's rows may predate these: query again
            or len(made) > INCREMENTAL_MAX
            or flt.label
            or flt.text
            or self.sort_key != "position"
            or self.descending
        ):
            return False
        for a in made:
            if flt.document_id is not None and a.document_id != flt.document_id:
                continue
            if flt.coders is not None and a.annotator not in flt.coders:
                continue
            row = rows_before(self.project, flt, a.document_id, a.start, a.end, a.id)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, a.id)
            self.endInsertRows()
        return True

    def remove_annotations(self, ids: Sequence[int]) -> bool:
        """Drop a few rows without querying again; False when a refresh is cheaper."""
        if len(ids) > INCREMENTAL_MAX or self.pending:
            return False
        self.removing = True
        try:
            for annotation_id in ids:
                row = self.row_of(annotation_id)
                self._cache.pop(annotation_id, None)
                self._shown.pop(annotation_id, None)
                if row >= 0:
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self._ids[row]
                    self.endRemoveRows()
        finally:
            self.removing = False
        return True

    def row_of(self, annotation_id: int) -> int:
        try:
            return self._ids.index(annotation_id)
        except ValueError:
            return -1

    def forget_all(self) -> None:
        """Drop cached rows (attributes changed) and repaint what is shown."""
        self._cache.clear()
        self._shown.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.COLUMNS) - 1)
            )

    def forget(self, annotation_ids: list[int]) -> None:
        for annotation_id in annotation_ids:
            self._cache.pop(annotation_id, None)
            self._shown.pop(annotation_id, None)
