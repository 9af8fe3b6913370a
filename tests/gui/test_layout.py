"""Issue 13, items 1-3: the window fits the screen it is on, with every dock open."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.demo import sample_text
from annotator.gui.layout import available
from annotator.store import Project
from tests.gui.helpers import click_at, key, open_window, settle
from tests.gui.real_screen import run_on_screen

LABELS = ("claim", "demand", "actor", "allegation")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """The sample article with one annotation of each label, an attribute-rich one first."""
    path = tmp_path / "layout.annot"
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(sample_text(), "France–Armenia resolution")
        for i, label in enumerate(LABELS):
            project.annotate(doc, 10 + 60 * i, 25 + 60 * i, label)
    return path


@pytest.mark.parametrize("size", ["1024x768", "1280x720", "1920x1080"])
def test_the_window_fits_real_screens_with_every_dock_open(
    size: str, project_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    seen = run_on_screen("layout_check", size, [str(project_path), str(out)], tmp_path)
    width, height = (int(n) for n in size.split("x"))
    assert seen["screen"][0] == width
    steps = {c["step"]: c for c in seen["checks"]}
    assert len(steps) == 1 + len(seen["all_docks"]) + len(LABELS) + 5, list(steps)
    for c in seen["checks"]:
        assert c["inside"], c  # the window stays within the screen ...
        if c["step"] != "focus mode":
            assert c["text_width"] >= c["text_min"], c  # ... and the text keeps its width
    assert steps["select allegation"]["docks"] == seen["all_docks"]  # every dock open
    # the Annotation panel's size does not change with the label: no jumping layout
    frames = {tuple(steps[f"select {label}"]["frame"]) for label in LABELS}
    assert len(frames) == 1
    assert steps["focus mode"]["docks"] == []
    assert steps["focus mode off"]["docks"] == steps["annotation docked again"]["docks"]
    assert "statistics" not in steps["reset"]["docks"]  # Statistics starts hidden
    # the first window uses the screen: most of it, all of it inside
    first = steps["first"]["frame"]
    assert first[2] >= 0.8 * min(width, 1800) and first[3] >= 0.8 * min(height, 1150)
    assert seen["ctrl_e_in_line_edit"]  # item 11: Ctrl+E works while a line edit has focus
    for name in ("all-docks", "focus-mode", "reset"):
        assert (out / f"{name}.png").stat().st_size > 0


def test_focus_mode_keys_hide_and_bring_back_the_docks(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    shown = {k for k, d in window.docks.items() if d.isVisible()}
    assert shown
    key(qtbot, window, "F11")
    assert not any(d.isVisible() for d in window.docks.values())
    assert window.focus_mode_action.isChecked()
    key(qtbot, window, "F11")
    assert {k for k, d in window.docks.items() if d.isVisible()} == shown
    key(qtbot, window, "Ctrl+Shift+Return")
    assert not any(d.isVisible() for d in window.docks.values())
    window.close()  # closing in focus mode keeps the panels for the next start
    again = open_window(qtbot, project_path)
    assert {k for k, d in again.docks.items() if d.isVisible()} == shown


def test_reset_layout_brings_every_dock_back(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(qtbot, project_path)
    window.docks["documents"].hide()
    window.docks["annotation"].setFloating(True)
    window.docks["statistics"].show()
    key(qtbot, window, "Ctrl+Alt+0")
    assert window.docks["documents"].isVisible()
    assert not window.docks["annotation"].isFloating()
    assert not window.docks["statistics"].isVisible()
    assert window.statusBar().currentMessage() == "Layout reset"


def test_the_annotation_panel_does_not_resize_the_window_per_label(
    qtbot: QtBot, project_path: Path
) -> None:
    window = open_window(qtbot, project_path)
    window.docks["statistics"].show()
    settle()
    area = available(window)
    sizes = set()
    with Project.open(project_path, read_only=True) as p:
        starts = [a.start for a in p.annotations()]
    for start in starts:
        click_at(qtbot, window.view, start + 1)
        settle()
        assert window.structure_panel.annotation is not None
        sizes.add((window.minimumSizeHint().height(), window.docks["annotation"].height()))
        assert window.minimumSizeHint().height() <= area.height()
    assert len(sizes) == 1
