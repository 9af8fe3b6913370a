"""Edit > Preferences… in the real window: its keys open it, each value is applied at
once and kept (the coder name in the project file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.preferences.dialog import (
    PreferencesDialog,
    apply_theme,
    backup_count,
    theme,
)
from annotator.gui.settings import Settings
from annotator.store import Project
from annotator.store.file.backup import configure as configure_backups
from annotator.store.file.backup import take_backup
from tests.gui.helpers import key, open_window, when_modal


def test_preferences_apply_and_are_kept(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "prefs.annot"
    with Project.create(path) as project:
        project.add_document("Some text to read.", "Doc")
    window = open_window(qtbot, path)
    assert not window.snap_action.isChecked() or window.settings.snap_to_words

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, PreferencesDialog)
        dialog.coder.setText("Ben")
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        dialog.font_size.setValue(17)
        dialog.spacing.setValue(1.0)
        dialog.line_width.setValue(72)
        dialog.snap.setChecked(not window.snap_action.isChecked())
        dialog.backups.setText(str(tmp_path / "backups"))
        dialog.keep.setValue(3)
        qtbot.keyClick(dialog.coder, Qt.Key.Key_Return)

    snap_before = window.snap_action.isChecked()
    when_modal(answer, PreferencesDialog)
    key(qtbot, window, "Ctrl+Alt+S")
    qtbot.waitUntil(lambda: window.session.require().annotator == "Ben")
    assert window.view.font().pointSizeF() == 17 + window.settings.zoom
    assert window.view.reading.paragraph_spacing == 1.0
    assert window.view.reading.max_line_chars == 72
    assert window.snap_action.isChecked() is not snap_before
    dark = QApplication.palette()
    assert dark.color(QPalette.ColorRole.Window).lightness() < 80
    assert dark.color(QPalette.ColorRole.Text).lightness() > 200
    apply_theme("system")  # the palette is the application's: give it back at once
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 150
    window.close()

    settings = Settings()
    assert theme(settings) == "dark"
    assert backup_count(settings) == 3
    assert settings.paragraph_spacing == 1.0 and settings.max_line_chars == 72
    with Project.open(path, read_only=True) as again:
        assert again.annotator == "Ben"
    # the backup folder and count are used, not only kept: the next backup goes there
    try:
        for _ in range(5):
            conn = sqlite3.connect(path)
            try:
                take_backup(conn, path)
            finally:
                conn.close()
        copies = sorted((tmp_path / "backups").glob("*/prefs-*.annot"))
        assert len(copies) == 3
    finally:
        configure_backups(None)


def test_an_empty_coder_name_is_refused_in_one_line(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "prefs.annot"
    Project.create(path, annotator="Ana").close()
    window = open_window(qtbot, path)
    seen: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, PreferencesDialog)
        dialog.coder.setText("  ")
        qtbot.keyClick(dialog.coder, Qt.Key.Key_Return)
        seen.append(dialog.problem.text())
        dialog.reject()

    when_modal(answer, PreferencesDialog)
    key(qtbot, window, "Ctrl+Alt+S")
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == ["the coder name cannot be empty"]
    assert window.session.require().annotator == "Ana"
