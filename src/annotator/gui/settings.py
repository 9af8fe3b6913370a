"""Preferences kept between runs (QSettings): recent projects, view options, layout."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        """The user's settings; ``ANNOTATOR_SETTINGS=path.ini`` keeps them in that file
        instead (portable installs, tests)."""
        if store is None:
            ini = os.environ.get("ANNOTATOR_SETTINGS")
            store = QSettings(ini, QSettings.Format.IniFormat) if ini else QSettings()
        self._s = store

    def recent_projects(self) -> list[Path]:
        value = self._s.value("recent", [])
        items = (
            [value]
            if isinstance(value, str)
            else list(value)
            if isinstance(value, list | tuple)
            else []
        )
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        items = [str(path.resolve())] + [
            str(p) for p in self.recent_projects() if p.resolve() != path.resolve()
        ]
        self._s.setValue("recent", items[:MAX_RECENT])

    def clear_recent(self) -> None:
        self._s.setValue("recent", [])

    @property
    def snap_to_words(self) -> bool:
        return _bool(self._s.value("view/snap_to_words", True))

    @snap_to_words.setter
    def snap_to_words(self, value: bool) -> None:
        self._s.setValue("view/snap_to_words", value)

    @property
    def font(self) -> str:
        return str(self._s.value("view/font", ""))

    @font.setter
    def font(self, value: str) -> None:
        self._s.setValue("view/font", value)

    @property
    def zoom(self) -> int:
        try:
            return int(self._s.value("view/zoom", 0))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return 0

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._s.setValue("view/zoom", value)

    @property
    def paragraph_spacing(self) -> float:
        """Space between paragraphs in the document view, in lines (0: none)."""
        try:
            return max(0.0, min(3.0, float(self._s.value("view/paragraph_spacing", 0.5))))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 0.5

    @paragraph_spacing.setter
    def paragraph_spacing(self, value: float) -> None:
        self._s.setValue("view/paragraph_spacing", float(value))

    @property
    def max_line_chars(self) -> int:
        """The document view's longest line in characters (0: the window's width)."""
        try:
            return max(0, int(self._s.value("view/max_line_chars", 0)))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return 0

    @max_line_chars.setter
    def max_line_chars(self, value: int) -> None:
        self._s.setValue("view/max_line_chars", int(value))

    def shortcut(self, action_id: str) -> str | None:
        """The user's keys for an action (``"Ctrl+E; Ctrl+Shift+E"``, ``""``: none);
        None when the user kept the default."""
        value = self._s.value(f"shortcuts/{action_id}")
        return value if isinstance(value, str) else None

    def set_shortcut(self, action_id: str, keys: str | None) -> None:
        if keys is None:
            self._s.remove(f"shortcuts/{action_id}")
        else:
            self._s.setValue(f"shortcuts/{action_id}", keys)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._s.value("window/geometry")
        state = self._s.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def sync(self) -> None:
        self._s.sync()


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
