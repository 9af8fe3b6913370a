"""Search corpus: "Annotate all" offers the label used last; the hits get room when the
panel is shown (gui/start/kwic_defaults.py)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from annotator.store import Project
from tests.gui.helpers import drag_select, key, open_window, settle


def test_annotate_all_defaults_to_the_label_used_last(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "kwic.annot"
    with Project.create(path) as project:
        project.add_document("The minister said the plan works. The minister left.", "One")
    window = open_window(qtbot, path)
    combo = window.corpus_search.label
    assert combo.currentData() == "claim"  # the first label, before any was used
    demand = next(lab for lab in window.session.require().labels() if lab.key == "demand")
    drag_select(qtbot, window.view, 4, 12)
    key(qtbot, window, demand.hotkey or "2")
    assert window.session.require().annotations(window.document_id)[0].label == "demand"
    assert combo.currentData() == "demand"


def test_the_search_results_get_a_usable_height(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "kwic.annot"
    Project.create(path).close()
    window = open_window(qtbot, path)
    window.resize(1280, 720)
    settle()
    key(qtbot, window, "Ctrl+Shift+F")
    qtbot.waitUntil(lambda: window.docks["search"].isVisible())
    qtbot.waitUntil(lambda: window.docks["search"].height() >= 220)
    assert window.view.height() >= 150  # the text keeps room too
