"""The one progress dialog of long work (gui/files/background.progress_dialog): it
shows after its delay and stays up, cancellable, through work done in stages, until
its owner resets it (the suggestions' training measures in stages)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.files.background import progress_dialog


def test_a_stage_that_reaches_its_maximum_leaves_the_dialog_up_and_cancellable(
    qtbot: QtBot,
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    dialog = progress_dialog("Training…", 1, 0, owner)
    cancelled: list[bool] = []
    dialog.canceled.connect(lambda: cancelled.append(True))
    dialog.setMaximum(5)
    dialog.setValue(1)  # past the delay: shown
    qtbot.waitUntil(dialog.isVisible)
    dialog.setValue(5)  # the first stage ends ...
    assert dialog.isVisible() and dialog.value() == 5  # ... and the dialog stays
    dialog.setMaximum(12)  # the next stage
    dialog.setValue(6)
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the user cancels
    assert cancelled == [True]
    dialog.reset()  # the owner ends it
    assert dialog.value() == -1
