"""Search the whole corpus and list the hits as keyword in context; annotate them all.

The matching is :mod:`annotator.core.search`; the reads are
:mod:`annotator.store.queries.search_queries`. Documents are searched one at a time in short
slices of a ``QTimer`` so the window stays responsive (Cancel stops a long search).

"Annotate all…" lists the hits not yet covered by an annotation of the chosen label in
a preview with check boxes (:class:`~annotator.gui.search.kwic_views.AnnotateAllDialog`) and
adds the checked ones as ONE undo step (:class:`~annotator.gui.editing.commands.AddSpansAcross`).
Hits that an annotation of the chosen label already contains are marked in the table
and left out.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import InputError
from annotator.core.search import MAX_HITS, Hit, Query, compile_query, covered, find_spans, hit_at
from annotator.gui.editing.commands import AddSpansAcross
from annotator.gui.editing.label_palette import fill_label_combo
from annotator.gui.search.kwic_views import (
    CONTEXT,
    AnnotateAllDialog,
    ElideDelegate,
    HitTable,
    HitTableModel,
    left_shown,
    right_shown,
)
from annotator.gui.session import Session
from annotator.gui.wording import plural
from annotator.store import Annotation, Document
from annotator.store.queries.search_queries import candidate_documents, label_spans

SLICE_SECONDS = 0.03  # work done per timer tick before the event loop runs again


def hits(n: int) -> str:
    return plural(n, tr("%d hit"), tr("%d hits"))


def documents(n: int) -> str:
    return plural(n, tr("%d document"), tr("%d documents"))


def tr(text: str) -> str:
    return QCoreApplication.translate("CorpusSearch", text)


class CorpusSearchPanel(QWidget):
    """Search every document; jump to a hit; annotate all hits in one undo step."""

    hitActivated = Signal(int, int, int)  # document id, start, end (code points)
    searchFinished = Signal(int)  # number of hits

    MODES = ("plain", "word", "regex")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("corpusSearch")
        self.session = session
        self._query: Query | None = None
        self._pending: list[Document] = []
        self._done = 0
        self._candidates = 0
        self._truncated = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._work)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self.edit = QLineEdit(self)
        self.edit.setObjectName("corpusQuery")
        self.edit.setPlaceholderText(tr("Search all documents (Enter)"))
        self.edit.setClearButtonEnabled(True)
        row.addWidget(self.edit, 1)
        self.mode = QComboBox(self)
        self.mode.setObjectName("corpusMode")
        for text, key in zip(
            (tr("Plain text"), tr("Whole word"), tr("Regular expression")), self.MODES, strict=True
        ):
            self.mode.addItem(text, key)
        self.mode.setCurrentIndex(1)
        row.addWidget(self.mode)
        self.case = QCheckBox(tr("Match case"), self)
        self.case.setObjectName("corpusCase")
        row.addWidget(self.case)
        self.search_button = QPushButton(tr("Search"), self)
        self.search_button.setObjectName("corpusSearchButton")
        row.addWidget(self.search_button)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setObjectName("corpusCancel")
        self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

        self.model = HitTableModel()
        self.table = HitTable(self)
        self.table.setObjectName("corpusResults")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setColumnWidth(0, 230)
        self.table.setItemDelegateForColumn(
            0, ElideDelegate(Qt.TextElideMode.ElideMiddle, self.table)
        )
        self.table.setItemDelegateForColumn(
            1, ElideDelegate(Qt.TextElideMode.ElideLeft, self.table)
        )
        self.table.setItemDelegateForColumn(
            3, ElideDelegate(Qt.TextElideMode.ElideRight, self.table)
        )
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("corpusStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.status, 1)
        label_caption = QLabel(tr("&Label:"), self)
        bottom.addWidget(label_caption)
        self.label = QComboBox(self)
        self.label.setObjectName("corpusLabel")
        self.label.setToolTip(tr("Label for “Annotate all”; hits it already covers are marked"))
        label_caption.setBuddy(self.label)
        bottom.addWidget(self.label)
        self.annotate_button = QPushButton(tr("&Annotate all…"), self)
        self.annotate_button.setObjectName("corpusAnnotateAll")
        self.annotate_button.setEnabled(False)
        bottom.addWidget(self.annotate_button)
        layout.addLayout(bottom)

        self.edit.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.cancel_button.clicked.connect(self.cancel)
        self.mode.currentIndexChanged.connect(self._options_changed)
        self.case.toggled.connect(self._options_changed)
        self.label.currentIndexChanged.connect(self._label_changed)
        self.annotate_button.clicked.connect(self.annotate_all)
        self.table.doubleClicked.connect(self._activate)
        self.table.hitChosen.connect(self._activate)
        session.projectOpened.connect(self._project_opened)
        session.projectClosed.connect(self._project_closed)
        session.documentsChanged.connect(self._documents_changed)
        session.annotationsAdded.connect(self._annotations_changed)
        session.annotationsRemoved.connect(self._annotations_changed)
        session.annotationChanged.connect(lambda old, new: self._annotations_changed([old, new]))
        if session.project is not None:
            self._project_opened()
        else:
            self._project_closed()

    # -- public ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def label_key(self) -> str | None:
        key = self.label.currentData()
        return str(key) if key else None

    def focus_query(self, text: str = "") -> None:
        """Put the cursor in the search field (with *text*, e.g. the selected words)."""
        if text and "\n" not in text:
            self.edit.setText(text)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def search(self) -> None:
        """Start a new search with the query and options shown (cancels one running)."""
        self._stop()
        self.model.clear()
        self._query = None
        project = self.session.project
        text = self.edit.text()
        if project is None or project.closed or not text:
            self._show_status("")
            self._update_buttons()
            return
        try:
            self._query = compile_query(
                text, mode=str(self.mode.currentData()), case_sensitive=self.case.isChecked()
            )
        except InputError as exc:
            self._show_status(str(exc), error=True)
            self._update_buttons()
            return
        self.model.project = project
        self._pending = candidate_documents(project, self._query)
        self._pending.reverse()  # popped from the end, so in id order
        self._candidates = len(self._pending)
        self._done = 0
        self._truncated = False
        self._work()
        if self._pending:
            self.cancel_button.show()
            self._timer.start()
        self._update_buttons()

    def cancel(self) -> None:
        if not self.running:
            return
        self._stop()
        self._show_status(self._summary() + " " + tr("(search cancelled)"))
        self._update_buttons()
        self.searchFinished.emit(self.model.rowCount())

    def annotate_all(self) -> None:
        """Preview the uncovered hits, then annotate the chosen ones in one undo step."""
        key = self.label_key()
        project = self.session.project
        if key is None or project is None or project.closed or self.running:
            return
        uncovered = self.model.uncovered()
        if not uncovered:
            self._show_status(
                tr("Every hit is already annotated as %s.") % self.label.currentText()
            )
            return
        entries = []
        for doc_id, spans in uncovered.items():
            text = project.text(doc_id)
            lines = []
            for s, e in spans:
                hit = hit_at(text, s, e, CONTEXT)
                lines.append(Hit(s, e, left_shown(text, hit), hit.match, right_shown(text, hit)))
            entries.append((doc_id, self.model.title(doc_id), lines))
        chosen, ok = AnnotateAllDialog.choose(entries, self.label.currentText(), self)
        if not ok or not chosen:
            return
        spans_by_doc: dict[int, list[tuple[int, int, str, str | None]]] = {
            doc_id: [(s, e, key, None) for s, e in spans] for doc_id, spans in chosen.items()
        }
        if self.session.run(AddSpansAcross(self.session, spans_by_doc)):
            n = sum(len(v) for v in chosen.values())
            self._show_status(
                tr("Annotated %s in %s as %s.")
                % (hits(n), documents(len(chosen)), self.label.currentText())
            )

    # -- the search in slices ---------------------------------------------------------

    def _work(self) -> None:
        project, query = self.session.project, self._query
        if project is None or project.closed or query is None:
            self._stop()
            return
        key = self.label_key()
        deadline = time.perf_counter() + SLICE_SECONDS
        first = True
        while self._pending and (first or time.perf_counter() < deadline):
            first = False  # at least one document per slice
            document = self._pending.pop()
            self._done += 1
            left = MAX_HITS - self.model.rowCount()
            spans = list(find_spans(project.text(document.id), query, limit=left))
            if spans:
                marks = covered(spans, label_spans(project, document.id, key)) if key else []
                self.model.append(document, spans, marks or [False] * len(spans))
            if self.model.rowCount() >= MAX_HITS and self._pending:
                self._truncated = True
                self._pending.clear()
        if self._pending:
            self._show_status(
                tr("Searching… %d of %s, %s")
                % (self._done, documents(self._candidates), hits(self.model.rowCount()))
            )
            return
        self._stop()
        self._show_status(self._summary())
        self._update_buttons()
        self.searchFinished.emit(self.model.rowCount())

    def _stop(self) -> None:
        self._timer.stop()
        self._pending = []
        self.cancel_button.hide()

    def _summary(self) -> str:
        count = self.model.rowCount()
        if self._query is None:
            return ""
        if count == 0:
            return tr("No hits in %s.") % documents(self._candidates)
        text = tr("%s in %s") % (hits(count), documents(len(self.model.document_ids())))
        done = self.model.covered_count()
        if done:
            text += " · " + tr("%d already annotated as %s") % (done, self.label.currentText())
        if self._truncated:
            text += " · " + tr("only the first %d are listed") % MAX_HITS
        return text

    def _show_status(self, text: str, *, error: bool = False) -> None:
        palette = self.status.palette()
        role = QPalette.ColorRole.WindowText
        palette.setColor(role, QColor(180, 30, 30) if error else self.palette().color(role))
        self.status.setPalette(palette)
        self.status.setText(text)

    def _update_buttons(self) -> None:
        has_project = self.session.project is not None
        for widget in (self.edit, self.mode, self.case, self.search_button, self.label):
            widget.setEnabled(has_project)
        can = (
            has_project
            and not self.running
            and self.label_key() is not None
            and self.model.rowCount() > self.model.covered_count()
        )
        self.annotate_button.setEnabled(can)

    # -- reactions ------------------------------------------------------------------

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            doc_id, start, end = self.model.hit(index.row())
            self.hitActivated.emit(doc_id, start, end)

    def _options_changed(self, *_args: object) -> None:
        if self._query is not None or self.edit.text():
            self.search()

    def _recount(self, document_ids: list[int]) -> None:
        project, key = self.session.project, self.label_key()
        if project is None or project.closed:
            return
        for doc_id in document_ids:
            spans = self.model.spans_of(doc_id)
            if spans:
                marks = covered(spans, label_spans(project, doc_id, key)) if key else []
                self.model.set_covered(doc_id, marks or [False] * len(spans))
        if not self.running and self._query is not None:
            self._show_status(self._summary())
        self._update_buttons()

    def _label_changed(self, *_args: object) -> None:
        key = self.label_key()
        project = self.session.project
        labels = {lab.key: lab for lab in project.labels()} if project is not None else {}
        label = labels.get(key) if key else None
        self.model.label_name = label.name if label else ""
        self.model.label_colour = QColor(label.colour) if label else QColor()
        self._recount(self.model.document_ids())

    def _annotations_changed(self, annotations: list[Annotation]) -> None:
        self._recount(sorted({a.document_id for a in annotations}))

    def _fill_labels(self) -> None:
        project = self.session.project
        current = self.label_key()
        self.label.blockSignals(True)
        fill_label_combo(self.label, project.labels() if project is not None else [])
        if project is not None:
            at = self.label.findData(current) if current else -1
            self.label.setCurrentIndex(max(at, 0))
        self.label.blockSignals(False)
        self._label_changed()

    def _project_opened(self) -> None:
        self._stop()
        self._query = None
        self.model.clear()
        self.model.project = self.session.project
        self._fill_labels()
        self._show_status("")
        self._update_buttons()

    def _project_closed(self) -> None:
        self._stop()
        self._query = None
        self.model.clear()
        self.model.project = None
        fill_label_combo(self.label, [])
        self._show_status("")
        self._update_buttons()

    def _documents_changed(self) -> None:
        self._fill_labels()  # imports can bring new labels
        if self._query is not None:
            self.search()  # documents came or went: offsets of old results may be gone
