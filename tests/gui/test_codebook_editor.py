"""The codebook editor in the real window, driven by real keys (issue 15, item 2)."""

from __future__ import annotations

from pathlib import Path

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.core.codebook import load_codebook
from annotator.gui.codebook.editor import CodebookEditor
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui import helpers
from tests.gui.helpers import drag_select, key, open_window, settle, when_modal

TEXT = "Paris demands a vote. Berlin rejects it. Rome says nothing."
ONE = """name: One
labels:
  - {key: claim, name: Claim, colour: "#0072b2", hotkey: "1"}
"""


def _project(tmp_path: Path, codebook: str = ONE) -> Path:
    path = tmp_path / "c.annot"
    with Project.create(path, load_codebook(codebook), annotator="ana") as project:
        project.add_document(TEXT, "news")
    return path


def _editor(qtbot: QtBot, window: MainWindow) -> CodebookEditor:
    key(qtbot, window, "Ctrl+Shift+C")
    editor = window.findChild(CodebookEditor, "codebookEditor")
    assert isinstance(editor, CodebookEditor)
    qtbot.waitUntil(editor.isVisible)
    editor.activateWindow()
    editor.tree.setFocus()
    settle()
    return editor


def press(qtbot: QtBot, sequence: str) -> None:
    """Keys on the focused widget (the editor is a window of its own)."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(sequence)[0]
    target = QApplication.focusWidget()
    if target is None:  # a box just closed (offscreen, no window manager gives focus back)
        editor = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, CodebookEditor) and w.isVisible()
        )
        editor.activateWindow()
        settle()
        target = QApplication.focusWidget() or editor.tree
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())
    settle()


def typed(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.selectAll()
    qtbot.keyClicks(widget, text)
    settle()


def _new_label(qtbot: QtBot, editor: CodebookEditor, key_: str, name: str, hotkey: str) -> None:
    editor.tree.setFocus()
    press(qtbot, "Ctrl+N")  # Add label: its key is selected for typing
    assert QApplication.focusWidget() is editor.key_edit
    qtbot.keyClicks(editor.key_edit, key_)
    typed(qtbot, editor.name_edit, name)
    typed(qtbot, editor.hotkey_edit, hotkey)
    typed(qtbot, editor.description_edit, f"Use {name} when someone {name.lower()}s.")
    press(qtbot, "Ctrl+Return")  # Apply changes


def test_build_a_codebook_code_merge_undo_and_reopen(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    editor = _editor(qtbot, window)
    _new_label(qtbot, editor, "support", "Support", "7")
    _new_label(qtbot, editor, "oppose", "Oppose", "8")
    project = window.session.require()
    assert project.codebook().keys() == ["claim", "support", "oppose"]
    support = project.codebook().label("support")
    assert support is not None and (support.name, support.hotkey) == ("Support", "7")
    assert support.description == "Use Support when someone supports."
    # recolour from the Okabe-Ito row (Space on the swatch)
    swatch = editor.findChild(QWidget, "colour-cc79a7")
    assert swatch is not None
    swatch.setFocus()
    press(qtbot, "Space")
    assert project.codebook().label("oppose").colour == "#cc79a7"  # type: ignore[union-attr]
    # the old label goes (unused: no question), the new ones nest
    editor.select_label("claim")
    editor.tree.setFocus()
    press(qtbot, "Del")
    editor.select_label("oppose")
    editor.tree.setFocus()
    press(qtbot, "Alt+Right")  # under the previous sibling
    assert [(lab.key, lab.parent) for lab in project.codebook().labels] == [
        ("support", None),
        ("oppose", "support"),
    ]
    press(qtbot, "Alt+Left")
    press(qtbot, "Alt+Up")
    assert project.codebook().keys() == ["oppose", "support"]
    press(qtbot, "Alt+Down")
    press(qtbot, "Alt+Right")
    assert project.codebook().label("oppose").parent == "support"  # type: ignore[union-attr]
    editor.close()

    # code with it: the window's hotkeys are the new ones, the code system shows them
    window.activateWindow()
    window.view.setFocus()
    settle()
    helpers.codes_in_front(qtbot, window)
    assert window.code_system.model.rowCount() == 1  # support, with oppose below
    drag_select(qtbot, window.view, 0, 5)
    key(qtbot, window, "7")
    drag_select(qtbot, window.view, 22, 28)
    key(qtbot, window, "8")
    drag_select(qtbot, window.view, 41, 45)
    key(qtbot, window, "8")
    assert sorted(a.label for a in project.annotations()) == ["oppose", "oppose", "support"]
    assert window.code_system.model.all == {"support": 1, "oppose": 2}

    # merge oppose into support: the annotations move, one undo step
    editor = _editor(qtbot, window)
    editor.select_label("oppose")
    editor.tree.setFocus()

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("support")
        dialog.accept()

    steps = window.session.undo_stack.count()
    when_modal(choose, QInputDialog)
    press(qtbot, "Ctrl+M")
    qtbot.waitUntil(lambda: project.codebook().keys() == ["support"])
    assert [a.label for a in project.annotations()] == ["support"] * 3
    assert window.session.undo_stack.count() == steps + 1
    assert window.code_system.model.all == {"support": 3}
    assert {s.label for s in window.view.index} == {window.label_ids["support"]}
    editor.close()
    key(qtbot, window, "Ctrl+Z")
    assert project.codebook().keys() == ["support", "oppose"]
    assert sorted(a.label for a in project.annotations()) == ["oppose", "oppose", "support"]
    assert window.code_system.model.all == {"support": 1, "oppose": 2}
    key(qtbot, window, "Ctrl+Shift+Z")  # redo
    assert project.codebook().keys() == ["support"]
    key(qtbot, window, "Ctrl+Z")
    window.close_project()

    with Project.open(path) as again:
        book = again.codebook()
        assert [(lab.key, lab.parent, lab.hotkey) for lab in book.labels] == [
            ("support", None, "7"),
            ("oppose", "support", "8"),
        ]
        assert sorted(a.label for a in again.annotations()) == ["oppose", "oppose", "support"]


def test_a_refused_edit_shows_the_loaders_reason_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(qtbot, _project(tmp_path))
    editor = _editor(qtbot, window)
    _new_label(qtbot, editor, "support", "Support", "1")  # claim has 1
    message = editor.findChild(QLabel, "codebookMessage")
    assert message is not None and "hotkey 1 is used by 'claim' already" in message.text()
    project = window.session.require()
    assert [lab.hotkey for lab in project.codebook().labels] == ["1", None]
    typed(qtbot, editor.key_edit, "k" * 70)
    press(qtbot, "Return")
    assert "key" in message.text() and project.codebook().keys() == ["claim", "label"]
    # the last label cannot go: a codebook has at least one
    for k in ("label", "claim"):
        editor.select_label(k)
        editor.tree.setFocus()
        press(qtbot, "Del")
    assert project.codebook().keys() == ["claim"]
    assert "labels" in message.text()
    for box in window.findChildren(QMessageBox, "errorBox"):
        box.close()


def test_deleting_a_used_label_says_how_many_and_undo_restores_them(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path)
    with Project.open(path) as project:
        doc = project.documents()[0].id
        project.annotate_many(doc, [(0, 5, "claim", "n"), (22, 28, "claim", None)])
    window = open_window(qtbot, path)
    editor = _editor(qtbot, window)
    editor.add_label(sub=False)  # a second label, so the codebook keeps one
    editor.select_label("claim")
    editor.tree.setFocus()
    asked: list[str] = []

    def no(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        asked.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.No).click()

    when_modal(no, QMessageBox)
    press(qtbot, "Del")
    qtbot.waitUntil(lambda: bool(asked))
    assert "has 2 annotation(s)" in asked[0] and "all 2 of them" in asked[0]
    project = window.session.require()
    assert project.codebook().keys() == ["claim", "label"]

    def yes(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        dialog.button(QMessageBox.StandardButton.Yes).click()

    when_modal(yes, QMessageBox)
    editor.tree.setFocus()
    press(qtbot, "Del")
    qtbot.waitUntil(lambda: project.codebook().keys() == ["label"])
    assert project.annotations() == [] and len(window.view.index) == 0
    editor.close()
    key(qtbot, window, "Ctrl+Z")
    assert project.codebook().keys() == ["claim", "label"]
    assert [(a.start, a.note) for a in project.annotations()] == [(0, "n"), (22, None)]
    assert len(window.view.index) == 2


def test_attribute_choices_with_words_and_relation_types(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    editor = _editor(qtbot, window)
    editor.tabs.setCurrentIndex(1)
    tab = editor.attributes
    tab.findChild(QWidget, "add-attribute").click()  # type: ignore[union-attr]
    settle()
    typed(qtbot, tab.key, "stance")
    tab.type.setFocus()
    tab.type.setCurrentText("choice")
    typed(qtbot, tab.choices, "-1 against")
    for line in ("0 neutral", "+1 for"):
        qtbot.keyClick(tab.choices, Qt.Key.Key_Return)
        qtbot.keyClicks(tab.choices, line)
    typed(qtbot, tab.default, "0")
    tab.labels.item(0).setCheckState(Qt.CheckState.Checked)
    typed(qtbot, tab.description, "The actor's position.")
    press(qtbot, "Ctrl+Return")
    project = window.session.require()
    (stance,) = project.codebook().attributes
    assert (stance.key, stance.type, stance.choices, stance.default, stance.labels) == (
        "stance",
        "choice",
        ("-1", "0", "+1"),
        "0",
        ("claim",),
    )
    assert stance.description == ("The actor's position.\nChoices: -1 against / 0 neutral / +1 for")
    assert tab.choices.toPlainText() == "-1 against\n0 neutral\n+1 for"
    assert tab.description.toPlainText() == "The actor's position."
    # a value on an annotation: deleting the attribute asks, undo brings the value back
    doc = project.documents()[0].id
    annotation = project.annotate(doc, 0, 5, "claim")
    project.set_attributes(annotation.id, {"stance": "+1"})

    def yes(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        assert "1 value(s)" in dialog.text()
        dialog.button(QMessageBox.StandardButton.Yes).click()

    when_modal(yes, QMessageBox)
    tab.list.setFocus()
    press(qtbot, "Del")
    qtbot.waitUntil(lambda: not project.codebook().attributes)
    assert project.attributes(annotation.id) == {}
    key(qtbot, window, "Ctrl+Z")
    assert project.attributes(annotation.id) == {"stance": "+1"}

    editor.activateWindow()
    editor.tabs.setCurrentIndex(2)
    rel = editor.relations
    rel.findChild(QWidget, "add-relation").click()  # type: ignore[union-attr]
    settle()
    typed(qtbot, rel.key, "addressee")
    rel.to_labels.item(0).setCheckState(Qt.CheckState.Checked)
    press(qtbot, "Ctrl+Return")
    (relation,) = project.codebook().relations
    assert (relation.key, relation.to_labels) == ("addressee", ("claim",))
    other = project.annotate(doc, 22, 28, "claim")
    project.relate(annotation.id, other.id, "addressee")
    rel.list.setFocus()
    press(qtbot, "Del")
    assert "has 1 link(s)" in editor.message.text()
    assert [r.key for r in project.codebook().relations] == ["addressee"]


def test_rearranging_the_tree_by_a_drop_nests(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    editor = _editor(qtbot, window)
    editor.add_label(sub=False)
    tree = editor.tree
    # what a drop of "label" onto "claim" leaves in the tree, then the drop's signal
    moved = tree.takeTopLevelItem(1)
    assert moved is not None
    tree.topLevelItem(0).addChild(moved)  # type: ignore[union-attr]
    tree.rearranged.emit()
    settle()
    book = window.session.require().codebook()
    assert [(lab.key, lab.parent) for lab in book.labels] == [("claim", None), ("label", "claim")]
    key(qtbot, window, "Ctrl+Z")
    assert window.session.require().codebook().label("label").parent is None  # type: ignore[union-attr]


def test_export_codebook_writes_yaml_the_loader_reads(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    target = tmp_path / "book.yaml"

    def pick(dialog: QWidget) -> None:
        helpers.choose_file(dialog, target)

    when_modal(pick, QFileDialog, seconds=90)
    action = window.findChild(type(window.actions()[0]), "action-export-codebook")
    assert action is not None and action.isEnabled()
    action.trigger()
    qtbot.waitUntil(target.exists, timeout=90_000)
    book = load_codebook(target.read_text("utf-8"))
    assert book == window.session.require().codebook()
    assert yaml.safe_load(target.read_text("utf-8"))["labels"][0]["key"] == "claim"
