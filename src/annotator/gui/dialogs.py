"""Small dialogs, each a class with a classmethod that returns ``(value, ok)``."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__


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
    """Help > Keyboard shortcuts: every action of the window with its keys."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        rows = [
            (
                a.text().replace("&", ""),
                ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()
                ),
            )
            for a in actions
            if a.text() and not a.isSeparator()
        ]
        table = QTableWidget(len(rows), 2, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels([tr("Action"), tr("Keys")])
        for r, (name, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(name))
            table.setItem(r, 1, QTableWidgetItem(keys or "—"))
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnsToContents()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table = table
        self.resize(520, 560)


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
