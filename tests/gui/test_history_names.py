"""Every undo step names its span or object (issue 13, item 12): each kind of step done
in the real window by keys, then read back from the undo stack and the history dock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.search.kwic_views import AnnotateAllDialog
from annotator.gui.wording import FSI, PDI
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle, when_modal, window_process

TEXT = sample_text()
SENATE = "France’s Senate"
DEMAND = "calling for the immediate and unconditional release"
DEMAND_40 = "calling for the immediate and…"  # its excerpt in a step's name
DEMAND_28 = "calling for the immediate…"  # ... in a step that names two spans
WAUQUIEZ = "Laurent Wauquiez"


def q(text: str) -> str:
    """A quoted, bidi-isolated excerpt as the window's wording makes it."""
    return f"“{FSI}{text}{PDI}”"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "h.annot"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, "resolution")
        project.add_document("Armenia said no. Armenia again.", "second")
        for needle, label in ((SENATE, "actor"), (DEMAND, "demand")):
            at = TEXT.index(needle)
            project.annotate(doc, at, at + len(needle), label)
    return path


def press(qtbot: QtBot, widget: QWidget, k: Qt.Key) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, k)
    settle()


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle()


def test_every_step_names_what_it_changed(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    stack = window.session.undo_stack
    panel = window.structure_panel

    # annotate a span with the label's hotkey
    at = TEXT.index(WAUQUIEZ)
    window.view.select_range(at, at + len(WAUQUIEZ))
    key(qtbot, window, "3")
    assert stack.undoText() == f"Annotate {q(WAUQUIEZ)} as actor"

    # an attribute, typed into the Annotation panel
    click_at(qtbot, window.view, TEXT.index(DEMAND) + 3)
    issue = panel.findChild(QLineEdit, "attribute-issue")
    assert isinstance(issue, QLineEdit)
    type_into(qtbot, issue, "detainees")
    assert stack.undoText() == f"Set issue of {q(DEMAND_40)} to {q('detainees')}"
    type_into(qtbot, issue, "")
    assert stack.undoText() == f"Clear issue of {q(DEMAND_40)}"

    # a link: Ctrl+L on the actor, then the demand
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    key(qtbot, window, "Ctrl+L")
    click_at(qtbot, window.view, TEXT.index(DEMAND) + 5)
    assert stack.undoText() == f"Link {q(SENATE)} —claimant→ {q(DEMAND_28)}"

    # ... and removing it with the panel's button, pressed by key
    click_at(qtbot, window.view, TEXT.index(SENATE) + 2)
    panel.relation_view.setFocus()
    panel.relation_view.setCurrentIndex(panel.relations.index(0, 0))
    press(qtbot, panel.unlink_button, Qt.Key.Key_Space)
    assert stack.undoText() == f"Remove the link {q(SENATE)} —claimant→ {q(DEMAND_28)}"

    # canonical actors: two mentions linked, then merged
    type_into(qtbot, panel.actor_name, "French Senate")
    assert stack.undoText() == f"Link {q(SENATE)} to the actor {q('French Senate')}"
    click_at(qtbot, window.view, at + 2)
    type_into(qtbot, panel.actor_name, "Wauquiez")
    assert stack.undoText() == f"Link {q(WAUQUIEZ)} to the actor {q('Wauquiez')}"
    actors = window.actors_panel
    tree = actors.tree
    tree.setFocus()
    gone_row = [a.name for a in actors.model.actors].index("Wauquiez")
    tree.setCurrentIndex(actors.model.index(gone_row, 0))

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.accept()

    answered = when_modal(accept, QInputDialog)
    press(qtbot, actors.merge_button, Qt.Key.Key_Space)
    assert answered
    assert stack.undoText() == f"Merge the actor {q('Wauquiez')} into {q('French Senate')}"

    # annotate all hits of the find bar (Ctrl+F)
    window.view.setFocus()
    key(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(window.find_bar.edit, "Azerbaijan")
    window.find_bar.label.setCurrentIndex(window.find_bar.label.findData("actor"))
    hits = TEXT.count("Azerbaijan")
    press(qtbot, window.find_bar.annotate, Qt.Key.Key_Space)
    assert stack.undoText() == f"Annotate {hits} hits of {q('Azerbaijan')} as actor"
    press(qtbot, window.find_bar.edit, Qt.Key.Key_Escape)

    # annotate all hits of the corpus search (Ctrl+Shift+F), in two documents
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Shift+F")
    search = window.corpus_search
    search.edit.selectAll()
    qtbot.keyClicks(search.edit, "Armenia")
    with qtbot.waitSignal(search.searchFinished, timeout=5000):
        qtbot.keyClick(search.edit, Qt.Key.Key_Return)
    search.label.setFocus()
    qtbot.keyClicks(search.label, "Ac")
    assert search.label_key() == "actor"

    def ok(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        dialog.accept()

    answered = when_modal(ok, AnnotateAllDialog)
    press(qtbot, search.annotate_button, Qt.Key.Key_Space)
    assert answered
    n = sum(1 for a in window.session.require().annotations() if a.text == "Armenia")
    assert stack.undoText() == f"Annotate {n} hits of {q('Armenia')} as actor in 2 documents"

    # every step is named in the history dock as on the stack, none is a bare verb
    history = window.findChild(QWidget, "historyPanel")
    assert history is not None
    model = history.model  # type: ignore[attr-defined]
    names = [model.index(row).data() for row in range(1, model.rowCount())]
    assert names == [stack.text(i) for i in range(stack.count())]
    assert len(names) == 10
    assert all("“" in name for name in names), names


ENDS_OPEN = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from annotator.gui import create_main_window
from annotator.gui.app import application
app = application()
window = create_main_window(sys.argv[1])
window.show()
app.processEvents()
window.view.setFocus()
window.view.select_range(0, 6)
QTest.keyClick(window.view, Qt.Key.Key_3)  # a step in the history
QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
app.processEvents()
print(window.session.undo_stack.count(), window.session.undo_stack.index())
"""


def test_a_script_that_ends_with_the_window_open_says_nothing_more(
    project_path: Path, tmp_path: Path
) -> None:
    """The undo stack's destructor clears it and signals as it goes: the history dock
    used to answer with a "QUndoStack already deleted" traceback at the process's end."""
    errors: list[str] = []
    lines = window_process(ENDS_OPEN, str(project_path), settings=tmp_path / "s.ini", errors=errors)
    assert lines == ["1 0"]  # the step was made and undone
    assert errors == []
