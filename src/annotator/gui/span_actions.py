"""What the keys do to the selected annotation: delete, note, resize, step, context menu."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtWidgets import QMenu

from annotator.core.snapping import resized
from annotator.core.spans import Span
from annotator.gui.commands import RemoveAnnotations, UpdateAnnotation
from annotator.gui.dialogs import NoteDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class SpanActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def delete(self) -> None:
        w = self.window
        ids = w.table_panel.selected_ids() if w.table.hasFocus() else []
        if not ids and w.view.current is not None:
            ids = [w.view.current]
        if ids:
            w.session.run(RemoveAnnotations(w.session, ids))

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
                menu.addAction(tr("Delete annotation"), self.delete)
        if not menu.isEmpty():
            menu.exec(position)
