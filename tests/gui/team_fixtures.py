"""Two coders' spans on a real project file, for the Agreement window and curation tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from annotator.store import Project

TEXT = (
    "The Senate rejected the budget cuts on Monday. The minister promised a tax reform, "
    "and opposition leaders protested."
)


def at(word: str) -> tuple[int, int]:
    i = TEXT.index(word)
    return i, i + len(word)


ANA = [
    (*at("Senate"), "actor"),
    (*at("budget cuts"), "claim"),
    (*at("The minister"), "actor"),
    (*at("tax reform"), "demand"),
    (*at("opposition leaders"), "actor"),
]
BEN = [
    (*at("Senate"), "actor"),
    (*at("budget cuts"), "claim"),
    (*at("The minister"), "allegation"),
    (*at("leaders"), "actor"),
]


def team_project(tmp_path: Path) -> Path:
    """Ana and Ben coded "Senate vote"; only Ana coded "Ana only" (not shared)."""
    path = tmp_path / "team.annot"
    with Project.create(path, annotator="Cem") as project:
        doc = project.add_document(TEXT, "Senate vote")
        other = project.add_document("Only Ana coded this one.", "Ana only")
        project.annotate_many(doc, [(a, b, k, None) for a, b, k in ANA], annotator="Ana")
        project.annotate_many(doc, [(a, b, k, None) for a, b, k in BEN], annotator="Ben")
        project.annotate_many(other, [(0, 4, "actor", None)], annotator="Ana")
    return path


def press(qtbot: QtBot, window: QWidget, sequence: str) -> None:
    """Press keys as a user would, on the focused widget of *window* (a top-level window)."""
    if not window.isActiveWindow():
        window.activateWindow()
        QApplication.processEvents()
    target = QApplication.focusWidget() or window
    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())
    for _ in range(3):
        QApplication.processEvents()
