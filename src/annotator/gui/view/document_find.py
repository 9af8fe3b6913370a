"""Find in the shown document: the hits, stepping through them, annotating them all.

The find bar (gui/view/find_bar.py) is the widget; this is what its requests do to the view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from annotator.gui.editing.commands import AddSpans
from annotator.gui.view.find_bar import find_all
from annotator.gui.wording import plural

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class DocumentFind(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.hits: list[tuple[int, int]] = []
        self.hit_index = 0
        bar = window.find_bar
        bar.searchChanged.connect(self.search)
        bar.stepRequested.connect(self.step)
        bar.annotateAllRequested.connect(self.annotate_all)
        bar.closed.connect(self.closed)

    def open(self) -> None:
        view = self.window.view
        a, b = view.selected_range()
        selected = view.text[a:b] if 0 < b - a < 200 and "\n" not in view.text[a:b] else ""
        self.window.find_bar.open_bar(selected)

    def search_again(self) -> None:
        """A new document is shown: find what the open bar holds in it."""
        bar = self.window.find_bar
        if bar.isVisible():
            self.search(bar.edit.text(), bar.case.isChecked())

    def search(self, needle: str, case_sensitive: bool) -> None:
        view = self.window.view
        self.hits = find_all(view.text, needle, case_sensitive=case_sensitive)
        view.set_hits(self.hits)
        position = view.offsets.to_codepoint(view.textCursor().selectionStart())
        self.hit_index = next((i for i, (a, _b) in enumerate(self.hits) if a >= position), 0)
        self.window.find_bar.show_count(self.hit_index, len(self.hits))
        if self.hits:
            view.select_range(*self.hits[self.hit_index])

    def step(self, direction: int) -> None:
        if not self.hits:
            return
        self.hit_index = (self.hit_index + direction) % len(self.hits)
        self.window.view.select_range(*self.hits[self.hit_index])
        self.window.find_bar.show_count(self.hit_index, len(self.hits))

    def annotate_all(self, key: str) -> None:
        window = self.window
        if window.document_id is None or not self.hits:
            return
        spans = [(a, b, key, None) for a, b in self.hits]
        if window.session.run(AddSpans(window.session, window.document_id, spans)):
            window.show_status(
                tr("Annotated %s as %s") % (plural(len(spans), tr("%d hit"), tr("%d hits")), key)
            )

    def closed(self) -> None:
        self.hits = []
        self.window.view.set_hits([])
        self.window.view.setFocus()
