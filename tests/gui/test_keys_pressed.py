"""Every documented key pressed in the real window, with its exact effect asserted.

The keys are those of the README's table and of Help > Keyboard shortcuts (F1). Each
test presses the key as a user would (a real key event on the focused widget) and
checks what it did, so that a swapped pair (next/previous, widen/narrow) fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.dialogs import ShortcutsDialog
from annotator.gui.files.report import ReportDialog
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle, when_modal

TEXT = sample_text()
WORDS = ("Azerbaijan", "Laurent Wauquiez", "French government")  # in text order


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """The sample article with three annotations, in text order."""
    path = tmp_path / "keys.annot"
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(TEXT, "France–Armenia resolution")
        for word, label in zip(WORDS, ("actor", "actor", "claim"), strict=True):
            at = TEXT.index(word)
            project.annotate(doc, at, at + len(word), label)
    return path


def stored(path: Path) -> list[tuple[int, int, str, str]]:
    with Project.open(path, read_only=True) as project:
        return [(a.start, a.end, a.text, a.label) for a in project.annotations()]


def ids_in_text_order(window: MainWindow) -> list[int]:
    return [s.id for s in sorted(window.view.index, key=lambda s: s.start)]


def current_text(window: MainWindow) -> str:
    current = window.current_annotation()
    assert current is not None, "an annotation should be selected"
    return current.text


def while_modal(qtbot: QtBot, check: list[object]) -> None:
    """Once a modal dialog is open, note it and what it shows, then close it."""

    def note_and_close(dialog: QWidget) -> None:
        check.append(dialog)
        if isinstance(dialog, ShortcutsDialog):
            table = dialog.table
            check.append(
                {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
            )
        elif isinstance(dialog, ReportDialog):
            check.append(dialog.preview.toPlainText())
        if isinstance(dialog, QDialog):
            dialog.reject()

    when_modal(note_and_close, seconds=10.0)


# -- moving between annotations -----------------------------------------------------


def test_ctrl_period_selects_the_next_and_ctrl_comma_the_previous_annotation(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    first, middle, last = ids_in_text_order(window)
    click_at(qtbot, window.view, TEXT.index(WORDS[1]) + 2)
    assert window.view.current == middle
    key(qtbot, window, "Ctrl+.")
    assert window.view.current == last and current_text(window) == WORDS[2]
    key(qtbot, window, "Ctrl+,")
    key(qtbot, window, "Ctrl+,")
    assert window.view.current == first and current_text(window) == WORDS[0]
    key(qtbot, window, "Ctrl+,")  # wraps around to the last one
    assert window.view.current == last
    key(qtbot, window, "Ctrl+.")  # and forwards again to the first
    assert window.view.current == first
    # the table follows the view
    assert window.table_panel.selected_ids() == [first]


def test_ctrl_period_with_nothing_selected_starts_at_the_cursor(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    _first, middle, last = ids_in_text_order(window)
    window.view.select_range(TEXT.index(WORDS[0]) + 30, TEXT.index(WORDS[0]) + 30)
    assert window.view.current is None
    key(qtbot, window, "Ctrl+.")
    assert window.view.current == middle
    key(qtbot, window, "Esc")
    assert window.view.current is None
    key(qtbot, window, "Ctrl+,")  # previous with nothing selected: the last one
    assert window.view.current == last


# -- resizing the start -------------------------------------------------------------


def test_alt_up_widens_and_alt_down_narrows_the_start(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    fg = TEXT.index("French government")
    click_at(qtbot, window.view, fg + 2)
    key(qtbot, window, "Alt+Up")
    assert (fg - 4, fg + 17, "the French government", "claim") in stored(project_path)
    key(qtbot, window, "Alt+Down")
    key(qtbot, window, "Alt+Down")
    assert (fg + 7, fg + 17, "government", "claim") in stored(project_path)
    key(qtbot, window, "Alt+Down")  # never below one word
    assert (fg + 7, fg + 17, "government", "claim") in stored(project_path)
    assert current_text(window) == "government"


# -- Esc --------------------------------------------------------------------------


def test_esc_deselects_the_annotation_everywhere(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(WORDS[1]) + 2)
    chosen = window.view.current
    assert chosen is not None and window.table_panel.selected_ids() == [chosen]
    key(qtbot, window, "Esc")
    assert window.view.current is None
    assert window.table_panel.selected_ids() == []
    assert window.structure_panel.annotation is None
    assert len(stored(project_path)) == 3  # nothing else happened


def test_esc_cancels_linking(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(WORDS[0]) + 2)
    key(qtbot, window, "Ctrl+L")
    assert window.structure_panel.linking_from is not None
    key(qtbot, window, "Esc")
    assert window.structure_panel.linking_from is None
    assert window.statusBar().currentMessage() == "Linking cancelled"
    with Project.open(project_path, read_only=True) as project:
        assert project.relations() == []


def test_esc_closes_the_find_bar_and_gives_the_text_back_the_focus(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    key(qtbot, window, "Ctrl+F")
    assert window.find_bar.isVisible() and QApplication.focusWidget() is window.find_bar.edit
    qtbot.keyClicks(window.find_bar.edit, "armenia")
    assert window.view.hits
    key(qtbot, window, "Esc")
    assert not window.find_bar.isVisible()
    assert window.view.hits == [] and window.hits == []
    assert QApplication.focusWidget() is window.view


# -- find: Enter and Shift+Enter ------------------------------------------------------


def test_enter_goes_to_the_next_hit_and_shift_enter_to_the_previous(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    key(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(window.find_bar.edit, "armenia")
    hits = [(a, a + 7) for a in range(len(TEXT)) if TEXT[a : a + 7].lower() == "armenia"]
    assert window.hits == hits and len(hits) > 3
    assert window.view.selected_range() == hits[0]
    n = len(hits)
    key(qtbot, window, "Return")
    key(qtbot, window, "Return")
    assert window.view.selected_range() == hits[2]
    assert window.find_bar.count.text() == f"3 of {n}"
    key(qtbot, window, "Shift+Return")
    assert window.view.selected_range() == hits[1]
    assert window.find_bar.count.text() == f"2 of {n}"
    key(qtbot, window, "Shift+Return")
    key(qtbot, window, "Shift+Return")  # wraps around to the last hit
    assert window.view.selected_range() == hits[-1]
    assert window.find_bar.count.text() == f"{n} of {n}"
    # the keypad's Enter key does the same
    qtbot.keyClick(
        window.find_bar.edit,
        Qt.Key.Key_Enter,
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier,
    )
    assert window.view.selected_range() == hits[-2]
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert window.view.selected_range() == hits[-1]
    assert QApplication.focusWidget() is window.find_bar.edit


# -- zoom -----------------------------------------------------------------------------


def test_ctrl_minus_zooms_out_and_ctrl_0_resets_to_the_default_size(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    default = window.view.font().pointSizeF()
    assert window.settings.zoom == 0
    key(qtbot, window, "Ctrl+-")
    assert window.view.font().pointSizeF() == default - 1
    key(qtbot, window, "Ctrl+-")
    assert window.view.font().pointSizeF() == default - 2
    key(qtbot, window, "Ctrl+0")
    assert window.view.font().pointSizeF() == default and window.settings.zoom == 0
    key(qtbot, window, "Ctrl++")
    key(qtbot, window, "Ctrl+0")
    assert window.view.font().pointSizeF() == default


def test_ctrl_0_resets_to_the_size_of_the_chosen_font_after_a_restart(
    qtbot: QtBot, project_path: Path
) -> None:
    """View > Font… picked a 17-point font: that is the default size from then on."""
    window = open_window(qtbot, project_path)
    font = window.view.font()
    font.setPointSizeF(17.0)
    window.settings.font = font.toString()
    window.settings.zoom = 2
    window.close()
    again = open_window(qtbot, project_path)
    assert again.view.font().pointSizeF() == 19.0
    key(qtbot, again, "Ctrl+-")
    assert again.view.font().pointSizeF() == 18.0
    key(qtbot, again, "Ctrl+0")
    assert again.view.font().pointSizeF() == 17.0


# -- dialogs and docks ----------------------------------------------------------------


def test_f1_lists_every_action_with_its_keys(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    seen: list[object] = []
    while_modal(qtbot, seen)
    key(qtbot, window, "F1")
    assert seen and isinstance(seen[0], ShortcutsDialog)
    rows = seen[1]
    assert isinstance(rows, dict)
    assert rows["Next annotation"] == "Ctrl+."
    assert rows["Previous annotation"] == "Ctrl+,"
    assert rows["Widen start by a word"] == "Alt+Up"  # Alt+Shift+arrows: the desktop's
    assert rows["Narrow start by a word"] == "Alt+Down"
    assert rows["Delete annotation (or document in the list)"] == "Del, Backspace"
    assert rows["Zoom out"] == "Ctrl+-"
    assert rows["Reset zoom"] == "Ctrl+0"
    assert rows["Search corpus…"] == "Ctrl+Shift+F"
    assert rows["Report of this document…"] == "Ctrl+Shift+P"
    assert rows["Keyboard shortcuts"] == "F1"
    assert rows["Label as Actor"] == "3"


def test_ctrl_shift_p_opens_the_report_of_the_shown_document(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    seen: list[object] = []
    while_modal(qtbot, seen)
    key(qtbot, window, "Ctrl+Shift+P")
    assert seen and isinstance(seen[0], ReportDialog)
    assert seen[0].windowTitle() == "Report: France–Armenia resolution"
    shown = seen[1]
    assert isinstance(shown, str)
    assert all(word in shown for word in WORDS)


def test_ctrl_shift_f_opens_the_corpus_search_with_the_selected_words(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    window.docks["search"].hide()
    at = TEXT.index("Azerbaijan")
    window.view.select_range(at, at + len("Azerbaijan"))
    key(qtbot, window, "Ctrl+Shift+F")
    assert window.docks["search"].isVisible()
    edit = window.corpus_search.edit
    assert QApplication.focusWidget() is edit
    assert edit.text() == "Azerbaijan" and edit.selectedText() == "Azerbaijan"


# -- Backspace ------------------------------------------------------------------------


def test_backspace_deletes_the_selected_annotation(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(WORDS[1]) + 2)
    key(qtbot, window, "Backspace")
    assert [s[2] for s in stored(project_path)] == [WORDS[0], WORDS[2]]
    assert len(window.view.index) == 2
    key(qtbot, window, "Ctrl+Z")
    assert [s[2] for s in stored(project_path)] == list(WORDS)


def test_backspace_in_the_table_deletes_the_selected_rows(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    table = window.table
    table.setFocus()
    table.selectRow(0)
    table.selectionModel().select(
        window.table_model.index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    settle()
    key(qtbot, window, "Backspace")
    assert [s[2] for s in stored(project_path)] == [WORDS[1]]


def test_backspace_in_a_text_field_edits_the_text_and_deletes_nothing(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(WORDS[1]) + 2)
    assert window.view.current is not None
    for field in (window.table_filter_text, window.corpus_search.edit):
        field.setFocus()
        settle()
        qtbot.keyClicks(field, "abc")
        key(qtbot, window, "Backspace")
        assert isinstance(QApplication.focusWidget(), QLineEdit)
        assert field.text() == "ab"
        field.clear()
    key(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(window.find_bar.edit, "Senat")
    key(qtbot, window, "Backspace")
    assert window.find_bar.edit.text() == "Sena"
    assert len(stored(project_path)) == 3
