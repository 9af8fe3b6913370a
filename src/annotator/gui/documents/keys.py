"""Keys a focused widget answers itself, before the window's shortcuts take them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


def combined(keys: str) -> int:
    """The one key combination of *keys* (``"Alt+Up"``) as an int."""
    sequence = QKeySequence(keys)
    return int(sequence[0].toCombined())  # type: ignore[index]


class OwnKeys(QObject):
    """While *widget* has the focus, *keys* (``"F2"``, ``"Alt+Up"``) run their handler
    instead of the window action with the same keys (F2 edits a note elsewhere)."""

    def __init__(self, widget: QWidget, keys: dict[str, Callable[[], object]]) -> None:
        super().__init__(widget)
        self.keys = {combined(k): run for k, run in keys.items()}
        widget.installEventFilter(self)

    def _combined(self, event: QKeyEvent) -> int:
        return event.keyCombination().toCombined()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._combined(event) in self.keys:
                event.accept()  # delivered as a key press to the widget
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            run = self.keys.get(self._combined(event))
            if run is not None:
                run()
                return True
        return False
