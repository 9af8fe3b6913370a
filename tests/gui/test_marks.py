"""Coding stripes and label tags beside the text (issue 13 item 4), notes shown
(item 6): the real window, real keys and mouse, pixels of the painted margin."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.main_window import MainWindow
from annotator.gui.marks import STRIPES_KEY, TAGS_KEY
from annotator.gui.marks.geometry import line_bottom, line_top
from annotator.gui.marks.stripes import STRIPE, StripeMargin
from annotator.store import Project
from tests.gui.helpers import key, open_window, point_of, settle

TEXT = sample_text()
DEMAND = "calling for the immediate and unconditional release"
SENATE = "France’s Senate"
NOTE = "the upper house, not the government"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "m.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        at = TEXT.index(SENATE)
        project.annotate(doc, at, at + len(SENATE), "actor", note=NOTE)
        at = TEXT.index(DEMAND)
        project.annotate(doc, at, at + len(DEMAND), "demand")
        project.annotate(doc, at, at + len("calling for"), "claim")  # overlaps the demand
    return path


def shown(qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(qtbot, path)
    key(qtbot, window, "F11")  # reading mode and a smaller font (the offscreen screen is
    key(qtbot, window, "Ctrl+-")  # 800 px): room for the tags beside 70 characters a line
    window.view.verticalScrollBar().setValue(0)
    settle()
    return window


def margin(window: MainWindow) -> StripeMargin:
    stripes = window.view.findChild(StripeMargin, "codingStripes")
    assert stripes is not None
    return stripes


def grab(widget: StripeMargin) -> QImage:
    settle()
    return widget.grab().toImage()


def has_colour(image: QImage, x: int, y0: int, y1: int, colour: QColor) -> bool:
    return any(
        image.pixelColor(x, y).name() == colour.name()
        for y in range(max(0, y0), min(image.height(), y1))
    )


def span_of(window: MainWindow, needle: str, label: str) -> int:
    project = window.session.require()
    at = TEXT.index(needle)
    return next(
        a.id for a in project.annotations(window.document_id) if a.start == at and a.label == label
    )


def test_stripes_sit_beside_the_text_and_never_over_it(qtbot: QtBot, project_path: Path) -> None:
    window = shown(qtbot, project_path)
    view, stripes = window.view, margin(window)
    assert stripes.isVisible() and stripes.width() > 0
    # the margin lies left of the viewport: no word is covered
    assert stripes.geometry().right() < view.viewport().geometry().left()
    actor = QColor(view.colours[view.index.get(span_of(window, SENATE, "actor")).label])
    image = grab(stripes)
    top = line_top(view, TEXT.index(SENATE))
    assert has_colour(image, stripes.stripe_x(0) + STRIPE // 2, top, top + 12, actor)
    # nowhere far above the span's line
    assert not has_colour(image, stripes.stripe_x(0) + STRIPE // 2, 0, max(0, top - 30), actor)
    # the text itself is painted as before: the viewport's offsets are untouched
    a = TEXT.index(DEMAND)
    view.select_range(a, a + 7)
    assert view.selected_text() == DEMAND[:7]


def test_overlapping_spans_get_a_stripe_each_and_a_tag_naming_both(
    qtbot: QtBot, project_path: Path
) -> None:
    window = shown(qtbot, project_path)
    stripes = margin(window)
    grab(stripes)
    demand = span_of(window, DEMAND, "demand")
    claim = span_of(window, DEMAND, "claim")
    columns = {s.span.id: s.column for s in stripes.drawn}
    assert columns[demand] != columns[claim]
    row = next(s for s in stripes.drawn if s.span.id == demand)
    text = stripes.describe(stripes.stripes_at(QPoint(2, row.top + 2)))  # on the tags
    assert text.splitlines()[0] == "Overlap: Claim + Demand"
    x = stripes.stripe_x(row.column) + STRIPE // 2  # on the demand's stripe
    one = stripes.stripes_at(QPoint(x, row.top + 2))
    assert [s.span.id for s in one] == [demand]
    text = stripes.describe(one, [s for s in stripes.drawn if s.top <= row.top + 2 <= s.bottom])
    assert text.splitlines()[0] == "Overlap: Claim + Demand"
    assert text.splitlines()[1].startswith("Demand: “calling for")
    tags = [stripes.tag_of(s) for s in stripes.drawn if s.top == row.top]
    assert sorted(tags) == ["Claim", "Demand"]


def test_clicking_a_stripe_selects_its_span(qtbot: QtBot, project_path: Path) -> None:
    window = shown(qtbot, project_path)
    stripes = margin(window)
    grab(stripes)
    demand = span_of(window, DEMAND, "demand")
    row = next(s for s in stripes.drawn if s.span.id == demand)
    x = stripes.stripe_x(row.column) + STRIPE // 2
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=QPoint(x, row.bottom - 2))
    settle()
    assert window.view.current == demand
    assert window.current_annotation() is not None
    assert window.current_annotation().label == "demand"


def test_keys_switch_tags_and_stripes_and_the_text_keeps_its_place(
    qtbot: QtBot, project_path: Path
) -> None:
    window = shown(qtbot, project_path)
    view, stripes = window.view, margin(window)
    both = view.viewportMargins().left()
    key(qtbot, window, TAGS_KEY)
    assert not stripes.tags_on
    only_stripes = view.viewportMargins().left()
    assert 0 < only_stripes < both
    key(qtbot, window, STRIPES_KEY)
    assert not stripes.isVisible() and view.viewportMargins().left() == 0
    key(qtbot, window, STRIPES_KEY)
    key(qtbot, window, TAGS_KEY)
    assert stripes.isVisible() and view.viewportMargins().left() == both
    a = TEXT.index(SENATE)
    view.select_range(a, a + len(SENATE))
    assert view.selected_text() == SENATE


def test_a_note_is_marked_on_its_stripe_and_shown_in_the_tooltips(
    qtbot: QtBot, project_path: Path
) -> None:
    window = shown(qtbot, project_path)
    view, stripes = window.view, margin(window)
    grab(stripes)
    senate = span_of(window, SENATE, "actor")
    row = next(s for s in stripes.drawn if s.span.id == senate)
    assert stripes.tag_of(row) == "Actor*"
    image = grab(stripes)
    ink = view.palette().color(view.palette().ColorRole.Text)
    x = stripes.stripe_x(row.column) + STRIPE // 2
    assert has_colour(image, x, row.top + 2, row.top + 7, ink)  # the note's dot
    assert f"Note: {NOTE}" in stripes.describe([row])
    spans = view.spans_at(TEXT.index(SENATE) + 2)
    assert f"Note: {NOTE}" in view.describe(spans)
    # a span without a note has no dot
    demand = next(s for s in stripes.drawn if s.span.id == span_of(window, DEMAND, "demand"))
    assert "Note" not in stripes.describe([demand])


def test_a_note_edited_with_f2_shows_at_once(qtbot: QtBot, project_path: Path) -> None:
    from tests.gui.helpers import when_modal

    window = shown(qtbot, project_path)
    view, stripes = window.view, margin(window)
    demand = span_of(window, DEMAND, "demand")
    window.select_annotation(demand)
    settle()

    def write(dialog: object) -> None:
        from PySide6.QtWidgets import QPlainTextEdit

        editor = dialog.findChild(QPlainTextEdit)  # type: ignore[attr-defined]
        editor.setPlainText("wording of the resolution")
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(write)
    key(qtbot, window, "F2")
    grab(stripes)
    row = next(s for s in stripes.drawn if s.span.id == demand)
    assert stripes.tag_of(row) == "Demand*"
    key(qtbot, window, "Ctrl+Z")
    grab(stripes)
    row = next(s for s in stripes.drawn if s.span.id == demand)
    assert stripes.tag_of(row) == "Demand"
    assert point_of(view, 0) is not None


def test_a_narrow_view_keeps_its_line_length_the_tags_step_aside(
    qtbot: QtBot, project_path: Path
) -> None:
    from annotator.gui.marks import MIN_LINE_CHARS

    window = shown(qtbot, project_path)
    view, stripes = window.view, margin(window)
    wide = view.viewportMargins().left()
    assert stripes.tag_room() > 0
    window.resize(560, 700)  # the docks leave the text little room
    settle()
    view.resize(view.fontMetrics().averageCharWidth() * (MIN_LINE_CHARS + 10), view.height())
    settle()
    assert stripes.tag_room() == 0 and stripes.isVisible()
    assert view.viewportMargins().left() < wide
    assert stripes.geometry().right() < view.viewport().geometry().left()


def test_switching_the_margins_rewraps_the_text_no_line_runs_under_them(
    qtbot: QtBot, project_path: Path
) -> None:
    window = shown(qtbot, project_path)
    view = window.view
    for keys in (TAGS_KEY, STRIPES_KEY, TAGS_KEY, STRIPES_KEY):
        key(qtbot, window, keys)
        settle()
        assert view.horizontalScrollBar().maximum() == 0  # no line wider than the view
        block = view.document().firstBlock()
        layout = block.layout()
        assert layout.lineCount() > 0
        assert max(layout.lineAt(i).width() for i in range(layout.lineCount())) <= (
            view.viewport().width()
        )


def test_tags_of_a_crowded_line_are_shortened_not_dropped() -> None:
    from annotator.gui.marks.stripes import fit_tags

    assert fit_tags(["Claim", "Demand"], len, 20) == "Claim+Demand"
    short = fit_tags(["Claim", "Demand"], len, 9)
    assert short == "Cla.+Dem."
    assert fit_tags(["Actor*", "Demand", "Claim"], len, 9) == "Actor*+2"


def test_stripes_take_new_colours_the_tags_room_and_the_current_frame(
    qtbot: QtBot, project_path: Path
) -> None:
    window = shown(qtbot, project_path)
    view, stripes = window.view, margin(window)
    actor_id = span_of(window, SENATE, "actor")
    x = stripes.stripe_x(0) + STRIPE // 2
    top = line_top(view, TEXT.index(SENATE))
    before = QColor(view.colours[view.index.get(actor_id).label])
    assert has_colour(grab(stripes), x, top, top + 12, before)
    new = QColor("#123456")
    names = dict(view.label_names)
    view.set_labels({k: new.name() for k in view.colours}, names)  # as a recolouring does
    image = grab(stripes)
    assert has_colour(image, x, top, top + 12, new)
    assert not has_colour(image, x, top, top + 12, before)
    key(qtbot, window, TAGS_KEY)  # the tags off: the stripes move left
    assert stripes.tag_room() == 0
    image = grab(stripes)
    assert has_colour(image, stripes.stripe_x(0) + STRIPE // 2, top, top + 12, new)
    frame_x = stripes.stripe_x(0) - 1  # the current span's frame, left of its stripe
    text = view.palette().text().color()  # (below the note's dot, at the stripe's top)
    view.set_current(None)
    assert not has_colour(grab(stripes), frame_x, top + 9, top + 13, text)
    view.set_current(actor_id)
    assert has_colour(grab(stripes), frame_x, top + 9, top + 13, text)


def test_a_span_starting_where_the_one_before_in_its_column_ends_shows_on_that_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "column.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
    window = shown(qtbot, path)
    view, stripes = window.view, margin(window)
    second = next(p for p in range(1, 400) if line_top(view, p) > line_top(view, 0))
    first_end, later = second + 4, second + 12  # both end or start on the second line
    project = window.session.require()
    spans = [
        (0, 3, "claim", None),
        (4, first_end, "actor", None),
        (later, later + 6, "claim", None),
    ]
    window.session.add(doc.id, spans)  # a claim first: its colour is met before the actor's
    settle()
    _, actor, claim = (
        QColor(view.colours[view.index.get(a.id).label])
        for a in sorted(project.annotations(doc.id), key=lambda a: a.start)
    )
    image = grab(stripes)
    x = stripes.stripe_x(0) + STRIPE // 2
    top, bottom = line_top(view, later), line_bottom(view, later)
    assert {s.column for s in stripes.drawn} == {0}  # one column: the first ended before
    assert has_colour(image, x, top + 2, bottom - 1, claim)  # the later span's line
    assert not has_colour(image, x, top + 2, bottom - 1, actor)
    assert has_colour(image, x, line_top(view, 0) + 2, line_bottom(view, 0) - 1, actor)
