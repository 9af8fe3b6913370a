"""The window tells what an export dropped and what an import assumed (issue 12, item
8): the same lines as the CLI (formats.registry.report_lines), reached by keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.store import Project
from tests.gui import helpers
from tests.gui.helpers import key, open_window, settle, when_modal


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        doc = project.add_document("The Senate 👍🏽 asked\r\nthe government to act.", "first")
        actor = project.annotate(doc, 4, 10, "actor", note="a note")
        project.link_actor(actor.id, "French Senate", "organisation")
    return path


def _error_text(qtbot: QtBot) -> str:
    boxes: list[QMessageBox] = []

    def found() -> bool:
        boxes[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()
        ]
        return bool(boxes)

    qtbot.waitUntil(found, timeout=20_000)
    text = boxes[0].text()
    boxes[0].close()
    return text


def test_ctrl_e_exports_and_names_what_the_format_dropped(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    target = tmp_path / "out.jsonl"

    def pick_file(dialog: QWidget) -> None:
        helpers.choose_file(dialog, target)

    def pick_format(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        choice = next(i for i in dialog.comboBoxItems() if i.startswith("doccano"))
        dialog.setTextValue(choice)
        when_modal(pick_file, QFileDialog, seconds=90)  # the next dialog
        dialog.accept()

    when_modal(pick_format, QInputDialog)
    key(qtbot, window, "Ctrl+E")
    qtbot.waitUntil(target.exists, timeout=90_000)
    settle()
    text = _error_text(qtbot)
    assert "Exported 1 annotations" in text
    assert "dropped (the format cannot carry them): 1 note, 1 actor link" in text
    assert "assumed: positions in UTF-16 units (as doccano counts them)" in text


def test_an_export_that_drops_nothing_says_so_in_the_status_bar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(qtbot, _project(tmp_path))
    assert window.files.export("jsonl", tmp_path / "all.jsonl")
    settle()
    assert "Exported 1 annotations" in window.statusBar().currentMessage()
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorBox"]
    assert not any(box.isVisible() for box in boxes)
