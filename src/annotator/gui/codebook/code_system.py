"""The code system dock: the label tree with hotkeys and counts (this document, every
document; the current coder or every coder, only the current one in blind mode).

A click filters the annotation table by the label; Enter or a double-click retrieves
the label's segments across the corpus (gui/codebook/retrieval.py). Counts are read by
two grouped queries when the project, the coder scope or the codebook change (another
document re-reads only its own count), and kept up to date from the session's signals
for each added, removed or relabelled annotation without reading anything again.

The tree is filled and the counts read only while the dock is shown: it opens as a
tab behind the label buttons, a million annotations take 0.3-0.4 s to count by coder
(0.9 s of every opening, before) and 20,000 labels 0.2 s to fill and expand. While
hidden both are marked stale and read once when the dock comes to the front
(``visibilityChanged``: a dock behind another tab is still ``isVisible()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Label
from annotator.store import Annotation
from annotator.store.queries.retrieval_queries import label_counts

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ModelIndex = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole
COLUMNS = ("Label", "Key", "Here", "All")


def tr(text: str) -> str:
    return QCoreApplication.translate("codebook", text)


class CodeTreeModel(QAbstractItemModel):
    """The codebook's label tree; an index's internal id is the label's position."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[Label] = []
        self._kids: dict[int, list[int]] = {-1: []}  # position -> children's positions
        self._parent: list[int] = []
        self._row: list[int] = []
        self._at: dict[str, int] = {}
        self.here: dict[str, int] = {}
        self.all: dict[str, int] = {}

    def set_labels(self, labels: list[Label]) -> None:
        self.beginResetModel()
        self.labels = list(labels)
        self._at = {label.key: i for i, label in enumerate(self.labels)}
        self._kids = {-1: []}
        self._parent, self._row = [], []
        for i, label in enumerate(self.labels):
            parent = self._at.get(label.parent, -1) if label.parent is not None else -1
            if parent >= i:  # not in tree order: shown at the top (the store keeps it so)
                parent = -1
            siblings = self._kids.setdefault(parent, [])
            self._parent.append(parent)
            self._row.append(len(siblings))
            siblings.append(i)
            self._kids[i] = []
        self.endResetModel()

    def set_counts(self, here: dict[str, int], every: dict[str, int]) -> None:
        self.here, self.all = here, every
        for kids in self._kids.values():  # one signal per group of siblings
            if kids:
                first, last = kids[0], kids[-1]
                self.dataChanged.emit(
                    self.createIndex(0, 2, first), self.createIndex(len(kids) - 1, 3, last)
                )

    def bump(self, key: str, here: int, every: int) -> None:
        if key not in self._at:
            return
        if here:
            self.here[key] = self.here.get(key, 0) + here
        if every:
            self.all[key] = self.all.get(key, 0) + every
        self.dataChanged.emit(self.index_of(key, 2), self.index_of(key, 3))

    def index_of(self, key: str, column: int = 0) -> QModelIndex:
        i = self._at.get(key)
        if i is None:
            return QModelIndex()
        return self.createIndex(self._row[i], column, i)

    def key_at(self, index: ModelIndex) -> str | None:
        if not index.isValid():
            return None
        return self.labels[index.internalId()].key

    # -- QAbstractItemModel ----------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        p = parent.internalId() if parent.isValid() else -1
        kids = self._kids.get(p, [])
        if not (0 <= row < len(kids) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        p = self._parent[index.internalId()]
        return QModelIndex() if p < 0 else self.createIndex(self._row[p], 0, p)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._kids.get(parent.internalId() if parent.isValid() else -1, []))

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Label"), tr("Key"), tr("This doc."), tr("All"))[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return (
                tr("The label (its colour)"),
                tr("The label's hotkey"),
                tr("Annotations of the label in this document"),
                tr("Annotations of the label in every document"),
            )[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        label = self.labels[index.internalId()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return label.name
            if column == 1:
                return label.hotkey or ""
            counts = self.here if column == 2 else self.all
            return str(counts.get(label.key, 0))
        if role == KeyRole:
            return label.key
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(label.colour)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return f"{label.key}: {label.description}" if label.description else label.key
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CodeSystemPanel(QWidget):
    """The dock's widget (object name ``codeSystem``)."""

    retrieveWanted = Signal(list)  # label keys

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("codeSystem")
        self.window_ = window
        self.session = window.session
        self.document_id: int | None = None
        self.shown = False  # the dock is in front (set from its visibilityChanged)
        self.stale = True  # counts not read since the last change that needs a count
        self.labels_stale = True  # the tree not filled since the codebook changed
        self.model = CodeTreeModel()
        self.tree = QTreeView(self)
        self.tree.setObjectName("codeSystemTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fixed widths: sizing to contents measures every row at each count's change
        # (74 ms a span with 1,000 labels, 7.6 s a refresh)
        digits = self.fontMetrics().horizontalAdvance("0000000")
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, digits if column > 1 else digits * 2 // 3)
        self.scope = QComboBox(self)
        self.scope.setObjectName("codeSystemScope")
        self.scope.addItem(tr("Current coder"), "current")
        self.scope.addItem(tr("All coders"), "all")
        self.scope.setToolTip(tr("Whose annotations are counted (blind mode: yours only)"))
        self.scope.currentIndexChanged.connect(lambda _i: self.recount())
        self.children_too = QCheckBox(tr("Sub-labels too"), self)
        self.children_too.setObjectName("retrieveChildren")
        self.children_too.setChecked(True)
        self.children_too.setToolTip(tr("Retrieve the segments of the labels below as well"))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.scope, 1)
        top.addWidget(self.children_too)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(2, 2, 2, 2)
        rows.addLayout(top)
        rows.addWidget(self.tree, 1)
        self.tree.clicked.connect(self._filter_table)
        self.tree.activated.connect(self._retrieve)  # Enter, double-click
        self.tree.selectionModel().currentChanged.connect(lambda i, _p: self._filter_table(i))
        s = self.session
        s.projectClosed.connect(self._closed)
        s.annotationsAdded.connect(lambda made: self._bump(made, 1))
        s.annotationsRemoved.connect(lambda gone: self._bump(gone, -1))
        s.annotationChanged.connect(self._changed)
        s.documentsChanged.connect(self.recount)
        self._document_soon = QTimer(self)
        self._document_soon.setSingleShot(True)
        self._document_soon.setInterval(0)
        self._document_soon.timeout.connect(self._document_maybe_changed)

    # -- what is counted ---------------------------------------------------------------

    def coder(self) -> str | None:
        """The coder whose annotations are counted, or None for every coder."""
        project = self.session.project
        if project is None:
            return None
        only = project.coders.only()
        blind = only is not None
        self.scope.setEnabled(not blind)
        if blind:
            return only
        return project.coders.current() if self.scope.currentData() == "current" else None

    def codebook_changed(self) -> None:
        """Fill the tree again (now if the dock is shown, else when it is: 20,000
        labels take 0.2 s to fill and expand)."""
        if not self.shown:
            self.labels_stale = self.stale = True
            return
        project = self.session.project
        keep = self.current_key()
        self.labels_stale = False
        self.model.set_labels(project.labels() if project else [])
        self.tree.expandAll()
        self.recount()
        if keep:
            self.select(keep)

    def set_shown(self, shown: bool) -> None:
        """The dock came to the front (or went behind): what is stale is read now."""
        self.shown = shown
        if shown and self.labels_stale:
            self.codebook_changed()
        elif shown and self.stale:
            self.recount()

    def recount(self) -> None:
        """Read both counts again (now if the dock is shown, else when it is)."""
        project = self.session.project
        if project is None:
            return
        if not self.shown:
            self.stale = True
            return
        self.stale = False
        self.document_id = self.window_.document_id
        coder = self.coder()
        self.model.set_counts(self._here(coder), label_counts(project, coder=coder))

    def _here(self, coder: str | None) -> dict[str, int]:
        project = self.session.project
        if project is None or self.document_id is None:
            return {}
        return label_counts(project, document_id=self.document_id, coder=coder)

    def document_shown(self) -> None:
        """Call when the window may show another document (counts of "this doc." then)."""
        self._document_soon.start()

    def _document_maybe_changed(self) -> None:
        if self.window_.document_id == self.document_id or self.stale:
            return
        if not self.shown:
            self.stale = True
            return
        self.document_id = self.window_.document_id
        self.model.set_counts(self._here(self.coder()), self.model.all)

    def _closed(self) -> None:
        self.document_id = None
        self.stale = True
        self.model.set_labels([])

    def _counted(self, a: Annotation) -> tuple[bool, bool]:
        coder = self.coder()
        if coder is not None and a.annotator != coder:
            return False, False
        return a.document_id == self.document_id, True

    def _bump(self, annotations: list[Annotation], sign: int) -> None:
        if self.session.project is None or self.stale:
            return  # stale: counted afresh when the dock is shown
        if len(annotations) > 5_000:  # a bulk change: two queries beat 5,000 bumps
            self.recount()
            return
        for a in annotations:
            here, every = self._counted(a)
            if every:
                self.model.bump(a.label, sign if here else 0, sign)

    def _changed(self, old: Annotation, new: Annotation) -> None:
        if old.label != new.label or old.annotator != new.annotator:
            self._bump([old], -1)
            self._bump([new], 1)

    # -- keys and clicks ---------------------------------------------------------------

    def current_key(self) -> str | None:
        return self.model.key_at(self.tree.currentIndex())

    def select(self, key: str) -> None:
        index = self.model.index_of(key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _filter_table(self, index: QModelIndex) -> None:
        key = self.model.key_at(index)
        panel = self.window_.table_panel
        at = panel.filter_label.findData(key) if key else 0
        if at >= 0 and panel.filter_label.currentIndex() != at:
            panel.filter_label.setCurrentIndex(at)

    def _retrieve(self, index: QModelIndex) -> None:
        key = self.model.key_at(index)
        if key is not None:
            self.retrieveWanted.emit([key])
