"""The window (PySide6 lives only in this package)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from annotator.gui.main_window import MainWindow


def create_main_window(project_path: str | Path | None = None) -> MainWindow:
    """Return the main window (opened on *project_path*) without starting the event loop."""
    from annotator.gui.app import create_main_window as create

    return create(project_path)


__all__ = ["create_main_window"]
