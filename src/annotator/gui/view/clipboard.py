"""Copied text that survives the end of the program without crashing it.

Copy hands Qt a ``QMimeData`` made in Python; the clipboard keeps it after the widget is
gone, and Qt deletes it only in its own exit handlers, after Python has shut down, where
PySide's clean-up of the Python side crashes the process (a segfault on quit after any
copy). So the clipboard's copy made here is swapped for Qt's own plain-text copy while
Python still runs: the user's copied text stays, nothing of Python's is left to delete.
"""

from __future__ import annotations

import atexit

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_made: list[QMimeData] = []  # the latest copy made here (Qt owns it once handed over)


def text_mime(text: str) -> QMimeData:
    """Mime data holding *text*, to return from ``createMimeDataFromSelection``."""
    data = QMimeData()
    data.setText(text)
    if not _made:
        atexit.register(release)
    _made[:] = [data]
    return data


def release() -> None:
    """Give the clipboard Qt's own copy of our text (run at exit, and safe any time)."""
    app = QGuiApplication.instance()
    if app is None or not _made:
        return
    board = QGuiApplication.clipboard()
    held = board.mimeData()
    if held is not None and held is _made[0]:
        board.setText(held.text())
    _made.clear()
