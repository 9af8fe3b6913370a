"""Enter in the retrieved segments window jumps to the text and presses no button: no
button there is a default one, however the focus went round (issue 15, item 3)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from annotator.gui.codebook.retrieval import RetrievedSegments
from tests.gui.helpers import codes_in_front, open_window, settle
from tests.gui.test_code_system import _project, _row


class FileDialogCloser:
    """Records and closes any file dialog while it runs (an Export button was pressed);
    stopped at the end, so that it never answers another test's dialog."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.look)
        self.timer.start()

    def look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            self.seen.append(dialog.windowTitle())
            dialog.reject()

    def stop(self) -> None:
        self.timer.stop()


def test_enter_on_a_row_jumps_to_the_text_and_exports_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    codes_in_front(qtbot, window)
    panel = window.code_system
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(_row(window, "claim"))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)  # retrieve the claims and sub-labels
    settle()
    dialog = window.findChild(RetrievedSegments, "retrievedSegmentsDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableView, "retrievedSegments")
    assert isinstance(table, QTableView)
    buttons = dialog.findChildren(QPushButton)
    assert {b.objectName() for b in buttons} >= {"exportSegmentsCsv", "exportSegmentsHtml"}
    assert not [b.text() for b in buttons if b.isDefault() or b.autoDefault()]

    # the focus goes round every button with Tab and comes back to the table
    dialog.activateWindow()
    settle()
    table.setFocus()
    for _ in range(len(buttons) + 1):
        qtbot.keyClick(QApplication.focusWidget() or table, Qt.Key.Key_Tab)
        settle()
        if QApplication.focusWidget() is table:
            break
    table.setFocus()
    assert not [b.text() for b in buttons if b.isDefault()]

    closer = FileDialogCloser()
    try:
        for row, (enter, modifier) in enumerate(
            [
                (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
                (Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier),
            ]
        ):
            dialog.activateWindow()
            settle()
            table.setFocus()
            table.setCurrentIndex(dialog.proxy.index(row, 2))
            qtbot.keyClick(table, enter, modifier)
            settle()
            segment = dialog.segment_at(row)
            assert window.document_id == segment.document_id
            assert window.view.current == segment.id
            qtbot.wait(300)  # a file dialog would have been opened by now
            assert closer.seen == [] and QApplication.activeModalWidget() is None
    finally:
        closer.stop()
    assert "Wrote" not in dialog.summary.text()
