"""Take the README's screenshots of the demo project (what ``annotator demo`` opens) on a
real X server, label tags and coding stripes on, as a user would reach each view: its
keys. Not a test; run once per screen size:

    XDG_DATA_HOME=$(mktemp -d) ANNOTATOR_SETTINGS=$(mktemp -u).ini USER=ana \\
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x720x24" \\
    .venv/bin/python -m tests.gui.take_screenshots docs/screenshots

At 1280x720 it writes window, label-tags, stats, kwic, cooccurrence, network and
codebook-editor; at 1920x1080 window-1920x1080, label-tags-1920x1080 and code-system.
Look at each before committing it."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabWidget, QTreeView, QWidget

from annotator.demo import demo_project, sample_text
from annotator.gui.app import create_main_window
from annotator.gui.main_window import MainWindow
from annotator.store import Project
from tests.gui.helpers import point_of
from tests.gui.real_screen import press as real_press
from tests.gui.real_screen import spin

# a few more spans of the sample, so that overlaps and a note show in the tags
EXTRA = (
    ("France’s Senate and National Assembly overwhelmingly adopted resolutions", "claim", None),
    ("release of the political leaders", "claim", None),
    ("strong support for ongoing peace efforts", "claim", "support, not a demand"),
)


def press(window: QWidget, sequence: str) -> None:
    real_press(QApplication.focusWidget() or window, sequence, 0.4)


def click_text(window: MainWindow, needle: str) -> None:
    point = point_of(window.view, sample_text().index(needle) + 2)
    window.view.setFocus()
    QTest.mouseClick(
        window.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(point.x() + 2, point.y()),
    )
    spin()


def project() -> Path:
    path = demo_project()
    text = sample_text()
    with Project.open(path) as p:
        doc = p.documents()[0].id
        have = {(a.start, a.end) for a in p.annotations()}
        for needle, label, note in EXTRA:
            at = text.index(needle)
            if (at, at + len(needle)) not in have:
                p.annotate(doc, at, at + len(needle), label, note=note)
    return path


def open_main(path: Path) -> MainWindow:
    window = create_main_window(path)
    window.show()
    QTest.qWaitForWindowExposed(window)
    area = window.screen().availableGeometry()
    window.setGeometry(area)  # the whole screen, as a maximised window (no window manager)
    window.activateWindow()
    spin(1.0)
    question = window.findChild(QWidget, "coderQuestion")
    if question is not None and question.isVisible():  # answered by keys: name, Return
        edit = window.findChild(QWidget, "coderQuestionName")
        assert edit is not None
        edit.setFocus()
        press(edit, "Return")
    window.view.setFocus()
    spin()
    return window


def small_screen(window: MainWindow, out: Path) -> None:
    click_text(window, "intensify diplomatic pressure")
    window.grab().save(str(out / "window.png"))
    click_text(window, "France’s Senate")
    window.grab().save(str(out / "label-tags.png"))
    press(window, "Ctrl+Shift+T")  # View > Statistics
    stats = window.docks["statistics"]
    stats.setFloating(True)
    stats.resize(1000, 660)
    tabs = window.stats_panel.findChildren(QTabWidget)[0]
    tabs.setCurrentIndex(1)  # Actors
    spin(1.0)
    window.stats_panel.grab().save(str(out / "stats.png"))  # the panel, not its scroll area
    stats.setFloating(False)
    stats.hide()
    window.view.setFocus()
    press(window, "Ctrl+Shift+F")  # Search corpus
    search = window.corpus_search
    QTest.keyClicks(search.edit, "Armenia")
    press(search.edit, "Return")
    spin(1.0)
    search.grab().save(str(out / "kwic.png"))
    for keys, name in (
        ("Ctrl+Alt+M", "cooccurrence"),  # the co-occurrence matrix
        ("Ctrl+Alt+N", "network"),  # the network
        ("Ctrl+Shift+C", "codebook-editor"),  # Annotate > Codebook…
    ):
        window.activateWindow()
        window.view.setFocus()
        spin()
        before = shown_windows()
        press(window, keys)
        spin(1.5)
        opened = [w for w in shown_windows() if w not in before]
        if opened:
            opened[0].grab().save(str(out / f"{name}.png"))
            opened[0].close()
        else:
            print(f"{keys} opened no window", file=sys.stderr)


def shown_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]


def large_screen(window: MainWindow, out: Path) -> None:
    click_text(window, "intensify diplomatic pressure")
    window.grab().save(str(out / "window-1920x1080.png"))
    click_text(window, "France’s Senate")
    window.grab().save(str(out / "label-tags-1920x1080.png"))
    codes = window.docks.get("codes")
    if codes is not None:
        window.view.setFocus()
        press(window, "Ctrl+Shift+Y")  # View > Code system: the tab behind Labels comes up
        spin()
        panel = codes.widget()
        tree = panel.findChild(QTreeView)
        if tree is not None:
            tree.setFocus()
            model = tree.model()
            actor = next(
                model.index(r, 0)
                for r in range(model.rowCount())
                if "Actor" in str(model.index(r, 0).data())
            )
            tree.setCurrentIndex(actor)
            press(tree, "Return")  # retrieve the label's segments
            spin(1.0)
    # the retrieved segments are a window of their own beside the main one: the screen
    window.screen().grabWindow(0).save(str(out / "code-system.png"))


def main(out: Path) -> None:
    path = project()
    window = open_main(path)
    if window.screen().availableGeometry().width() >= 1900:
        large_screen(window, out)
    else:
        small_screen(window, out)
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
