"""The parts of corpus search: the KWIC table model, its view and delegates, and the
"Annotate all" preview dialog (:mod:`annotator.gui.search.corpus_search` puts them together).

The table model keeps only ``(document, start, end)`` per hit and builds each context
line when it is shown (``Project.text`` keeps the last few texts), so 100,000 hits cost
a few MB.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.search import Hit, hit_at
from annotator.core.snapping import is_word_char
from annotator.gui.wording import plural
from annotator.store import Document, Project

ModelIndex = QModelIndex | QPersistentModelIndex
CONTEXT = 60  # code points either side


def tr(text: str) -> str:
    return QCoreApplication.translate("CorpusSearch", text)


def shown(text: str) -> str:
    """Context text on one line: line breaks and tabs made visible."""
    return text.replace("\r", "").replace("\n", " ⏎ ").replace("\t", " ")


def left_shown(text: str, hit: Hit) -> str:
    """The left context for display: a word cut at its far end is dropped, marked "…"."""
    left = hit.left
    cut = hit.start - len(left)
    if cut > 0:
        if is_word_char(text[cut - 1]):
            k = 0
            while k < len(left) and is_word_char(left[k]):
                k += 1
            if k < len(left):
                left = left[k:]
        left = "…" + left.lstrip(" \t\n.,;:!?")
    else:
        left = left.lstrip()
    return shown(left)


def right_shown(text: str, hit: Hit) -> str:
    """The right context for display, trimmed at its far end the same way."""
    right = hit.right
    cut = hit.end + len(right)
    if cut < len(text):
        if is_word_char(text[cut]):
            k = len(right)
            while k > 0 and is_word_char(right[k - 1]):
                k -= 1
            if k > 0:
                right = right[:k]
        right = right.rstrip(" \t\n,;:") + "…"
    else:
        right = right.rstrip()
    return shown(right)


class HitTableModel(QAbstractTableModel):
    """The hits: document, left context, match, right context."""

    COLUMNS = ("document", "left", "match", "right")
    HitRole = Qt.ItemDataRole.UserRole + 1  # (document id, start, end)

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.context = CONTEXT
        self.label_name = ""
        self.label_colour = QColor()
        self._docs = array("q")
        self._starts = array("q")
        self._ends = array("q")
        self._covered = bytearray()
        self._titles: dict[int, str] = {}
        self._rows: dict[int, range] = {}  # the rows of each document (they are adjacent)
        self._cache: OrderedDict[int, Hit] = OrderedDict()
        self._headers = (tr("Document"), tr("Left context"), tr("Match"), tr("Right context"))

    # -- filling --------------------------------------------------------------------

    def clear(self) -> None:
        self.beginResetModel()
        for column in (self._docs, self._starts, self._ends):
            del column[:]
        self._covered = bytearray()
        self._titles.clear()
        self._rows.clear()
        self._cache.clear()
        self.endResetModel()

    def append(
        self, document: Document, spans: Sequence[tuple[int, int]], flags: Sequence[bool]
    ) -> None:
        if not spans:
            return
        first = len(self._docs)
        self.beginInsertRows(QModelIndex(), first, first + len(spans) - 1)
        for start, end in spans:
            self._docs.append(document.id)
            self._starts.append(start)
            self._ends.append(end)
        self._covered.extend(bytes(bool(f) for f in flags))
        self._titles[document.id] = document.title
        self._rows[document.id] = range(first, first + len(spans))
        self.endInsertRows()

    def set_covered(self, document_id: int, flags: Sequence[bool]) -> None:
        rows = self._rows.get(document_id)
        if rows is None or not rows:
            return
        self._covered[rows.start : rows.stop] = bytes(bool(f) for f in flags)
        self.dataChanged.emit(
            self.index(rows.start, 0), self.index(rows.stop - 1, len(self.COLUMNS) - 1)
        )

    # -- reading --------------------------------------------------------------------

    def document_ids(self) -> list[int]:
        return list(self._rows)

    def title(self, document_id: int) -> str:
        return self._titles.get(document_id, "")

    def spans_of(self, document_id: int) -> list[tuple[int, int]]:
        rows = self._rows.get(document_id, range(0))
        return [(self._starts[r], self._ends[r]) for r in rows]

    def count(self, document_id: int) -> int:
        return len(self._rows.get(document_id, range(0)))

    def covered_count(self) -> int:
        return sum(self._covered)

    def hit(self, row: int) -> tuple[int, int, int]:
        return self._docs[row], self._starts[row], self._ends[row]

    def is_covered(self, row: int) -> bool:
        return bool(self._covered[row])

    def uncovered(self) -> dict[int, list[tuple[int, int]]]:
        """The hits not covered by the chosen label, per document."""
        out: dict[int, list[tuple[int, int]]] = {}
        for doc_id, rows in self._rows.items():
            spans = [(self._starts[r], self._ends[r]) for r in rows if not self._covered[r]]
            if spans:
                out[doc_id] = spans
        return out

    def kwic(self, row: int) -> Hit | None:
        cached = self._cache.get(row)
        if cached is not None:
            return cached
        if self.project is None or self.project.closed:
            return None
        doc_id, start, end = self.hit(row)
        hit = hit_at(self.project.text(doc_id), start, end, self.context)
        self._cache[row] = hit
        if len(self._cache) > 1024:
            self._cache.popitem(last=False)
        return hit

    # -- the model ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        row, column = index.row(), self.COLUMNS[index.column()]
        doc_id, start, end = self.hit(row)
        if role == self.HitRole:
            return (doc_id, start, end)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "document":
                return f"{self._titles.get(doc_id, '')} ({self.count(doc_id)})"
            hit = self.kwic(row)
            if hit is None or self.project is None:
                return None
            if column == "match":
                return shown(hit.match)
            text = self.project.text(doc_id)
            return left_shown(text, hit) if column == "left" else right_shown(text, hit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column == "left" else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == "match":
            font = QFont()
            font.setBold(True)
            return font
        covered_here = self._covered[row]
        if role == Qt.ItemDataRole.ForegroundRole:
            first_of_document = self._rows[doc_id].start == row
            if (covered_here and column in ("left", "right")) or (
                column == "document" and not first_of_document
            ):
                return QBrush(QColor(128, 128, 128))
        if role == Qt.ItemDataRole.BackgroundRole and covered_here and column == "match":
            c = self.label_colour
            return QBrush(QColor(c.red(), c.green(), c.blue(), 90)) if c.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole:
            rows = self._rows[doc_id]
            tip = tr("Hit %d of %d in “%s”, characters %d–%d") % (
                row - rows.start + 1,
                len(rows),
                self._titles.get(doc_id, ""),
                start,
                end,
            )
            if covered_here:
                tip += "\n" + tr("Already annotated as %s") % self.label_name
            return tip
        return None


class ElideDelegate(QStyledItemDelegate):
    """Elides on one side (the left context loses its far end, not the part by the match)."""

    def __init__(self, mode: Qt.TextElideMode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(self, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self.mode  # type: ignore[attr-defined]


class HitTable(QTableView):
    """The results view; Enter on a hit activates it (as a double-click does)."""

    hitChosen = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.hitChosen.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class AnnotateAllDialog(QDialog):
    """Preview of "Annotate all": the hits with check boxes (all checked), per document.

    *entries* are ``(document id, title, hits)``; the hits' ``left`` and ``right`` are
    shown as given (the panel passes them trimmed by :func:`left_shown` and
    :func:`right_shown`).
    """

    def __init__(
        self,
        entries: Sequence[tuple[int, str, Sequence[Hit]]],
        label_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotateAllDialog")
        self.setWindowTitle(tr("Annotate all as %s") % label_name)
        self.label_name = label_name
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Uncheck the hits that should not be annotated as %s.") % label_name)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("annotateAllHits")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([tr("Hit"), tr("Left context"), tr("Match"), tr("Right context")])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        # per document: its item, id, title, hits and the hits' items
        self._docs: list[tuple[QTreeWidgetItem, int, str, list[Hit], list[QTreeWidgetItem]]] = []
        self.tree.setUpdatesEnabled(False)
        for doc_id, title, hits in entries:
            top = QTreeWidgetItem(self.tree)
            top.setFlags(
                top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
            )
            top.setFont(0, bold)
            children = []
            for hit in hits:
                child = QTreeWidgetItem(top)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked)
                child.setText(0, f"{hit.start}–{hit.end}")
                child.setText(1, shown(hit.left))
                child.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                child.setText(2, shown(hit.match))
                child.setFont(2, bold)
                child.setText(3, shown(hit.right))
                children.append(child)
            top.setCheckState(0, Qt.CheckState.Checked)
            top.setFirstColumnSpanned(True)
            top.setExpanded(True)
            self._docs.append((top, doc_id, title, list(hits), children))
        self.tree.setUpdatesEnabled(True)
        self.tree.header().setStretchLastSection(True)
        self.tree.setColumnWidth(0, 150)
        self.tree.setColumnWidth(1, 260)
        self.tree.setColumnWidth(2, 130)
        self.tree.setItemDelegateForColumn(1, ElideDelegate(Qt.TextElideMode.ElideLeft, self.tree))
        layout.addWidget(self.tree, 1)
        self.summary = QLabel(self)
        self.summary.setObjectName("annotateAllSummary")
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._recount = QTimer(self)  # one recount after a burst of check changes
        self._recount.setSingleShot(True)
        self._recount.setInterval(0)
        self._recount.timeout.connect(self._update_counts)
        self.tree.itemChanged.connect(self._recount.start)
        self._update_counts()
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self._docs[0][0])
        self.tree.setFocus()
        self.resize(860, 480)

    def exec(self) -> int:
        self.tree.setFocus()
        return super().exec()

    def chosen(self) -> dict[int, list[tuple[int, int]]]:
        """The checked hits, per document."""
        out: dict[int, list[tuple[int, int]]] = {}
        for _top, doc_id, _title, hits, items in self._docs:
            spans = [
                (hit.start, hit.end)
                for i, hit in enumerate(hits)
                if items[i].checkState(0) == Qt.CheckState.Checked
            ]
            if spans:
                out[doc_id] = spans
        return out

    def _update_counts(self, *_args: object) -> None:
        self.tree.blockSignals(True)
        total = chosen = documents = 0
        for top, _doc_id, title, hits, items in self._docs:
            n = sum(item.checkState(0) == Qt.CheckState.Checked for item in items)
            top.setText(
                0, tr("%s — %d of %s") % (title, n, plural(len(hits), tr("%d hit"), tr("%d hits")))
            )
            total += len(hits)
            chosen += n
            documents += n > 0
        self.tree.blockSignals(False)
        self.summary.setText(
            tr("%d of %s will be annotated as %s, in %s.")
            % (
                chosen,
                plural(total, tr("%d hit"), tr("%d hits")),
                self.label_name,
                plural(documents, tr("%d document"), tr("%d documents")),
            )
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Annotate %d") % chosen)
        ok.setEnabled(chosen > 0)

    @classmethod
    def choose(
        cls,
        entries: Sequence[tuple[int, str, Sequence[Hit]]],
        label_name: str,
        parent: QWidget | None = None,
    ) -> tuple[dict[int, list[tuple[int, int]]], bool]:
        dialog = cls(entries, label_name, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.chosen(), ok
