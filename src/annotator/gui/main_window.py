"""The main window: wires the parts together (each part is its own module)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.snapping import excerpt, snap
from annotator.core.spans import Span
from annotator.gui.dialogs import ShortcutsDialog
from annotator.gui.editing.commands import AddSpans, UpdateAnnotation
from annotator.gui.editing.label_menu import LabelActions
from annotator.gui.editing.span_actions import SpanActions
from annotator.gui.files.file_ops import FileOps
from annotator.gui.files.report import ReportDialog
from annotator.gui.layout import WindowLayout
from annotator.gui.menus import build_menus, project_actions
from annotator.gui.panels.docks import build_docks
from annotator.gui.panels.models import DocumentListModel
from annotator.gui.session import Session
from annotator.gui.settings import Settings
from annotator.gui.shortcuts import KeysFreer, Shortcuts
from annotator.gui.suggest.install import install_suggestions
from annotator.gui.team.coders import CoderLayers
from annotator.gui.team.merge_dialog import MergeCoderFiles
from annotator.gui.view.document_find import DocumentFind
from annotator.gui.view.document_view import DocumentView
from annotator.gui.view.find_bar import FindBar
from annotator.gui.view.view_font import ViewFont
from annotator.gui.wording import isolated, quoted
from annotator.store import Annotation
from annotator.store.queries.table_queries import TableFilter, TableRow

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDockWidget,
        QLineEdit,
        QListView,
        QTableView,
    )

    from annotator.gui.codebook.code_system import CodeSystemPanel
    from annotator.gui.editing.label_palette import LabelPalette
    from annotator.gui.panels.actors_panel import ActorsPanel
    from annotator.gui.panels.annotation_table import AnnotationTablePanel
    from annotator.gui.panels.history_view import HistoryPanel
    from annotator.gui.panels.models import AnnotationTableModel
    from annotator.gui.panels.relations_model import RelationTableModel
    from annotator.gui.panels.stats_dock import StatsPanel
    from annotator.gui.panels.structure_panel import StructurePanel
    from annotator.gui.search.corpus_search import CorpusSearchPanel

FIRST_SCREEN = 50_000  # code points whose spans are read before the first paint


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    # made by gui/menus.py
    recent_menu: QMenu
    annotate_menu: QMenu
    team_menu: QMenu
    label_menu: LabelActions
    import_action: QAction
    export_action: QAction
    report_action: QAction
    save_as_action: QAction
    close_action: QAction
    snap_action: QAction
    focus_mode_action: QAction
    # made by gui/panels/docks.py
    docks: dict[str, QDockWidget]
    documents: DocumentListModel
    document_list: QListView
    palette_widget: LabelPalette
    table_panel: AnnotationTablePanel
    table: QTableView
    table_model: AnnotationTableModel
    table_filter_label: QComboBox
    table_filter_text: QLineEdit
    table_all_docs: QCheckBox
    undo_view: QListView
    history_panel: HistoryPanel
    structure_panel: StructurePanel
    relations_model: RelationTableModel
    relations_table: QTableView
    actors_panel: ActorsPanel
    corpus_search: CorpusSearchPanel
    stats_panel: StatsPanel
    code_system: CodeSystemPanel  # gui/codebook/install.py

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.session = Session(self)
        self.document_id: int | None = None
        self.label_ids: dict[str, int] = {}
        self.label_keys: dict[int, str] = {}
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.view = DocumentView(self)
        self.view.setAcceptDrops(False)  # files dropped anywhere go to the window
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.view, 1)
        self.setCentralWidget(central)

        build_docks(self)  # gui/panels/docks.py: every panel in its dock
        self.window_layout = WindowLayout(self)  # first size, reset, focus mode

        self.cursor_info = QLabel("", self)
        self.statusBar().addWidget(self.cursor_info, 1)
        self.files = FileOps(self)
        self.edits = SpanActions(self)  # delete, note, resize, step, context menu
        self.font_options = ViewFont(self)  # View > Font… and the zoom keys
        build_menus(self)
        self.shortcuts, self.keys_freer = Shortcuts(self), KeysFreer(self)  # gui/shortcuts.py
        for action in project_actions(self):
            action.setEnabled(False)  # until a project is open
        self.coders, self.merge = CoderLayers(self), MergeCoderFiles(self)  # gui/team
        self.suggestions = install_suggestions(self)  # gui/suggest: outlines, keys, panel
        self._connect()
        self.window_layout.restore(*settings.window_state())  # gui/layout.py
        self._refresh_table_soon = QTimer(self)
        self._refresh_table_soon.setSingleShot(True)
        self._refresh_table_soon.setInterval(0)
        self._refresh_table_soon.timeout.connect(self._refresh_table)
        self._update_title()

    # -- construction --------------------------------------------------------------

    def _rebuild_label_actions(self) -> None:
        project = self.session.project
        labels = project.labels() if project else []
        self.label_menu.set_labels(labels)  # menus, hotkeys and palette, bounded in size
        self.find_bar.set_labels(labels)
        self.table_panel.set_labels(labels)

    def _connect(self) -> None:
        s = self.session
        s.projectOpened.connect(self._project_opened)
        s.projectClosed.connect(self._project_closed)
        s.annotationsAdded.connect(self._annotations_added)
        s.annotationsRemoved.connect(self._annotations_removed)
        s.annotationChanged.connect(self._annotation_changed)
        s.documentsChanged.connect(self._documents_changed)
        s.failed.connect(self.show_error)
        self.document_list.selectionModel().currentChanged.connect(self._document_chosen)
        self.palette_widget.labelChosen.connect(self.apply_label)
        self.view.spanClicked.connect(self._span_clicked)
        s.structureChanged.connect(self._structure_changed)
        self.structure_panel.message.connect(self.show_status)
        self.relations_table.doubleClicked.connect(self._relation_double_clicked)
        self.actors_panel.mentionActivated.connect(self.jump_to)
        self.corpus_search.hitActivated.connect(self._corpus_hit)
        for signal in (
            s.annotationsAdded,
            s.annotationsRemoved,
            s.annotationChanged,
            s.structureChanged,
            s.documentsChanged,
        ):
            signal.connect(self.stats_panel.refresh_soon)
        self.view.spansUnderCursor.connect(self._show_cursor_spans)
        self.view.painted.connect(self._after_paint)
        self.view.contextMenuWanted.connect(self.edits.context_menu)
        self.table_panel.rowSelected.connect(self._table_row_changed)
        self.table_panel.rowActivated.connect(self._table_row_activated)
        self.finder = DocumentFind(self)

    # -- project and documents -----------------------------------------------------

    def open_project(self, path: Path) -> bool:
        return self.files.open_path(path)

    def close_project(self) -> None:
        self.session.close()

    def _project_opened(self) -> None:
        project = self.session.project
        assert project is not None
        for action in project_actions(self):
            action.setEnabled(True)
        self.stats_panel.set_project(project)
        self.codebook_changed()
        # no rows until show_document() sets the document's filter: a table of every
        # annotation would be queried (and sorted) here only to be thrown away
        self.table_model.set_project(project, TableFilter(document_id=-1))
        self.documents.reload(project)
        self.settings.add_recent(project.path)
        if self.documents.rowCount():
            self.show_document(self.documents.document_at(0).id)  # type: ignore[union-attr]
        else:
            self.document_id = None
            self.view.clear_document()
            self.table_panel.set_document(None)
        self._update_title()

    def codebook_changed(self) -> None:
        """Show the project's labels (on opening, and after an import added some)."""
        project = self.session.require()
        self.label_ids = project.label_ids()
        self.label_keys = {v: k for k, v in self.label_ids.items()}
        labels = project.labels()
        self.view.set_labels(
            {self.label_ids[lab.key]: lab.colour for lab in labels},
            {self.label_ids[lab.key]: lab.name for lab in labels},
        )
        self._rebuild_label_actions()
        self.table_model.set_labels(labels)
        self.code_system.codebook_changed()

    def _project_closed(self) -> None:
        self.document_id = None
        self.select_annotation(None)
        self.view.clear_document()
        self.view.set_relations([])
        self.relations_model.reload(None, None)
        self.cursor_info.setText("")
        self.statusBar().clearMessage()
        for action in project_actions(self):
            action.setEnabled(False)
        self.documents.reload(None)
        self.table_model.set_project(None)
        self.stats_panel.set_project(None)
        if self.label_menu.actions:
            self._rebuild_label_actions()
        self._update_title()

    def _documents_changed(self) -> None:
        self.documents.reload(self.session.project)
        if self.document_id is not None and self.documents.row_of(self.document_id) < 0:
            self.document_id = None  # deleted: show another one, or none
            self.select_annotation(None)
            self.view.clear_document()
            self.table_panel.set_document(None)
        if self.table_all_docs.isChecked():
            self._refresh_table_soon.start()
        if self.document_id is None and self.documents.rowCount():
            self.show_document(self.documents.document_at(0).id)  # type: ignore[union-attr]

    def _document_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = current.data(DocumentListModel.IdRole)
        if doc_id is not None and doc_id != self.document_id:
            self.show_document(int(doc_id))

    def show_document(self, document_id: int) -> None:
        project = self.session.require()
        self.document_id = document_id
        self.stats_panel.set_document(document_id)
        text = project.text(document_id)
        # The first screen's spans first; the rest, and the table, right after the first
        # paint: a document of 5 MB with 100,000 spans shows as fast as without them.
        big = len(text) > FIRST_SCREEN
        before = FIRST_SCREEN if big else None
        self.view.set_document(text, *self.coders.layers_of(document_id, before=before))
        self._loading = document_id if big else None
        row = self.documents.row_of(document_id)
        if row >= 0 and self.document_list.currentIndex().row() != row:
            self.document_list.setCurrentIndex(self.documents.index(row, 0))
        if big:
            self.table_panel.set_document(-1)  # empty until the rest is loaded
        else:
            self.table_panel.set_document(document_id)
        self._structure_changed()
        self.finder.search_again()
        self._update_title()

    def _after_paint(self) -> None:
        if self._loading is not None:
            QTimer.singleShot(0, self.finish_loading)

    def finish_loading(self) -> None:
        """Load every span of a big document and its table rows (after the first paint)."""
        document_id, self._loading = self._loading, None
        if document_id is None or document_id != self.document_id or self.session.project is None:
            return
        self.view.replace_index(*self.coders.layers_of(document_id))
        self.table_panel.set_document(document_id)

    _loading: int | None = None

    def _update_title(self) -> None:
        project = self.session.project
        if project is None:
            self.setWindowTitle("Annotator")
            return
        parts = [project.path.name]
        if self.document_id is not None:
            parts.insert(0, project.document(self.document_id).title)
        if project.read_only:
            parts.append(tr("read-only"))
        self.setWindowTitle(" — ".join(parts) + " — Annotator")

    # -- annotating ----------------------------------------------------------------

    def apply_label(self, key: str) -> None:
        """A label's hotkey: annotate the selection, or relabel the selected span."""
        if self.session.project is None or self.document_id is None:
            self.show_status(tr("Open a project and a document first"))
            return
        a, b = self.view.selected_range()
        if a < b:
            start, end = snap(self.view.text, a, b, words=self.snap_action.isChecked())
            if start == end:
                self.show_status(tr("Only white space is selected"))
                return
            if self.session.run(
                AddSpans(self.session, self.document_id, [(start, end, key, None)])
            ):
                self.view.select_range(end, end, ensure_visible=False)
            return
        current = self.current_annotation()
        if current is None:
            self.show_status(
                tr("Select some text, or click an annotation, then press a label's key")
            )
        elif current.label != key:
            self.session.run(
                UpdateAnnotation(self.session, current, label=key, text=tr("Relabel as %s") % key)
            )

    def current_annotation(self) -> Annotation | None:
        if self.view.current is None or self.session.project is None:
            return None
        return self.session.project.annotation(self.view.current)

    def _span_clicked(self, annotation_id: int) -> None:
        if self.structure_panel.linking_from is not None:
            if annotation_id >= 0:
                self.structure_panel.finish_linking(annotation_id)
            else:
                self.structure_panel.cancel_linking()
                self.show_status(tr("Linking cancelled"))
            return
        self.select_annotation(annotation_id if annotation_id >= 0 else None)

    def jump_to(self, annotation_id: int) -> None:
        """Show the annotation's document and select the annotation."""
        annotation = self.session.require().annotation(annotation_id)
        if annotation.document_id != self.document_id:
            self.show_document(annotation.document_id)
        self.select_annotation(annotation_id, reveal=True)

    def _relation_double_clicked(self, index: QModelIndex) -> None:
        relation = self.relations_model.relation_at(index.row())
        if relation is not None:
            self.jump_to(relation.from_id if index.column() == 0 else relation.to_id)

    def _structure_changed(self) -> None:
        project = self.session.project
        relations = (
            project.relations(self.document_id) if project and self.document_id is not None else []
        )
        self.view.set_relations([(r.from_id, r.to_id, r.type) for r in relations])
        self.relations_model.reload(project, self.document_id, relations=relations)
        self.table_model.forget_all()

    def select_annotation(self, annotation_id: int | None, *, reveal: bool = False) -> None:
        self.view.set_current(annotation_id, reveal=reveal)
        self.structure_panel.show_annotation(annotation_id)
        self.table_panel.select(annotation_id)
        if annotation_id is None:
            return
        annotation = self.current_annotation()
        if annotation is not None:
            note = f" — {isolated(excerpt(annotation.note, 60))}" if annotation.note else ""
            a = annotation
            self.show_status(f"{a.label}: {quoted(a.text)} [{a.start}–{a.end}]{note}")

    # -- store changes -> views ----------------------------------------------------

    def _annotations_added(self, made: list[Annotation]) -> None:
        mine = self.coders.show_added(made)  # each into its shown layer, if shown
        for a in made:
            self.documents.bump(a.document_id, 1)
        if self.table_model.insert_annotations(made):  # a few rows: no requery
            if len(made) == 1 and mine:
                self.select_annotation(made[0].id)
            return
        self._refresh_table_soon.start()
        if len(made) == 1 and mine:
            self._select_after_refresh = made[0].id

    def _annotations_removed(self, gone: list[Annotation]) -> None:
        ids = {a.id for a in gone}
        shown = self.structure_panel.annotation
        was_current = (
            self.view.current in ids
            or (shown is not None and shown.id in ids)
            or not ids.isdisjoint(self.table_panel.selected_ids())
        )
        self.view.remove_spans(ids)
        for a in gone:
            self.documents.bump(a.document_id, -1)
        if not self.table_model.remove_annotations(list(ids)):
            self._refresh_table_soon.start()
        if was_current:  # nothing else becomes selected (a second Del would remove it unseen)
            self.select_annotation(None)
            self.statusBar().clearMessage()  # it named the deleted annotation
        self._show_cursor_spans(self.view.spans_at(self.view.selected_range()[1]))

    def _annotation_changed(self, _old: Annotation, new: Annotation) -> None:
        self.coders.show_changed(new)
        if new.document_id == self.document_id:
            self.view.set_current(new.id)
        # the row moves (or stays) through the same in-place path as adds and deletes;
        # a filter or sort only SQL can judge falls back to querying the ids again
        moved = self.table_model.remove_annotations(
            [new.id]
        ) and self.table_model.insert_annotations([new])
        if moved and new.document_id == self.document_id:
            self.select_annotation(new.id)
        elif not moved:
            self._refresh_table_soon.start()
            self._select_after_refresh = new.id

    _select_after_refresh: int | None = None

    def _refresh_table(self) -> None:
        self.table_model.refresh()
        chosen, self._select_after_refresh = self._select_after_refresh, None
        if chosen is not None and chosen in self.view.index:
            self.select_annotation(chosen)

    # -- table -----------------------------------------------------------------------

    def _table_row_changed(self, row: TableRow) -> None:
        if row.document_id == self.document_id and row.id != self.view.current:
            self.view.set_current(row.id)
            self.structure_panel.show_annotation(row.id)

    def _table_row_activated(self, row: TableRow) -> None:
        self.jump_to(row.id)
        self.view.setFocus()

    # -- find ------------------------------------------------------------------------

    def open_find(self) -> None:
        self.finder.open()

    def step_hit(self, direction: int) -> None:
        self.finder.step(direction)

    @property
    def hits(self) -> list[tuple[int, int]]:
        return self.finder.hits

    def open_corpus_search(self) -> None:
        dock = self.docks["search"]
        dock.show()
        dock.raise_()
        self.corpus_search.focus_query(self.view.textCursor().selectedText())

    def _corpus_hit(self, document_id: int, start: int, end: int) -> None:
        self.show_document(document_id)
        self.select_annotation(None)
        self.view.select_range(start, end)
        title = self.session.require().document(document_id).title
        self.show_status(
            tr("Hit %s in %s [%d–%d]")
            % (quoted(self.view.text[start:end]), quoted(title, 40), start, end)
        )

    def show_report(self) -> None:
        if self.session.project is None or self.document_id is None:
            self.show_status(tr("Open a document first"))
            return
        ReportDialog(self.session.project, self.document_id, self).exec()

    # -- view ------------------------------------------------------------------------

    def _set_snap(self, on: bool) -> None:
        self.settings.snap_to_words = on

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions(), self, self.shortcuts).exec()

    def _show_cursor_spans(self, spans: list[Span]) -> None:
        self.cursor_info.setText(" › ".join(self.view.label_names.get(s.label, "?") for s in spans))

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def show_error(self, message: str) -> QMessageBox:
        self.show_status(message)
        box = QMessageBox(
            QMessageBox.Icon.Warning, tr("Annotator"), message, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- window events ---------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files.dropped(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window_state(self.saveGeometry(), self.window_layout.state())
        self.settings.sync()
        self.session.close()
        super().closeEvent(event)
