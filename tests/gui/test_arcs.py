"""Link arcs in the margin right of the text (issue 13 item 5): never over words,
never stale after the selection changes, only the changed region repainted; checked
on the painted pixels of the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.main_window import MainWindow
from annotator.gui.marks import ARCS_KEY
from annotator.gui.marks.arcs import ArcMargin
from annotator.gui.marks.geometry import line_top
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle

TEXT = sample_text()
DEMAND = "calling for the immediate and unconditional release"
SENATE = "France’s Senate"
ASSEMBLY = "National Assembly"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "a.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        ids = {}
        for needle, label in ((SENATE, "actor"), (ASSEMBLY, "actor"), (DEMAND, "demand")):
            at = TEXT.index(needle)
            ids[needle] = project.annotate(doc, at, at + len(needle), label).id
        project.relate(ids[SENATE], ids[DEMAND], "claimant")
    return path


def open_reading(qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(qtbot, path)
    key(qtbot, window, "F11")  # reading mode and a smaller font (the offscreen screen is
    key(qtbot, window, "Ctrl+-")  # 800 px): room for the arcs' types beside 70 characters
    return window


def arcs_of(window: MainWindow) -> ArcMargin:
    arcs = window.view.findChild(ArcMargin, "linkArcs")
    assert arcs is not None
    return arcs


def inked(image: QImage, colour: QColor, x0: int, x1: int, y0: int, y1: int) -> int:
    """How many pixels of about *colour* lie in the rectangle."""
    count = 0
    for y in range(max(0, y0), min(image.height(), y1)):
        for x in range(max(0, x0), min(image.width(), x1)):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - colour.red())
                + abs(c.green() - colour.green())
                + abs(c.blue() - colour.blue())
                < 40
            ):
                count += 1
    return count


def picture(widget: QWidget) -> QImage:
    settle()
    return widget.grab().toImage()


def test_an_arc_is_drawn_beside_the_text_between_its_spans(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_reading(qtbot, project_path)
    view, arcs = window.view, arcs_of(window)
    click_at(qtbot, view, TEXT.index(SENATE) + 3)
    settle()
    assert window.current_annotation().text == SENATE
    strong = view.palette().color(view.palette().ColorRole.Highlight)
    y1 = line_top(view, TEXT.index(SENATE))
    y2 = line_top(view, TEXT.index(DEMAND))
    assert arcs.geometry().left() > view.viewport().geometry().right()  # beside the words
    image = picture(arcs)
    assert inked(image, strong, 0, arcs.width(), min(y1, y2), max(y1, y2) + 20) > 20
    # not far above or below the two lines
    assert inked(image, strong, 0, arcs.width(), 0, min(y1, y2) - 12) == 0
    assert inked(image, strong, 0, arcs.width(), max(y1, y2) + 40, image.height()) == 0
    # and nothing of the arc's colour painted over the words
    text = picture(view.viewport())
    assert inked(text, strong, 0, text.width(), 0, text.height()) == 0


def test_the_arc_follows_the_selection_and_repaints_only_its_region(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_reading(qtbot, project_path)
    view, arcs = window.view, arcs_of(window)
    strong = view.palette().color(view.palette().ColorRole.Highlight)
    click_at(qtbot, view, TEXT.index(DEMAND) + 3)  # the target shows the same arc
    settle()
    assert arcs.arcs and arcs.arcs[0][2] == "claimant"
    drawn = arcs.bounds(arcs.arcs)
    assert inked(picture(arcs), strong, 0, arcs.width(), 0, arcs.height()) > 20
    click_at(qtbot, view, TEXT.index(ASSEMBLY) + 3)  # no links: the arc goes at once
    settle()
    assert window.current_annotation().text == ASSEMBLY
    assert arcs.arcs == []
    assert arcs.last_update == drawn  # exactly the old arc's rectangle was repainted
    assert arcs.last_update.height() < arcs.height()
    assert inked(picture(arcs), strong, 0, arcs.width(), 0, arcs.height()) == 0
    key(qtbot, window, "Escape")
    assert arcs.arcs == []


def test_an_end_out_of_view_is_drawn_to_the_edge(qtbot: QtBot, project_path: Path) -> None:
    window = open_reading(qtbot, project_path)
    view, arcs = window.view, arcs_of(window)
    click_at(qtbot, view, TEXT.index(SENATE) + 3)
    settle()
    bar = view.verticalScrollBar()
    while line_top(view, TEXT.index(SENATE)) >= 0:  # scroll line by line until the
        bar.setValue(bar.value() + 1)  # source's line is above the view
        settle()
    assert line_top(view, TEXT.index(DEMAND)) >= 0
    ((ya, yb, kind),) = arcs.arcs
    assert kind == "claimant"
    assert ya < 0 <= yb <= arcs.height()
    strong = view.palette().color(view.palette().ColorRole.Highlight)
    image = picture(arcs)
    assert inked(image, strong, 0, arcs.width(), 0, 4) > 0  # runs off the top edge
    assert inked(image, strong, 0, arcs.width(), 0, yb + 10) > 10


def test_the_key_switches_the_arcs_off_and_on(qtbot: QtBot, project_path: Path) -> None:
    window = open_reading(qtbot, project_path)
    view, arcs = window.view, arcs_of(window)
    right = view.viewportMargins().right()
    assert right > 0
    key(qtbot, window, ARCS_KEY)
    assert not arcs.isVisible() and view.viewportMargins().right() == 0
    key(qtbot, window, ARCS_KEY)
    assert arcs.isVisible() and view.viewportMargins().right() == right
