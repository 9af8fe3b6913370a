"""A codebook of 20,000 labels in the real window: bounded widgets and actions, every
label still reachable from the keyboard (issue 10, item 10: an import that added 20,000
labels made the window take 3.3 GB and 10 s to open)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator.core.codebook import Codebook, Label
from annotator.demo import sample_text
from annotator.gui.editing.label_menu import MORE_LABELS_KEYS, listed_labels
from annotator.gui.editing.label_palette import SMALL_CODEBOOK
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import drag_select, key, open_window, settle

TEXT = sample_text()
LABELS = 20_000
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
DEEP = 15_000  # a label far down the codebook that has a hotkey


def topic(i: int) -> Label:
    return Label(
        f"t{i:05d}",
        f"Topic {i:05d}",
        COLOURS[i % len(COLOURS)],
        "q" if i == DEEP else None,
        f"Guideline of topic {i}",
    )


def make_project(path: Path, extra: int) -> Path:
    """The sample article and the default codebook, plus *extra* labels."""
    with Project.create(path, annotator="tester") as project:
        project.add_document(TEXT, "France–Armenia resolution")
        if extra:
            project.merge_codebook(Codebook("topics", tuple(topic(i) for i in range(extra))))
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("big") / "big.annot", LABELS)


@pytest.fixture
def big_path(big_file: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the 20,000-label project for each test."""
    path = tmp_path / "big.annot"
    path.write_bytes(big_file.read_bytes())
    yield path


def stored(path: Path) -> list[tuple[str, str]]:
    with Project.open(path, read_only=True) as project:
        return [(a.text, a.label) for a in project.annotations()]


def counts(window: MainWindow, widgets_before: int) -> dict[str, int]:
    return {
        "widgets in the window": len(window.findChildren(QWidget)),
        "widgets made for it": len(QApplication.allWidgets()) - widgets_before,  # popups too
        "actions in the window": len(window.findChildren(QAction)),
        "window shortcuts": len(window.actions()),
        "Annotate menu entries": len(window.annotate_menu.actions()),
        "palette buttons": len(window.palette_widget.findChildren(QPushButton)),
    }


def press(qtbot: QtBot, window: MainWindow, sequence: str) -> None:
    """A key as a user presses it: an open popup (the completer's list) gets it first."""
    popup = QApplication.activePopupWidget()
    if popup is None:
        key(qtbot, window, sequence)
        return
    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(popup, combo.key(), combo.keyboardModifiers())
    settle()


def test_a_large_codebook_builds_a_bounded_number_of_widgets_and_actions(
    qtbot: QtBot, big_path: Path, tmp_path: Path
) -> None:
    before = len(QApplication.allWidgets())
    small = open_window(qtbot, make_project(tmp_path / "small.annot", 0))
    few = counts(small, before)
    small.close()
    before = len(QApplication.allWidgets())
    window = open_window(qtbot, big_path)
    many = counts(window, before)
    assert len(window.session.require().labels()) == LABELS + 4
    # a few more buttons and menu entries than for the default codebook, never 20,000
    assert many["palette buttons"] <= SMALL_CODEBOOK
    assert many["Annotate menu entries"] <= few["Annotate menu entries"] + SMALL_CODEBOOK + 2
    assert many["window shortcuts"] <= few["window shortcuts"] + SMALL_CODEBOOK + 2
    assert many["actions in the window"] <= few["actions in the window"] + SMALL_CODEBOOK + 2
    assert many["widgets in the window"] <= few["widgets in the window"] + SMALL_CODEBOOK
    assert many["widgets made for it"] <= few["widgets made for it"] + SMALL_CODEBOOK
    # the labels with a hotkey have their button and their action, wherever they are
    buttons = {b.objectName() for b in window.palette_widget.findChildren(QPushButton)}
    assert {"label-claim", "label-demand", "label-actor", "label-allegation"} <= buttons
    assert f"label-t{DEEP:05d}" in buttons
    menu = [a.text() for a in window.annotate_menu.actions() if a.text()]
    assert menu[:4] == [f"Label as {n}" for n in ("Claim", "Demand", "Actor", "Allegation")]
    assert f"Label as Topic {DEEP:05d}" in menu
    assert "&More labels…" in menu
    # the window's label choosers list every label from a model, not an item each
    for combo in (window.find_bar.label, window.table_filter_label, window.corpus_search.label):
        assert isinstance(combo, QComboBox)
        assert combo.findData(f"t{LABELS - 1:05d}") >= 0
    assert window.table_filter_label.count() == LABELS + 5  # and "All labels"
    assert window.palette_widget.model.rowCount() == LABELS + 4


def test_a_label_found_by_typing_is_applied_by_key(qtbot: QtBot, big_path: Path) -> None:
    window = open_window(qtbot, big_path)
    view = window.view
    at = TEXT.index("Laurent Wauquiez")
    drag_select(qtbot, view, at, at + 16)
    key(qtbot, window, MORE_LABELS_KEYS)
    search = window.palette_widget.search
    assert window.docks["labels"].isVisible() and QApplication.focusWidget() is search
    qtbot.keyClicks(search, "12345")  # digits are typed: they are hotkeys elsewhere
    popup = window.palette_widget.completer.popup()
    assert popup.isVisible()
    assert popup.model().rowCount() == 1
    press(qtbot, window, "Down")
    press(qtbot, window, "Return")
    assert stored(big_path) == [("Laurent Wauquiez", "t12345")]
    assert QApplication.focusWidget() is view and search.text() == ""
    # the name typed in full (any case), Enter without choosing a row: that label
    fg = TEXT.index("French government")
    drag_select(qtbot, view, fg, fg + 17)
    key(qtbot, window, MORE_LABELS_KEYS)
    qtbot.keyClicks(search, "topic 00007")
    press(qtbot, window, "Return")
    assert ("French government", "t00007") in stored(big_path)
    assert QApplication.focusWidget() is view
    # a hotkey deep down the codebook works like any other, and so do the default ones
    az = TEXT.index("Azerbaijan")
    drag_select(qtbot, view, az, az + 10)
    key(qtbot, window, "q")
    assert ("Azerbaijan", f"t{DEEP:05d}") in stored(big_path)
    ar = TEXT.index("Artsakh")
    drag_select(qtbot, view, ar, ar + 7)
    key(qtbot, window, "3")
    assert ("Artsakh", "actor") in stored(big_path)
    assert len(stored(big_path)) == 4
    # Esc leaves the search without applying anything
    key(qtbot, window, MORE_LABELS_KEYS)
    qtbot.keyClicks(search, "Topic 1")
    press(qtbot, window, "Esc")
    press(qtbot, window, "Esc")
    assert QApplication.focusWidget() is view and len(stored(big_path)) == 4


def test_the_context_menu_offers_more_labels(qtbot: QtBot, big_path: Path) -> None:
    window = open_window(qtbot, big_path)
    offered = [a.text() for a in window.label_menu.context_actions()]
    assert len(offered) <= SMALL_CODEBOOK + 2 and offered[-1] == "&More labels…"
    window.docks["labels"].hide()
    window.label_menu.context_actions()[-1].trigger()
    assert window.docks["labels"].isVisible()
    assert QApplication.focusWidget() is window.palette_widget.search


def test_a_small_codebook_keeps_a_button_and_an_action_per_label(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = make_project(tmp_path / "some.annot", SMALL_CODEBOOK - 4)  # with the default 4
    window = open_window(qtbot, path)
    labels = window.session.require().labels()
    assert len(labels) == SMALL_CODEBOOK
    assert len(window.palette_widget.buttons) == SMALL_CODEBOOK
    assert not window.palette_widget.search.isVisible()
    listed = [a.text() for a in window.annotate_menu.actions() if a.text()]
    assert "&More labels…" not in listed
    assert listed == [f"Label as {label.name}" for label in labels] + [
        "&Snap selections to whole words"
    ]
    # clicking a button applies its label
    at = TEXT.index("Azerbaijan")
    drag_select(qtbot, window.view, at, at + 10)
    qtbot.mouseClick(window.palette_widget.buttons["t00003"], Qt.MouseButton.LeftButton)
    assert stored(path) == [("Azerbaijan", "t00003")]


def test_listed_labels_keep_every_hotkey_and_the_codebook_order() -> None:
    labels = [topic(i) for i in range(DEEP + 10)]
    listed = listed_labels(labels)
    assert len(listed) == SMALL_CODEBOOK
    assert listed[: SMALL_CODEBOOK - 1] == labels[: SMALL_CODEBOOK - 1]
    assert listed[-1] == labels[DEEP] and listed[-1].hotkey == "q"
    assert listed_labels(labels[:SMALL_CODEBOOK]) == labels[:SMALL_CODEBOOK]
    assert len(listed_labels(labels[: SMALL_CODEBOOK + 1])) == SMALL_CODEBOOK


@pytest.mark.timeout(60)  # before: a bar set of 20,000 values per label, minutes
def test_the_statistics_of_a_large_codebook_chart_the_labels_in_use(
    qtbot: QtBot, big_path: Path
) -> None:
    with Project.open(big_path) as project:
        for word, label in (("Azerbaijan", "t00002"), ("Artsakh", "t19999"), ("Senate", "claim")):
            at = TEXT.index(word)
            project.annotate(1, at, at + len(word), label)
    window = open_window(qtbot, big_path)
    key(qtbot, window, "Ctrl+Shift+T")
    panel = window.stats_panel
    assert window.docks["statistics"].isVisible()
    panel.refresh()
    (series,) = panel.label_chart.chart().series()
    bars = [b.label() for b in series.barSets()]
    assert bars == ["Claim", "Topic 00002", "Topic 19999"]
    assert "(the 3 most used of 20004 labels)" in panel.label_chart.chart().title()
    model = panel.document_model
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert columns == ["Claim", "Topic 00002", "Topic 19999", "Total"]
