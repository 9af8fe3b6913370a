"""Line spacing (issue 13, item 7): set in Edit > Preferences… next to paragraph
spacing, kept in the settings; lines move apart, clicks and selections still land on
the character under the mouse, spans keep their colour, and Qt's layouts made again
(a narrower window, a block's formats) are spaced again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.main_window import MainWindow
from annotator.gui.preferences.dialog import PreferencesDialog
from annotator.gui.view.document_view import DocumentView
from annotator.gui.view.view_reading import line_spacing_of
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle, when_modal

TEXT = sample_text()
DEMAND = "calling for the immediate and unconditional release"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "lines.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        at = TEXT.index(DEMAND)
        project.annotate(doc, at, at + len(DEMAND), "demand")
    return path


def line_tops(view: DocumentView) -> list[int]:
    """The viewport y of each line of the first block."""
    block = view.document().firstBlock()
    view.blockBoundingRect(block)  # laid out (and spaced) as a paint would
    layout = block.layout()
    tops = []
    for i in range(layout.lineCount()):
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + layout.lineAt(i).textStart())
        tops.append(view.cursorRect(cursor).top())
    return tops


def set_spacing_in_preferences(qtbot: QtBot, window: MainWindow, typed: str) -> None:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, PreferencesDialog)
        box = dialog.line_spacing
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, typed)
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the dialog's default button: OK

    seen = when_modal(answer, PreferencesDialog)
    key(qtbot, window, "Ctrl+Alt+S")
    qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible())
    settle()


def char_under(view: DocumentView, position: int) -> int:
    """Where a click in the middle of code point *position*'s line lands."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(position))
    rect = view.cursorRect(cursor)
    hit = view.cursorForPosition(QPoint(rect.left() + 1, rect.center().y()))
    return view.offsets.to_codepoint(hit.position())


def test_line_spacing_from_preferences_moves_lines_apart_and_clicks_still_land(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    view = window.view
    view.verticalScrollBar().setValue(0)
    settle()
    before = line_tops(view)
    assert len(before) >= 2
    height = before[1] - before[0]

    set_spacing_in_preferences(qtbot, window, "1.5")
    assert line_spacing_of(view) == 1.5
    after = line_tops(view)
    assert len(after) == len(before)
    gap = after[1] - after[0]
    assert abs(gap - 1.5 * height) <= 1.5, (height, gap)

    # a click lands on the character under the mouse, on every line of the block
    block = view.document().firstBlock()
    for i in range(block.layout().lineCount()):
        start = block.position() + block.layout().lineAt(i).textStart()
        at = view.offsets.to_codepoint(start) + 3
        assert char_under(view, at) == at
    click_at(qtbot, view, TEXT.index(DEMAND) + 5)
    settle()
    assert window.structure_panel.annotation is not None
    assert window.structure_panel.annotation.text == DEMAND

    # the span keeps its colour where it is drawn now
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(TEXT.index(DEMAND) + 8))
    rect = view.cursorRect(cursor)
    image = view.viewport().grab().toImage()
    colour = image.pixelColor(rect.left() + 2, rect.bottom() - 2)
    assert colour.name() != "#ffffff" and colour.saturation() > 30, colour.name()

    # a narrower window lays the text out again: spaced again
    window.resize(window.width() - 200, window.height())
    settle()
    view.viewport().repaint()
    tops = line_tops(view)
    assert abs((tops[1] - tops[0]) - 1.5 * height) <= 1.5
    window.close()

    # kept for the next start; 1 gives the font's own lines back
    again = open_window(qtbot, project_path)
    assert line_spacing_of(again.view) == 1.5
    set_spacing_in_preferences(qtbot, again, "1")
    assert line_spacing_of(again.view) == 1.0
    again.view.verticalScrollBar().setValue(0)
    settle()
    tops = line_tops(again.view)
    assert abs((tops[1] - tops[0]) - height) <= 1
    QApplication.processEvents()
