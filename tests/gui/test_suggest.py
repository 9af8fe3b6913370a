"""Suggestions in the window (issue 17), by real key events: outlined, accepted with
Enter or a label's hotkey, rejected with Backspace or X, Tab / Shift+Tab between them,
Shift+Enter for every one of a label on the screen, each one undo step; training off
the GUI thread with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from annotator.core.suggest.sample_corpus import generate
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from annotator.store.suggestions import Suggestions
from tests.gui.helpers import key, open_window, point_of, settle

TEXT = "The Senate voted. Later the Senate met France and the Senate of France agreed."


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "s.annot"
    with Project.create(path, annotator="ann") as project:
        doc = project.add_document(TEXT, title="Senate")
        project.annotate(doc, 4, 10, "actor")
        project.set_setting("annotator_confirmed", "1")
    return path


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(qtbot, path)
    window.show_document(1)
    window.suggestions.panel.checks["learned"].setChecked(False)  # nothing to learn from
    window.view.setFocus()
    settle()
    return window


def _cursor(window: MainWindow) -> int:
    return window.view.offsets.to_codepoint(window.view.textCursor().position())


def _annotations(path: Path) -> list[tuple[int, int, str, str]]:
    with Project.open(path, read_only=True) as project:
        return [(a.start, a.end, a.label, a.annotator) for a in project.annotations(1)]


def test_suggest_step_accept_undo_reject_by_keys(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = _window(qtbot, path)
    layer = window.suggestions.layer
    key(qtbot, window, "Ctrl+Alt+J")  # Suggest > Suggest in this document
    assert [(x.start, x.label, x.source) for x in layer.items] == [
        (28, "actor", "like-before"),
        (54, "actor", "like-before"),
    ]
    key(qtbot, window, "Tab")
    assert _cursor(window) == 28 and layer.current == layer.items[0].id
    key(qtbot, window, "Tab")
    assert _cursor(window) == 54
    key(qtbot, window, "Shift+Tab")
    assert _cursor(window) == 28
    key(qtbot, window, "Return")  # accept: an ordinary annotation by the current coder
    assert (28, 34, "actor", "ann") in _annotations(path)
    assert [x.start for x in layer.items] == [54]
    key(qtbot, window, "Ctrl+Z")  # one undo step
    assert (28, 34, "actor", "ann") not in _annotations(path)
    assert [x.start for x in layer.items] == [28, 54]
    key(qtbot, window, "Ctrl+Shift+Z")  # redo
    assert (28, 34, "actor", "ann") in _annotations(path)
    key(qtbot, window, "Tab")
    assert _cursor(window) == 54
    key(qtbot, window, "Backspace")  # reject: remembered
    assert layer.items == []
    assert len(_annotations(path)) == 2
    key(qtbot, window, "Ctrl+Alt+J")  # suggested again: the rejected one stays away
    assert layer.items == []
    key(qtbot, window, "Ctrl+Z")  # undo the reject: it is back
    assert [x.start for x in layer.items] == [54]
    key(qtbot, window, "Tab")
    key(qtbot, window, "X")  # X rejects too
    assert layer.items == []
    with Project.open(path, read_only=True) as project:
        assert Suggestions(project).rejected(1) == {(54, 60, "actor")}


def test_a_label_hotkey_accepts_as_that_label_and_shift_enter_takes_all_in_view(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path)
    window = _window(qtbot, path)
    layer = window.suggestions.layer
    key(qtbot, window, "Ctrl+Alt+J")
    key(qtbot, window, "Tab")
    key(qtbot, window, "3")  # actor's hotkey: accepted as suggested
    assert (28, 34, "actor", "ann") in _annotations(path)
    key(qtbot, window, "Ctrl+Z")  # the suggestion is back under the cursor
    assert _cursor(window) == 28
    key(qtbot, window, "1")  # claim's hotkey: accepted as a claim (one undo step)
    assert (28, 34, "claim", "ann") in _annotations(path)
    assert [x.start for x in layer.items] == [54]
    key(qtbot, window, "Ctrl+Z")
    assert (28, 34, "claim", "ann") not in _annotations(path)
    assert [x.start for x in layer.items] == [28, 54]
    key(qtbot, window, "Tab")
    key(qtbot, window, "Shift+Return")  # every actor suggestion on the screen
    assert {(28, 34, "actor", "ann"), (54, 60, "actor", "ann")} <= set(_annotations(path))
    assert layer.items == []
    # the keys act on suggestions only: with none under the cursor, 3 is the window's
    window.view.select_range(0, 3)
    key(qtbot, window, "3")
    assert (0, 3, "actor", "ann") in _annotations(path)


def test_suggestions_are_outlined_not_filled(qtbot: QtBot, tmp_path: Path) -> None:
    path = _project(tmp_path)
    window = _window(qtbot, path)
    key(qtbot, window, "Ctrl+Alt+J")
    view = window.view
    view.select_range(0, 0)  # no current suggestion: every frame dashed
    settle()
    image = view.viewport().grab().toImage()
    base = view.palette().color(view.viewport().backgroundRole()).rgb()
    colour = view.colours[window.label_ids["actor"]]

    def box(start: int, end: int) -> tuple[int, int, int, int]:
        a, b = point_of(view, start), point_of(view, end)
        rect = view.cursorRect()
        return a.x(), b.x(), rect.top(), rect.bottom()

    def base_share(x0: int, x1: int, y0: int, y1: int) -> float:
        pixels = [image.pixelColor(x, y).rgb() for x in range(x0 + 3, x1 - 3)
                  for y in range(y0 + 3, y1 - 2)]  # fmt: skip
        return sum(p == base for p in pixels) / len(pixels)

    def framed(x0: int, x1: int, y0: int, y1: int) -> bool:
        near = 0
        for x in range(x0, x1):
            for y in (y0, y0 + 1, y1, y1 - 1, y1 + 1):
                px = image.pixelColor(x, y)
                near += abs(px.red() - colour.red()) + abs(px.green() - colour.green()) < 60
        return near > (x1 - x0) // 4

    annotated, suggested = box(4, 10), box(28, 34)
    window.view.select_range(0, 0)
    # an annotation is filled (no pixel of the base colour is left between its
    # letters); a suggestion is not (about half its pixels, all but the letters')
    assert base_share(*annotated) < 0.1
    assert base_share(*suggested) > 0.4
    assert framed(*suggested)  # it has a frame in the label's colour


def test_training_runs_off_the_gui_thread_shows_scores_and_cancels(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "news.annot"
    with Project.create(path, annotator="ann") as project, project.transaction():
        for ex in generate(200):
            doc = project.add_document(ex.text, title=f"news {ex.key}")
            project.annotate_many(doc, [(s, e, label, None) for s, e, label in ex.spans])
        project.set_setting("annotator_confirmed", "1")
    window = open_window(qtbot, path)
    window.show_document(1)
    parts = window.suggestions
    key(qtbot, window, "Ctrl+Alt+K")  # the Suggestions panel, its first button focused
    assert parts.dock.isVisible()
    assert QApplication.focusWidget() is parts.panel.suggest_button
    QAbstractItemModelTester(parts.panel.scores)
    # Measure, then cancel with Escape on the progress dialog
    qtbot.keyClick(parts.panel.measure_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: parts.panel.dialog is not None and parts.panel.dialog.isVisible())
    assert parts.panel.job is not None
    dialog = parts.panel.dialog
    assert isinstance(dialog, QProgressDialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: parts.panel.job is None, timeout=60000)
    assert parts.panel.model is None and "cancelled" in parts.panel.status.text()
    # Measure again and let it finish: per source and label P/R/F1, a learning curve
    qtbot.keyClick(parts.panel.measure_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: parts.panel.job is None, timeout=120000)
    rows = {(src, s.label) for src, s in parts.panel.scores.rows}
    assert {("like-before", "actor"), ("learned", "actor"), ("learned", "claim")} <= rows
    assert parts.panel.curve.text().startswith("Learning curve")
    assert parts.panel.model is not None


def test_with_nothing_to_learn_yet_the_other_sources_still_suggest(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _project(tmp_path)
    window = open_window(qtbot, path)
    window.show_document(1)
    panel = window.suggestions.panel
    assert panel.checks["learned"].isChecked()  # on by default
    window.view.setFocus()
    key(qtbot, window, "Ctrl+Alt+J")
    qtbot.waitUntil(lambda: panel.job is None, timeout=60000)
    settle()
    assert "nothing to learn from yet" in panel.status.text()
    assert [x.start for x in window.suggestions.layer.items] == [28, 54]
