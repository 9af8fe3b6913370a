"""The document view's font: View > Font… and the zoom keys (kept in the settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFontDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class ViewFont:
    """The chosen font's size is the unzoomed size; the zoom steps add points to it."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        settings, view = window.settings, window.view
        chosen = QFont(view.font())
        if not (settings.font and chosen.fromString(settings.font) and chosen.pointSizeF() > 0):
            chosen = view.font()
        self.base_point_size = chosen.pointSizeF()
        self.apply()

    def zoom(self, step: int) -> None:
        settings = self.window.settings
        settings.zoom = 0 if step == 0 else max(-8, min(24, settings.zoom + step))
        self.apply()

    def choose(self) -> None:
        view = self.window.view
        ok, font = QFontDialog.getFont(view.font(), self.window, tr("Document font"))
        if ok:
            self.window.settings.font = font.toString()
            self.base_point_size = font.pointSizeF()
            self.window.settings.zoom = 0
            self.apply()

    def apply(self) -> None:
        settings = self.window.settings
        self.window.view.set_zoom_font(settings.font, self.base_point_size + settings.zoom)
        self.window.window_layout.keep_text_width()  # room for 70 characters a line
