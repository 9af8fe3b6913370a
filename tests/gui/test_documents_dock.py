"""The documents dock in the real window, driven with real keys: rename, delete and undo,
reorder, typed document variables, groups and filters; reopened, it is all in the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle, when_modal


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "docs.annot"
    with Project.create(path) as project:
        for title in ("Alpha", "Beta", "Gamma"):
            doc = project.add_document(f"{title} text. The minister said so.", title)
            project.annotate(doc, 0, 5, "claim")
        project.variables.define("outlet", "text")
        project.variables.define("published", "date")
        project.variables.define("pages", "number")
        project.variables.define("online", "boolean")
    return path


def _titles(window: MainWindow) -> list[str]:
    model = window.documents
    return [model.document_at(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]


def _focus_list(qtbot: QtBot, window: MainWindow, row: int) -> None:
    window.activateWindow()  # after a modal dialog, offscreen
    settle()
    window.document_list.setFocus()
    window.document_list.setCurrentIndex(window.documents.index(row, 0))
    settle()
    assert QApplication.focusWidget() is window.document_list


def _variables(window: MainWindow) -> QWidget:
    table = window.findChild(QWidget, "documentVariables")
    assert table is not None
    return table


def _row_of(window: MainWindow, key_name: str) -> int:
    table = _variables(window)
    for row in range(table.rowCount()):  # type: ignore[attr-defined]
        if table.item(row, 0).text() == key_name:  # type: ignore[attr-defined]
            return row
    raise AssertionError(key_name)


def _edit_value(qtbot: QtBot, window: MainWindow, key_name: str) -> QWidget:
    table = _variables(window)
    window.activateWindow()
    settle()
    table.setFocus()
    table.setCurrentCell(_row_of(window, key_name), 2)  # type: ignore[attr-defined]
    key(qtbot, window, "F2")  # F2 edits here (elsewhere it edits a note)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    return editor


def test_edit_typed_document_variables_with_keys_undo_and_reopen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    project = window.session.require()
    first = window.document_id
    assert first is not None

    editor = _edit_value(qtbot, window, "outlet")
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Le Monde")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle()
    assert project.variables.of(first)["outlet"] == "Le Monde"
    assert _variables(window).item(_row_of(window, "outlet"), 2).text() == "Le Monde"  # type: ignore[attr-defined]

    editor = _edit_value(qtbot, window, "published")
    date_edit = editor if isinstance(editor, QDateEdit) else editor.parentWidget()
    assert isinstance(date_edit, QDateEdit)
    qtbot.keyClicks(date_edit, "20240315")  # the sections advance as one types
    qtbot.keyClick(date_edit, Qt.Key.Key_Return)
    settle()
    assert project.variables.of(first)["published"] == "2024-03-15"

    editor = _edit_value(qtbot, window, "online")
    box = editor if isinstance(editor, QComboBox) else editor.parentWidget()
    assert isinstance(box, QComboBox)
    box.setCurrentText("false")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    settle()
    assert project.variables.of(first)["online"] == "false"

    # a number that is no number: one line, nothing changed
    editor = _edit_value(qtbot, window, "pages")
    assert isinstance(editor, QLineEdit)
    seen: list[str] = []
    window.session.failed.disconnect()
    window.session.failed.connect(seen.append)  # the one-line message the user would see
    qtbot.keyClicks(editor, "many")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle()
    assert "pages" not in project.variables.of(first)
    assert len(seen) == 1 and "number" in seen[0] and "\n" not in seen[0]

    # Del removes a value, Ctrl+Z puts it back (each edit one undo step)
    table = _variables(window)
    table.setFocus()
    table.setCurrentCell(_row_of(window, "outlet"), 2)  # type: ignore[attr-defined]
    key(qtbot, window, "Del")
    assert "outlet" not in project.variables.of(first)
    key(qtbot, window, "Ctrl+Z")
    assert project.variables.of(first)["outlet"] == "Le Monde"
    window.close()

    with Project.open(path, read_only=True) as again:
        assert again.variables.of(first) == {
            "outlet": "Le Monde",
            "published": "2024-03-15",
            "online": "false",
        }


def test_add_a_variable_from_the_dock(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))

    def answer(dialog: QWidget) -> None:
        name = dialog.findChild(QLineEdit, "variableKey")
        kind = dialog.findChild(QComboBox, "variableType")
        assert name is not None and kind is not None
        name.setText("country")
        kind.setCurrentText("text")
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(answer)
    _variables(window).setFocus()
    key(qtbot, window, "Ins")
    qtbot.waitUntil(lambda: "country" in window.session.require().variables.types())
    key(qtbot, window, "Ctrl+Z")
    assert "country" not in window.session.require().variables.types()


def test_rename_reorder_delete_and_undo_with_keys(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    project = window.session.require()

    _focus_list(qtbot, window, 0)

    def rename(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Alpha (Le Monde)")
        dialog.accept()

    when_modal(rename, QInputDialog)
    key(qtbot, window, "F2")
    qtbot.waitUntil(lambda: _titles(window)[0] == "Alpha (Le Monde)")
    assert window.current_annotation() is None  # F2 did not open the note dialog

    _focus_list(qtbot, window, 0)
    key(qtbot, window, "Alt+Down")
    assert _titles(window) == ["Beta", "Alpha (Le Monde)", "Gamma"]
    assert window.document_list.currentIndex().row() == 1  # the moved one stays chosen
    key(qtbot, window, "Alt+Down")
    assert _titles(window) == ["Beta", "Gamma", "Alpha (Le Monde)"]
    key(qtbot, window, "Ctrl+Z")
    assert _titles(window) == ["Beta", "Alpha (Le Monde)", "Gamma"]

    _focus_list(qtbot, window, 2)
    gamma = window.documents.document_at(2).id  # type: ignore[union-attr]
    when_modal(lambda box: box.button(QMessageBox.StandardButton.Yes).click(), QMessageBox)  # type: ignore[attr-defined]
    key(qtbot, window, "Del")
    qtbot.waitUntil(lambda: "Gamma" not in _titles(window))
    assert project.execute("SELECT count(*) FROM annotations").fetchone()[0] == 2
    key(qtbot, window, "Ctrl+Z")
    assert "Gamma" in _titles(window)
    assert project.execute("SELECT count(*) FROM annotations").fetchone()[0] == 3
    assert project.document(gamma).title == "Gamma"
    window.close()

    with Project.open(path, read_only=True) as again:
        assert [d.title for d in again.documents()] == ["Beta", "Alpha (Le Monde)", "Gamma"]


def test_groups_tree_and_filters(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    with Project.open(path) as project:
        ids = [d.id for d in project.documents()]
        project.variables.set(ids[0], "outlet", "Le Monde")
        project.variables.set(ids[2], "outlet", "Guardian")
    window = open_window(qtbot, path)
    panel = window.documents_panel  # type: ignore[attr-defined]

    tree = panel.group_tree

    def name_group(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("French press")
        dialog.accept()

    window.activateWindow()
    settle()
    tree.setFocus()
    when_modal(name_group, QInputDialog)
    key(qtbot, window, "Ins")
    qtbot.waitUntil(
        lambda: [g.name for g in window.session.require().groups.all()] == ["French press"]
    )

    def pick_group(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("French press")
        dialog.accept()

    _focus_list(qtbot, window, 0)
    when_modal(pick_group, QInputDialog)
    key(qtbot, window, "Ctrl+G")
    qtbot.waitUntil(lambda: window.session.require().groups.of(ids[0]) == ["French press"])

    def shown() -> list[str]:
        lst = window.document_list
        return [t for r, t in enumerate(_titles(window)) if not lst.isRowHidden(r)]

    group_item = tree.topLevelItem(0).child(0)
    assert group_item.text(0) == "French press (1)"
    window.activateWindow()
    settle()
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    key(qtbot, window, "Down")  # the keyboard chooses the group
    assert shown() == ["Alpha"]
    key(qtbot, window, "Up")
    assert shown() == ["Alpha", "Beta", "Gamma"]
    qtbot.keyClicks(panel.filter, "outlet=guard")
    assert shown() == ["Gamma"]
    panel.filter.clear()
    qtbot.keyClicks(panel.filter, "monde")
    assert shown() == ["Alpha"]
    window.close()

    with Project.open(path, read_only=True) as again:
        assert again.groups.of(ids[0]) == ["French press"]


def test_a_new_import_is_selected_and_shown(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(qtbot, _project(tmp_path))
    source = tmp_path / "Delta.txt"
    source.write_text("Delta text.", encoding="utf-8")
    window.files.import_files([source])
    qtbot.waitUntil(lambda: len(_titles(window)) == 4)
    settle()
    qtbot.waitUntil(lambda: window.view.text == "Delta text.")
    assert window.document_list.currentIndex().data().startswith("Delta")


def test_import_several_files_into_a_group(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    files = []
    for name in ("Delta", "Epsilon"):
        source = tmp_path / f"{name}.txt"
        source.write_text(f"{name} text.", encoding="utf-8")
        files.append(source)

    def name_group(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Wire copy")
        dialog.accept()

    when_modal(name_group, QInputDialog)
    window.documents_panel.import_paths(files)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(_titles(window)) == 5)
    groups = window.session.require().groups.all()
    assert [(g.name, len(g.document_ids)) for g in groups] == [("Wire copy", 2)]
    key(qtbot, window, "Ctrl+Z")  # the grouping is one undo step: the group it made too
    assert window.session.require().groups.all() == []


def test_drag_a_document_to_move_it(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    lst = window.document_list
    first = lst.visualRect(window.documents.index(0, 0)).center()
    last = lst.visualRect(window.documents.index(2, 0)).center()
    vp = lst.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseMove(vp, pos=(first + last) / 2)
    qtbot.mouseMove(vp, pos=last)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=last)
    settle()
    assert _titles(window) == ["Beta", "Gamma", "Alpha"]
    key(qtbot, window, "Ctrl+Z")
    assert _titles(window) == ["Alpha", "Beta", "Gamma"]
