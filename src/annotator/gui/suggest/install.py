"""Hooks of the suggestion room into the window: the layer over the document view, the
Suggestions dock, a Suggest menu (before Help) and the suggestions in the annotation
table (Enter on one goes to it in the text), made by one call from the window."""

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
TABLE_KEYS = "Ctrl+Alt+U"  # Suggest > Suggestions in the table (on / off)


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
        table = window.table_panel
        self.in_table = add_action(
            window, menu, tr("Suggestions in the &table"), self.toggle_table, TABLE_KEYS,
            checkable=True,
        )  # fmt: skip
        table.suggestions.toggled.connect(self.in_table.setChecked)
        table.suggestionActivated.connect(lambda x: self.layer.go_to(x.document_id, x.id))
        table.model.suggestion_sources = frozenset(self.layer.enabled_sources)
        self.layer.changed.connect(self._layer_changed)

    def _layer_changed(self) -> None:
        """The suggestions (or the sources switched on) changed: so do the table's rows."""
        model = self.window.table_panel.model
        model.suggestion_sources = frozenset(self.layer.enabled_sources)
        model.reload_suggestions()

    def toggle_table(self) -> None:
        """Show (hide) the suggestions in the annotation table; shown, the table gets the
        focus on the first of them, so Enter goes to it in the text."""
        table = self.window.table_panel
        shown = self.in_table.isChecked()  # (a checkable action: toggled already)
        table.suggestions.setChecked(shown)
        if shown:
            dock = self.window.docks.get("annotations")
            if dock is not None:
                dock.show()
                dock.raise_()
            table.table.setFocus()

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.suggest_button.setFocus()


def install_suggestions(window: MainWindow) -> SuggestionParts:
    return SuggestionParts(window)
