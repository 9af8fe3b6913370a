"""The network view's hook into the window: View > Network… (gui/menus.py calls this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

from annotator.gui.actions import add_action

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

NETWORK_KEYS = "Ctrl+Alt+N"


def add_network_view(window: MainWindow, menu: QMenu) -> None:
    def show() -> None:
        from annotator.gui.network.window import open_network

        open_network(window)

    action = add_action(
        window, menu, QCoreApplication.translate("MainWindow", "&Network…"), show, NETWORK_KEYS
    )
    action.setProperty("needsProject", True)  # disabled while no project is open
