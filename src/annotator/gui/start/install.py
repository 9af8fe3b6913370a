"""Hooks of the start, analysis and preferences rooms into the window (gui/menus.py
calls :func:`add_study_actions` once; gui/panels/docks.py puts the documents panel in its dock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.gui.actions import add_action
from annotator.gui.analysis.stats_drill import install_stats_drill
from annotator.gui.analysis.window import open_analysis
from annotator.gui.preferences.dialog import apply_saved_theme, open_preferences
from annotator.gui.start.kwic_defaults import install_kwic_defaults
from annotator.gui.start.new_project import new_project
from annotator.gui.start.page import install_start_page

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ANALYSIS_KEYS = "Ctrl+Alt+M"
# Ctrl+, (the usual Preferences key) is Edit > Previous annotation here
PREFERENCES_KEYS = "Ctrl+Alt+S"


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def start_new_project(window: MainWindow) -> None:
    """File > New project… (the file, the codebook and the coder in one dialog)."""
    new_project(window)


def add_study_actions(window: MainWindow, edit: QMenu, view: QMenu) -> None:
    """Edit > Preferences…, View > Analysis matrices…, the start page, KWIC defaults."""
    preferences = add_action(
        window, edit, tr("Prefer&ences…"), lambda: open_preferences(window), PREFERENCES_KEYS
    )
    standard = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    preferences.setShortcuts([QKeySequence(PREFERENCES_KEYS), *standard])
    matrices = add_action(
        window, view, tr("Anal&ysis matrices…"), lambda: open_analysis(window), ANALYSIS_KEYS
    )
    matrices.setProperty("needsProject", True)  # disabled while no project is open
    install_start_page(window)
    install_kwic_defaults(window)  # the last label for Annotate all; room for the hits
    install_stats_drill(window)  # Statistics dock: Enter on a cell lists its segments
    apply_saved_theme(window)
