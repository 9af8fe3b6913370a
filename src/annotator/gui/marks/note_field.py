"""The current annotation's note as a field in the Annotation panel (issue 13): Return
keeps it as one undo step (the same command as F2's note dialog), Escape puts the
stored note back. A note of several lines is shown whole and edited with F2."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QBoxLayout, QGroupBox, QLineEdit, QVBoxLayout

from annotator.core.errors import InputError
from annotator.gui.editing.commands import UpdateAnnotation

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class NoteField(QGroupBox):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(tr("Note"), window.structure_panel)
        self.setObjectName("noteBox")
        self.window_ = window
        self.edit = QLineEdit(self)
        self.edit.setObjectName("noteField")
        self.edit.setPlaceholderText(tr("No note (type one, Return keeps it)"))
        self.edit.setClearButtonEnabled(True)
        QVBoxLayout(self).addWidget(self.edit)
        self.edit.returnPressed.connect(self.keep)
        self.edit.installEventFilter(self)
        self.shown_for: int | None = None
        self.stored = ""
        window.view.marksChanged.connect(self.follow)
        self.follow()

    def follow(self) -> None:
        """Show the current annotation's note (not while it is being typed over)."""
        current = self.window_.view.current
        if current == self.shown_for and self.edit.isModified():
            return
        note = self._note(current)
        self.shown_for = current
        self.stored = note or ""
        multi = "\n" in self.stored
        self.edit.setText(self.stored.replace("\n", " ⏎ ") if multi else self.stored)
        self.edit.setModified(False)
        self.edit.setReadOnly(multi)
        self.edit.setToolTip(tr("A note of several lines: F2 edits it") if multi else "")
        self.setEnabled(current is not None)

    def _note(self, annotation_id: int | None) -> str | None:
        project = self.window_.session.project
        if annotation_id is None or project is None or project.closed:
            return None
        try:
            return project.annotation(annotation_id).note
        except InputError:
            return None

    def keep(self) -> None:
        w = self.window_
        current = w.current_annotation()
        if current is None or self.edit.isReadOnly():
            return
        note = self.edit.text().strip()
        self.edit.setModified(False)
        if note != (current.note or ""):
            w.session.run(
                UpdateAnnotation(w.session, current, note=note or None, text=tr("Edit note"))
            )
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self.edit.setModified(False)
            self.follow()
            return True
        return False


def add_note_field(window: MainWindow) -> NoteField:
    """The field, under the panel's title."""
    field = NoteField(window)
    layout = window.structure_panel.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(1, field)
    return field
