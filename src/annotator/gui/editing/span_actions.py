"""What the keys do to the selected annotation: delete, note, resize, step, context menu."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from annotator.core.snapping import resized
from annotator.core.spans import Span
from annotator.gui.dialogs import NoteDialog
from annotator.gui.editing.commands import RemoveAnnotations, RemoveDocument, UpdateAnnotation
from annotator.gui.panels.models import DocumentListModel
from annotator.gui.view.double_click import WordDoubleClick
from annotator.gui.wording import plural, quoted

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class SpanActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.double_click = WordDoubleClick(window.view)  # a word, without its «»

    def delete(self) -> None:
        """Del: acts on the focused pane. The Documents list deletes its document (after
        asking); the table its selected rows; the text its selected annotation; any
        other pane nothing (Del in the list never deleted an annotation again)."""
        w = self.window
        focus = QApplication.focusWidget()
        if focus is w.document_list:
            self.delete_document()
        elif focus is w.table:
            ids = w.table_panel.selected_ids()
            if ids:
                w.session.run(RemoveAnnotations(w.session, ids))
        elif focus is None or focus is w.view or w.view.isAncestorOf(focus):
            self.delete_annotation()

    def delete_annotation(self) -> None:
        w = self.window
        if w.view.current is not None:
            w.session.run(RemoveAnnotations(w.session, [w.view.current]))

    def delete_document(self) -> None:
        """Delete the document chosen in the list, once the user said yes (undoable)."""
        w = self.window
        doc_id = w.document_list.currentIndex().data(DocumentListModel.IdRole)
        if w.session.project is None or doc_id is None:
            return
        doc = w.session.project.document(int(doc_id))
        count = w.session.project.document_counts().get(doc.id, 0)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Delete document"),
            tr("Delete the document %s with %s? Edit > Undo brings it back.")
            % (quoted(doc.title, 60), plural(count, tr("%d annotation"), tr("%d annotations"))),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            w,
        )
        box.setObjectName("deleteDocumentBox")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.exec() == QMessageBox.StandardButton.Yes
        if yes and w.session.run(RemoveDocument(w.session, doc.id)):
            w.show_status(tr("Deleted the document %s") % quoted(doc.title, 60))

    def edit_note(self) -> None:
        w = self.window
        current = w.current_annotation()
        if current is None:
            w.show_status(tr("Click an annotation first"))
            return
        note, ok = NoteDialog.get_note(current.text, current.note or "", w)
        if ok and note != (current.note or ""):
            w.session.run(
                UpdateAnnotation(w.session, current, note=note or None, text=tr("Edit note"))
            )

    def resize(self, edge: str, direction: int) -> None:
        w = self.window
        current = w.current_annotation()
        if current is None:
            w.show_status(tr("Click an annotation first"))
            return
        start, end = resized(w.view.text, current.start, current.end, edge, direction)
        if (start, end) != (current.start, current.end) and start < end:
            w.session.run(
                UpdateAnnotation(
                    w.session, current, start=start, end=end, text=tr("Resize annotation")
                )
            )

    def step(self, direction: int) -> None:
        w = self.window
        spans = list(w.view.index)
        if not spans:
            return
        ids = [s.id for s in spans]
        if w.view.current in ids:
            i = (ids.index(w.view.current) + direction) % len(ids)
        else:
            position = w.view.offsets.to_codepoint(w.view.textCursor().position())
            i = (
                next((k for k, s in enumerate(spans) if s.start >= position), 0)
                if direction > 0
                else len(ids) - 1
            )
        w.select_annotation(ids[i], reveal=True)

    def context_menu(self, position: QPoint, spans: list[Span]) -> None:
        w = self.window
        menu = QMenu(w)
        if w.view.textCursor().hasSelection() or spans:
            for action in w.label_menu.context_actions():
                menu.addAction(action)
        if spans:
            menu.addSeparator()
            for span in spans:
                name = w.view.label_names.get(span.label, "?")
                excerpt = w.view.text[span.start : span.end][:40]
                action = menu.addAction(tr("Select %s “%s”") % (name, excerpt))
                action.triggered.connect(partial(w.select_annotation, span.id))
            if w.view.current in {s.id for s in spans}:
                menu.addAction(tr("Edit note…"), self.edit_note)
                menu.addAction(tr("Delete annotation"), self.delete_annotation)
        if not menu.isEmpty():
            menu.exec(position)
