"""The window's label actions: the Annotate menu, the context menu, the hotkeys and
the palette, built from the codebook and bounded for codebooks of any size.

A small codebook (up to :data:`SMALL_CODEBOOK` labels) gets an action per label, as
it always had. A large one gets actions for the labels with a hotkey (every hotkey keeps
working) and the first others, then "More labels…", which puts the cursor in the
palette's search over every label: 20,000 labels cost a few dozen actions, not 20,000.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from annotator.core.codebook import Label
from annotator.gui.editing.label_palette import (
    HOTKEY_LIMIT,
    SMALL_CODEBOOK,
    LabelPalette,
    with_hotkeys,
)

MORE_LABELS_KEYS = "Ctrl+Shift+L"


def tr(text: str) -> str:
    return QCoreApplication.translate("LabelMenu", text)


def listed_labels(labels: list[Label]) -> list[Label]:
    """The labels that get an action, in codebook order: all of a small codebook; of a
    large one those with a hotkey, then the first others up to :data:`SMALL_CODEBOOK`."""
    if len(labels) <= SMALL_CODEBOOK:
        return list(labels)
    keyed = with_hotkeys(labels)[:HOTKEY_LIMIT]
    room = max(0, SMALL_CODEBOOK - len(keyed))
    others = [label for label in labels if not label.hotkey][:room]
    chosen = {label.key for label in keyed + others}
    return [label for label in labels if label.key in chosen]


class LabelActions:
    """Builds and rebuilds the label actions of *window* (which must outlive it)."""

    def __init__(
        self,
        window: QWidget,
        menu: QMenu,
        palette: LabelPalette,
        dock: QDockWidget,
        apply: Callable[[str], None],
        tail: list[QAction],
    ) -> None:
        self.window, self.menu, self.palette, self.dock = window, menu, palette, dock
        self.apply, self.tail = apply, tail
        self.actions: list[QAction] = []
        self.more = QAction(tr("&More labels…"), window)
        self.more.setObjectName("moreLabels")
        self.more.setShortcut(QKeySequence(MORE_LABELS_KEYS))
        self.more.setToolTip(tr("Find any label of the codebook by typing part of its name"))
        self.more.triggered.connect(self.search_labels)
        self.more_shown = False

    def set_labels(self, labels: list[Label]) -> None:
        for action in self.actions:
            self.window.removeAction(action)
            action.deleteLater()
        self.window.removeAction(self.more)
        self.menu.clear()
        self.actions = []
        listed = listed_labels(labels)
        for label in listed:
            action = QAction(tr("Label as %s") % label.name, self.window)
            if label.hotkey:
                action.setShortcut(QKeySequence(label.hotkey))
            action.setToolTip(label.description)
            action.triggered.connect(lambda _c=False, key=label.key: self.apply(key))
            self.menu.addAction(action)
            self.window.addAction(action)
            self.actions.append(action)
        self.more_shown = len(listed) < len(labels)
        if self.more_shown:
            self.menu.addAction(self.more)
            self.window.addAction(self.more)
        self.menu.addSeparator()
        for action in self.tail:
            self.menu.addAction(action)
        self.palette.set_labels(labels)

    def context_actions(self) -> list[QAction]:
        """What the text's context menu offers to label with."""
        return self.actions + ([self.more] if self.more_shown else [])

    def search_labels(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.palette.search_labels()
