"""The Team menu: one place where the parts for several coders put their actions.

Each part adds its actions with :func:`team_action`, in its own module; the main
window only calls :func:`build_team_menu` once, before the Help menu.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.gui.actions import add_action

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("TeamMenu", text)


def build_team_menu(window: MainWindow) -> QMenu:
    """The Team menu, in the menu bar (callers add to it with :func:`team_action`)."""
    menu = window.menuBar().addMenu(tr("&Team"))
    menu.setObjectName("teamMenu")
    return menu


def team_action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    shortcut: str | None = None,
    *,
    checkable: bool = False,
) -> QAction:
    """Add an action to the Team menu; its shortcut works anywhere in the window."""
    return add_action(window, menu, text, slot, shortcut, checkable=checkable)
