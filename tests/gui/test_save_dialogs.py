"""Every "save as" of the window (charts, matrices, the network, segments, the report,
the agreement report) opens where File > Export does: the last folder used, else the
project's; never the folder the program was started from. Pressed by the keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.store import Project
from tests.gui.helpers import choose_file, key, open_window, settle, when_modal


def _project(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "study.annot"
    with Project.create(path, annotator="ann") as project:
        doc = project.add_document("The Senate asked the government to act.", "first")
        project.annotate(doc.id, 4, 10, "actor")
        project.set_setting("annotator_confirmed", "1")
    return path


def test_a_chart_is_saved_from_the_project_folder_then_from_the_last_one(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started_in = tmp_path / "elsewhere"
    started_in.mkdir()
    monkeypatch.chdir(started_in)  # where the program was started: never offered
    path = _project(tmp_path / "study")
    window = open_window(qtbot, path)
    key(qtbot, window, "Ctrl+Shift+T")  # View > Statistics
    panel = window.stats_panel
    out = tmp_path / "charts"
    out.mkdir()
    folders: list[str] = []
    names: list[str] = []

    def answer(target: Path) -> object:
        def act(dialog: QWidget) -> None:
            assert isinstance(dialog, QFileDialog)
            folders.append(Path(dialog.directory().absolutePath()).resolve().as_posix())
            edit = dialog.findChild(QLineEdit, "fileNameEdit")
            names.append(edit.text() if isinstance(edit, QLineEdit) else "")
            choose_file(dialog, target)

        return act

    for target in (out / "first", out / "second.png"):
        when_modal(answer(target), QFileDialog)
        panel.png_button.setFocus()
        key(qtbot, window, "Alt+P")  # Save chart as &PNG…
        qtbot.waitUntil(lambda t=target: t.with_suffix(".png").exists(), timeout=20_000)
        settle()
    assert folders == [(tmp_path / "study").resolve().as_posix(), out.resolve().as_posix()]
    assert names[0].endswith(".png")
    assert (out / "first.png").read_bytes().startswith(b"\x89PNG")  # the suffix added
    assert not list(started_in.iterdir())
