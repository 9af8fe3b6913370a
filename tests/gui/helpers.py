"""Driving the real window with real key and mouse events."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui import create_main_window
from annotator.gui.main_window import MainWindow
from annotator.gui.view.document_view import DocumentView


def open_window(qtbot: QtBot, path: Path | None) -> MainWindow:
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.view.setFocus()
    QApplication.processEvents()
    return window


def point_of(view: DocumentView, position: int) -> QPoint:
    """The viewport point at the left edge of code point *position*, mid-line."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(position))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def drag_select(qtbot: QtBot, view: DocumentView, start: int, end: int) -> None:
    """Select from *start* to *end* (code points) with a real mouse drag."""
    a = point_of(view, start)
    b = point_of(view, end)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, pos=QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2))
    qtbot.mouseMove(vp, pos=b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def click_at(qtbot: QtBot, view: DocumentView, position: int) -> None:
    point = point_of(view, position)
    view.setTextCursor(QTextCursor(view.document()))
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x() + 2, point.y())
    )


def key(qtbot: QtBot, window: MainWindow, sequence: str) -> None:
    """Press keys as a user would, on the widget that has the focus."""
    from PySide6.QtGui import QKeySequence

    if not window.isActiveWindow():  # e.g. after a modal dialog closed, offscreen
        window.activateWindow()
        window.view.setFocus()
        settle()
    target = QApplication.focusWidget() or window.view
    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())
    settle()


def codes_in_front(qtbot: QtBot, window: MainWindow) -> None:
    """View > Code system (Ctrl+Shift+Y), as a user brings the tab behind Labels up."""
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Shift+Y")
    qtbot.waitUntil(lambda: window.code_system.shown and not window.code_system.stale)


def window_process(
    script: str, *args: str, settings: Path | None = None, errors: list[str] | None = None
) -> list[str]:
    """Run *script* in a fresh Python with offscreen Qt, as a user starts the app;
    fail with its stderr unless it exits with 0; its output lines (its standard error's
    lines are added to *errors*)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if settings is not None:
        env["ANNOTATOR_SETTINGS"] = str(settings)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if errors is not None:
        errors.extend(done.stderr.splitlines())
    return done.stdout.strip().splitlines()


def settle() -> None:
    """Let queued work (the coalesced table refresh) run, as the event loop would."""
    for _ in range(3):
        QApplication.processEvents()


_WAITING: list[list[int]] = []  # the tries left of every when_modal still polling


def stop_waiting() -> None:
    """End every poll of :func:`when_modal` (run after each test by tests/gui/conftest.py:
    a dialog that never came must not have the next test's dialog answered for it)."""
    for tries in _WAITING:
        tries[0] = 0
    _WAITING.clear()


def when_modal(
    act: Callable[[QWidget], object], kind: type[QWidget] = QWidget, seconds: float = 60.0
) -> list[QWidget]:
    """Once a modal dialog (of *kind*) is open, run ``act(dialog)`` on it, as a user would
    answer it. Polled every 50 ms for up to *seconds* (a loaded machine is slow to open
    its first file dialog); returns the list the dialog is put in when it came."""
    seen: list[QWidget] = []
    tries = [int(seconds * 20)]
    _WAITING.append(tries)

    def look() -> None:
        if tries[0] <= 0:  # its test has ended (stop_waiting): answer no later dialog
            return
        dialog = QApplication.activeModalWidget()
        tries[0] -= 1
        if not isinstance(dialog, kind) or (not dialog.isActiveWindow() and tries[0] > 0):
            # not open yet, or open but not yet given the focus (offscreen, the window
            # system's activation comes a moment later: keys would go elsewhere)
            if isinstance(dialog, kind):
                dialog.activateWindow()
            if tries[0] > 0:
                QTimer.singleShot(50, look)
            return
        seen.append(dialog)
        try:
            act(dialog)
        except BaseException:
            # a failed check must fail the test, not leave a modal dialog waiting forever
            if isinstance(dialog, QDialog) and dialog.isVisible():
                dialog.reject()
            raise

    QTimer.singleShot(50, look)
    return seen


def choose_file(dialog: QWidget, target: Path) -> None:
    """Answer a (non-native) file dialog with *target*, as a user typing its name would."""
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    assert isinstance(dialog, QFileDialog)
    dialog.setDirectory(str(target.parent))
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert isinstance(name, QLineEdit)
    name.setText(target.name)
    dialog.accept()
