"""Notes in the Annotation panel and memos on documents and the project (issue 13
item 6): real keys in the real window, the file checked after."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.marks.memos import DOCUMENT_MEMO_KEY, PROJECT_MEMO_KEY
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle, when_modal

TEXT = sample_text()
SENATE = "France’s Senate"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "n.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        at = TEXT.index(SENATE)
        project.annotate(doc, at, at + len(SENATE), "actor", note="upper house")
        at = TEXT.index("National Assembly")
        project.annotate(doc, at, at + len("National Assembly"), "actor")
    return path


def ids(path: Path) -> list[int]:
    with Project.open(path) as project:
        return [a.id for a in sorted(project.annotations(), key=lambda a: a.start)]


def test_the_note_is_shown_and_edited_in_the_panel_as_one_undo_step(
    qtbot: QtBot, project_path: Path
) -> None:
    senate, assembly = ids(project_path)
    window = open_window(qtbot, project_path)
    field = window.findChild(QLineEdit, "noteField")
    assert field is not None
    window.select_annotation(senate)
    settle()
    assert field.text() == "upper house"
    window.select_annotation(assembly)
    settle()
    assert field.text() == ""
    steps = window.session.undo_stack.count()
    field.setFocus()
    qtbot.keyClicks(field, "lower house")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle()
    assert window.session.require().annotation(assembly).note == "lower house"
    assert window.session.undo_stack.count() == steps + 1  # one undo step
    assert "note" in window.session.undo_stack.undoText()
    # Escape puts back what is stored
    qtbot.keyClicks(field, " typed over")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "lower house"
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Z")
    assert window.session.require().annotation(assembly).note is None
    assert field.text() == ""
    # the tooltip and the stripe show the note too
    spans = window.view.spans_at(TEXT.index(SENATE) + 1)
    assert "Note: upper house" in window.view.describe(spans)


def answer_memo(text: str) -> list[QWidget]:
    def act(dialog: QWidget) -> None:
        edit = dialog.findChild(QPlainTextEdit, "memoEdit")
        assert edit is not None
        edit.setPlainText(text)
        dialog.accept()  # type: ignore[attr-defined]

    return when_modal(act)


def test_memos_on_the_document_and_the_project_are_kept_in_the_file(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    seen = answer_memo("Read with the 2025 resolution.")
    key(qtbot, window, DOCUMENT_MEMO_KEY)
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    seen = answer_memo("Claims about Artsakh in French politics.")
    key(qtbot, window, PROJECT_MEMO_KEY)
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    doc = window.document_id
    window.close()
    with Project.open(project_path) as project:
        assert project.document_info(doc).memo == "Read with the 2025 resolution."
        assert project.memo == "Claims about Artsakh in French politics."


def test_the_memo_dialog_shows_the_memo_and_cancel_keeps_it(
    qtbot: QtBot, project_path: Path
) -> None:
    with Project.open(project_path) as project:
        project.set_memo("first")
    window = open_window(qtbot, project_path)
    seen_text: list[str] = []

    def act(dialog: QWidget) -> None:
        edit = dialog.findChild(QPlainTextEdit, "memoEdit")
        assert edit is not None
        seen_text.append(edit.toPlainText())
        edit.setPlainText("changed")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = when_modal(act)
    key(qtbot, window, PROJECT_MEMO_KEY)
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    assert seen_text == ["first"]
    assert window.session.require().memo == "first"


def test_a_note_of_several_lines_is_shown_whole_and_left_to_f2(
    qtbot: QtBot, project_path: Path
) -> None:
    senate, _ = ids(project_path)
    with Project.open(project_path) as project:
        project.update_annotation(senate, note="first line\nsecond line")
    window = open_window(qtbot, project_path)
    field = window.findChild(QLineEdit, "noteField")
    assert field is not None
    window.select_annotation(senate)
    settle()
    assert field.text() == "first line ⏎ second line"
    assert field.isReadOnly() and "F2" in field.toolTip()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle()
    assert window.session.require().annotation(senate).note == "first line\nsecond line"
