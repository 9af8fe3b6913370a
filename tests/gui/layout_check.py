"""Run by tests/gui/test_layout.py under a real X server (xvfb-run) of a given size:
opens the window as a first start would, opens every dock with its keys, clicks each
label's annotation, floats and re-docks the Annotation dock, and prints what it saw as
JSON (one object). Usage: ``python -m tests.gui.layout_check PROJECT OUT_DIR``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.store import Project
from tests.gui.helpers import point_of
from tests.gui.real_screen import press as real_press
from tests.gui.real_screen import shown_window, spin


def main(project: Path, out: Path) -> None:
    window = shown_window(project)
    screen = window.screen().availableGeometry()
    checks: list[dict[str, object]] = []

    def check(step: str) -> None:
        spin()
        frame = window.frameGeometry()
        checks.append(
            {
                "step": step,
                "inside": screen.contains(frame),
                "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                "text_width": window.centralWidget().width(),
                "text_min": window.window_layout.text_min_width(),
                "docks": sorted(k for k, d in window.docks.items() if d.isVisible()),
            }
        )

    def press(sequence: str) -> None:
        real_press(QApplication.focusWidget() or window.view, sequence, 0.2)

    check("first")
    for key, dock in window.docks.items():  # every dock: its keys, or its View menu entry
        toggle = dock.toggleViewAction()
        if not dock.isVisible():
            if toggle.shortcut().isEmpty():
                toggle.trigger()
            else:
                press(toggle.shortcut().toString())
        check(f"dock {key}")
    with Project.open(project, read_only=True) as p:
        spans = [(a.id, a.start, a.label) for a in p.annotations()]
    for _id, start, label in spans:  # each label's annotation, clicked with the mouse
        point = point_of(window.view, start + 1)
        window.view.setFocus()
        QTest.mouseClick(
            window.view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            QPoint(point.x() + 2, point.y()),
        )
        check(f"select {label}")
    window.grab().save(str(out / "all-docks.png"))
    dock = window.docks["annotation"]
    dock.setFloating(True)
    check("annotation floating")
    dock.setFloating(False)
    check("annotation docked again")
    window.view.setFocus()
    press("F11")
    check("focus mode")
    window.grab().save(str(out / "focus-mode.png"))
    press("Ctrl+Shift+Return")
    check("focus mode off")
    press("Ctrl+Alt+0")
    check("reset")
    window.grab().save(str(out / "reset.png"))
    # the window's keys in a line edit (on X11 a line edit takes Ctrl+E as End)
    fired: list[bool] = []
    window.export_action.triggered.disconnect()
    window.export_action.triggered.connect(lambda: fired.append(True))
    window.open_corpus_search()
    spin()
    in_edit = QApplication.focusWidget() is window.corpus_search.edit
    press("Ctrl+E")
    seen = {"screen": [screen.width(), screen.height()], "checks": checks}
    seen["all_docks"] = sorted(window.docks)
    seen["ctrl_e_in_line_edit"] = in_edit and fired == [True]
    print(json.dumps(seen))
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
