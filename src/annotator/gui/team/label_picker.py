"""A small dialog that picks any label of the codebook by typing (L in the curation view).

Hotkeys reach only the labels that have one; this reaches every label: type a part of
its name or key, Up/Down to choose among the matches, Enter to take it, Esc to cancel.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Label


def tr(text: str) -> str:
    return QCoreApplication.translate("LabelPicker", text)


class LabelPicker(QDialog):
    """Choose one label; :meth:`get_label` returns ``(key, ok)``."""

    def __init__(self, labels: Sequence[Label], current: str | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("labelPicker")
        self.setWindowTitle(tr("Relabel"))
        self.labels = list(labels)
        self.search = QLineEdit(self)
        self.search.setObjectName("labelPickerSearch")
        self.search.setPlaceholderText(tr("Type a label's name or key"))
        self.search.setAccessibleName(tr("Label search"))
        self.list = QListWidget(self)
        self.list.setObjectName("labelPickerList")
        self.list.setAccessibleName(tr("Labels"))
        caption = QLabel(tr("&Label:"), self)
        caption.setBuddy(self.search)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(caption)
        column.addWidget(self.search)
        column.addWidget(self.list)
        column.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self._filter("")
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == current:
                self.list.setCurrentRow(row)
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        self.list.clear()
        for label in self.labels:
            if wanted in label.name.casefold() or wanted in label.key.casefold():
                shown = label.name if label.name == label.key else f"{label.name} ({label.key})"
                item = QListWidgetItem(shown + (f"  [{label.hotkey}]" if label.hotkey else ""))
                item.setData(Qt.ItemDataRole.UserRole, label.key)
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the search field move in the list (the field keeps the focus)."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None and self.list.count():
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    @classmethod
    def get_label(
        cls, parent: QWidget, labels: Sequence[Label], current: str | None = None
    ) -> tuple[str, bool]:
        """Ask for a label: its key and True, or ``("", False)`` when cancelled or none."""
        dialog = cls(labels, current, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        key = dialog.chosen()
        dialog.deleteLater()
        return (key, True) if ok and key is not None else ("", False)
