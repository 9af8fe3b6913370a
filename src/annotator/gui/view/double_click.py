"""A double-click in the text selects the word, never the quotation marks around it
(Qt's word selection takes «» along with an Arabic word; issue 13)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer

from annotator.core.snapping import trim_to_words
from annotator.gui.view.document_view import DocumentView


class WordDoubleClick(QObject):
    """Watches the view's viewport; once Qt has selected the word, trims it."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick:
            QTimer.singleShot(0, self.trim)  # after the view has made its selection
        return False

    def trim(self) -> None:
        start, end = self.view.selected_range()
        if start < end:
            a, b = trim_to_words(self.view.text, start, end)
            if (a, b) != (start, end):
                self.view.select_range(a, b, ensure_visible=False)
