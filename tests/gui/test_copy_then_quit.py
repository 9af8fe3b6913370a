"""Copy, then quit: the process ends cleanly and the copied text is the stored text.

Before, Qt deleted the clipboard's Python-made copy in its exit handlers, after Python
had shut down, and every session that had copied text ended in a segfault."""

from __future__ import annotations

from pathlib import Path

from tests.gui.helpers import window_process

SCRIPT = r"""
import sys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.gui import create_main_window

app = QApplication([])
window = create_main_window(sys.argv[1])
window.show()
window.show_document(1)
window.view.select_range(4, 10)
window.view.setFocus()
QTest.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
print(repr(QApplication.clipboard().text()))
window.close()
app.quit()
"""


def test_copy_then_quit_exits_cleanly_with_the_stored_text(tmp_path: Path) -> None:
    from annotator.store import Project

    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        project.add_document("The 👍🏽 Senate asked the government to act.", "first")
        project.set_setting("annotator_confirmed", "1")
    lines = window_process(SCRIPT, str(path))
    assert lines[-1] == repr("👍🏽 Sen")
