"""Hooks of the suggestion room into the window: the layer over the document view, the
Suggestions dock and a Suggest menu (before Help), made by one call from the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMenu

from annotator.gui.actions import add_action
from annotator.gui.suggest.controller import SuggestionLayer
from annotator.gui.suggest.panel import SuggestionsPanel

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SUGGEST_KEYS = "Ctrl+Alt+J"  # Suggest > Suggest in this document
PANEL_KEYS = "Ctrl+Alt+K"  # Suggest > Suggestions panel


def tr(text: str) -> str:
    return QCoreApplication.translate("suggest", text)


class SuggestionParts(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from annotator.gui.panels.docks import add_dock

        self.window = window
        self.layer = SuggestionLayer(window)
        self.panel = SuggestionsPanel(window, self.layer)
        self.dock = add_dock(
            window,
            "suggestions",
            tr("Suggestions"),
            self.panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.dock.hide()
        menu = QMenu(tr("S&uggest"), window)
        menu.setObjectName("suggestMenu")
        bar = window.menuBar()
        help_menu = next(
            (a for a in bar.actions() if a.text().replace("&", "").lower() == "help"), None
        )
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)
        else:
            bar.addMenu(menu)
        p = self.panel
        add_action(window, menu, tr("&Suggest in this document"), p.suggest, SUGGEST_KEYS)
        add_action(window, menu, tr("Suggest in &every document"), lambda: p.suggest(every=True))
        add_action(
            window,
            menu,
            tr("&Accept all of this label in view"),
            self.layer.accept_label_in_view,
        )
        add_action(window, menu, tr("&Measure the sources"), p.measure)
        add_action(window, menu, tr("Suggestions &panel"), self.show_panel, PANEL_KEYS)

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.suggest_button.setFocus()


def install_suggestions(window: MainWindow) -> SuggestionParts:
    return SuggestionParts(window)
