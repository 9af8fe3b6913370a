"""The undo history dock: every step by name; going back to one is a deliberate act
(double-click, Return or the button), never a stray click (issue 13)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QKeyEvent, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QListView, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

ModelIndex = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("HistoryPanel", text)


class HistoryModel(QAbstractListModel):
    """Row 0 is the project as opened; row i the state after step i."""

    def __init__(self, stack: QUndoStack) -> None:
        super().__init__()
        self.stack = stack
        self._rows = 1
        stack.indexChanged.connect(self._changed)
        stack.cleanChanged.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if not isValid(self.stack):  # its destructor clears it, signalling as it goes
            return
        rows = self.stack.count() + 1
        if rows != self._rows:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        else:
            self.dataChanged.emit(self.index(0), self.index(rows - 1))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return tr("<opened>") if row == 0 else self.stack.text(row - 1)
        if role == Qt.ItemDataRole.FontRole and row == self.stack.index():
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("Double-click or press Return to go back (or forward) to here")
        return None


class HistoryList(QListView):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class HistoryPanel(QWidget):
    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.stack = stack
        self.model = HistoryModel(stack)
        self.view = HistoryList(self)
        self.view.setObjectName("undoView")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.revert_button = QPushButton(tr("Go back to here"), self)
        self.revert_button.setObjectName("historyRevert")
        row.addWidget(self.revert_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self.revert_button.clicked.connect(lambda: self._activated(self.view.currentIndex()))
        stack.indexChanged.connect(self._follow)
        self._follow()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.row() != self.stack.index():
            self.stack.setIndex(index.row())
        self._follow()

    def _follow(self, *_args: object) -> None:
        """The current row is the stack's state (after a jump, and after a failed one)."""
        if not isValid(self.stack):  # being destroyed (a script ends with the window open)
            return
        index = self.model.index(self.stack.index())
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
