"""The window when a project is in use elsewhere, and restoring a backup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.store import Project
from annotator.store.file.backup import list_backups
from tests.gui.helpers import drag_select, key, open_window, when_modal

HOLD = """
import sys, time
from annotator.store import Project
project = Project.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
project.close()
"""


def test_a_project_open_elsewhere_is_offered_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "shared.annot"
    with Project.create(path) as project:
        project.add_document("The Senate adopted the text.", "doc")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        window = open_window(qtbot, None)
        asked: list[str] = []

        def answer_yes() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.Yes).click()

        QTimer.singleShot(100, answer_yes)
        assert window.open_project(path)
        assert "is open in Annotator by" in asked[0] and "read-only" in asked[0]
        assert window.session.require().read_only
        assert "read-only" in window.windowTitle()
        drag_select(qtbot, window.view, 4, 10)
        key(qtbot, window, "3")
        assert "read-only" in window.statusBar().currentMessage()
    finally:
        holder.communicate("\n", timeout=20)
    with Project.open(path, read_only=True) as project:
        assert project.annotations() == []


def test_restore_a_backup_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        doc = project.add_document("The Senate adopted the text.", "doc")
        project.annotate(doc, 4, 10, "actor")
    Project.open(path).close()  # opening takes the first backup
    (backup,) = list_backups(path)
    with Project.open(path) as project:
        project.annotate(1, 11, 18, "claim")
    window = open_window(qtbot, path)
    assert window.table_model.rowCount() == 2
    assert window.files.restore(backup)
    assert [a.text for a in window.session.require().annotations()] == ["Senate"]
    assert window.table_model.rowCount() == 1
    assert len(list_backups(path)) == 2  # the state before restoring was kept


def test_file_menu_restores_a_backup_by_keys(qtbot: QtBot, tmp_path: Path) -> None:
    """File > Restore a backup… (Alt+F, then K): the backups of the open project, newest
    first; Return puts the chosen one in place (the entry used to be in no menu)."""
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        doc = project.add_document("The Senate adopted the text.", "doc")
        project.annotate(doc, 4, 10, "actor")
    Project.open(path).close()  # opening takes the first backup
    with Project.open(path) as project:
        project.annotate(1, 11, 18, "claim")
    window = open_window(qtbot, path)
    assert window.table_model.rowCount() == 2
    offered: list[list[str]] = []

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        offered.append(dialog.comboBoxItems())
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_modal(choose, QInputDialog, seconds=10.0)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.title() == "&File"
    qtbot.keyClick(menu, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.table_model.rowCount() == 1, timeout=10000)
    assert len(offered) == 1 and len(offered[0]) == 1 and "1 annotations" in offered[0][0]
    assert [a.text for a in window.session.require().annotations()] == ["Senate"]
