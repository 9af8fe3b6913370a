"""Qt helpers for the window benchmarks (children only: the runner never imports Qt)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class PaintProbe(QObject):
    """Counts the paint events a widget receives (an event filter: it changes nothing)."""

    def __init__(self, target: QWidget) -> None:
        super().__init__()
        self.count = 0
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def pump_until_painted(probe: PaintProbe, before: int, timeout: float = 120.0) -> None:
    """Process events until *probe* has seen a paint event after *before*.

    The paint event is delivered inside ``processEvents``, which returns once the
    whole window's paint (the viewport's included) has completed.
    """
    app = QApplication.instance()
    assert app is not None
    deadline = time.perf_counter() + timeout
    while probe.count == before:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the viewport was never painted")


def pump(rounds: int = 3) -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(rounds):
        app.processEvents()
