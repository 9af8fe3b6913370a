"""The annotation window driven with real key and mouse events, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.dialogs import NoteDialog
from annotator.store import Project
from tests.gui.helpers import click_at, drag_select, key, open_window, when_modal

TEXT = sample_text()


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "claims.annot"
    with Project.create(path, annotator="tester") as project:
        project.add_document(TEXT, "France–Armenia resolution")
    return path


def stored(path: Path) -> list[tuple[int, int, str, str, str | None]]:
    with Project.open(path, read_only=True) as project:
        return [(a.start, a.end, a.text, a.label, a.note) for a in project.annotations()]


def table_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.table_model
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def answer_note_dialog(qtbot: QtBot, text: str) -> None:
    def fill(dialog: QWidget) -> None:
        dialog.activateWindow()  # its Ctrl+Return is the dialog's own shortcut
        edit = dialog.findChild(QPlainTextEdit, "noteEdit")
        edit.selectAll()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if dialog.isVisible():  # offscreen, another window kept the activation: OK by Tab
            edit.setPlainText(text)
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            ok.setFocus()
            qtbot.keyClick(ok, Qt.Key.Key_Space)

    when_modal(fill, NoteDialog, seconds=10.0)  # polled: a loaded machine opens it late


def test_annotate_edit_undo_and_reopen(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    assert window.windowTitle().startswith("France–Armenia resolution — claims.annot")
    view = window.view

    # 1. drag roughly over "Laurent Wauquiez" (mid-word to mid-word), press 3 = actor
    start = TEXT.index("Laurent Wauquiez")
    drag_select(qtbot, view, start + 3, start + 12)
    key(qtbot, window, "3")
    assert stored(project_path) == [(start, start + 16, "Laurent Wauquiez", "actor", None)]
    assert len(view.index) == 1 and table_texts(window) == ["Laurent Wauquiez"]

    # 2. select "French government" with the keyboard, press 1 = claim
    fg = TEXT.index("French government")
    click_at(qtbot, view, fg)
    for _ in range(2):
        qtbot.keyClick(
            view,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
        )
    key(qtbot, window, "1")
    assert (fg, fg + 17, "French government", "claim", None) in stored(project_path)

    # 3. click the span and relabel it with 4 = allegation, widen it, narrow it
    click_at(qtbot, view, fg + 3)
    assert window.view.current is not None
    key(qtbot, window, "4")
    key(qtbot, window, "Alt+Right")
    assert (fg, fg + 20, "French government to", "allegation", None) in stored(project_path)
    key(qtbot, window, "Alt+Left")
    key(qtbot, window, "Alt+Up")
    assert (fg - 4, fg + 17, "the French government", "allegation", None) in stored(project_path)

    # 4. a note through the dialog (F2), then delete with Del
    answer_note_dialog(qtbot, "addressee of the demand")
    key(qtbot, window, "F2")
    assert (
        fg - 4,
        fg + 17,
        "the French government",
        "allegation",
        "addressee of the demand",
    ) in stored(project_path)
    key(qtbot, window, "Del")
    assert [s[2] for s in stored(project_path)] == ["Laurent Wauquiez"]
    assert table_texts(window) == ["Laurent Wauquiez"]

    # 5. undo brings it back exactly (note and all), redo removes it again
    key(qtbot, window, "Ctrl+Z")
    assert (
        fg - 4,
        fg + 17,
        "the French government",
        "allegation",
        "addressee of the demand",
    ) in stored(project_path)
    assert len(view.index) == 2
    key(qtbot, window, "Ctrl+Shift+Z")
    assert len(stored(project_path)) == 1
    key(qtbot, window, "Ctrl+Z")
    key(qtbot, window, "Ctrl+Z")  # the note
    assert (fg - 4, fg + 17, "the French government", "allegation", None) in stored(project_path)
    key(qtbot, window, "Ctrl+Y")

    # 6. a demand with 2, then close and reopen: everything as it was
    demand = TEXT.index("intensify diplomatic pressure")
    drag_select(qtbot, view, demand, demand + len("intensify diplomatic pressure"))
    key(qtbot, window, "2")
    before = stored(project_path)
    assert {s[3] for s in before} == {"actor", "allegation", "demand"}
    window.close()
    again = open_window(qtbot, None)
    again.open_project(project_path)
    assert stored(project_path) == before
    assert sorted(table_texts(again)) == sorted(s[2] for s in before)
    assert len(again.view.index) == 3


def test_find_and_annotate_all_hits_is_one_undo_step(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    key(qtbot, window, "Ctrl+F")
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "armenia")
    expected = TEXT.lower().count("armenia")
    assert len(window.hits) == expected > 3
    assert window.find_bar.count.text() == f"1 of {expected}"
    window.find_bar.label.setCurrentIndex(window.find_bar.label.findData("actor"))
    qtbot.mouseClick(window.find_bar.annotate, Qt.MouseButton.LeftButton)
    rows = stored(project_path)
    assert len(rows) == expected and all(r[2].lower() == "armenia" for r in rows)
    assert window.session.undo_stack.count() == 1
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")
    assert stored(project_path) == []
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and window.view.hits == []


def test_overlaps_and_cursor_labels_are_readable(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    outer = TEXT.index("lawmakers Laurent Wauquiez and Alexandra Martin")
    inner = TEXT.index("Laurent Wauquiez")
    drag_select(
        qtbot, window.view, outer, outer + len("lawmakers Laurent Wauquiez and Alexandra Martin")
    )
    key(qtbot, window, "3")
    drag_select(qtbot, window.view, inner, inner + 16)
    key(qtbot, window, "1")
    window.view.select_range(inner + 2, inner + 2)
    assert window.cursor_info.text() == "Actor › Claim"
    assert window.view.describe(window.view.spans_at(inner + 2)).splitlines() == [
        "Actor: “lawmakers Laurent Wauquiez and Alexandra Martin”",
        "Claim: “Laurent Wauquiez”",
    ]
    # the nested layer is drawn distinctly: blended background plus an underline
    block = window.view.document().findBlock(window.view.offsets.to_utf16(inner))
    window.view.viewport().repaint()
    formats = block.layout().formats()
    nested = [
        f for f in formats if f.format.underlineStyle() != f.format.UnderlineStyle.NoUnderline
    ]
    single = [
        f for f in formats if f.format.underlineStyle() == f.format.UnderlineStyle.NoUnderline
    ]
    assert nested and single
    assert nested[0].format.background().color() != single[0].format.background().color()
    # clicking cycles from the innermost span to the outer one
    click_at(qtbot, window.view, inner + 3)
    first = window.view.current
    click_at(qtbot, window.view, inner + 3)
    assert {first, window.view.current} == {a.id for a in window.session.require().annotations()}


def test_table_is_sortable_filterable_and_jumps(qtbot: QtBot, project_path: Path) -> None:
    with Project.open(project_path) as project:
        for needle, label in (("Azerbaijan", "actor"), ("Armenia", "actor"), ("release", "demand")):
            at = TEXT.index(needle)
            project.annotate(1, at, at + len(needle), label)
    window = open_window(qtbot, project_path)
    model = window.table_model
    assert model.rowCount() == 3
    window.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert table_texts(window) == ["Armenia", "Azerbaijan", "release"]
    window.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert table_texts(window) == ["release", "Azerbaijan", "Armenia"]
    window.table_filter_label.setCurrentIndex(window.table_filter_label.findData("actor"))
    assert sorted(table_texts(window)) == ["Armenia", "Azerbaijan"]
    qtbot.keyClicks(window.table_filter_text, "azer")
    assert table_texts(window) == ["Azerbaijan"]
    rect = window.table.visualRect(model.index(0, 1))
    # a real double click: press, release, then the double-click press
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.current == model.index(0, 0).data(model.IdRole)
    a, _b = window.view.selected_range()
    assert window.view.text[a : a + 10] == "Azerbaijan"


def test_every_action_is_in_the_shortcuts_dialog(qtbot: QtBot, project_path: Path) -> None:
    from annotator.gui.dialogs import ShortcutsDialog

    window = open_window(qtbot, project_path)
    dialog = ShortcutsDialog(window.actions(), window)
    qtbot.addWidget(dialog)
    names = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    for needed in (
        "Undo",
        "Redo",
        "Find…",
        "Delete annotation (or document in the list)",
        "Edit note…",
        "Label as Claim",
        "Label as Allegation",
        "Zoom in",
        "Keyboard shortcuts",
    ):
        assert needed in names
    keyed = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
        for r in range(dialog.table.rowCount())
    }
    assert keyed["Label as Actor"] == "3"


def test_every_menu_letter_picks_one_entry(qtbot: QtBot, project_path: Path) -> None:
    """In an open menu, an underlined letter shared by two entries only moves between
    them (Qt cycles); File had r, m, e and c twice, Edit f and n, View o and a."""
    import re

    from PySide6.QtWidgets import QMenu

    window = open_window(qtbot, project_path)
    tops = [a.text() for a in window.menuBar().actions()]

    def letters(texts: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for text in texts:
            mark = re.search(r"&([^&])", text.replace("&&", ""))
            if mark:
                found.setdefault(mark.group(1).casefold(), []).append(text)
        return found

    def shared(menu: QMenu, where: str) -> list[str]:
        entries = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        out = [
            f"{where}: {' / '.join(texts)}"
            for texts in letters([a.text() for a in entries]).values()
            if len(texts) > 1
        ]
        for entry in entries:
            if entry.menu() is not None:
                out += shared(entry.menu(), f"{where} > {entry.text()}")
        return out

    problems = [f"menu bar: {' / '.join(t)}" for t in letters(tops).values() if len(t) > 1]
    for action in window.menuBar().actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        menu.aboutToShow.emit()  # menus filled when shown (recent projects) are filled
        problems += shared(menu, action.text())
    assert problems == []
    assert len(tops) >= 6 and all(letters([t]) for t in tops)


def test_zoom_and_layout_are_remembered(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    size = window.view.font().pointSizeF()
    key(qtbot, window, "Ctrl++")
    key(qtbot, window, "Ctrl++")
    assert window.view.font().pointSizeF() == size + 2
    window.docks["documents"].hide()
    window.close()
    again = open_window(qtbot, project_path)
    assert again.view.font().pointSizeF() == size + 2
    assert not again.docks["documents"].isVisible()
    assert again.settings.recent_projects()[0] == project_path.resolve()
