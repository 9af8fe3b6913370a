"""Drag a document up or down the list to move it (press, drag, release on another row);
one undo step, as Alt+Up / Alt+Down."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QListView


class DragOrder(QObject):
    """Watches the list's viewport; *move(document_id, row)* puts the document at *row*."""

    def __init__(self, view: QListView, move: Callable[[int, int], object]) -> None:
        super().__init__(view)
        self.view = view
        self.move = move
        self._from: tuple[int, QPoint] | None = None  # the pressed document id and point
        view.viewport().installEventFilter(self)

    def _id_at(self, point: QPoint) -> int | None:
        index = self.view.indexAt(point)
        return int(index.data(Qt.ItemDataRole.UserRole + 1)) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() not in (
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.NoButton,
        ):
            return False
        point = event.position().toPoint()
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            doc = self._id_at(point)
            self._from = (doc, point) if doc is not None else None
        elif kind == QEvent.Type.MouseButtonRelease and self._from is not None:
            doc, start = self._from
            self._from = None
            far = (point - start).manhattanLength() >= QApplication.startDragDistance()
            target = self.view.indexAt(point)
            if far and target.isValid():
                self.move(doc, target.row())
        return False
