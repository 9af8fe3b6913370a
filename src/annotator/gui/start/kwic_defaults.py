"""Search corpus (KWIC): "Annotate all" offers the label used last, and the results get
a usable height when the panel is shown (one hook: :func:`install_kwic_defaults`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

from annotator.store import Annotation

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

RESULTS_SHARE = 0.38  # of the window's height, the least the search dock gets when shown
RESULTS_LEAST = 220  # pixels: about eight rows of hits


def follow_last_label(window: MainWindow, made: list[Annotation]) -> None:
    """The label of the annotation made last becomes the one "Annotate all" uses."""
    if not made:
        return
    combo = window.corpus_search.label
    at = combo.findData(made[-1].label)
    if at >= 0 and at != combo.currentIndex():
        combo.setCurrentIndex(at)


def give_results_room(window: MainWindow) -> None:
    dock = window.docks.get("search")
    if dock is None or not dock.isVisible() or dock.isFloating():
        return
    want = max(RESULTS_LEAST, int(window.height() * RESULTS_SHARE))
    if dock.height() < want:
        window.resizeDocks([dock], [want], Qt.Orientation.Vertical)


def install_kwic_defaults(window: MainWindow) -> None:
    window.session.annotationsAdded.connect(lambda made: follow_last_label(window, made))
    dock = window.docks.get("search")
    if dock is not None:
        dock.visibilityChanged.connect(
            lambda shown: shown and QTimer.singleShot(0, lambda: give_results_room(window))
        )
