"""One way to make a window action: in a menu, with keys that work anywhere in the window."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Shortcut = str | QKeySequence.StandardKey | list[str] | None


def add_action(
    window: QWidget,
    menu: QMenu,
    text: str,
    slot: Callable[..., object],
    shortcut: Shortcut = None,
    *,
    checkable: bool = False,
) -> QAction:
    """An action in *menu* whose keys work anywhere in the window; its object name
    (``action-`` and its words) is its id for rebinding its keys (gui/shortcuts.py)."""
    action = QAction(text, window)
    action.setObjectName(action_id(text))
    action.setCheckable(checkable)
    if isinstance(shortcut, list):
        action.setShortcuts([QKeySequence(s) for s in shortcut])
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    return action


def action_id(text: str) -> str:
    """``"&Export…"`` -> ``"action-export"``."""
    words = re.sub(r"[^0-9a-z]+", "-", text.replace("&", "").casefold()).strip("-")
    return f"action-{words}"
