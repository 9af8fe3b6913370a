"""Small dialogs, each a class with a classmethod that returns ``(value, ok)``."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__

if TYPE_CHECKING:
    from annotator.gui.shortcuts import Shortcuts


def tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


class NoteDialog(QDialog):
    """Edit the note of an annotation (Ctrl+Enter to accept)."""

    def __init__(self, excerpt: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Note"))
        layout = QVBoxLayout(self)
        shown = excerpt if len(excerpt) <= 120 else excerpt[:117] + "…"
        label = QLabel(f"“{html.escape(shown)}”", self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("noteEdit")
        self.edit.setPlainText(note)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        accept = QAction(self)
        accept.setShortcut(QKeySequence("Ctrl+Return"))
        accept.triggered.connect(self.accept)
        self.addAction(accept)
        self.resize(460, 220)

    @classmethod
    def get_note(cls, excerpt: str, note: str, parent: QWidget | None = None) -> tuple[str, bool]:
        dialog = cls(excerpt, note, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.edit.toPlainText(), ok


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: every action of the window with its keys; with the
    window's :class:`~annotator.gui.shortcuts.Shortcuts`, a row's keys can be changed
    (press the new keys, then Set) or put back to the default."""

    def __init__(
        self,
        actions: list[QAction],
        parent: QWidget | None = None,
        shortcuts: Shortcuts | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.shortcuts = shortcuts
        layout = QVBoxLayout(self)
        self.actions_shown = [a for a in actions if a.text() and not a.isSeparator()]
        table = QTableWidget(len(self.actions_shown), 2, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels([tr("Action"), tr("Keys")])
        self.table = table
        for r, action in enumerate(self.actions_shown):
            table.setItem(r, 0, QTableWidgetItem(action.text().replace("&", "")))
            table.setItem(r, 1, QTableWidgetItem(""))
            self._show_keys(r)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnsToContents()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        layout.addWidget(table)
        self.problem = QLabel("", self)
        self.problem.setObjectName("shortcutProblem")
        self.problem.setWordWrap(True)
        if shortcuts is not None:
            row = QHBoxLayout()
            row.addWidget(QLabel(tr("New keys:"), self))
            self.keys = QKeySequenceEdit(self)
            self.keys.setObjectName("shortcutKeys")
            self.keys.setMaximumSequenceLength(1)
            row.addWidget(self.keys, 1)
            self.set_button = QPushButton(tr("&Set"), self)
            self.set_button.setObjectName("shortcutSet")
            self.default_button = QPushButton(tr("&Default"), self)
            self.default_button.setObjectName("shortcutDefault")
            row.addWidget(self.set_button)
            row.addWidget(self.default_button)
            layout.addLayout(row)
            layout.addWidget(self.problem)
            self.set_button.clicked.connect(self.set_keys)
            self.default_button.clicked.connect(self.restore_default)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 600)

    def _show_keys(self, row: int) -> None:
        action = self.actions_shown[row]
        native = QKeySequence.SequenceFormat.NativeText
        keys = ", ".join(s.toString(native) for s in action.shortcuts())
        editable = self.shortcuts is not None and self.shortcuts.find(action.objectName())
        item = self.table.item(row, 1)
        if item is None:
            return
        item.setText(keys or "—")
        if self.shortcuts is not None and not editable:
            item.setToolTip(tr("A label's hotkey: change it in the codebook"))

    def _chosen(self) -> QAction | None:
        row = self.table.currentRow()
        if self.shortcuts is None or not 0 <= row < len(self.actions_shown):
            return None
        action = self.actions_shown[row]
        return action if self.shortcuts.find(action.objectName()) else None

    def set_keys(self) -> None:
        action = self._chosen()
        if action is None or self.shortcuts is None:
            self.problem.setText(tr("Choose an action of the window first (not a label)"))
            return
        problem = self.shortcuts.bind(action, self.keys.keySequence())
        self.problem.setText(problem or "")
        self._show_keys(self.table.currentRow())

    def restore_default(self) -> None:
        action = self._chosen()
        if action is not None and self.shortcuts is not None:
            self.shortcuts.restore_default(action)
            self.problem.setText("")
            self._show_keys(self.table.currentRow())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About Annotator"))
        layout = QVBoxLayout(self)
        text = QLabel(
            f"<h2>Annotator {html.escape(__version__)}</h2>"
            + tr(
                "<p>Annotate public claims in news and policy texts: highlight spans, tag "
                "them as claims, demands, actors or allegations, link who claims what "
                "against whom, and export the result as data.</p>"
                "<p>Released under the MIT License.</p>"
            ),
            self,
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(text)
        licence = QPlainTextEdit(self)
        licence.setObjectName("licenseText")
        licence.setReadOnly(True)
        licence.setPlainText(license_text())
        layout.addWidget(licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 460)


def license_text() -> str:
    """The LICENSE shipped in the package metadata (wheel and bundle)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("annotator")
        text = dist.read_text("licenses/LICENSE") or dist.read_text("LICENSE")
    except PackageNotFoundError:
        text = None
    return text or "MIT License\n\nCopyright (c) 2026 Annotator developers"
