"""The window's panels, each in its dock, and the View menu's entries for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QDockWidget,
    QMenu,
    QTableView,
    QWidget,
)

from annotator.gui.actions import add_action
from annotator.gui.codebook.install import build_code_system
from annotator.gui.documents.panel import build_documents_panel
from annotator.gui.editing.label_palette import LabelPalette
from annotator.gui.layout import front_when_behind, scrollable
from annotator.gui.panels.actors_panel import ActorsPanel
from annotator.gui.panels.annotation_table import AnnotationTablePanel
from annotator.gui.panels.document_list import DocumentListView
from annotator.gui.panels.history_view import HistoryPanel
from annotator.gui.panels.models import DocumentListModel
from annotator.gui.panels.relations_model import RelationTableModel, stretch_link_columns
from annotator.gui.panels.stats_dock import StatsPanel
from annotator.gui.panels.structure_panel import StructurePanel
from annotator.gui.search.corpus_search import CorpusSearchPanel

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


# key -> the toggle's keys in the View menu
DOCK_KEYS = {
    "documents": "Ctrl+Shift+D",
    "annotations": "Ctrl+Shift+A",
    "history": "Ctrl+Shift+H",
    "annotation": "Ctrl+Shift+E",
    "actors": "Ctrl+Shift+R",
    "statistics": "Ctrl+Shift+T",
}


def build_docks(window: MainWindow) -> None:
    """Make every panel and put it in its dock (``window.docks[key]``)."""
    w = window
    w.documents = DocumentListModel()
    w.document_list = DocumentListView(w)  # one count changes: no re-layout of every row
    w.document_list.setModel(w.documents)
    w.document_list.setAcceptDrops(False)
    w.document_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    w.palette_widget = LabelPalette(w)
    w.table_panel = AnnotationTablePanel(w)
    w.table, w.table_model = w.table_panel.table, w.table_panel.model
    w.table_filter_label = w.table_panel.filter_label
    w.table_filter_text = w.table_panel.filter_text
    w.table_all_docs = w.table_panel.all_documents
    w.history_panel = HistoryPanel(w.session.undo_stack, w)  # reverts only when asked
    w.undo_view = w.history_panel.view

    w.docks = {}
    area = Qt.DockWidgetArea
    add_dock(w, "documents", tr("Documents"), build_documents_panel(w), area.LeftDockWidgetArea)
    add_dock(w, "labels", tr("Labels"), w.palette_widget, area.LeftDockWidgetArea)
    add_dock(w, "annotations", tr("Annotations"), w.table_panel, area.BottomDockWidgetArea)
    add_dock(w, "history", tr("Undo history"), w.history_panel, area.RightDockWidgetArea)
    w.structure_panel = StructurePanel(w.session, w)
    add_dock(w, "annotation", tr("Annotation"), w.structure_panel, area.RightDockWidgetArea)
    w.relations_model = RelationTableModel()
    w.relations_table = QTableView(w)
    w.relations_table.setObjectName("relationsTable")
    w.relations_table.setModel(w.relations_model)
    w.relations_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    w.relations_table.verticalHeader().hide()
    stretch_link_columns(w.relations_table)
    add_dock(w, "relations", tr("All links"), w.relations_table, area.RightDockWidgetArea)
    w.actors_panel = ActorsPanel(w.session, w)
    add_dock(w, "actors", tr("Actors"), w.actors_panel, area.RightDockWidgetArea)
    w.tabifyDockWidget(w.docks["relations"], w.docks["actors"])
    w.tabifyDockWidget(w.docks["actors"], w.docks["history"])
    w.docks["relations"].raise_()
    w.corpus_search = CorpusSearchPanel(w.session, w)
    add_dock(w, "search", tr("Search corpus"), w.corpus_search, area.BottomDockWidgetArea)
    w.tabifyDockWidget(w.docks["annotations"], w.docks["search"])
    w.docks["annotations"].raise_()
    w.stats_panel = StatsPanel(w)
    stats = add_dock(w, "statistics", tr("Statistics"), w.stats_panel, area.RightDockWidgetArea)
    stats.visibilityChanged.connect(w.stats_panel.set_shown)  # counts read while in front
    stats.hide()
    build_code_system(w)  # the code system dock (gui/codebook/install.py)


def add_dock(
    window: MainWindow, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
    """Put *widget* in a dock named ``{key}Dock`` in *area* (``window.docks[key]``)."""
    dock = QDockWidget(title, window)
    dock.setObjectName(f"{key}Dock")
    # a panel scrolls inside its dock: its minimum size never pushes the window past
    # the screen (an item view scrolls already)
    dock.setWidget(widget if isinstance(widget, QAbstractScrollArea) else scrollable(widget))
    window.addDockWidget(area, dock)
    window.docks[key] = dock
    front_when_behind(dock)
    return dock


def add_dock_entries(window: MainWindow, menu: QMenu) -> None:
    """One checkable entry per dock in *menu* (the View menu), with its keys."""
    for key, dock in window.docks.items():
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"toggle-{key}")
        if key in DOCK_KEYS:
            toggle.setShortcut(QKeySequence(DOCK_KEYS[key]))
        menu.addAction(toggle)
    menu.addSeparator()
    layout = window.window_layout
    add_action(window, menu, tr("Reset &layout"), layout.reset, "Ctrl+Alt+0")
    window.focus_mode_action = add_action(
        window,
        menu,
        tr("Focus &mode (hide the panels)"),
        layout.toggle_focus_mode,
        ["F11", "Ctrl+Shift+Return", "Ctrl+Shift+Enter"],
        checkable=True,
    )
