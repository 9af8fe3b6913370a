"""Export and import dialogs start in the project's folder (never the hidden data folder),
with the format's own filter, remember the folder used last, and a finished export
offers "Open folder" (gui/start/file_dialogs.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui.main_window import MainWindow
from annotator.gui.start.file_dialogs import start_folder
from annotator.store import Project
from tests.gui import helpers
from tests.gui.helpers import key, open_window, settle, when_modal


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "study.annot"
    with Project.create(path) as project:
        doc = project.add_document("The minister said so.", "One").id
        project.annotate(doc, 4, 12, "actor")
    return path


def _export_csv(qtbot: QtBot, window: MainWindow, target: Path, seen: dict[str, object]) -> None:
    def pick_file(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["filters"] = dialog.nameFilters()
        helpers.choose_file(dialog, target)

    def pick_format(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        choice = next(i for i in dialog.comboBoxItems() if i.startswith("csv "))
        dialog.setTextValue(choice)
        when_modal(pick_file, QFileDialog, seconds=90)
        dialog.accept()

    when_modal(pick_format, QInputDialog)
    key(qtbot, window, "Ctrl+E")
    qtbot.waitUntil(target.exists, timeout=90_000)
    settle()


def test_export_starts_in_the_project_folder_with_its_filter_and_remembers(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path / "study")
    window = open_window(qtbot, path)
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    seen: dict[str, object] = {}
    _export_csv(qtbot, window, elsewhere / "one.csv", seen)
    assert seen["folder"] == path.parent.resolve()
    filters = seen["filters"]
    assert isinstance(filters, list) and "*.csv" in filters[0] and "*.annot" not in filters[0]
    button = window.statusBar().findChild(QPushButton, "openExportFolder")
    assert button is not None and button.toolTip() == str(elsewhere)

    seen.clear()
    _export_csv(qtbot, window, elsewhere / "two.csv", seen)
    assert seen["folder"] == elsewhere.resolve()  # the folder used last
    assert start_folder(window) == str(elsewhere)


def test_a_project_in_a_hidden_folder_is_not_where_dialogs_start(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path / ".local" / "share" / "annotator")
    window = open_window(qtbot, path)
    folder = Path(start_folder(window))
    assert not any(part.startswith(".") for part in folder.parts)
    assert folder in (Path.home(), Path.home() / "Documents")
