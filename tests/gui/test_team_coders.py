"""Coders in the real window: the current coder in the status bar, switching coder,
the first-use question, other coders' layers shown and hidden, blind mode."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.gui.team.coder_dialog import CoderDialog
from annotator.gui.team.coders import CODER_COLOURS
from annotator.store import Project
from tests.gui.helpers import drag_select, key, open_window, point_of, settle, when_modal

TEXT = (
    "The Senate rejected the budget cuts on Monday. The minister promised a tax reform, "
    "and opposition leaders protested."
)


def at(word: str) -> tuple[int, int]:
    i = TEXT.index(word)
    return i, i + len(word)


ANA = [(*at("Senate"), "actor", None), (*at("budget cuts"), "claim", None)]
BEN = [(*at("The minister"), "actor", None), (*at("tax reform"), "demand", None)]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Ana is the current coder; Ben's annotations are in the file too."""
    path = tmp_path / "team.annot"
    with Project.create(path, annotator="Ana") as project:
        doc = project.add_document(TEXT, "Senate vote")
        project.annotate_many(doc, ANA, annotator="Ana")
        project.annotate_many(doc, BEN, annotator="Ben")
        project.annotate_many(
            project.add_document("Ben alone coded this.", "Ben only"),
            [(0, 3, "actor", None)],
            annotator="Ben",
        )
    return path


def ids(window: MainWindow) -> set[int]:
    return {s.id for s in window.view.index}


def layer_ids(window: MainWindow, coder: str) -> set[int]:
    return {s.id for s in window.view.layers[coder]} if coder in window.view.layers else set()


def table_ids(window: MainWindow) -> set[int]:
    model = window.table_model
    return {model.row_data(r).id for r in range(model.rowCount())}  # type: ignore[union-attr]


def stored(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def ids_of(path: Path, coder: str, document: int = 1) -> set[int]:
    rows = stored(
        path,
        "SELECT id FROM annotations WHERE annotator = ? AND document_id = ?",
        (coder, document),
    )
    return {int(r[0]) for r in rows}


def coder_label(window: MainWindow) -> str:
    label = window.findChild(QWidget, "coderLabel")
    assert label is not None and label.isVisible()
    return label.text()  # type: ignore[attr-defined]


# -- who is coding -------------------------------------------------------------------


def test_status_bar_names_the_coder_and_ctrl_shift_k_switches_to_a_new_one(
    qtbot: QtBot, team: Path
) -> None:
    window = open_window(qtbot, team)
    assert coder_label(window) == "Coder: Ana"

    def type_name(dialog: QWidget) -> None:
        assert isinstance(dialog, CoderDialog)
        assert [dialog.combo.itemText(i) for i in range(dialog.combo.count())] == ["Ana", "Ben"]
        qtbot.keyClick(dialog.combo, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.combo, "Cleo")
        qtbot.keyClick(dialog.combo, Qt.Key.Key_Return)

    seen = when_modal(type_name, CoderDialog)
    key(qtbot, window, "Ctrl+Shift+K")
    assert seen, "Ctrl+Shift+K opens the coder dialog"
    assert coder_label(window) == "Coder: Cleo"
    assert stored(team, "SELECT value FROM meta WHERE key = 'annotator'") == [("Cleo",)]
    # Cleo's layer is empty; Ana's and Ben's are others' layers now
    assert ids(window) == set()
    assert layer_ids(window, "Ana") == ids_of(team, "Ana")
    assert layer_ids(window, "Ben") == ids_of(team, "Ben")

    drag_select(qtbot, window.view, *at("rejected"))
    key(qtbot, window, "2")  # claim
    made = stored(team, "SELECT text, annotator FROM annotations WHERE text = 'rejected'")
    assert made == [("rejected", "Cleo")]
    assert ids(window) == ids_of(team, "Cleo")


def test_clicking_the_coder_in_the_status_bar_picks_an_existing_coder(
    qtbot: QtBot, team: Path
) -> None:
    window = open_window(qtbot, team)

    def pick_ben(dialog: QWidget) -> None:
        assert isinstance(dialog, CoderDialog)
        dialog.combo.setFocus()
        qtbot.keyClick(dialog.combo, Qt.Key.Key_Down)  # Ana -> Ben
        qtbot.keyClick(dialog.combo, Qt.Key.Key_Return)

    seen = when_modal(pick_ben, CoderDialog)
    label = window.findChild(QWidget, "coderLabel")
    assert label is not None
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert seen
    assert window.session.require().coders.current() == "Ben"
    assert ids(window) == ids_of(team, "Ben")
    assert layer_ids(window, "Ana") == ids_of(team, "Ana")


def test_cancel_or_an_empty_name_changes_nothing(qtbot: QtBot, team: Path) -> None:
    window = open_window(qtbot, team)

    def empty_then_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, CoderDialog)
        qtbot.keyClick(dialog.combo, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.combo, "   ")
        assert not dialog.ok.isEnabled()
        qtbot.keyClick(dialog.combo, Qt.Key.Key_Escape)

    seen = when_modal(empty_then_cancel, CoderDialog)
    key(qtbot, window, "Ctrl+Shift+K")
    assert seen
    assert coder_label(window) == "Coder: Ana"
    assert stored(team, "SELECT value FROM meta WHERE key = 'annotator'") == [("Ana",)]


def test_a_project_whose_coder_was_never_chosen_asks_at_open(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "new.annot"
    with Project.create(path) as project:  # no coder chosen: the OS user would be used
        project.add_document(TEXT, "Senate vote")
        fallback = project.coders.current()
    window = open_window(qtbot, path)
    question = window.findChild(QWidget, "coderQuestion")
    assert question is not None and question.isVisible()
    assert fallback in question.text.text()  # type: ignore[attr-defined]
    assert coder_label(window) == f"Coder: {fallback} (not chosen)"
    assert window.view.hasFocus()  # the question blocks nothing and takes no focus

    combo = question.combo  # type: ignore[attr-defined]
    qtbot.mouseClick(combo.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(combo, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(combo, "Dana")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    settle()
    assert not question.isVisible()
    assert coder_label(window) == "Coder: Dana"
    assert stored(path, "SELECT value FROM meta WHERE key = 'annotator'") == [("Dana",)]

    window.view.setFocus()
    drag_select(qtbot, window.view, *at("Senate"))
    key(qtbot, window, "1")
    assert stored(path, "SELECT annotator FROM annotations") == [("Dana",)]


def test_no_question_when_the_coder_is_chosen_or_the_file_is_read_only(
    qtbot: QtBot, team: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, team)
    question = window.findChild(QWidget, "coderQuestion")
    assert question is not None and not question.isVisible()
    window.close()

    path = tmp_path / "plain.annot"
    Project.create(path).close()
    read_only = open_window(qtbot, None)
    read_only.session.open(path, read_only=True)
    settle()
    question = read_only.findChild(QWidget, "coderQuestion")
    assert question is not None and not question.isVisible()


# -- layers --------------------------------------------------------------------------


def test_other_coders_layers_are_shown_apart_and_ctrl_shift_o_hides_them(
    qtbot: QtBot, team: Path
) -> None:
    window = open_window(qtbot, team)
    ana, ben = ids_of(team, "Ana"), ids_of(team, "Ben")
    assert ids(window) == ana  # the current coder's layer
    assert layer_ids(window, "Ben") == ben  # Ben's, apart
    assert table_ids(window) == ana | ben

    key(qtbot, window, "Ctrl+Shift+O")
    assert not window.coders.others_action.isChecked()
    assert ids(window) == ana and window.view.layers == {}
    assert table_ids(window) == ana
    assert window.documents.data(window.documents.index(1, 0)) == "Ben only  (0)"

    key(qtbot, window, "Ctrl+Shift+O")
    assert layer_ids(window, "Ben") == ben
    assert table_ids(window) == ana | ben
    assert window.documents.data(window.documents.index(1, 0)) == "Ben only  (1)"


def test_other_coders_spans_are_underlined_in_their_colour_and_named_in_the_tooltip(
    qtbot: QtBot, team: Path
) -> None:
    window = open_window(qtbot, team)
    window.view.viewport().repaint()
    settle()
    block = window.view.document().firstBlock()
    ranges = block.layout().formats()
    formats = {(r.start, r.length): QTextCharFormat(r.format) for r in ranges}
    a, b = at("tax reform")  # Ben's (no astral characters: UTF-16 = code points)
    fmt: QTextCharFormat = formats[(a, b - a)]
    ben_colour = QColor(CODER_COLOURS[window.coders.names.index("Ben")])
    assert fmt.underlineColor() == ben_colour
    assert fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
    assert fmt.background().style() == Qt.BrushStyle.NoBrush  # no fill: not Ana's layer
    a, b = at("Senate")  # Ana's own: a fill, no underline
    own = formats[(a, b - a)]
    assert own.background().style() != Qt.BrushStyle.NoBrush
    assert own.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline

    start = at("tax reform")[0]
    others = [(c, s) for c, i in window.view.layers.items() for s in i.touching(start, start)]
    assert window.view.describe([], others) == "Demand: “tax reform” — Ben"
    own_spans = window.view.spans_at(at("Senate")[0])
    assert window.view.describe(own_spans, []) == "Actor: “Senate” — Ana"


def test_the_coders_panel_hides_one_coder_with_the_keyboard(qtbot: QtBot, team: Path) -> None:
    with Project.open(team) as project:
        project.annotate_many(1, [(*at("Monday"), "actor", None)], annotator="Cem")
    window = open_window(qtbot, team)
    cem = ids_of(team, "Cem")
    assert layer_ids(window, "Cem") == cem
    key(qtbot, window, "Ctrl+Shift+J")  # the Coders panel
    control = window.findChild(QWidget, "codersControl")
    assert control is not None and control.isVisible()
    rows = [control.item(r).text() for r in range(control.count())]  # type: ignore[attr-defined]
    assert rows == ["Ana (you)", "Ben", "Cem"]
    control.setFocus()
    control.setCurrentRow(1)  # type: ignore[attr-defined]
    qtbot.keyClick(control, Qt.Key.Key_Space)  # untick Ben
    settle()
    assert "Ben" not in window.view.layers
    assert layer_ids(window, "Cem") == cem
    assert table_ids(window) == ids_of(team, "Ana") | cem
    control = window.findChild(QWidget, "codersControl")
    control.setCurrentRow(1)  # type: ignore[union-attr]
    qtbot.keyClick(control, Qt.Key.Key_Space)  # tick Ben again
    settle()
    assert layer_ids(window, "Ben") == ids_of(team, "Ben")


def test_a_span_another_coder_adds_goes_into_their_layer(qtbot: QtBot, team: Path) -> None:
    window = open_window(qtbot, team)
    made = window.session.require().annotate_many(
        1, [(*at("Monday"), "actor", None)], annotator="curation"
    )
    window.session.annotationsAdded.emit(made)
    settle()
    assert layer_ids(window, "curation") == {made[0].id}
    assert made[0].id not in ids(window)
    assert "curation" in window.coders.names


def test_one_coder_reads_no_other_layer(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "one.annot"
    with Project.create(path, annotator="Ana") as project:
        project.annotate_many(project.add_document(TEXT, "t"), ANA)
    window = open_window(qtbot, path)
    assert window.coders.table_coders() is None  # no coder filter in the table's SQL
    assert window.view.layers == {}
    assert ids(window) == ids_of(path, "Ana")


# -- blind mode ----------------------------------------------------------------------


def test_blind_mode_shows_and_counts_only_the_current_coders_layer(
    qtbot: QtBot, team: Path
) -> None:
    window = open_window(qtbot, team)
    key(qtbot, window, "Ctrl+Shift+T")  # statistics
    ana = ids_of(team, "Ana")
    key(qtbot, window, "Ctrl+Shift+B")
    assert window.coders.blind_action.isChecked()
    assert stored(team, "SELECT value FROM meta WHERE key = 'blind'") == [("1",)]
    assert ids(window) == ana and window.view.layers == {}
    assert table_ids(window) == ana
    assert window.documents.data(window.documents.index(0, 0)) == "Senate vote  (2)"
    assert window.documents.data(window.documents.index(1, 0)) == "Ben only  (0)"
    assert not window.coders.others_action.isEnabled()
    control = window.findChild(QWidget, "codersControl")
    assert control is not None and not control.isEnabled()
    assert coder_label(window) == "Coder: Ana · blind"
    window.stats_panel.refresh()
    stats = window.stats_panel.stats
    assert stats is not None
    assert stats.per_label == {"claim": 1, "demand": 0, "actor": 1, "allegation": 0}
    assert stats.annotations == 2

    key(qtbot, window, "Ctrl+Shift+B")
    assert stored(team, "SELECT value FROM meta WHERE key = 'blind'") == [("0",)]
    assert layer_ids(window, "Ben") == ids_of(team, "Ben")
    assert table_ids(window) == ana | ids_of(team, "Ben")


def test_a_handed_out_file_opens_blind(qtbot: QtBot, team: Path) -> None:
    with Project.open(team) as project:
        project.coders.set_blind(True)
    window = open_window(qtbot, team)
    assert window.coders.blind_action.isChecked()
    assert ids(window) == ids_of(team, "Ana") and window.view.layers == {}
    assert table_ids(window) == ids_of(team, "Ana")


def test_blind_mode_of_a_read_only_file_is_one_line_and_changes_nothing(
    qtbot: QtBot, team: Path
) -> None:
    window = open_window(qtbot, None)
    window.session.open(team, read_only=True)
    settle()
    key(qtbot, window, "Ctrl+Shift+B")
    assert not window.coders.blind_action.isChecked()
    box = window.findChild(QWidget, "errorBox")
    assert box is not None
    assert box.text() == "team.annot is open read-only"  # type: ignore[attr-defined]
    assert stored(team, "SELECT value FROM meta WHERE key = 'blind'") == []


def test_the_tooltip_over_another_coders_span_names_the_coder(qtbot: QtBot, team: Path) -> None:
    window = open_window(qtbot, team)
    view = window.view
    a, _b = at("tax reform")
    point = point_of(view, a + 2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view, event)
    assert QToolTip.text() == "Demand: “tax reform” — Ben"


def test_a_row_of_another_coder_in_the_table_jumps_to_their_span(qtbot: QtBot, team: Path) -> None:
    window = open_window(qtbot, team)
    ben = min(ids_of(team, "Ben"))
    row = window.table_model.row_of(ben)
    window.table.setFocus()
    window.table.setCurrentIndex(window.table_model.index(row, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    settle()
    assert window.view.current == ben
    start, end = at("The minister")
    selections = window.view.extraSelections()
    cursor = selections[-1].cursor  # the current span's highlight
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (start, end)
