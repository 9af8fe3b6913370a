"""Issue 13, items 8-12: small things that cost trust, each pressed as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.dialogs import ShortcutsDialog
from annotator.gui.wording import FSI, PDI
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, point_of, settle, when_modal

TEXT = sample_text()
SENATE = "France’s Senate"
ASSEMBLY = "National Assembly"
DEMAND = "calling for the immediate and unconditional release"
ARABIC = "قال «البرلمان» اليوم إن فرنسا تدعم الحل"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "trust.annot"
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(TEXT, "France–Armenia resolution")
        project.add_document(ARABIC, "بيان")
        for needle, label in ((SENATE, "actor"), (ASSEMBLY, "actor"), (DEMAND, "demand")):
            at = TEXT.index(needle)
            project.annotate(doc, at, at + len(needle), label)
        senate = project.annotations()[0]
        project.link_actor(senate.id, "French Parliament", "state")
    return path


def stored(path: Path) -> list[tuple[int, str, str]]:
    with Project.open(path, read_only=True) as project:
        return [(a.document_id, a.text, a.label) for a in project.annotations()]


def answer_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        seen.append(dialog.text())
        dialog.button(button).click()

    when_modal(act, QMessageBox, seconds=10.0)


# -- item 8: linking to an existing actor ------------------------------------------------


def test_linking_to_an_existing_actor_keeps_its_type_and_is_one_step(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    panel = window.structure_panel
    click_at(qtbot, window.view, TEXT.index(ASSEMBLY) + 2)
    panel.actor_name.setFocus()
    panel.actor_name.clear()
    qtbot.keyClicks(panel.actor_name, "French Parliament")
    # the existing actor's type is shown, not offered: linking never changes it
    assert panel.actor_type.currentData() == "state" and not panel.actor_type.isEnabled()
    steps = window.session.undo_stack.count()
    qtbot.keyClick(panel.actor_name, Qt.Key.Key_Return)
    qtbot.mouseClick(panel.actor_link, Qt.MouseButton.LeftButton)  # and the button too
    settle()
    assert window.session.undo_stack.count() == steps + 1  # one undo step, not two
    assert panel.actor_state.text() == "linked ✓"
    assert "Already linked" in window.statusBar().currentMessage()
    with Project.open(project_path, read_only=True) as project:
        (actor,) = project.actors()
        assert (actor.name, actor.type, len(project.mentions(actor.id))) == (
            "French Parliament",
            "state",
            2,
        )
    # a new name gets the chosen type
    panel.actor_name.clear()
    qtbot.keyClicks(panel.actor_name, "Parliament of France")
    assert panel.actor_type.isEnabled() and panel.actor_state.text() == ""


def test_an_actors_type_is_changed_on_its_own_in_the_actors_panel(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    window.docks["actors"].show()
    window.docks["actors"].raise_()
    tree = window.actors_panel.tree
    tree.setFocus()
    tree.setCurrentIndex(window.actors_panel.model.index(0, 0))

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("person")
        dialog.accept()

    when_modal(choose, QInputDialog, seconds=10.0)
    qtbot.mouseClick(window.actors_panel.type_button, Qt.MouseButton.LeftButton)
    settle()
    with Project.open(project_path, read_only=True) as project:
        assert [a.type for a in project.actors()] == ["person"]
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")
    with Project.open(project_path, read_only=True) as project:
        assert [a.type for a in project.actors()] == ["state"]


# -- item 9: Del acts on the focused pane ------------------------------------------------


def test_del_in_the_documents_list_deletes_the_document_after_asking_undoably(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    assert window.view.current is not None  # an annotation is selected in the text
    before = stored(project_path)
    key(qtbot, window, "Alt+1")
    assert QApplication.focusWidget() is window.document_list
    seen: list[str] = []
    answer_box(QMessageBox.StandardButton.Cancel, seen)
    key(qtbot, window, "Del")
    assert seen and "3 annotations" in seen[0]
    assert stored(project_path) == before  # Cancel: nothing, and never the annotation
    answer_box(QMessageBox.StandardButton.Yes, seen)
    key(qtbot, window, "Alt+1")  # the list again (the dialog took the focus)
    key(qtbot, window, "Del")
    with Project.open(project_path, read_only=True) as project:
        assert [d.title for d in project.documents()] == ["بيان"]
        assert project.annotations() == [] and project.actors() != []
    assert window.document_id is not None and window.view.text == ARABIC
    assert "Deleted the document" in window.statusBar().currentMessage()
    key(qtbot, window, "Ctrl+Z")
    assert stored(project_path) == before
    with Project.open(project_path, read_only=True) as project:
        assert len(project.documents()) == 2
        assert [len(project.mentions(a.id)) for a in project.actors()] == [1]


def test_after_a_delete_nothing_is_selected_that_a_second_del_would_remove(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(ASSEMBLY) + 2)
    message = window.statusBar().currentMessage()
    assert ASSEMBLY in message
    key(qtbot, window, "Del")
    assert window.view.current is None and window.table_panel.selected_ids() == []
    assert window.structure_panel.annotation is None
    assert ASSEMBLY not in window.statusBar().currentMessage()  # no deleted names
    key(qtbot, window, "Del")  # a second Del removes nothing unseen
    assert [t for _d, t, _l in stored(project_path)] == [SENATE, DEMAND]
    # the same from the table
    window.table.setFocus()
    window.table.selectRow(0)
    settle()
    key(qtbot, window, "Del")
    assert window.table_panel.selected_ids() == [] and window.view.current is None
    key(qtbot, window, "Del")
    assert len(stored(project_path)) == 1


# -- item 10: the status bar, closing, narrowing, double-click, plurals ----------------


def test_status_bar_excerpts_are_cut_at_a_word_and_bidi_isolated(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    with Project.open(project_path) as project:
        long = TEXT.index("It urged")
        project.annotate(1, long, long + 200, "claim")
        word = ARABIC.index("فرنسا")
        project.annotate(2, word, word + len("فرنسا"), "actor")
    window.close()
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index("It urged") + 2)
    message = window.statusBar().currentMessage()
    assert f"“{FSI}It urged the French government" in message
    assert "…" + PDI + "”" in message
    shown = message.split(FSI)[1].split("…")[0]
    assert TEXT[long:].startswith(shown) and TEXT[long + len(shown)] == " "  # at a word
    window.show_document(2)
    click_at(qtbot, window.view, word + 1)
    message = window.statusBar().currentMessage()
    assert f"{FSI}فرنسا{PDI}” [{word}–{word + 5}]" in message


def test_no_stale_prompt_after_linking(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(DEMAND) + 2)
    key(qtbot, window, "Ctrl+L")
    assert "Click the annotation to link to" in window.statusBar().currentMessage()

    def first_type(dialog: QWidget) -> None:  # a demand and an actor: which link?
        assert isinstance(dialog, QInputDialog)
        dialog.accept()

    when_modal(first_type, QInputDialog, seconds=10.0)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    settle()
    message = window.statusBar().currentMessage()
    assert "Click the annotation" not in message and message.startswith("Linked")


def test_the_status_bar_names_the_kwic_hit_chosen(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)  # an annotation's message first
    key(qtbot, window, "Ctrl+Shift+F")
    panel = window.corpus_search
    qtbot.keyClicks(panel.edit, "Armenia")
    key(qtbot, window, "Return")
    qtbot.waitUntil(lambda: not panel.running and panel.model.rowCount() > 2, timeout=10000)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(2, 2))
    _doc_id, start, end = panel.model.hit(2)
    key(qtbot, window, "Return")
    message = window.statusBar().currentMessage()
    assert f"[{start}–{end}]" in message and "Armenia" in message
    assert SENATE not in message and window.view.current is None
    assert window.view.selected_range() == (start, end)


def test_one_hit_in_one_document_is_said_in_the_singular(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    key(qtbot, window, "Ctrl+Shift+F")
    panel = window.corpus_search
    qtbot.keyClicks(panel.edit, "Geneva")
    key(qtbot, window, "Return")
    qtbot.waitUntil(lambda: not panel.running and panel.model.rowCount() == 1, timeout=10000)
    assert panel.status.text().startswith("1 hit in 1 document")


def test_after_close_project_the_docks_are_empty_and_actions_disabled(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    assert window.structure_panel.annotation is not None
    assert window.export_action.isEnabled()
    key(qtbot, window, "Ctrl+Shift+W")
    assert window.session.project is None
    assert window.structure_panel.annotation is None
    assert window.relations_model.rowCount() == 0
    assert window.actors_panel.model.rowCount() == 0
    assert window.documents.rowCount() == 0 and window.table_model.rowCount() == 0
    assert window.view.text == "" and window.cursor_info.text() == ""
    for action in (window.export_action, window.import_action, window.close_action):
        assert not action.isEnabled()
    key(qtbot, window, "Ctrl+E")  # disabled: no dialog opens
    assert QApplication.activeModalWidget() is None
    assert window.open_project(project_path)
    assert window.export_action.isEnabled()


def test_alt_left_narrowing_is_the_inverse_of_alt_right(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    key(qtbot, window, "Alt+Right")
    assert (1, SENATE + " and", "actor") in stored(project_path)
    key(qtbot, window, "Alt+Right")
    key(qtbot, window, "Alt+Left")
    key(qtbot, window, "Alt+Left")
    assert (1, SENATE, "actor") in stored(project_path)
    window.close()
    with Project.open(project_path) as project:  # an annotation before a comma
        at = TEXT.index("unanimously")
        project.annotate(1, at, at + len("unanimously"), "claim")
    window = open_window(qtbot, project_path)
    click_at(qtbot, window.view, TEXT.index("unanimously") + 2)
    key(qtbot, window, "Alt+Right")
    assert (1, "unanimously, with", "claim") in stored(project_path)
    key(qtbot, window, "Alt+Left")
    assert (1, "unanimously", "claim") in stored(project_path)  # no comma left inside


def test_double_clicking_an_arabic_word_takes_no_closing_guillemet(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    window.show_document(2)
    word = ARABIC.index("البرلمان")
    point = point_of(window.view, word + 3)
    qtbot.mouseDClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y())
    )
    settle()
    key(qtbot, window, "1")
    assert (2, "البرلمان", "claim") in stored(project_path)


# -- item 11: keys -------------------------------------------------------------------------


def test_shortcuts_are_rebound_in_the_f1_dialog_and_kept(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    problems: list[str] = []

    def rebind(dialog: QWidget) -> None:
        assert isinstance(dialog, ShortcutsDialog)
        names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        dialog.table.setCurrentCell(names.index("Export…"), 0)
        dialog.keys.setFocus()
        qtbot.keyClick(dialog.keys, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
        problems.append(dialog.problem.text())  # Ctrl+L links: refused
        dialog.keys.clear()
        qtbot.keyClick(
            dialog.keys,
            Qt.Key.Key_X,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
        )
        qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
        problems.append(dialog.problem.text())
        dialog.reject()

    when_modal(rebind, ShortcutsDialog, seconds=10.0)
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: len(problems) == 2, timeout=10000)
    assert "Link selected annotation to" in problems[0] and problems[1] == ""
    assert window.export_action.shortcut().toString() == "Ctrl+Alt+X"
    window.close()
    again = open_window(qtbot, project_path)
    assert again.export_action.shortcut().toString() == "Ctrl+Alt+X"

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, ShortcutsDialog)
        names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        dialog.table.setCurrentCell(names.index("Export…"), 0)
        qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    when_modal(restore, ShortcutsDialog, seconds=10.0)
    key(qtbot, again, "F1")
    qtbot.waitUntil(lambda: again.export_action.shortcut().toString() == "Ctrl+E", timeout=10000)
    assert again.settings.shortcut("action-export") is None


def test_window_keys_work_while_a_line_edit_has_the_focus(qtbot: QtBot, project_path: Path) -> None:
    """Offscreen half of the Ctrl+E check (the X11 half: test_layout's real screen)."""
    window = open_window(qtbot, project_path)
    key(qtbot, window, "Ctrl+Shift+F")
    assert QApplication.focusWidget() is window.corpus_search.edit
    fired: list[bool] = []
    window.export_action.triggered.disconnect()
    window.export_action.triggered.connect(lambda: fired.append(True))
    key(qtbot, window, "Ctrl+E")
    assert fired == [True]
    qtbot.keyClicks(window.corpus_search.edit, "abc")
    key(qtbot, window, "Ctrl+A")  # an editing key stays the line edit's
    assert window.corpus_search.edit.selectedText() == "abc"


# -- item 12: the undo history --------------------------------------------------------------


def test_the_history_reverts_only_when_asked_and_names_the_span(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    fg = TEXT.index("French government")
    window.view.select_range(fg, fg + len("French government"))
    key(qtbot, window, "1")
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    key(qtbot, window, "2")  # relabel
    stack = window.session.undo_stack
    assert stack.text(0) == f"Annotate “{FSI}French government{PDI}” as claim"
    assert stack.text(1) == f"Relabel “{FSI}{SENATE}{PDI}” as demand"
    window.docks["history"].show()
    window.docks["history"].raise_()
    settle()
    view = window.undo_view
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()
    assert stack.index() == 2  # a stray click reverts nothing
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()
    assert stack.index() == 0  # a double-click goes back to "<opened>"
    assert [t for _d, t, _l in stored(project_path)] == [SENATE, ASSEMBLY, DEMAND]
    view.setFocus()
    view.selectionModel().setCurrentIndex(
        view.model().index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert stack.index() == 0
    key(qtbot, window, "Return")
    assert stack.index() == 2
